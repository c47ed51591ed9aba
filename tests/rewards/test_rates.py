"""Reward rates (DOMAIN.md §7, D6–D8): matching, highest tier once, top-ups, author split."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.text import parse_authors
from rewards.rates import (
    BUREAU_2011,
    CATEGORIES,
    CATEGORY_LABELS,
    Best,
    HeadlineRule,
    Pub,
    RateSheet,
    Tier,
    best_rate,
    reward_for_year,
    split_among,
    unpaid,
)

D = Decimal

# Outlet levels from DOMAIN.md §3.
LEVEL = {
    **dict.fromkeys(
        "人民日报 中央电视台 中国组织人事报 中国劳动保障报 中国人才 人民网 新华网 人社部网站 国家公务员局网站"
        " 搜狐 腾讯 新浪".split(),
        "national",
    ),
    **dict.fromkeys(
        "陕西日报 当代陕西 陕西工作交流 华商报 三秦都市报 阳光报 陕西电视台 省人社厅简报 省公务员局简报"
        " 陕西城乡劳动就业 陕西省政府网站 陕西省人社厅网站 陕西省公务员局网站".split(),
        "provincial",
    ),
    **dict.fromkeys(
        "安康日报 安康经济 安康电视台 安康广播电台 安康广播电视报 市委简报 市政府简报 双创简报 绿化简报"
        " 防汛救灾简报 安康市政府网站 安康市纪委网站 安康市双创办网站 局网站".split(),
        "municipal",
    ),
}

# DOMAIN.md §7's rate table, one entry per row: outlets, then (kind, front_headline, chars, yuan) cases.
RATE_TABLE = [
    (["人民日报"], [("news", True, 800, 5000)]),
    (["陕西日报"], [("news", True, 800, 1500)]),
    (["安康日报"], [("news", True, 1000, 500)]),
    (
        ["人民日报"],
        [("news", False, 3000, 500), ("research", False, None, 500), ("feature", False, None, 500)],
    ),
    (["中央电视台"], [("feature", False, None, 2000), ("news", False, None, 2000)]),
    (
        ["陕西日报", "当代陕西", "陕西工作交流", "安康经济", "华商报"],
        [("research", False, None, 200), ("news", False, None, 100)],
    ),
    (["陕西电视台"], [("feature", False, None, 300), ("news", False, None, 200)]),
    (["市委简报", "市政府简报"], [("info", False, None, 50), ("news", False, None, 50)]),
    (["安康日报"], [("research", False, None, 100), ("news", False, None, 20)]),
    (["安康电视台"], [("feature", False, None, 100), ("news", False, None, 20)]),
    (["安康广播电台"], [("news", False, None, 20)]),
    (
        ["双创简报", "绿化简报", "防汛救灾简报"],
        [("news", False, None, 20), ("research", False, None, 20), ("experience", False, None, 20)],
    ),
    (
        ["中国组织人事报", "中国劳动保障报", "中国人才"],
        [("research", False, None, 300), ("news", False, None, 200)],
    ),
    (["省人社厅简报", "省公务员局简报", "陕西城乡劳动就业"], [("news", False, None, 30)]),
    (["人民网", "新华网", "人社部网站", "国家公务员局网站", "陕西省政府网站"], [("news", False, None, 100)]),
    (["陕西省人社厅网站", "陕西省公务员局网站"], [("news", False, None, 30)]),
    (["安康市政府网站", "安康市纪委网站", "安康市双创办网站", "局网站"], [("news", False, None, 10)]),
    (["三秦都市报", "阳光报"], [("news", False, None, 50)]),
    (["搜狐", "腾讯", "新浪"], [("news", False, None, 50)]),
    (["安康广播电视报"], [("news", False, None, 20)]),
]

RATE_ROWS = [
    pytest.param(outlet, kind, headline, chars, D(yuan), id=f"{outlet}-{kind}{'-头版头条' * headline}")
    for outlets, cases in RATE_TABLE
    for outlet in outlets
    for kind, headline, chars, yuan in cases
]


def rate(outlet, kind="news", *, headline=False, chars=None, level=None, sheet=BUREAU_2011):
    return sheet.rate_for(
        outlet=outlet,
        level=level or LEVEL.get(outlet, "municipal"),
        kind=kind,
        front_headline=headline,
        char_count=chars,
    )


def pub(outlet, year, kind="news", *, headline=False, chars=None):
    return Pub(
        outlet=outlet, level=LEVEL[outlet], kind=kind, front_headline=headline, char_count=chars, year=year
    )


# --- D6: matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(("outlet", "kind", "headline", "chars", "expected"), RATE_ROWS)
def test_bureau_2011_pays_the_rate_of_the_notice(outlet, kind, headline, chars, expected):
    assert rate(outlet, kind, headline=headline, chars=chars) == expected


def test_every_outlet_of_the_rate_table_is_in_exactly_one_tier():
    table_outlets = {outlet for outlets, _ in RATE_TABLE for outlet in outlets}
    sheet_outlets = [outlet for tier in BUREAU_2011.tiers for outlet in tier.outlets]
    assert sorted(sheet_outlets) == sorted(table_outlets)
    assert set(BUREAU_2011.headlines) == {"人民日报", "陕西日报", "安康日报"}


def test_categories_have_labels():
    assert set(CATEGORY_LABELS) == set(CATEGORIES)


@pytest.mark.parametrize(
    ("outlet", "chars", "expected"),
    [
        ("人民日报", 799, 500),
        ("人民日报", 800, 5000),
        ("陕西日报", 799, 100),
        ("陕西日报", 800, 1500),
        ("安康日报", 999, 20),
        ("安康日报", 1000, 500),
    ],
)
def test_headline_rate_needs_the_character_threshold(outlet, chars, expected):
    assert rate(outlet, headline=True, chars=chars) == D(expected)


def test_headline_below_threshold_gets_the_ordinary_rate():
    assert rate("陕西日报", "research", headline=True, chars=500) == D(200)


def test_headline_without_character_count_gets_the_ordinary_rate():
    assert rate("人民日报", headline=True, chars=None) == D(500)


def test_long_article_not_on_the_front_page_gets_the_ordinary_rate():
    assert rate("陕西日报", headline=False, chars=5000) == D(100)


def test_headline_at_outlet_without_headline_rule_gets_the_ordinary_rate():
    assert rate("华商报", headline=True, chars=5000) == D(100)


def test_info_counts_as_news():
    assert rate("陕西电视台", "info") == rate("陕西电视台", "news") == D(200)


@pytest.mark.parametrize(
    ("outlet", "kind", "expected"),
    [
        ("陕西日报", "experience", 100),
        ("安康电视台", "research", 20),
        ("安康日报", "feature", 20),
        ("中央电视台", "research", 2000),
        ("局网站", "experience", 10),
    ],
)
def test_kind_without_own_rate_falls_back_to_the_news_rate(outlet, kind, expected):
    assert rate(outlet, kind) == D(expected)


def test_internal_level_pays_nothing():
    assert rate("内部报送", "research", level="internal") == D(0)
    assert rate("安康日报", "research", level="internal") == D(0)


def test_unknown_outlet_pays_nothing():
    assert rate("汉滨区政府网站", "news", level="county") == D(0)


def test_tier_with_only_a_feature_rate_pays_nothing_for_news():
    sheet = RateSheet(tiers=(Tier("专题", frozenset({"某台"}), {"feature": D(50)}),), headlines={})
    assert rate("某台", "feature", sheet=sheet) == D(50)
    assert rate("某台", "news", sheet=sheet) == D(0)


def test_reviewer_can_add_an_outlet_to_a_tier():
    portals = next(t for t in BUREAU_2011.tiers if "搜狐" in t.outlets)
    wider = Tier(portals.name, portals.outlets | {"网易"}, portals.rates)
    sheet = RateSheet(tiers=(wider,), headlines={})
    assert rate("网易", level="national", sheet=sheet) == D(50)


def test_headline_never_lowers_the_ordinary_rate():
    sheet = RateSheet(
        tiers=(Tier("t", frozenset({"报"}), {"news": D(100)}),), headlines={"报": HeadlineRule(D(10), 1)}
    )
    assert rate("报", headline=True, chars=5, sheet=sheet) == D(100)


def test_rates_are_money_to_the_fen():
    assert str(rate("安康日报")) == "20.00"


def test_outlet_in_two_tiers_is_rejected():
    with pytest.raises(ValueError, match="two tiers"):
        RateSheet(
            tiers=(
                Tier("a", frozenset({"报"}), {"news": D(1)}),
                Tier("b", frozenset({"报"}), {"news": D(2)}),
            ),
            headlines={},
        )


def test_unknown_category_is_rejected():
    with pytest.raises(ValueError, match="category"):
        Tier("a", frozenset({"报"}), {"photo": D(1)})


@pytest.mark.parametrize(("kind", "level"), [("poem", "municipal"), ("news", "galactic")])
def test_unknown_kind_or_level_is_rejected(kind, level):
    with pytest.raises(ValueError):
        BUREAU_2011.rate_for(outlet="安康日报", level=level, kind=kind, front_headline=False, char_count=None)


# --- D7: highest tier once, top-ups across years ----------------------------------------------


def test_manuscript_in_three_outlets_earns_only_the_highest_once():
    pubs = [pub("安康日报", 2011), pub("陕西日报", 2011), pub("局网站", 2011)]
    assert best_rate(BUREAU_2011, pubs, up_to_year=2011) == Best(D(100), "陕西日报")
    assert reward_for_year(BUREAU_2011, pubs, year=2011) == Best(D(100), "陕西日报")


def test_higher_tier_reprint_next_year_pays_only_the_difference():
    pubs = [pub("安康日报", 2011), pub("陕西日报", 2012)]
    assert reward_for_year(BUREAU_2011, pubs, year=2011) == Best(D(20), "安康日报")
    assert reward_for_year(BUREAU_2011, pubs, year=2012) == Best(D(80), "陕西日报")


def test_lower_tier_reprint_later_pays_nothing():
    pubs = [pub("陕西日报", 2011), pub("安康日报", 2012)]
    assert reward_for_year(BUREAU_2011, pubs, year=2012) == Best(D(0), "陕西日报")


def test_headline_reprint_tops_up_to_the_headline_rate():
    pubs = [pub("安康日报", 2011), pub("安康日报", 2012, headline=True, chars=1200)]
    assert reward_for_year(BUREAU_2011, pubs, year=2012) == Best(D(480), "安康日报")


def test_publications_after_the_year_do_not_count():
    pubs = [pub("人民日报", 2012)]
    assert best_rate(BUREAU_2011, pubs, up_to_year=2011) == Best(D(0), None)
    assert reward_for_year(BUREAU_2011, pubs, year=2011) == Best(D(0), None)


def test_nothing_that_pays_gives_no_outlet():
    pubs = [Pub("内部报送", "internal", "research", False, None, 2011)]
    assert best_rate(BUREAU_2011, pubs, up_to_year=2011) == Best(D(0), None)
    assert best_rate(BUREAU_2011, [], up_to_year=2011) == Best(D(0), None)


def test_equal_rates_keep_the_earlier_publication():
    pubs = [pub("当代陕西", 2012), pub("陕西日报", 2011)]
    assert best_rate(BUREAU_2011, pubs, up_to_year=2012) == Best(D(100), "陕西日报")


def test_reward_for_year_accepts_a_one_shot_iterator():
    pubs = iter([pub("安康日报", 2011), pub("陕西日报", 2012)])
    assert reward_for_year(BUREAU_2011, pubs, year=2012).amount == D(80)


def test_later_batch_pays_only_what_earlier_batches_have_not():
    assert unpaid(D(100), D(20)) == D(80)
    assert unpaid(D(20), D(100)) == D(0)
    assert unpaid(D(20), D(0)) == D("20.00")


# --- D8: recipients ---------------------------------------------------------------------------


def test_three_authors_share_100_yuan_remainder_to_the_first():
    assert split_among(D(100), ["张三", "李四", "王五"], unit="汉滨区") == [
        ("张三", D("33.34")),
        ("李四", D("33.33")),
        ("王五", D("33.33")),
    ]


def test_two_authors_share_one_fen():
    shares = split_among(D("0.01"), ["张三", "李四"], unit="汉滨区")
    assert shares == [("张三", D("0.01")), ("李四", D("0.00"))]


def test_no_author_gives_it_all_to_the_unit():
    assert split_among(D(80), [], unit="汉阴县") == [("汉阴县", D("80.00"))]


def test_split_rejects_sub_fen_or_negative_amounts():
    with pytest.raises(ValueError):
        split_among(D("0.001"), ["张三"], unit="汉滨区")
    with pytest.raises(ValueError):
        split_among(D(-1), ["张三"], unit="汉滨区")


def test_parse_authors_with_mixed_separators():
    text = " 张三、李四，王五,赵六;钱七；孙八  周九\u3000吴十\t郑十一\n李四 "
    assert parse_authors(text) == ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一"]


@pytest.mark.parametrize("text", ["", "   ", "、，\u3000;"])
def test_parse_authors_of_nothing_is_empty(text):
    assert parse_authors(text) == []


# --- properties -------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
names = st.lists(st.text(alphabet="张李王赵钱孙", min_size=1, max_size=3), max_size=12)


@settings(max_examples=200, deadline=None)
@given(amount=amounts, authors=names)
def test_split_always_sums_exactly_and_shares_differ_by_at_most_the_remainder(amount, authors):
    shares = split_among(amount, authors, unit="集体")
    assert sum(a for _, a in shares) == amount
    assert [n for n, _ in shares] == (authors or ["集体"])
    values = [a for _, a in shares]
    assert all(v >= 0 and v == v.quantize(D("0.01")) for v in values)
    assert all(v == values[-1] for v in values[1:])
    assert D(0) <= values[0] - values[-1] < D("0.01") * len(values)


pubs_strategy = st.lists(
    st.builds(
        pub,
        outlet=st.sampled_from(sorted(LEVEL)),
        year=st.integers(min_value=2010, max_value=2014),
        kind=st.sampled_from(["news", "info", "feature", "experience", "research"]),
        headline=st.booleans(),
        chars=st.none() | st.integers(min_value=0, max_value=2000),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(pubs=pubs_strategy, last=st.integers(min_value=2010, max_value=2015))
def test_yearly_rewards_add_up_to_the_best_rate(pubs, last):
    total = sum(reward_for_year(BUREAU_2011, pubs, year=y).amount for y in range(2010, last + 1))
    assert total == best_rate(BUREAU_2011, pubs, up_to_year=last).amount
