"""An open year's dashboard and bulletin come from the cache, and every kind of write that can change a
score shows on them at once (core/versions.scores_changed, issue 17)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from core import versions
from publicity.models import Outlet, OutletAlias, Publication, Status, Unit
from publicity.services import publication_approve
from rewards.models import RateSheet
from scoring import pages, services
from scoring.models import AssessmentPolicy, Quota, QuotaLine
from tests.scoring import worked_examples
from yearend import services as yearend_services

pytestmark = pytest.mark.django_db

AFTER_2011 = datetime.date(2012, 1, 20)
PAGES = {"dashboard": "scoring:dashboard", "bulletin": "scoring:bulletin"}


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """As with CACHE_URL=redis://… (the memory cache of the test process stands in for Redis)."""
    settings.OPEN_YEAR_PAGE_CACHE = True


@pytest.fixture
def renders(monkeypatch):
    """How often each page body was rendered (not served from the cache)."""
    counts = dict.fromkeys(pages.RENDERERS, 0)
    for page, render in list(pages.RENDERERS.items()):
        def counted(year, state, page=page, render=render):
            counts[page] += 1
            return render(year, state)
        monkeypatch.setitem(pages.RENDERERS, page, counted)
    return counts


@pytest.fixture
def view(client, leo):
    client.force_login(leo)

    def get(page: str) -> str:
        response = client.get(reverse(PAGES[page]), {"year": 2011})
        assert response.status_code == 200
        return response.content.decode()

    return get


def row_of(html: str, unit_name: str) -> str:
    """The text of the first table row naming the unit (its lines, shortfall and score)."""
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if f">{unit_name}<" in row:
            return " ".join(re.sub(r"<[^>]+>", " ", row).split())
    raise AssertionError(f"{unit_name} not on the page")


@pytest.fixture
def hanbin_41(make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    return hanbin


def views_of_both(view):
    return {page: view(page) for page in PAGES}


def test_an_open_years_pages_are_served_from_the_cache_until_a_write(view, renders, hanbin_41,
                                                                      django_assert_max_num_queries):
    first = views_of_both(view)
    assert renders == {"dashboard": 1, "bulletin": 1, "scores": 1}  # scores: the bulletin's duties table
    with django_assert_max_num_queries(8):
        again = view("dashboard")
    assert row_of(again, "汉滨区") == row_of(first["dashboard"], "汉滨区")
    assert row_of(view("bulletin"), "汉滨区") == row_of(first["bulletin"], "汉滨区")
    assert renders == {"dashboard": 1, "bulletin": 1, "scores": 1}  # scores: the bulletin's duties table


def assert_changes(view, renders, write, *, expect: str | None, unit: str = "汉滨区"):
    """Both pages are cached, `write()` runs, and both are rendered anew at once (showing `expect` in the
    unit's row when given)."""
    before = views_of_both(view)
    views_of_both(view)
    counted = dict(renders)
    write()
    for page, html in before.items():
        after = view(page)
        assert renders[page] == counted[page] + 1, f"{page} not rendered anew"
        if expect is not None:
            assert expect not in row_of(html, "汉滨区"), (page, row_of(html, "汉滨区"))
            assert expect in row_of(after, unit), (page, row_of(after, unit))


def test_a_publication_status_change(view, renders, hanbin_41, rita):
    publication = Publication.objects.filter(manuscript__unit=hanbin_41, outlet__name="安康日报").first()
    Publication.objects.filter(pk=publication.pk).update(status=Status.SUBMITTED, submitted_at=datetime.datetime.now(
        tz=datetime.UTC))
    assert "4.1" not in row_of(view("bulletin"), "汉滨区")
    assert_changes(view, renders, lambda: publication_approve(publication=publication, reviewer=rita), expect="4.1")


def articles_file(tmp_path, *rows):
    workbook = Workbook()
    workbook.active.append(["单位", "标题", "媒体", "发表日期", "稿件类型"])
    for values in rows:
        workbook.active.append(list(values))
    path = tmp_path / "明细表.xlsx"
    workbook.save(path)
    return str(path)


def test_an_article_import(view, renders, hanbin_41, tmp_path):
    path = articles_file(tmp_path, *[("汉滨区", f"导入稿件{i}", "安康日报", datetime.date(2011, 7, 1), "新闻")
                                     for i in range(3)])
    # 44 municipal-or-higher news after the import: the county's line shows it.
    assert_changes(view, renders, lambda: call_command("import_articles", path, stdout=io.StringIO()), expect="44")


def test_a_quota_import(view, renders, hanbin_41, tmp_path):
    line = QuotaLine.objects.get(code="L_MUN_UP")
    workbook = Workbook()
    workbook.active.append(["单位", "单位类型", line.label])
    workbook.active.append(["汉滨区", "县区", 47])
    path = tmp_path / "任务分解表.xlsx"
    workbook.save(path)
    assert_changes(view, renders, lambda: call_command("import_quotas", str(path), "--year", "2011",
                                                       stdout=io.StringIO()), expect="/47")


def test_a_quota_edit(view, renders, hanbin_41):
    quota = Quota.objects.get(unit=hanbin_41, year=2011, line__code="L_MUN_UP")

    def edit():
        quota.count = 46
        quota.save()

    assert_changes(view, renders, edit, expect="/46")


def test_a_quota_line_edit(view, renders, hanbin_41):
    line = QuotaLine.objects.get(code="L_RES")

    def edit():
        line.label = "调研文章（改名）"
        line.save()

    assert_changes(view, renders, edit, expect="调研文章（改名）")


def test_an_outlet_edit(view, renders, hanbin_41):
    def edit():  # the bureau's website is no longer counted as municipal: 28 articles drop out of the line
        Outlet.objects.filter(name="局网站").update(level="county")
        Outlet.objects.get(name="局网站").save()

    assert_changes(view, renders, edit, expect="13/")


def test_an_alias_edit(view, renders, hanbin_41):
    # An alias changes no score by itself, but which outlet an imported name means: the pages are rendered anew.
    assert_changes(view, renders, lambda: OutletAlias.objects.create(outlet=Outlet.objects.get(name="安康日报"),
                                                                     name="安康日报社"), expect=None)


def test_a_unit_edit(view, renders, hanbin_41):
    def edit():
        hanbin_41.name = "汉滨区（新）"
        hanbin_41.save()

    assert_changes(view, renders, edit, expect="汉滨区（新）", unit="汉滨区（新）")


def test_a_scoring_policy_edit(view, renders, hanbin_41, rita):
    def edit():  # base 5 instead of 4: 4.1 becomes 5.1
        policy = AssessmentPolicy.objects.filter(year=2011).first() or AssessmentPolicy(year=2011)
        policy.base = Decimal(5)
        services.assessment_policy_save(policy=policy, actor=rita)

    assert_changes(view, renders, edit, expect="5.1")


def test_a_rate_sheet_edit(view, renders, hanbin_41):
    def edit():
        sheet = RateSheet.objects.filter(issuer__isnull=True).order_by("-year").first()
        sheet.note = "调整说明"
        sheet.save()

    assert_changes(view, renders, edit, expect=None)


@pytest.mark.parametrize("transition, note", [
    (lambda rita: yearend_services.year_publicize(year=2011, reviewer=rita, today=AFTER_2011), "公示"),
    (lambda rita: yearend_services.year_close(year=2011, reviewer=rita, today=AFTER_2011), "已结算"),
])
def test_a_year_transition(view, renders, hanbin_41, rita, transition, note):
    before = view("bulletin")
    assert note not in before.split("state-note", 1)[1][:200]
    transition(rita)
    after = view("bulletin")
    assert note in after.split("state-note", 1)[1][:200]
    assert note in view("dashboard").split("state-note", 1)[1][:200]


def test_reopening_a_year_shows_the_estimate_again(view, renders, hanbin_41, rita):
    yearend_services.year_close(year=2011, reviewer=rita, today=AFTER_2011)
    assert "已结算" in view("bulletin").split("state-note", 1)[1][:200]
    yearend_services.year_reopen(year=2011, reviewer=rita, reason="核查")
    assert "预估" in view("bulletin").split("state-note", 1)[1][:200]


def test_scores_changed_bumps_at_once_and_again_at_commit(django_capture_on_commit_callbacks):
    start = versions.scores_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        versions.scores_changed()
        versions.scores_changed()  # one commit callback per transaction, however many writes
        assert versions.scores_version() == start + 2
    assert len(callbacks) == 1
    assert versions.scores_version() == start + 3


def test_a_lost_version_starts_anew_without_repeating_an_old_one():
    old = versions.scores_version()
    cache.delete(versions.VERSION_KEY)
    assert versions.scores_version() > old


def test_a_draft_does_not_make_the_pages_render_anew(view, renders, hanbin_41, make_publication):
    views_of_both(view)
    make_publication(hanbin_41, title="草稿", status=Status.DRAFT)
    views_of_both(view)
    assert renders == {"dashboard": 1, "bulletin": 1, "scores": 1}  # scores: the bulletin's duties table


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:9/0",
                                       "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}})
def test_without_the_cache_server_the_pages_are_rendered_live(view, renders, hanbin_41, caplog):
    assert "4.1" in row_of(view("bulletin"), "汉滨区")
    assert "4.1" in row_of(view("bulletin"), "汉滨区")
    assert renders["bulletin"] == 2
    assert "cache unreachable" in caplog.text
    Unit.objects.filter(pk=hanbin_41.pk).update(name="汉滨区")  # a write while the cache is away fails nothing
    versions.scores_changed()


def test_with_a_per_process_memory_cache_open_years_are_computed_live(view, renders, hanbin_41, settings):
    settings.OPEN_YEAR_PAGE_CACHE = False  # the default without CACHE_URL: gunicorn workers share nothing
    views_of_both(view)
    views_of_both(view)
    assert renders == {"dashboard": 2, "bulletin": 2, "scores": 2}
