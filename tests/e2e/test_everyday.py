"""Issue 15 in Chromium: rankings on a phone, the search box, the account pages and accessibility as each role.

Every page visited is checked with axe-core at 1366 px and at 390 px (0 serious or critical violations) and at
390 px must not be wider than the screen. The three journeys (test_journeys.py) check their pages the same way
through shoot().
"""

import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.uploads import sample_pdf
from tests.e2e.a11y import axe_violations, describe
from tests.e2e.conftest import OVERFLOW_SCRIPT, WIDTHS, wait_for_width
from tests.e2e.test_journeys import click_and_wait, hanbin_one_short, personas  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = WIDTHS["phone"][0]

RANKING_SCRIPT = """
const width = arguments[0];
const out = [];
for (const table of document.querySelectorAll("table.ranking, table.bulletin-table")) {
  const wrap = table.closest(".table-wrap");
  if (wrap && wrap.scrollWidth > wrap.clientWidth + 1) out.push(`table scrolls sideways: ${wrap.scrollWidth}`);
  for (const row of table.querySelectorAll("tbody tr")) {
    for (const cls of ["rank", "unit", "score"]) {
      const cell = row.querySelector("td." + cls);
      const box = cell && cell.getBoundingClientRect();
      if (!box || box.width === 0 || box.right > width + 1 || box.left < -1)
        out.push(`${cls} of "${row.querySelector("td.unit")?.textContent.trim()}" not on screen`);
    }
    const unit = row.querySelector("td.unit");
    const lineHeight = parseFloat(getComputedStyle(unit).lineHeight) || 24;
    if (unit.getBoundingClientRect().height > 2.5 * lineHeight)
      out.push(`unit name squeezed: "${unit.textContent.trim()}"`);
  }
}
for (const svg of document.querySelectorAll("svg.chart")) {
  if (svg.getBoundingClientRect().right > width + 1) out.push(`chart wider than the screen`);
}
return out;
"""


def check_page(browser, name: str, problems: list[str]) -> None:
    """axe at both widths, and at the phone width no sideways overflow of the page."""
    for label, (width, height) in WIDTHS.items():
        browser.set_window_size(width, height)
        wait_for_width(browser, width)
        violations = axe_violations(browser)
        if violations:
            problems.append(f"{name} at {width}px:\n{describe(violations)}")
        if label == "phone":
            overflow, culprits = browser.execute_script(OVERFLOW_SCRIPT, width)
            if overflow > width:
                problems.append(f"{name}: 手机宽度下页面横向溢出（{overflow}px）：{culprits}")
    browser.set_window_size(*WIDTHS["desktop"])
    wait_for_width(browser, WIDTHS["desktop"][0])


@pytest.fixture
def everyday_world(personas, hanbin_one_short):  # noqa: F811
    """Personas of every role and records of several statuses in 汉滨区 and 汉阴县, over two years."""
    from django.contrib.auth.models import User

    from core import roles
    from publicity.models import Manuscript, Outlet, Publication, Status, Unit
    from scoring.models import Quota
    from tests.conftest import make_user

    hanyin = Unit.objects.get(name="汉阴县")
    outlet = Outlet.objects.get(name="陕西日报")
    Quota.objects.bulk_create([Quota(unit_id=q.unit_id, line_id=q.line_id, year=2010, count=q.count)
                               for q in Quota.objects.filter(year=2011)])
    for n, status in enumerate([Status.SUBMITTED, Status.REJECTED, Status.APPROVED, Status.DRAFT]):
        for unit in (hanbin_one_short, hanyin):
            manuscript = Manuscript.objects.create(unit=unit, title=f"{unit.name}春风行动招聘会报道{n}", authors="王明")
            Publication.objects.create(manuscript=manuscript, outlet=outlet, status=status,
                                       published_on=datetime.date(2010 + n % 2, 4, 1 + n),
                                       reject_reason="凭证缺失" if status == Status.REJECTED else "",
                                       url=f"http://www.example.gov.cn/{unit.pk}/{n}.html")
    # the duties of DOMAIN §11 (issue 16): a plan with its leading group, a training course with its invitation
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from reporting import duties
    from reporting.models import OfficerRoster

    OfficerRoster.objects.create(unit=hanbin_one_short, year=2011, officer_name="王明", phone="0915-3181322",
                                 submitted_at=timezone.now())
    duties.plan_file(unit=hanbin_one_short, year=2011, officer=personas["alice"], today=datetime.date(2011, 3, 20),
                     summary="全年宣传计划", staff="王明", staff_count=1, budget=10000,
                     leaders=[{"role": "leader", "name": "张建国", "post": "局长"}],
                     document=SimpleUploadedFile("计划.pdf", sample_pdf(note="plan"), "application/pdf"))
    duties.training_course_create(reviewer=personas["rita"], title="信息宣传员培训班",
                                  held_on=datetime.date(2011, 4, 20), place="市人社局")
    personas["hank"] = make_user("hank", roles.UNIT_HEAD, "汉滨区")
    personas["root"] = User.objects.create_superuser("root", "root@example.com", "pw-root")
    personas["carol"] = make_user("carol", roles.OFFICER, None)  # no e-mail, for the one-time link page
    return personas


def pages_of(persona: str, ids: dict) -> list[tuple[str, str]]:
    """(name, path) of the pages each role uses every day."""
    unit, record = ids["unit"], ids["record"]
    duties = f"/reporting/duties/unit/{unit}/?year=2011"
    common = [("home", "/"), ("search", "/search/?q=春风行动"), ("search-short", "/search/?q=王明"),
              ("password-change", "/password/change/"), ("records", "/records/"),
              ("record", f"/records/{record}/"), ("bulletin", "/scoring/bulletin/?year=2011"),
              ("notifications", "/notifications/")]
    return {
        "alice": [*common, ("unit", f"/scoring/unit/2011/{unit}/"), ("record-form", "/records/new/"),
                  ("duties", duties), ("plan-form", "/reporting/duties/plan/?year=2011")],
        "hank": [*common, ("unit", f"/scoring/unit/2011/{unit}/"), ("duties", duties)],
        "leo": [*common, ("dashboard", "/scoring/dashboard/?year=2011"),
                ("dashboard-compare", "/scoring/dashboard/?year=2011&compare=1"),
                ("unit", f"/scoring/unit/2011/{unit}/"), ("periodic", "/scoring/periodic/"),
                ("compliance", "/reporting/compliance/?year=2011"), ("duties", duties),
                ("trainings", "/reporting/training/"), ("training", f"/reporting/training/{ids['course']}/")],
        "rita": [*common, ("review", "/review/"), ("dashboard", "/scoring/dashboard/?year=2011&compare=1"),
                 ("compliance", "/reporting/compliance/?year=2011"), ("websites", "/reporting/websites/?year=2011"),
                 ("training", f"/reporting/training/{ids['course']}/"),
                 ("admin-year-settings", f"/admin/reporting/yearsettings/{ids['settings']}/change/"),
                 ("admin-plan", f"/admin/reporting/unitplan/{ids['plan']}/change/"),
                 ("admin-course", f"/admin/reporting/trainingcourse/{ids['course']}/change/"),
                 ("admin-topics", "/admin/publicity/researchtopic/"),
                 ("admin", "/admin/"), ("admin-publications", "/admin/publicity/publication/"),
                 ("admin-publication", f"/admin/publicity/publication/{record}/change/"),
                 ("admin-units", "/admin/publicity/unit/"), ("admin-audit", "/admin/publicity/auditevent/")],
        "root": [("home", "/"), ("search", "/search/?q=汉阴县"), ("password-change", "/password/change/"),
                 ("admin", "/admin/"), ("admin-users", "/admin/auth/user/"),
                 ("admin-user", f"/admin/auth/user/{ids['carol']}/change/"),
                 ("admin-reset-link", f"/admin/auth/user/{ids['carol']}/reset-link/"),
                 ("admin-unit", f"/admin/publicity/unit/{unit}/change/"),
                 ("admin-handover", f"/admin/publicity/unit/{unit}/handover/"),
                 ("admin-audit", "/admin/publicity/auditevent/")],
    }[persona]


@pytest.mark.parametrize("persona", ["alice", "hank", "leo", "rita", "root"])
def test_every_role_s_pages_are_accessible_at_both_widths(everyday_world, persona, browser, live_server, login):
    from publicity.models import Publication

    record = Publication.objects.filter(manuscript__unit__name="汉滨区", status="rejected").first()
    from reporting.models import TrainingCourse, UnitPlan, YearSettings

    ids = {"unit": record.manuscript.unit_id, "record": record.pk, "carol": everyday_world["carol"].pk,
           "course": TrainingCourse.objects.get().pk, "plan": UnitPlan.objects.get().pk,
           "settings": YearSettings.objects.get(year=2011).pk}
    login(persona, f"pw-{persona}")
    problems: list[str] = []
    for name, path in pages_of(persona, ids):
        browser.get(live_server.url + path)
        assert "Server Error" not in browser.title and "登录" != browser.title[:2], f"{persona} {path}"
        check_page(browser, f"{persona} {name}", problems)
    assert not problems, "\n".join(problems)


def test_the_account_pages_are_accessible(reference_data, browser, live_server):
    problems: list[str] = []
    for name, path in [("login", "/login/"), ("password-reset", "/password/reset/"),
                       ("password-reset-sent", "/password/reset/sent/"),
                       ("password-reset-invalid", "/password/reset/MQ/wrong-token/"),
                       ("password-reset-complete", "/password/reset/complete/"), ("admin-login", "/admin/login/")]:
        browser.get(live_server.url + path)
        check_page(browser, name, problems)
    assert not problems, "\n".join(problems)


def test_a_leader_reads_every_unit_s_rank_and_score_on_a_phone(everyday_world, browser, live_server, login):
    login("leo", "pw-leo")
    browser.set_window_size(*WIDTHS["phone"])
    wait_for_width(browser, PHONE)
    for path in ("/scoring/dashboard/?year=2011&compare=1", "/scoring/bulletin/?year=2011"):
        browser.get(live_server.url + path)
        rows = browser.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr, table.bulletin-table tbody tr")
        assert len(rows) >= 20, path  # every unit of the 2011 reference data
        assert browser.execute_script(RANKING_SCRIPT, PHONE) == [], path
        overflow, culprits = browser.execute_script(OVERFLOW_SCRIPT, PHONE)
        assert overflow <= PHONE, f"{path}: {overflow}px {culprits}"
        # Each unit's progress is folded underneath; a tap opens it, and it still fits.
        folds = browser.find_elements(By.CSS_SELECTOR, "details.fold")
        assert folds and not any(fold.get_attribute("open") for fold in folds), path
        hanbin = browser.find_element(By.XPATH, "//tr[td[contains(@class,'unit')][normalize-space()='汉滨区']]")
        hanbin.find_element(By.TAG_NAME, "summary").click()
        lines = hanbin.find_element(By.CSS_SELECTOR, "details.fold")
        assert lines.get_attribute("open") is not None
        assert "市级及以上媒体新闻稿件" in lines.text and "39/40" in lines.text
        assert browser.execute_script(RANKING_SCRIPT, PHONE) == [], path
        assert browser.execute_script(OVERFLOW_SCRIPT, PHONE)[0] <= PHONE, path
    # On a desktop the same rankings show every line without a tap.
    browser.set_window_size(*WIDTHS["desktop"])
    wait_for_width(browser, WIDTHS["desktop"][0])
    assert all(fold.get_attribute("open") is not None
               for fold in browser.find_elements(By.CSS_SELECTOR, "details.fold"))


def test_the_phone_check_catches_a_ranking_that_scrolls_sideways(everyday_world, browser, live_server, login):
    """The check above is not vacuous: the old layout (a 36rem table scrolling in its wrapper) fails it."""
    login("leo", "pw-leo")
    browser.set_window_size(*WIDTHS["phone"])
    wait_for_width(browser, PHONE)
    browser.get(live_server.url + "/scoring/dashboard/?year=2011")
    browser.execute_script(
        "document.querySelectorAll('table.ranking').forEach(t => { t.style.minWidth = '36rem';"
        " t.querySelectorAll('tr').forEach(r => r.style.display = 'table-row');"
        " t.querySelectorAll('td, th').forEach(c => c.style.display = 'table-cell'); })")
    assert browser.execute_script(RANKING_SCRIPT, PHONE) != []


def test_a_reviewer_finds_a_record_from_the_header(everyday_world, browser, live_server, login):
    login("rita", "pw-rita")
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("春风行动招聘会报道1")
    browser.find_element(By.CSS_SELECTOR, ".site-search button").click()
    WebDriverWait(browser, 10).until(lambda b: "/search/" in b.current_url
                                     and b.find_elements(By.CSS_SELECTOR, "table.search-results tbody tr"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.search-results tbody tr")
    assert {row.find_element(By.CSS_SELECTOR, "td:nth-child(3)").text for row in rows} == {"汉滨区", "汉阴县"}
    assert all("已退回" in row.text and "2011" in row.text and "陕西日报" in row.text for row in rows)
    click_and_wait(browser, rows[0].find_element(By.TAG_NAME, "a"))
    assert "春风行动招聘会报道1" in browser.find_element(By.TAG_NAME, "h1").text


def test_an_officer_s_search_stays_in_the_own_unit(everyday_world, browser, live_server, login):
    login("alice", "pw-alice")
    browser.get(live_server.url + "/search/?q=春风行动招聘会")
    units = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.search-results tbody td:nth-child(3)")}
    assert units == {"汉滨区"}


def test_an_officer_changes_the_password_from_the_header(everyday_world, browser, live_server, login):
    login("alice", "pw-alice")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "修改密码"))
    browser.find_element(By.ID, "id_old_password").send_keys("pw-alice")
    browser.find_element(By.ID, "id_new_password1").send_keys("Hanbin-Spring-2011")
    browser.find_element(By.ID, "id_new_password2").send_keys("Hanbin-Spring-2011")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))
    assert "密码已修改" in browser.find_element(By.TAG_NAME, "main").text
    login("alice", "Hanbin-Spring-2011")
    assert "汉滨区" in browser.find_element(By.CSS_SELECTOR, ".site-header").text
