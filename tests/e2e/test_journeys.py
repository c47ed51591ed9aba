"""The three journeys of issue 7 in Chromium: officer records, reviewer decides, leader reads the score.

Every page a journey passes through is saved by shoot() at both widths into screenshots/.
Waits are explicit (WebDriverWait on what the user would look at); there are no sleeps.
"""

import struct
import zlib

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.conftest import wait_for_new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def _png(width: int, height: int) -> bytes:
    """A real PNG (proof files are checked by content, not by name): a grey page with a darker column."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = bytes([0]) + b"".join(b"\x60\x60\x60" if 20 <= x < 60 else b"\xe8\xe8\xe0" for x in range(width))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(
        b"IEND", b"")


PNG_BYTES = _png(120, 160)
TITLE = "汉滨区举办春风行动专场招聘会"


def wait(browser, timeout: float = 10):
    return WebDriverWait(browser, timeout)


def click_and_wait(browser, element):
    """Click a link or a submit button and wait until the next page has loaded."""
    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    wait_for_new_page(browser, old)


def nav(browser, label: str):
    click_and_wait(browser, browser.find_element(By.XPATH, f"//nav[@class='main-nav']/a[normalize-space()='{label}']"))


def text_of(browser, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).text


def proof_png(tmp_path):
    path = tmp_path / "版面照片.png"
    path.write_bytes(PNG_BYTES)
    return str(path)


@pytest.fixture
def personas(reference_data):
    from core import roles
    from tests.conftest import make_user

    return {
        "alice": make_user("alice", roles.OFFICER, "汉滨区"),
        "rita": make_user("rita", roles.REVIEWER, "政策法规与信息化管理科", is_staff=True),
        "leo": make_user("leo", roles.LEADER),
    }


@pytest.fixture
def hanbin_one_short(reference_data):
    """汉滨区 lacks exactly one municipal article of its 2011 task (40 + 4): score 3.9, one approval makes it 4."""
    import datetime

    from publicity.models import Manuscript, Outlet, Publication, Status, Unit

    unit = Unit.objects.get(name="汉滨区")
    outlet = Outlet.objects.get(name="安康日报")
    for number in range(43):
        kind = "research" if number < 4 else "news"
        manuscript = Manuscript.objects.create(unit=unit, title=f"汉滨区往期稿件{number + 1}", kind=kind)
        Publication.objects.create(manuscript=manuscript, outlet=outlet, status=Status.APPROVED,
                                   published_on=datetime.date(2011, 3, 1) + datetime.timedelta(days=number))
    return unit


def type_date(browser, element, year: int, month: int, day: int):
    """Type a date into <input type=date> as a user does: its fields follow the browser's locale order.

    Month and day move on after two digits; the year takes up to six, so TAB moves on after it.
    """
    order = browser.execute_script(
        "return Intl.DateTimeFormat().formatToParts(new Date(2011, 4, 10))"
        ".filter(p => ['year', 'month', 'day'].includes(p.type)).map(p => p.type)")
    parts = {"year": f"{year:04d}", "month": f"{month:02d}", "day": f"{day:02d}"}
    keys = []
    for position, part in enumerate(order):
        keys.append(parts[part])
        if part == "year" and position < len(order) - 1:
            keys.append(Keys.TAB)
    element.send_keys(*keys)
    assert element.get_attribute("value") == f"{year:04d}-{month:02d}-{day:02d}"


def fill_record_form(browser, *, title: str, proof: str):
    browser.find_element(By.ID, "id_title").send_keys(title)
    browser.find_element(By.ID, "id_authors").send_keys("张三、李四")
    Select(browser.find_element(By.ID, "id_kind")).select_by_visible_text("新闻")
    outlet = browser.find_element(By.ID, "id_outlet")
    outlet.send_keys("安康日报")
    wait(browser).until(ec.text_to_be_present_in_element((By.ID, "outlet-info"), "已选：安康日报"))
    type_date(browser, browser.find_element(By.ID, "id_published_on"), 2011, 5, 10)
    browser.find_element(By.ID, "id_page").send_keys("第2版")
    browser.find_element(By.ID, "id_char_count").send_keys("1200")
    browser.find_element(By.ID, "id_proofs").send_keys(proof)


def record_a_publication(browser, live_server, shoot, tmp_path, *, screenshots: bool = True):
    """Journey 1's steps: the officer's form, submitted for review; returns on the record's page."""
    nav(browser, "录入稿件")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert "汉滨区" in header.text and "2011年度" in header.text  # the current unit and year, on every page
    assert [a.text for a in header.find_elements(By.CSS_SELECTOR, "a[aria-current=page]")] == ["录入稿件"]
    if screenshots:
        shoot("j1-record-form")
    fill_record_form(browser, title=TITLE, proof=proof_png(tmp_path))
    if screenshots:
        shoot("j1-record-form-filled")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=submit]"))


def test_journey_1_an_officer_records_a_publication_and_sees_it_pending(
        personas, hanbin_one_short, browser, live_server, login, shoot, tmp_path):
    from publicity.models import Publication

    login("alice", "pw-alice")
    assert "汉滨区" in text_of(browser, ".site-header")
    shoot("j1-officer-home")
    record_a_publication(browser, live_server, shoot, tmp_path)

    assert TITLE in text_of(browser, "h1")
    assert "待审核" in text_of(browser, "h1 .status")
    assert "已提交审核" in text_of(browser, ".messages")
    proof = browser.find_element(By.CSS_SELECTOR, ".proofs img")
    assert proof.get_attribute("alt") == "凭证：版面照片.png"
    wait(browser).until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", proof))
    shoot("j1-record-submitted")
    publication = Publication.objects.get(manuscript__title=TITLE)
    assert (publication.status, publication.outlet.name, str(publication.published_on)) == (
        "submitted", "安康日报", "2011-05-10")
    assert publication.proofs.count() == 1

    nav(browser, "刊发记录")
    assert "待审核" in browser.find_element(By.XPATH, f"//tr[.//a[normalize-space()='{TITLE}']]").text
    shoot("j1-record-list")

    nav(browser, "本单位考核")
    assert "汉滨区 · 2011年度" in text_of(browser, "h1")
    stats = text_of(browser, ".stat-row")
    assert "3.9" in stats and "缺稿篇数" in stats
    assert "待审核" in stats
    assert "39" in browser.find_element(By.XPATH, "//tr[td[normalize-space()='市级及以上媒体新闻稿件']]").text
    shoot("j1-unit-progress")


def submitted_record():
    """Alice's record of journey 1, as it stands after she submitted it (with its proof file)."""
    import datetime

    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from publicity import services
    from publicity.models import Outlet

    alice = User.objects.get(username="alice")
    publication = services.publication_create(
        officer=alice,
        manuscript_data={"title": TITLE, "authors": "张三、李四", "kind": "news", "special_topic": ""},
        publication_data={"outlet": Outlet.objects.get(name="安康日报"), "published_on": datetime.date(2011, 5, 10),
                          "front_headline": False, "page": "第2版", "url": "", "char_count": 1200},
        proofs=[SimpleUploadedFile("版面照片.png", PNG_BYTES, content_type="image/png")])
    services.publication_submit(publication=publication, officer=alice)
    return publication


def queue_row(browser):
    return browser.find_element(By.XPATH, f"//table[contains(@class,'queue')]//tr[.//a[normalize-space()='{TITLE}']]")


def test_journey_2_a_reviewer_rejects_the_officer_corrects_and_the_reviewer_approves(
        personas, hanbin_one_short, browser, live_server, login, shoot):
    publication = submitted_record()
    login("rita", "pw-rita")
    shoot("j2-reviewer-home")
    nav(browser, "审核队列")
    row = queue_row(browser)
    wait(browser).until(lambda b: b.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", row.find_element(By.CSS_SELECTOR, "img.thumb")))
    shoot("j2-review-queue")
    row.find_element(By.TAG_NAME, "summary").click()
    reason = row.find_element(By.TAG_NAME, "textarea")
    wait(browser).until(ec.visibility_of(reason))
    reason.send_keys("发表日期与版面照片不符，请核对后重新提交。")
    shoot("j2-review-reject-reason")
    click_and_wait(browser, row.find_element(By.XPATH, ".//button[normalize-space()='确认退回']"))
    assert "已退回" in text_of(browser, ".messages")
    assert "没有待审核的记录" in text_of(browser, ".queue")
    shoot("j2-review-queue-after-reject")

    login("alice", "pw-alice")
    rejected = text_of(browser, ".callout-bad")
    assert TITLE in rejected and "发表日期与版面照片不符" in rejected
    shoot("j2-officer-home-rejected")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, TITLE))
    assert "发表日期与版面照片不符" in text_of(browser, ".callout-bad")
    assert "已退回" in text_of(browser, "h1 .status")
    shoot("j2-record-rejected")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "按原因修改并重新提交"))
    assert "发表日期与版面照片不符" in text_of(browser, ".callout-bad")
    date = browser.find_element(By.ID, "id_published_on")
    assert date.get_attribute("value") == "2011-05-10"
    date.send_keys(Keys.BACKSPACE)  # the focused field of the date, whichever the locale shows first
    date.clear()
    type_date(browser, date, 2011, 5, 12)
    shoot("j2-record-edit")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=submit]"))
    assert "待审核" in text_of(browser, "h1 .status")
    shoot("j2-record-resubmitted")

    login("rita", "pw-rita")
    nav(browser, "审核队列")
    row = queue_row(browser)
    assert "上次退回原因" in row.text and "2011-05-12" in row.text
    click_and_wait(browser, row.find_element(By.XPATH, ".//button[normalize-space()='通过']"))
    assert "已审核通过" in text_of(browser, ".messages")
    shoot("j2-review-queue-after-approve")
    publication.refresh_from_db()
    assert (publication.status, str(publication.published_on), publication.reviewer.username) == (
        "approved", "2011-05-12", "rita")


def score_of(browser, unit_name: str) -> str:
    return browser.find_element(
        By.XPATH, f"//table[contains(@class,'bulletin-table') or contains(@class,'ranking')]"
                  f"//tr[td[normalize-space()='{unit_name}'] or td/a[normalize-space()='{unit_name}']]"
                  f"/td[contains(@class,'score')]").text


def test_journey_3_a_leader_sees_the_units_score_change_after_the_approval(
        personas, hanbin_one_short, browser, live_server, login, shoot):
    submitted_record()
    login("leo", "pw-leo")
    shoot("j3-leader-home")
    nav(browser, "考核看板")
    assert "2011" in text_of(browser, "h1")
    before_dashboard = score_of(browser, "汉滨区")
    shoot("j3-dashboard-before")
    nav(browser, "考核通报")
    before_bulletin = score_of(browser, "汉滨区")
    assert before_dashboard == before_bulletin == "3.9"

    login("rita", "pw-rita")
    nav(browser, "审核队列")
    click_and_wait(browser, queue_row(browser).find_element(By.XPATH, ".//button[normalize-space()='通过']"))
    assert "已审核通过" in text_of(browser, ".messages")

    login("leo", "pw-leo")
    nav(browser, "考核看板")
    assert score_of(browser, "汉滨区") == "4"
    shoot("j3-dashboard-after")
    click_and_wait(browser, browser.find_element(By.XPATH, "//table//a[normalize-space()='汉滨区']"))
    assert "汉滨区" in text_of(browser, "h1")
    assert "各项任务均已完成" in text_of(browser, "main")
    assert TITLE in text_of(browser, "main")
    shoot("j3-unit-detail")
    nav(browser, "考核通报")
    assert score_of(browser, "汉滨区") == "4"
    shoot("j3-bulletin")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".bulletin-table").is_displayed()
        shoot("j3-bulletin-print")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    bulletin_pdf_page_one(browser, live_server)


def bulletin_pdf_page_one(browser, live_server):
    """The red-header PDF offered beside the bulletin, downloaded with the leader's session: its first page is
    saved as a picture (pdftoppm) beside the screenshots and carries the header and the new score."""
    import shutil
    import subprocess
    import urllib.request

    from tests.e2e.conftest import SCREENSHOTS

    form = browser.find_element(By.CSS_SELECTOR, "form.document-form")
    assert form.find_element(By.XPATH, ".//button").text == "下载红头文件（PDF）"
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.fail("需要 poppler-utils（pdftoppm、pdftotext）来查看PDF")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(f"{live_server.url}/scoring/bulletin.pdf?year=2011&number=3&issued_on=2012-01-10",
                                     headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        document = response.read()
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "j3-bulletin.pdf"
    path.write_bytes(document)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(SCREENSHOTS / "j3-bulletin-pdf-page1")], check=True)
    assert (SCREENSHOTS / "j3-bulletin-pdf-page1.png").stat().st_size > 10_000
    text = "".join(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], check=True,
                                  capture_output=True, text=True).stdout.split())
    assert "安康市人力资源和社会保障局文件" in text and "安人社发〔2012〕3号" in text and "汉滨区" in text


def test_the_api_documentation_runs_under_the_apps_content_security_policy(personas, browser, live_server, login,
                                                                          shoot):
    """Swagger UI (served by the app) renders the API's operations without a single CSP violation."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")})
    login("rita", "pw-rita")
    nav(browser, "数据接口")
    wait(browser, 20).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".opblock")) >= 10)
    assert "/api/v1/records/" in text_of(browser, "#swagger-ui")
    assert browser.execute_script("return window.__cspViolations") == []
    # Swagger UI's own markup (a third-party tool for other systems' programmers, not a page of the bureau's
    # staff) fails axe's contrast and nested-control rules; the pages people use are checked (issue 15).
    shoot("api-docs", axe=False)


def press(browser, *keys):
    ActionChains(browser).send_keys(*keys).perform()


def focused(browser):
    return browser.switch_to.active_element


def tab_to(browser, target_id: str, limit: int = 30):
    """TAB until the field is focused, checking on the way that every focused element shows its focus.

    (TAB within a native date field moves to its calendar button, which Chromium outlines itself.)
    """
    previous = focused(browser)
    for _ in range(limit):
        press(browser, Keys.TAB)
        element = focused(browser)
        if element != previous:
            outline = element.value_of_css_property("outline-style")
            assert outline not in ("none", ""), f"焦点不可见：{element.get_attribute('outerHTML')[:80]}"
        previous = element
        if element.get_attribute("id") == target_id:
            return element
    raise AssertionError(f"TAB reached no #{target_id}")


def test_an_officer_fills_and_submits_the_form_with_the_keyboard_only(personas, browser, live_server, login, shoot):
    from publicity.models import Publication

    login("alice", "pw-alice")
    browser.get(live_server.url + "/records/new/")
    press(browser, Keys.TAB)
    assert focused(browser).text == "跳到正文"
    press(browser, Keys.ENTER)
    tab_to(browser, "id_title")
    press(browser, "键盘录入的稿件")
    tab_to(browser, "id_authors")
    press(browser, "王五")
    tab_to(browser, "id_key_topics_0")
    press(browser, Keys.SPACE)
    tab_to(browser, "id_outlet")
    press(browser, "陕西日报")
    wait(browser).until(ec.text_to_be_present_in_element((By.ID, "outlet-info"), "已选：陕西日报"))
    type_date(browser, tab_to(browser, "id_published_on"), 2011, 6, 1)
    tab_to(browser, "id_char_count")
    press(browser, "800")
    shoot("keyboard-record-form")
    old = browser.find_element(By.TAG_NAME, "html")
    for _ in range(10):  # the submit button has no id: TAB until it is the focused element
        press(browser, Keys.TAB)
        if focused(browser).get_attribute("name") == "submit":
            break
    assert focused(browser).text == "保存并提交审核"
    assert focused(browser).value_of_css_property("outline-style") == "solid"
    press(browser, Keys.ENTER)
    wait_for_new_page(browser, old)
    assert "待审核" in text_of(browser, "h1 .status")
    publication = Publication.objects.get(manuscript__title="键盘录入的稿件")
    assert (publication.outlet.name, str(publication.published_on), publication.char_count) == (
        "陕西日报", "2011-06-01", 800)
    assert publication.manuscript.key_topics.count() == 1


def test_an_officer_logs_in_and_sees_the_own_unit(reference_data, browser, live_server, login, shoot):
    from core import roles
    from tests.conftest import make_user

    make_user("alice", roles.OFFICER, "汉滨区")
    browser.get(live_server.url + "/login/")
    shoot("login")
    login("alice", "pw-alice")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header").text
    assert "汉滨区" in header and "信息宣传员" in header
    shoot("officer-home")


def test_a_wrong_password_is_explained_in_chinese(reference_data, browser, live_server, login):
    login("nobody", "wrong")
    assert "请输入一个正确的" in browser.find_element(By.CSS_SELECTOR, ".errorlist").text
