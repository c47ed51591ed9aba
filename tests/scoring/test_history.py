"""Years side by side (issue 15, item 4): the unit's history, the dashboard's comparison with the previous year
and the bulletin's previous-year score."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from publicity.models import Manuscript, Outlet, Publication, Status, Unit
from scoring import services
from scoring.models import Quota
from scoring.services import Change
from yearend.services import year_close, year_reopen

pytestmark = pytest.mark.django_db


def copy_quotas(year: int) -> None:
    Quota.objects.bulk_create([Quota(unit_id=q.unit_id, line_id=q.line_id, year=year, count=q.count)
                               for q in Quota.objects.filter(year=2011)])


def approved(unit, year: int, *, news: int, research: int = 4) -> None:
    """`news` approved municipal news and `research` research articles of `unit` in `year` (D2/D3 counts)."""
    outlet = Outlet.objects.get(name="安康日报")
    for n in range(news + research):
        manuscript = Manuscript.objects.create(unit=unit, title=f"{unit.name}{year}年稿件{n}",
                                               kind="research" if n >= news else "news")
        Publication.objects.create(manuscript=manuscript, outlet=outlet, status=Status.APPROVED,
                                   published_on=datetime.date(year, 3, 1) + datetime.timedelta(days=n))


@pytest.fixture
def two_years(hanbin, hanyin):
    """2011: 汉滨区 complete (4.0, first), 汉阴县 nothing (0). 2012: 汉滨区 10 short (3.0), 汉阴县 complete (4.0)."""
    copy_quotas(2012)
    approved(hanbin, 2011, news=40)
    approved(hanbin, 2012, news=30)
    approved(hanyin, 2012, news=40)


def close(year: int) -> None:
    year_close(year=year, reviewer=None, today=datetime.date(year + 1, 2, 1))


def test_the_unit_page_shows_every_year_side_by_side(client, leo, hanbin, two_years):
    client.force_login(leo)
    html = client.get(reverse("scoring:unit", args=[2012, hanbin.pk])).content.decode()
    start = html.index("历年考核情况")
    section = html[start:html.index("</section>", start)]
    assert "<svg" in section and "2011年4分，2012年3分" in section  # the chart, with its numbers in words
    assert reverse("scoring:unit", args=[2011, hanbin.pk]) in section  # the other year is a link
    assert ">4</td>" in section and ">3</td>" in section  # scores
    assert ">1/10</td>" in section and ">2/10</td>" in section  # rank among the ten counties
    assert ">40/40</td>" in section and "30/40<span class=\"deficit\">差10</span>" in section  # a quota line
    assert "预估" in section


def test_a_closed_year_is_read_from_its_snapshot(hanbin, two_years):
    close(2011)
    Publication.objects.filter(manuscript__unit=hanbin, published_on__year=2011).update(status=Status.REJECTED,
                                                                                     reject_reason="测试")
    history = services.unit_history(unit=hanbin, today=datetime.date(2012, 12, 31))
    by_year = {y.year: y for y in history.years}
    assert by_year[2011].final and by_year[2011].result.shown_score == Decimal(4)  # frozen, not recomputed
    assert not by_year[2012].final and by_year[2012].result.shown_score == Decimal(3)
    assert [label for label, _ in history.rows] == ["市级及以上媒体新闻稿件", "专题调研文章"]


def test_the_history_needs_a_bounded_number_of_queries(hanbin, two_years, django_assert_max_num_queries):
    for year in (2008, 2009, 2010):
        copy_quotas(year)
        close(year)
    close(2011)
    # Four closed years and an open one: the snapshots in two queries, the open year assessed once.
    with django_assert_max_num_queries(8):
        history = services.unit_history(unit=hanbin, today=datetime.date(2012, 12, 31))
    assert [y.year for y in history.years] == [2008, 2009, 2010, 2011, 2012]


def test_the_unit_page_stays_bounded_with_more_years(client, leo, hanbin, two_years, django_assert_max_num_queries):
    for year in (2009, 2010):
        copy_quotas(year)
        close(year)
    client.force_login(leo)
    url = reverse("scoring:unit", args=[2012, hanbin.pk])
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


def test_the_dashboard_compares_with_the_previous_year(client, leo, hanbin, hanyin, two_years):
    client.force_login(leo)
    html = client.get(reverse("scoring:dashboard"), {"year": 2012, "compare": "1"}).content.decode()
    assert "2011年得分" in html and "与上一年度对比" in html
    hanbin_row = html[html.index(">汉滨区</a>"):]
    hanbin_row = hanbin_row[:hanbin_row.index("</tr>")]
    assert 'class="delta down' in hanbin_row and ">-1</span>" in hanbin_row and "↓1" in hanbin_row
    hanyin_row = html[html.index(">汉阴县</a>"):]
    hanyin_row = hanyin_row[:hanyin_row.index("</tr>")]
    assert ">+4</span>" in hanyin_row and "↑1" in hanyin_row
    plain = client.get(reverse("scoring:dashboard"), {"year": 2012}).content.decode()
    assert "2011年得分" not in plain and "↑1" not in plain


def test_a_unit_new_this_year_has_no_comparison(client, leo, two_years):
    unit = Unit.objects.create(name="新设县", kind="county", sort_order=99)
    Quota.objects.create(unit=unit, line=Quota.objects.filter(year=2012).first().line, year=2012, count=1)
    client.force_login(leo)
    html = client.get(reverse("scoring:dashboard"), {"year": 2012, "compare": "1"}).content.decode()
    row = html[html.index(">新设县</a>"):]
    assert "上年无" in row[:row.index("</tr>")]


def test_the_comparison_of_closed_years_is_cached_and_follows_a_reopen(client, leo, two_years):
    close(2011)
    close(2012)
    client.force_login(leo)
    first = client.get(reverse("scoring:dashboard"), {"year": 2012, "compare": "1"}).content.decode()
    assert "↓1" in first
    year_reopen(year=2011, reviewer=None, reason="更正")
    Publication.objects.filter(published_on__year=2011).update(status=Status.DRAFT)  # 汉滨区 2011 becomes 0
    again = client.get(reverse("scoring:dashboard"), {"year": 2012, "compare": "1"}).content.decode()
    row = again[again.index(">汉滨区</a>"):]
    row = row[:row.index("</tr>")]
    assert ">+3</span>" in row and ">-1</span>" not in row  # last year is live again: 0 points now


def test_the_comparison_needs_a_bounded_number_of_queries(client, leo, two_years, django_assert_max_num_queries):
    client.force_login(leo)
    with django_assert_max_num_queries(16):
        client.get(reverse("scoring:dashboard"), {"year": 2012, "compare": "1"})


@pytest.mark.parametrize("compare", ["yes", "0", "", "1"])
def test_any_compare_value_is_safe(client, leo, two_years, compare):
    client.force_login(leo)
    assert client.get(reverse("scoring:dashboard"), {"year": 2012, "compare": compare}).status_code == 200


def test_the_bulletin_workbook_has_last_years_score_beside_this_years(client, leo, two_years):
    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_xlsx"), {"year": 2012})
    sheet = load_workbook(BytesIO(response.content))["县区"]
    header = [c.value for c in sheet[2]]
    assert header[-3:] == ["得分", "2011年得分", "得分增减"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["汉滨区"][-3:] == (3, 4, -1)
    assert rows["汉阴县"][-3:] == (4, 0, 4)


@pytest.mark.parametrize(("old_rank", "new_rank", "arrow"), [(3, 1, "↑2"), (1, 4, "↓3"), (2, 2, "—")])
def test_a_rank_change_reads_as_an_arrow(old_rank, new_rank, arrow):
    change = Change(previous_score=Decimal(4), previous_rank=old_rank, score_change=Decimal("0.1"),
                    rank_change=old_rank - new_rank)
    assert change.arrow == arrow and change.score_text == "+0.1"
