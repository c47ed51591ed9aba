"""Pure tests of the 4-point assessment rules (DOMAIN.md §5, §6: D1–D5). No database."""

from collections import deque
from decimal import Decimal
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.rules import (
    KIND_LABELS,
    KINDS,
    LEVEL_LABELS,
    LEVEL_RANK,
    LEVELS,
    POLICY_2011,
    TOPIC_LABELS,
    TOPICS,
    Cell,
    LineSpec,
    OverlappingLinesError,
    Policy,
    Scope,
    assess,
    competition_ranks,
    display_score,
    is_bonus_eligible,
    nest_lines,
    score_for,
    shortfalls,
)

# --- The 2011 default lines of DOMAIN §5 -------------------------------------------------------

NEWS_KINDS = frozenset({"news", "info", "feature"})

DEFAULT_LINES = {
    # code: (label, scope)
    "L_MUN_UP": ("市级及以上媒体新闻稿件", Scope("municipal", "national", NEWS_KINDS)),
    "L_MUN": ("市级媒体(含局网站)稿件", Scope("municipal", "municipal", NEWS_KINDS)),
    "L_SC": ("其中：双创报道", Scope("municipal", "municipal", NEWS_KINDS, "shuangchuang")),
    "L_JJ": ("其中：纪检监察信息", Scope("municipal", "municipal", NEWS_KINDS, "discipline")),
    "L_PROV_UP": (
        "省级及以上媒体稿件(含会议经验交流材料)",
        Scope("provincial", "national", NEWS_KINDS | {"experience"}),
    ),
    "L_RES": ("专题调研文章", Scope("internal", "national", frozenset({"research"}))),
}

DEFAULT_COUNTS = {
    "county": {"L_MUN_UP": 40, "L_RES": 4},
    "affiliated": {"L_MUN_UP": 15, "L_MUN": 10, "L_SC": 2, "L_JJ": 2, "L_RES": 1},
    "section": {"L_MUN": 5, "L_PROV_UP": 2, "L_RES": 1},
}


def default_lines(unit_kind: str) -> list[LineSpec]:
    counts = DEFAULT_COUNTS[unit_kind]
    return [
        LineSpec(code=code, label=label, count=counts[code], scope=scope)
        for code, (label, scope) in DEFAULT_LINES.items()
        if code in counts
    ]


# Cells named after the outlets of DOMAIN §3 that publish them.
PEOPLES_DAILY_NEWS = Cell("national", "news", "", True)  # 人民日报
SHAANXI_DAILY_NEWS = Cell("provincial", "news", "", True)  # 陕西日报
HUASHANG_NEWS = Cell("provincial", "news", "", False)  # 华商报
ANKANG_DAILY_NEWS = Cell("municipal", "news", "", True)  # 安康日报
ANKANG_DAILY_SC_NEWS = Cell("municipal", "news", "shuangchuang", True)
ANKANG_DAILY_EXPERIENCE = Cell("municipal", "experience", "", True)
BUREAU_SITE_NEWS = Cell("municipal", "news", "", False)  # 局网站
BUREAU_SITE_SC_NEWS = Cell("municipal", "news", "shuangchuang", False)
DISCIPLINE_SITE_NEWS = Cell("municipal", "news", "discipline", False)  # 安康市纪委网站
INTERNAL_RESEARCH = Cell("internal", "research", "", False)  # 内部报送


def line_result(assessment, code):
    return next(line for line in assessment.lines if line.code == code)


# --- Every worked example of DOMAIN §6 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_kind", "counts", "missing", "bonus", "score"),
    [
        pytest.param(
            "county",
            {SHAANXI_DAILY_NEWS: 3, ANKANG_DAILY_NEWS: 10, BUREAU_SITE_NEWS: 28, INTERNAL_RESEARCH: 4},
            0, 1, "4.1",
            id="county-41-news-one-surplus",
        ),
        pytest.param(
            "affiliated",
            {
                BUREAU_SITE_SC_NEWS: 2,
                DISCIPLINE_SITE_NEWS: 1,
                BUREAU_SITE_NEWS: 6,
                HUASHANG_NEWS: 5,
            },
            2, 0, "3.8",
            id="affiliated-14-news-discipline-and-research-short",
        ),
        pytest.param(
            "section",
            {BUREAU_SITE_NEWS: 9, INTERNAL_RESEARCH: 1},
            2, 0, "3.8",
            id="section-no-provincial",
        ),
        pytest.param(
            "county",
            {ANKANG_DAILY_NEWS: 25, BUREAU_SITE_NEWS: 35, INTERNAL_RESEARCH: 4},
            0, 20, "5.2",
            id="county-60-news-bonus-capped",
        ),
        pytest.param("county", {}, 44, 0, "0", id="county-nothing"),
    ],
)
def test_worked_examples_of_the_notice(unit_kind, counts, missing, bonus, score):
    result = assess(lines=default_lines(unit_kind), counts=counts)

    assert result.missing == missing
    assert result.bonus_articles == bonus
    assert result.score == Decimal(score)
    assert display_score(result.score) == Decimal(score)


def test_affiliated_example_deficits_follow_the_nesting():
    counts = {BUREAU_SITE_SC_NEWS: 2, DISCIPLINE_SITE_NEWS: 1, BUREAU_SITE_NEWS: 6, HUASHANG_NEWS: 5}

    result = assess(lines=default_lines("affiliated"), counts=counts)

    assert [(r.code, r.have, r.deficit, r.parent) for r in result.lines] == [
        ("L_MUN_UP", 14, 1, None),
        ("L_MUN", 9, 1, "L_MUN_UP"),
        ("L_SC", 2, 0, "L_MUN"),
        ("L_JJ", 1, 1, "L_MUN"),
        ("L_RES", 0, 1, None),
    ]


def test_county_example_takes_the_surplus_from_the_news_line():
    counts = {SHAANXI_DAILY_NEWS: 3, ANKANG_DAILY_NEWS: 10, BUREAU_SITE_NEWS: 28, INTERNAL_RESEARCH: 4}

    result = assess(lines=default_lines("county"), counts=counts)

    assert line_result(result, "L_MUN_UP").surplus_used == 1
    assert line_result(result, "L_RES").surplus_used == 0
    assert result.bonus_points == Decimal("0.1")


def test_capped_bonus_reports_the_points_after_the_cap():
    counts = {ANKANG_DAILY_NEWS: 25, BUREAU_SITE_NEWS: 35, INTERNAL_RESEARCH: 4}

    result = assess(lines=default_lines("county"), counts=counts)

    assert result.bonus_points == Decimal("1.2")


# --- Counting (D2), deficits (D3) and bonus (D4) -----------------------------------------------


def test_a_publication_counts_in_every_line_that_holds_it():
    result = assess(lines=default_lines("affiliated"), counts={ANKANG_DAILY_SC_NEWS: 1})

    assert [line_result(result, code).have for code in ("L_MUN_UP", "L_MUN", "L_SC", "L_JJ")] == [1, 1, 1, 0]


def test_section_provincial_articles_do_not_fill_the_municipal_line():
    counts = {SHAANXI_DAILY_NEWS: 10, INTERNAL_RESEARCH: 1}

    result = assess(lines=default_lines("section"), counts=counts)

    assert line_result(result, "L_MUN").deficit == 5
    assert result.missing == 5


def test_bonus_needs_every_line_complete():
    # 49 安康日报 articles, 9 over the news quota, but one research article short.
    counts = {ANKANG_DAILY_NEWS: 49, INTERNAL_RESEARCH: 3}

    result = assess(lines=default_lines("county"), counts=counts)

    assert result.missing == 1
    assert result.bonus_articles == 0
    assert result.bonus_points == 0
    assert result.score == Decimal("3.9")


def test_only_party_papers_and_tv_earn_bonus():
    counts = {BUREAU_SITE_NEWS: 45, INTERNAL_RESEARCH: 4}

    result = assess(lines=default_lines("county"), counts=counts)

    assert result.missing == 0
    assert result.bonus_articles == 0
    assert result.score == Decimal("4")


def test_bonus_counts_eligible_publications_outside_every_line():
    # 会议经验交流材料 in 安康日报 is outside every line of a section (L_MUN is news only).
    counts = {BUREAU_SITE_NEWS: 5, HUASHANG_NEWS: 2, INTERNAL_RESEARCH: 1, ANKANG_DAILY_EXPERIENCE: 3}

    result = assess(lines=default_lines("section"), counts=counts)

    assert result.bonus_articles == 3
    assert result.score == Decimal("4.3")


def test_surplus_in_a_child_line_is_no_bonus_while_its_parent_is_exactly_full():
    counts = {
        ANKANG_DAILY_SC_NEWS: 4,  # 2 over L_SC, but L_MUN needs every one of them
        DISCIPLINE_SITE_NEWS: 2,
        BUREAU_SITE_NEWS: 4,
        PEOPLES_DAILY_NEWS: 5,
        INTERNAL_RESEARCH: 1,
    }

    result = assess(lines=default_lines("affiliated"), counts=counts)

    assert result.missing == 0
    assert [line.surplus_used for line in result.lines] == [0, 0, 0, 0, 0]
    assert result.bonus_articles == 0


def test_surplus_flows_up_from_a_child_line_when_every_ancestor_has_room():
    counts = {
        ANKANG_DAILY_SC_NEWS: 4,
        DISCIPLINE_SITE_NEWS: 2,
        BUREAU_SITE_NEWS: 6,
        HUASHANG_NEWS: 5,
        INTERNAL_RESEARCH: 1,
    }

    result = assess(lines=default_lines("affiliated"), counts=counts)

    assert [line_result(result, code).surplus_used for code in ("L_SC", "L_MUN", "L_MUN_UP")] == [2, 2, 2]
    assert result.bonus_articles == 2


def test_identical_scopes_need_only_the_larger_count():
    scope = Scope("municipal", "national", NEWS_KINDS)
    lines = [LineSpec("A", "甲", 3, scope), LineSpec("B", "乙", 5, scope)]

    result = assess(lines=lines, counts={ANKANG_DAILY_NEWS: 1})

    assert result.missing == 4


def test_results_keep_the_order_of_the_lines_given():
    lines = list(reversed(default_lines("affiliated")))

    result = assess(lines=lines, counts={})

    assert [r.code for r in result.lines] == [line.code for line in lines]


def test_negative_counts_are_rejected():
    with pytest.raises(ValueError, match="不能为负数"):
        assess(lines=default_lines("county"), counts={ANKANG_DAILY_NEWS: -1})


def test_another_years_policy_changes_the_score():
    policy = Policy(base=Decimal("10"), bonus_per_article=Decimal("0.5"), bonus_cap_ratio=Decimal("0.2"))
    counts = {ANKANG_DAILY_NEWS: 45, INTERNAL_RESEARCH: 4}

    result = assess(lines=default_lines("county"), counts=counts, policy=policy)

    assert result.bonus_articles == 5
    assert result.bonus_points == Decimal("2")  # 2.5 capped at 20% of 10
    assert result.score == Decimal("12")


# --- Score (D5) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "bonus", "score"),
    [
        (0, 0, "4"),
        (3, 0, "3.7"),
        (0, 12, "5.2"),
        (0, 13, "5.2"),
        (40, 0, "0"),
        (41, 0, "0"),
        (2, 10, "3.8"),  # D4: no bonus while anything is missing
    ],
)
def test_score_for_follows_the_notice(missing, bonus, score):
    assert score_for(missing=missing, bonus_articles=bonus, policy=POLICY_2011) == Decimal(score)


def test_score_is_exact_decimal():
    score = score_for(missing=3, bonus_articles=0, policy=POLICY_2011)

    assert isinstance(score, Decimal)
    assert str(score) == "3.7"


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (Decimal("4.1"), "4.1"),
        (Decimal("5.2"), "5.2"),
        (Decimal("3.85"), "3.85"),
        (Decimal("4"), "4"),
        (Decimal("4.00"), "4"),
        (Decimal("4.10"), "4.1"),
        (Decimal("3.855"), "3.86"),
        (Decimal("3.854"), "3.85"),
        (Decimal("10.00"), "10"),
        (Decimal("0.0"), "0"),
    ],
)
def test_display_score_shows_up_to_two_decimals(score, shown):
    assert str(display_score(score)) == shown


def test_policy_refuses_floats_and_negative_values():
    with pytest.raises(TypeError):
        Policy(base=4.0)
    with pytest.raises(ValueError, match="不能为负数"):
        Policy(penalty_per_article=Decimal("-0.1"))


# --- Cells and bonus eligibility (DOMAIN §3) ---------------------------------------------------


@pytest.mark.parametrize(
    ("level", "outlet_class", "eligible"),
    [
        ("municipal", "party_paper", True),  # 安康日报
        ("national", "tv", True),  # 中央电视台
        ("provincial", "party_periodical", False),  # 当代陕西
        ("municipal", "website", False),  # 局网站
        ("county", "party_paper", False),
    ],
)
def test_bonus_eligibility_is_party_papers_and_tv_from_municipal_up(level, outlet_class, eligible):
    assert is_bonus_eligible(level=level, outlet_class=outlet_class) is eligible


def test_a_county_cell_cannot_be_bonus_eligible():
    with pytest.raises(ValueError, match="市级及以上"):
        Cell("county", "news", "", True)


# --- Scopes and nesting (D1) -------------------------------------------------------------------


def test_level_bounds_are_inclusive():
    scope = Scope("county", "provincial", NEWS_KINDS)

    assert scope.holds(level="county", kind="news", topic="")
    assert scope.holds(level="provincial", kind="news", topic="")
    assert not scope.holds(level="internal", kind="news", topic="")
    assert not scope.holds(level="national", kind="news", topic="")


def test_a_scope_without_topic_holds_every_topic():
    scope = Scope("municipal", "municipal", NEWS_KINDS)

    assert all(scope.holds(level="municipal", kind="info", topic=t) for t in ("", *TOPICS))
    assert not scope.holds(level="municipal", kind="research", topic="")


def test_a_topic_scope_holds_only_its_topic():
    scope = DEFAULT_LINES["L_SC"][1]

    assert scope.holds(level="municipal", kind="news", topic="shuangchuang")
    assert not scope.holds(level="municipal", kind="news", topic="")
    assert not scope.holds(level="municipal", kind="news", topic="discipline")


def test_a_scope_without_topic_contains_the_same_scope_with_topic():
    any_topic = Scope("municipal", "municipal", NEWS_KINDS)
    shuangchuang = Scope("municipal", "municipal", NEWS_KINDS, "shuangchuang")

    assert any_topic.contains(shuangchuang)
    assert not shuangchuang.contains(any_topic)
    assert any_topic.contains(any_topic)
    assert not any_topic.is_disjoint(shuangchuang)


def test_different_topics_are_disjoint():
    shuangchuang = Scope("municipal", "national", NEWS_KINDS, "shuangchuang")
    discipline = Scope("municipal", "municipal", NEWS_KINDS, "discipline")

    assert shuangchuang.is_disjoint(discipline)
    assert not shuangchuang.contains(discipline)


def test_adjacent_level_ranges_are_disjoint():
    low = Scope("internal", "county", NEWS_KINDS)
    high = Scope("municipal", "national", NEWS_KINDS)

    assert low.is_disjoint(high)
    assert high.is_disjoint(low)
    assert not Scope("internal", "municipal", NEWS_KINDS).is_disjoint(high)


def test_disjoint_kinds_make_disjoint_scopes():
    assert DEFAULT_LINES["L_MUN_UP"][1].is_disjoint(DEFAULT_LINES["L_RES"][1])


@pytest.mark.parametrize(
    ("code", "description"),
    [
        ("L_MUN_UP", "市级及以上；新闻、信息、专题"),
        ("L_MUN", "市级；新闻、信息、专题"),
        ("L_SC", "市级；新闻、信息、专题；双创专项"),
        ("L_PROV_UP", "省级及以上；新闻、信息、专题、会议经验交流材料"),
        ("L_RES", "不限级别(含内部)；调研文章"),
    ],
)
def test_scope_describes_itself_in_chinese(code, description):
    assert DEFAULT_LINES[code][1].describe() == description


def test_scope_rejects_an_inverted_level_range():
    with pytest.raises(ValueError, match="级别范围有误"):
        Scope("provincial", "municipal", NEWS_KINDS)


def test_scope_rejects_unknown_codes_and_empty_kinds():
    with pytest.raises(ValueError):
        Scope("city", "national", NEWS_KINDS)
    with pytest.raises(ValueError):
        Scope("municipal", "national", frozenset({"poem"}))
    with pytest.raises(ValueError):
        Scope("municipal", "national", NEWS_KINDS, "sports")
    with pytest.raises(ValueError):
        Scope("municipal", "national", frozenset())


def test_scope_accepts_any_iterable_of_kinds():
    assert Scope("municipal", "national", ["news", "info"]).kinds == frozenset({"news", "info"})


def test_affiliated_topic_lines_nest_in_municipal_which_nests_in_municipal_up():
    assert nest_lines(default_lines("affiliated")) == {
        "L_MUN_UP": None,
        "L_MUN": "L_MUN_UP",
        "L_SC": "L_MUN",
        "L_JJ": "L_MUN",
        "L_RES": None,
    }


def test_section_provincial_and_municipal_lines_are_disjoint_roots():
    assert nest_lines(default_lines("section")) == {"L_MUN": None, "L_PROV_UP": None, "L_RES": None}


def test_the_parent_is_the_smallest_containing_line_whatever_the_order():
    lines = list(reversed(default_lines("affiliated")))

    assert nest_lines(lines)["L_SC"] == "L_MUN"
    assert nest_lines(lines)["L_MUN"] == "L_MUN_UP"


def test_identical_scopes_nest_in_the_order_given():
    scope = Scope("municipal", "national", NEWS_KINDS)
    first, second = LineSpec("A", "甲", 3, scope), LineSpec("B", "乙", 5, scope)

    assert nest_lines([first, second]) == {"A": None, "B": "A"}
    assert nest_lines([second, first]) == {"B": None, "A": "B"}


@pytest.mark.parametrize(
    ("first_scope", "second_scope"),
    [
        (Scope("county", "municipal", NEWS_KINDS), Scope("municipal", "provincial", NEWS_KINDS)),
        (
            Scope("municipal", "municipal", frozenset({"news", "info"}), "shuangchuang"),
            Scope("municipal", "municipal", frozenset({"news", "feature"})),
        ),
    ],
)
def test_overlapping_lines_are_rejected_naming_both(first_scope, second_scope):
    first = LineSpec("A", "县市级新闻", 1, first_scope)
    second = LineSpec("B", "市省级新闻", 1, second_scope)

    with pytest.raises(OverlappingLinesError) as error:
        nest_lines([first, second])

    assert error.value.first == first
    assert error.value.second == second
    assert "「县市级新闻」" in str(error.value)
    assert "「市省级新闻」" in str(error.value)
    assert isinstance(error.value, ValueError)


def test_assess_rejects_overlapping_lines():
    lines = [
        LineSpec("A", "甲", 1, Scope("county", "municipal", NEWS_KINDS)),
        LineSpec("B", "乙", 1, Scope("municipal", "provincial", NEWS_KINDS)),
    ]

    with pytest.raises(OverlappingLinesError):
        assess(lines=lines, counts={})


def test_duplicate_line_codes_are_rejected():
    scope = Scope("municipal", "national", NEWS_KINDS)

    with pytest.raises(ValueError, match="重复"):
        nest_lines([LineSpec("A", "甲", 1, scope), LineSpec("A", "乙", 2, scope)])


def test_labels_cover_every_code():
    assert set(LEVEL_LABELS) == set(LEVELS)
    assert set(KIND_LABELS) == set(KINDS)
    assert set(TOPIC_LABELS) == set(TOPICS)
    assert [LEVEL_RANK[level] for level in LEVELS] == sorted(LEVEL_RANK.values())


# --- Properties on small random laminar line sets ----------------------------------------------

# A few kinds and every level keep nesting frequent and brute force cheap.
SMALL_KINDS = ("news", "info", "research")
CELL_KINDS = (*SMALL_KINDS, "experience")  # "experience" falls outside every random line
ALL_TOPICS = ("", *TOPICS)
UNIVERSE = list(product(LEVELS, KINDS, ALL_TOPICS))


@st.composite
def scopes(draw, kinds=SMALL_KINDS):
    low, high = sorted(draw(st.lists(st.sampled_from(LEVELS), min_size=2, max_size=2)), key=LEVEL_RANK.get)
    chosen = draw(st.frozensets(st.sampled_from(kinds), min_size=1))
    return Scope(low, high, chosen, draw(st.sampled_from(ALL_TOPICS)))


def laminar(scope_list):
    """Keep each scope that is nested in or disjoint from every scope kept before it."""
    kept = []
    for scope in scope_list:
        if all(s.contains(scope) or scope.contains(s) or s.is_disjoint(scope) for s in kept):
            kept.append(scope)
    return kept


@st.composite
def cells(draw):
    level = draw(st.sampled_from(LEVELS))
    eligible = LEVEL_RANK[level] >= LEVEL_RANK["municipal"] and draw(st.booleans())
    return Cell(level, draw(st.sampled_from(CELL_KINDS)), draw(st.sampled_from(ALL_TOPICS)), eligible)


cell_counts = st.dictionaries(cells(), st.integers(0, 2), max_size=5)


@st.composite
def narrowed(draw, scope):
    """A scope inside the given one, so that random line sets nest more than by chance."""
    low = draw(st.integers(LEVEL_RANK[scope.level_min], LEVEL_RANK[scope.level_max]))
    high = draw(st.integers(low, LEVEL_RANK[scope.level_max]))
    chosen = draw(st.frozensets(st.sampled_from(sorted(scope.kinds)), min_size=1))
    return Scope(LEVELS[low], LEVELS[high], chosen, scope.topic or draw(st.sampled_from(ALL_TOPICS)))


@st.composite
def line_sets(draw, max_count=3):
    drawn = [draw(scopes())]
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            drawn.append(draw(narrowed(draw(st.sampled_from(drawn)))))
        else:
            drawn.append(draw(scopes()))
    kept = laminar(drawn)
    return [
        LineSpec(f"L{i}", f"任务{i}", draw(st.integers(0, max_count)), scope) for i, scope in enumerate(kept)
    ]


@st.composite
def complete_cases(draw):
    """Lines whose counts are all met, so that the bonus is in play."""
    counts = draw(cell_counts)
    lines = draw(line_sets())
    met = [
        LineSpec(line.code, line.label, draw(st.integers(0, have_of(line, counts))), line.scope)
        for line in lines
    ]
    return met, counts


policies = st.builds(
    Policy,
    base=st.sampled_from([Decimal("4"), Decimal("10"), Decimal("2.5")]),
    bonus_per_article=st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.25")]),
    bonus_cap_ratio=st.sampled_from([Decimal("0"), Decimal("0.3"), Decimal("1")]),
    penalty_per_article=st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.5")]),
    floor=st.sampled_from([Decimal("0"), Decimal("1")]),
)


def holds(scope, cell):
    return scope.holds(level=cell.level, kind=cell.kind, topic=cell.topic)


def have_of(line, counts):
    return sum(n for cell, n in counts.items() if holds(line.scope, cell))


def brute_force_missing(lines, counts):
    """Fewest single publications to add, into cells the lines hold, until every line is complete."""
    needs = tuple(max(line.count - have_of(line, counts), 0) for line in lines)
    signatures = {
        frozenset(i for i, line in enumerate(lines) if line.scope.holds(level=lv, kind=k, topic=t))
        for lv, k, t in UNIVERSE
    } - {frozenset()}
    distance = {needs: 0}
    queue = deque([needs])
    while queue:
        state = queue.popleft()
        if not any(state):
            return distance[state]
        for signature in signatures:
            nxt = tuple(max(n - 1, 0) if i in signature else n for i, n in enumerate(state))
            if nxt not in distance:
                distance[nxt] = distance[state] + 1
                queue.append(nxt)
    raise AssertionError("unreachable: every line scope holds some cell")


def brute_force_bonus(lines, counts):
    """Largest set of eligible publications whose removal leaves every line complete."""
    if any(have_of(line, counts) < line.count for line in lines):
        return 0
    eligible = [cell for cell, n in counts.items() if cell.bonus_eligible for _ in range(n)]
    for size in range(len(eligible), 0, -1):
        for removed in combinations(eligible, size):
            if all(
                have_of(line, counts) - sum(holds(line.scope, cell) for cell in removed) >= line.count
                for line in lines
            ):
                return size
    return 0


@settings(max_examples=200, deadline=None)
@given(first=scopes(kinds=KINDS), second=scopes(kinds=KINDS))
def test_scope_relations_agree_with_the_sets_of_cells_they_hold(first, second):
    def held(scope):
        return {(lv, k, t) for lv, k, t in UNIVERSE if scope.holds(level=lv, kind=k, topic=t)}

    assert first.contains(second) == (held(second) <= held(first))
    assert first.is_disjoint(second) == (not held(first) & held(second))


@settings(max_examples=200, deadline=None)
@given(lines=line_sets())
def test_every_parent_contains_its_child(lines):
    parents = nest_lines(lines)
    by_code = {line.code: line for line in lines}

    for code, parent in parents.items():
        if parent is not None:
            assert by_code[parent].scope.contains(by_code[code].scope)


@settings(max_examples=200, deadline=None)
@given(lines=line_sets(), counts=cell_counts, policy=policies)
def test_score_stays_between_floor_and_capped_maximum(lines, counts, policy):
    score = assess(lines=lines, counts=counts, policy=policy).score

    assert policy.floor <= score <= max(policy.floor, policy.base * (1 + policy.bonus_cap_ratio))


@settings(max_examples=200, deadline=None)
@given(lines=line_sets(), counts=cell_counts, extra=cells(), policy=policies)
def test_one_more_approved_publication_never_lowers_the_score(lines, counts, extra, policy):
    more = dict(counts)
    more[extra] = more.get(extra, 0) + 1

    before = assess(lines=lines, counts=counts, policy=policy)
    after = assess(lines=lines, counts=more, policy=policy)

    assert after.score >= before.score
    assert after.missing <= before.missing


@settings(max_examples=200, deadline=None)
@given(lines=line_sets(), counts=cell_counts)
def test_bonus_is_zero_whenever_anything_is_missing(lines, counts):
    result = assess(lines=lines, counts=counts)

    if result.missing > 0:
        assert result.bonus_articles == 0
        assert result.bonus_points == 0
        assert all(line.surplus_used == 0 for line in result.lines)


@settings(max_examples=200, deadline=None)
@given(case=complete_cases())
def test_tree_bonus_equals_brute_force_over_removable_publications(case):
    lines, counts = case

    result = assess(lines=lines, counts=counts)

    assert result.missing == 0
    assert result.bonus_articles == brute_force_bonus(lines, counts)


@settings(max_examples=200, deadline=None)
@given(case=complete_cases())
def test_reported_surplus_is_a_feasible_choice_adding_up_to_the_bonus(case):
    lines, counts = case
    result = assess(lines=lines, counts=counts)
    by_code = {line.code: line for line in lines}
    outside = sum(
        n for cell, n in counts.items()
        if cell.bonus_eligible and not any(holds(line.scope, cell) for line in lines)
    )

    for line in result.lines:
        children = [child for child in result.lines if child.parent == line.code]
        own = line.surplus_used - sum(child.surplus_used for child in children)
        direct = sum(
            n for cell, n in counts.items()
            if cell.bonus_eligible
            and holds(by_code[line.code].scope, cell)
            and not any(holds(by_code[child.code].scope, cell) for child in children)
        )
        assert 0 <= own <= direct
        assert line.surplus_used <= line.have - line.count
    roots = sum(line.surplus_used for line in result.lines if line.parent is None)
    assert roots + outside == result.bonus_articles


@settings(max_examples=200, deadline=None)
@given(case=complete_cases())
def test_bonus_cells_name_removable_eligible_publications_adding_up_to_the_bonus(case):
    """D4 made concrete: the publications rules.assess names as the bonus can all be taken away at once and
    every line is still complete; they are eligible ones, and as many as the bonus articles."""
    lines, counts = case
    result = assess(lines=lines, counts=counts)

    assert sum(result.bonus_cells.values()) == result.bonus_articles
    assert all(cell.bonus_eligible and 0 < n <= counts[cell] for cell, n in result.bonus_cells.items())
    rest = {cell: n - result.bonus_cells.get(cell, 0) for cell, n in counts.items()}
    assert assess(lines=lines, counts=rest).missing == 0


@settings(max_examples=100, deadline=None)
@given(lines=line_sets(), counts=cell_counts)
def test_no_bonus_cells_while_anything_is_missing(lines, counts):
    result = assess(lines=lines, counts=counts)

    if result.missing:
        assert result.bonus_cells == {}


@settings(max_examples=200, deadline=None)
@given(lines=line_sets(), counts=cell_counts)
def test_bonus_equals_brute_force_also_when_lines_are_short(lines, counts):
    assert assess(lines=lines, counts=counts).bonus_articles == brute_force_bonus(lines, counts)


@settings(max_examples=200, deadline=None)
@given(lines=line_sets(), counts=cell_counts)
def test_missing_equals_the_fewest_articles_that_complete_every_line(lines, counts):
    assert assess(lines=lines, counts=counts).missing == brute_force_missing(lines, counts)


# --- Reading an assessment: shortfalls and ranks ---------------------------------------------------


def test_shortfalls_name_the_child_line_not_its_whole_chain():
    # The DOMAIN example: 14 news, 9 of them municipal (双创 2, 纪检监察 1), no research.
    counts = {SHAANXI_DAILY_NEWS: 5, ANKANG_DAILY_NEWS: 6, BUREAU_SITE_SC_NEWS: 2, DISCIPLINE_SITE_NEWS: 1}
    result = assess(lines=default_lines("affiliated"), counts=counts)
    assert [(line.code, n) for line, n in shortfalls(result.lines)] == [("L_JJ", 1), ("L_RES", 1)]


def test_a_parent_asks_only_for_what_its_children_do_not_cover():
    counts = {BUREAU_SITE_NEWS: 3, DISCIPLINE_SITE_NEWS: 1}
    result = assess(lines=default_lines("affiliated"), counts=counts)
    found = {line.code: n for line, n in shortfalls(result.lines)}
    # L_SC 2 + L_JJ 1 inside L_MUN (needs 6 more in all): 3 more of any municipal news beyond them.
    assert found["L_SC"] == 2 and found["L_JJ"] == 1 and found["L_MUN"] == 3
    assert found["L_MUN_UP"] == 15 - 4 - 6


@settings(max_examples=200, deadline=None)
@given(lines=line_sets(), counts=cell_counts)
def test_shortfalls_add_up_to_missing(lines, counts):
    result = assess(lines=lines, counts=counts)
    assert sum(n for _, n in shortfalls(result.lines)) == result.missing
    assert all(n > 0 for _, n in shortfalls(result.lines))


@pytest.mark.parametrize(("scores", "ranks"), [
    ([Decimal("4.1"), Decimal("3.8"), Decimal("5.2")], [2, 3, 1]),
    ([Decimal("3.8"), Decimal("3.8"), Decimal("4")], [2, 2, 1]),
    ([Decimal("3.8"), Decimal("3.80"), Decimal("3.7")], [1, 1, 3]),
    ([], []),
])
def test_equal_scores_share_a_rank_and_the_next_rank_skips(scores, ranks):
    assert competition_ranks(scores) == ranks
