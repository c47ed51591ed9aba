"""What each manuscript earns, through the database (DOMAIN.md §7, D6–D8) and the rewards command (§10)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from publicity.models import Outlet, Publication, Status
from rewards.models import RateSheet, RateTier
from rewards.services import rewards_for_year, rewards_json

pytestmark = pytest.mark.django_db
D = Decimal


def reprint(publication, outlet, published_on=datetime.date(2011, 6, 1), status=Status.APPROVED, **fields):
    """Another appearance of the same manuscript (一稿多投)."""
    if status == Status.REJECTED:
        fields.setdefault("reject_reason", "凭证缺失")
    return Publication.objects.create(manuscript=publication.manuscript, outlet=Outlet.objects.get(name=outlet),
                                      published_on=published_on, status=status, **fields)


def by_title(result):
    return {m.title: m for m in result.manuscripts}


@pytest.mark.parametrize(("outlet", "kind", "headline", "chars", "amount"), [
    ("人民日报", "news", True, 800, "5000"),
    ("人民日报", "news", True, 799, "500"),
    ("陕西日报", "news", True, 800, "1500"),
    ("陕西日报", "news", True, 799, "100"),
    ("安康日报", "news", True, 1000, "500"),
    ("安康日报", "news", True, 999, "20"),
    ("安康日报", "news", False, 3000, "20"),
    ("安康日报", "research", False, None, "100"),
    ("安康日报", "experience", False, None, "20"),  # no own rate: the news rate
    ("安康日报", "info", False, None, "20"),
    ("中央电视台", "feature", False, None, "2000"),
    ("双创简报", "research", False, None, "20"),  # "any"
    ("内部报送", "research", False, None, "0"),  # internal pays nothing
    ("安康广播电视报", "feature", False, None, "20"),
])
def test_it_pays_the_rate_of_the_notice(hanbin, make_publication, outlet, kind, headline, chars, amount):
    make_publication(hanbin, title="稿件", outlet=outlet, kind=kind, front_headline=headline, char_count=chars)
    (reward,) = rewards_for_year(year=2011).manuscripts
    assert reward.amount == D(amount)
    assert reward.outlet == outlet


def test_one_manuscript_in_three_outlets_earns_its_best_rate_once(hanbin, make_publication):
    first = make_publication(hanbin, title="一稿多投", outlet="安康日报", authors="张三")
    reprint(first, "陕西日报")
    reprint(first, "局网站", published_on=datetime.date(2011, 7, 1))
    (reward,) = rewards_for_year(year=2011).manuscripts
    assert (reward.amount, reward.outlet) == (D("100"), "陕西日报")
    assert [p.outlet.name for p in reward.publications] == ["陕西日报", "安康日报", "局网站"]


def test_only_approved_publications_earn(hanbin, make_publication):
    first = make_publication(hanbin, title="稿件", outlet="安康日报")
    reprint(first, "人民日报", status=Status.SUBMITTED)
    reprint(first, "陕西日报", published_on=datetime.date(2011, 8, 1), status=Status.REJECTED)
    make_publication(hanbin, title="草稿", outlet="人民日报", status=Status.DRAFT)
    result = rewards_for_year(year=2011)
    assert [(m.title, m.amount) for m in result.manuscripts] == [("稿件", D("20"))]


def test_a_higher_tier_reprint_next_year_pays_only_the_difference(hanbin, make_publication):
    first = make_publication(hanbin, title="补差", outlet="安康日报")
    reprint(first, "陕西日报", published_on=datetime.date(2012, 2, 1))
    assert by_title(rewards_for_year(year=2011))["补差"].amount == D("20")
    reward = by_title(rewards_for_year(year=2012))["补差"]
    assert (reward.amount, reward.outlet) == (D("80"), "陕西日报")


def test_a_lower_tier_reprint_next_year_appears_earning_nothing(hanbin, make_publication):
    first = make_publication(hanbin, title="再次刊发", outlet="陕西日报")
    reprint(first, "安康日报", published_on=datetime.date(2012, 2, 1))
    reward = by_title(rewards_for_year(year=2012))["再次刊发"]
    assert reward.amount == D("0")


def test_a_manuscript_only_published_the_year_before_is_not_listed(hanbin, make_publication):
    make_publication(hanbin, title="去年的稿件", published_on=datetime.date(2010, 12, 31))
    assert rewards_for_year(year=2011).manuscripts == ()


def test_authors_separated_by_any_separator_share_equally(hanbin, make_publication):
    make_publication(hanbin, title="百元稿件", outlet="中国劳动保障报", kind="research", authors="甲 乙;丙")
    shares = [(r.name, r.amount) for r in rewards_for_year(year=2011).manuscripts[0].recipients]
    assert shares == [("甲", D("100.00")), ("乙", D("100.00")), ("丙", D("100.00"))]


def test_100_yuan_among_three_authors_is_33_34_33_33_33_33(hanbin, make_publication):
    make_publication(hanbin, title="百元", outlet="陕西日报", authors="张三、李四、王五")
    (reward,) = rewards_for_year(year=2011).manuscripts
    assert [(r.name, r.amount) for r in reward.recipients] == [
        ("张三", D("33.34")), ("李四", D("33.33")), ("王五", D("33.33"))]


def test_a_manuscript_without_author_pays_the_unit(hanbin, make_publication):
    make_publication(hanbin, title="集体稿件", outlet="陕西日报", authors="")
    (reward,) = rewards_for_year(year=2011).manuscripts
    assert reward.collective
    assert [(r.name, r.amount) for r in reward.recipients] == [("汉滨区", D("100.00"))]


def test_an_outlet_added_to_a_tier_pays_that_tiers_rate(hanbin, make_publication):
    portal = Outlet.objects.create(name="网易", level="national", media_class="portal")
    RateTier.objects.get(sheet__issuer=None, sheet__year=2011, name="商业门户网站").outlets.add(portal)
    make_publication(hanbin, title="门户稿件", outlet="网易")
    assert rewards_for_year(year=2011).manuscripts[0].amount == D("50")


def test_a_units_own_sheet_pays_only_its_own_manuscripts(hanbin, hanyin, make_publication):
    sheet = RateSheet.objects.create(issuer=hanbin, year=2011)
    tier = RateTier.objects.create(sheet=sheet, name="县级媒体", rate_news=D("5"))
    tier.outlets.add(Outlet.objects.get(name="安康日报"))
    make_publication(hanbin, title="汉滨区稿件")
    make_publication(hanyin, title="汉阴县稿件")
    result = rewards_for_year(year=2011, sheet=RateSheet.objects.with_rates().get(pk=sheet.pk))
    assert [(m.title, m.amount) for m in result.manuscripts] == [("汉滨区稿件", D("5"))]


def test_a_later_year_without_its_own_sheet_uses_the_latest_bureau_sheet(hanbin, make_publication):
    make_publication(hanbin, title="2012年稿件", outlet="陕西日报", published_on=datetime.date(2012, 3, 1))
    result = rewards_for_year(year=2012)
    assert result.sheet.year == 2011
    assert result.total == D("100")


def test_up_to_leaves_out_later_publications_of_the_year(hanbin, make_publication):
    first = make_publication(hanbin, title="半年", outlet="安康日报", published_on=datetime.date(2011, 3, 1))
    reprint(first, "陕西日报", published_on=datetime.date(2011, 9, 1))
    assert rewards_for_year(year=2011, up_to=datetime.date(2011, 6, 30)).total == D("20")
    assert rewards_for_year(year=2011).total == D("100")


def make_many(unit, make_publication, n):
    for i in range(n):
        pub = make_publication(unit, title=f"稿件{i}", outlet="安康日报", authors="张三、李四")
        reprint(pub, "陕西日报")
        reprint(pub, "人民日报", published_on=datetime.date(2010, 5, 1))


@pytest.mark.parametrize("n", [2, 20])
def test_it_takes_a_bounded_number_of_queries(hanbin, make_publication, django_assert_max_num_queries, n):
    make_many(hanbin, make_publication, n)
    # the sheet (5), whether the year is closed (1), the publications (1)
    with django_assert_max_num_queries(7):
        result = rewards_for_year(year=2011)
    assert len(result.manuscripts) == n


# --- the command -----------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("rewards", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_json_of_domain_section_10(hanbin, hanyin, make_publication):
    make_publication(hanbin, title="百元", outlet="陕西日报", authors="张三、李四、王五")
    make_publication(hanyin, title="内部调研", outlet="内部报送", kind="research")
    data = json.loads(run("--year", "2011", "--format", "json"))
    assert data == {
        "year": 2011,
        "total": 100.0,
        "manuscripts": [
            {"unit": "汉滨区", "title": "百元", "outlet": "陕西日报", "amount": 100.0,
             "recipients": [{"name": "张三", "amount": 33.34}, {"name": "李四", "amount": 33.33},
                            {"name": "王五", "amount": 33.33}]},
            {"unit": "汉阴县", "title": "内部调研", "outlet": "内部报送", "amount": 0.0,
             "recipients": [{"name": "汉阴县", "amount": 0.0}]},
        ],
    }
    assert isinstance(data["total"], float)


def test_the_json_pays_the_difference_in_the_reprint_year(hanbin, make_publication):
    first = make_publication(hanbin, title="补差", outlet="安康日报", authors="张三")
    reprint(first, "陕西日报", published_on=datetime.date(2012, 2, 1))
    data = json.loads(run("--year", "2012", "--format", "json"))
    assert data["total"] == 80.0
    assert data["manuscripts"][0]["recipients"] == [{"name": "张三", "amount": 80.0}]


def test_the_command_prints_a_table_with_the_total(hanbin, make_publication):
    make_publication(hanbin, title="表格稿件", outlet="陕西日报", authors="张三")
    text = run("--year", "2011", "--format", "table")
    assert "表格稿件" in text and "陕西日报" in text and "合计" in text and "100.00" in text


def test_the_command_writes_an_xlsx_with_chinese_headers(hanbin, make_publication, tmp_path):
    make_publication(hanbin, title="Excel稿件", outlet="陕西日报", authors="张三")
    path = tmp_path / "rewards.xlsx"
    call_command("rewards", "--year", "2011", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:5] == ("序号", "单位", "标题", "最高等次媒体", "奖励金额（元）")
    assert rows[2][2] == "Excel稿件" and rows[2][4] == 100


def test_rewards_json_has_json_numbers(hanbin, make_publication):
    make_publication(hanbin, title="数字", outlet="安康日报")
    data = rewards_json(rewards_for_year(year=2011))
    assert json.loads(json.dumps(data))["manuscripts"][0]["amount"] == 20.0
