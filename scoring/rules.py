"""The 4-point assessment of notice §5, as pure rules (DOMAIN.md §5, §6: D1–D5).

Nothing here touches the database: the service layer aggregates approved publications into
``Cell`` counts, builds ``LineSpec``s from a unit's quota lines and a ``Policy`` from the year's
settings, and calls ``assess``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# The notice's words (levels, kinds, topics) live in core.notice, below every app; the rules use them here.
from core.notice import KIND_LABELS, KINDS, LEVEL_LABELS, LEVEL_RANK, LEVELS, TOPIC_LABELS, TOPICS

# Notice §5 "市级以上党报和电视台": only these outlet classes, from this level up, earn bonus points. The one
# definition of bonus eligibility (DOMAIN §3): every query and page that needs it derives from these three names.
BONUS_OUTLET_CLASSES = frozenset({"party_paper", "tv"})
BONUS_MIN_LEVEL = "municipal"
BONUS_LEVELS = tuple(level for level in LEVELS if LEVEL_RANK[level] >= LEVEL_RANK[BONUS_MIN_LEVEL])

# --- 2011 policy (notice §5; DOMAIN §6). Editable per year, these are the defaults. -------------

BASE_POINTS_2011 = Decimal("4")  # 宣传工作占4分
BONUS_PER_ARTICLE_2011 = Decimal("0.1")  # 每超额1篇加0.1分
BONUS_CAP_RATIO_2011 = Decimal("0.3")  # 加分不超过基本分的30%
PENALTY_PER_ARTICLE_2011 = Decimal("0.1")  # 每少1篇扣0.1分
SCORE_FLOOR_2011 = Decimal("0")  # 扣完为止

DISPLAY_QUANTUM = Decimal("0.01")  # D5: shown with up to two decimals

# --- Error messages (shown to reviewers when quotas are saved or imported) --------------------

UNKNOWN_LEVEL_MESSAGE = "未知的媒体级别「{value}」，应为：{choices}。"
UNKNOWN_KIND_MESSAGE = "未知的稿件类型「{value}」，应为：{choices}。"
UNKNOWN_TOPIC_MESSAGE = "未知的专项类别「{value}」，应为：{choices}，或留空表示不限专项。"
LEVEL_RANGE_MESSAGE = "级别范围有误：最低级别「{low}」高于最高级别「{high}」。请交换两者。"
EMPTY_KINDS_MESSAGE = "统计范围至少要包含一种稿件类型。"
NEGATIVE_COUNT_MESSAGE = "任务项「{label}」的篇数不能为负数（当前为 {count}）。"
DUPLICATE_LINE_MESSAGE = "任务项编码「{code}」重复出现，每个单位的任务项编码必须唯一。"
NEGATIVE_CELL_COUNT_MESSAGE = "稿件篇数不能为负数（当前为 {count}）。"
INELIGIBLE_LEVEL_MESSAGE = "只有市级及以上媒体的稿件才能计入加分（当前级别：{level}）。"
NEGATIVE_POLICY_MESSAGE = "考核政策中的「{name}」不能为负数（当前为 {value}）。"
OVERLAPPING_LINES_MESSAGE = (
    "任务项「{first}」与「{second}」的统计范围部分重叠（既不包含也不相交），无法确定嵌套关系。"
    "请调整其中一项的级别、稿件类型或专项范围。"
)


def _check_level(level: str) -> None:
    if level not in LEVEL_RANK:
        raise ValueError(UNKNOWN_LEVEL_MESSAGE.format(value=level, choices="、".join(LEVELS)))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(UNKNOWN_KIND_MESSAGE.format(value=kind, choices="、".join(KINDS)))


def _check_topic(topic: str) -> None:
    if topic and topic not in TOPICS:
        raise ValueError(UNKNOWN_TOPIC_MESSAGE.format(value=topic, choices="、".join(TOPICS)))


def is_bonus_eligible(*, level: str, outlet_class: str) -> bool:
    """Notice §5 (DOMAIN §3): party papers and TV stations at municipal level or higher."""
    _check_level(level)
    return outlet_class in BONUS_OUTLET_CLASSES and LEVEL_RANK[level] >= LEVEL_RANK[BONUS_MIN_LEVEL]


# --- Scopes and quota lines (DOMAIN §5, D1) -----------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The publications a quota line counts: a level range, a set of kinds, optionally one topic.

    Seen as a set of (level, kind, topic) triples; validation guarantees it is never empty, so
    ``contains`` and ``is_disjoint`` are exact set relations.
    """

    level_min: str
    level_max: str
    kinds: frozenset[str]
    topic: str = ""  # "" = any topic; else the line counts only that special topic

    def __post_init__(self) -> None:
        _check_level(self.level_min)
        _check_level(self.level_max)
        if LEVEL_RANK[self.level_min] > LEVEL_RANK[self.level_max]:
            raise ValueError(LEVEL_RANGE_MESSAGE.format(
                low=LEVEL_LABELS[self.level_min], high=LEVEL_LABELS[self.level_max]))
        # Accept any iterable of kinds, but keep the dataclass hashable.
        object.__setattr__(self, "kinds", frozenset(self.kinds))
        if not self.kinds:
            raise ValueError(EMPTY_KINDS_MESSAGE)
        for kind in self.kinds:
            _check_kind(kind)
        _check_topic(self.topic)
        # Not a field (equality and hashing ignore it): the ranks, looked up once for the many holds() calls.
        object.__setattr__(self, "_ranks", (LEVEL_RANK[self.level_min], LEVEL_RANK[self.level_max]))

    def _level_range(self) -> tuple[int, int]:
        return self._ranks

    def holds(self, *, level: str, kind: str, topic: str) -> bool:
        low, high = self._ranks
        return (
            low <= LEVEL_RANK[level] <= high
            and kind in self.kinds
            and (not self.topic or topic == self.topic)
        )

    def contains(self, other: Scope) -> bool:
        """other ⊆ self."""
        low, high = self._level_range()
        other_low, other_high = other._level_range()
        return (
            low <= other_low
            and other_high <= high
            and other.kinds <= self.kinds
            # A line without a topic counts every topic; a topic line only its own.
            and (not self.topic or other.topic == self.topic)
        )

    def is_disjoint(self, other: Scope) -> bool:
        low, high = self._level_range()
        other_low, other_high = other._level_range()
        return (
            high < other_low
            or other_high < low
            or not (self.kinds & other.kinds)
            or bool(self.topic and other.topic and self.topic != other.topic)
        )

    def describe(self) -> str:
        """Short Chinese description, e.g. "市级及以上；新闻、信息、专题"."""
        low, high = self._level_range()
        top, bottom = len(LEVELS) - 1, 0
        if low == high:
            levels = LEVEL_LABELS[self.level_min]
        elif low == bottom and high == top:
            levels = "不限级别(含内部)"
        elif high == top:
            levels = f"{LEVEL_LABELS[self.level_min]}及以上"
        elif low == bottom:
            levels = f"{LEVEL_LABELS[self.level_max]}及以下"
        else:
            levels = f"{LEVEL_LABELS[self.level_min]}至{LEVEL_LABELS[self.level_max]}"
        parts = [levels, "、".join(KIND_LABELS[kind] for kind in KINDS if kind in self.kinds)]
        if self.topic:
            parts.append(f"{TOPIC_LABELS[self.topic]}专项")
        return "；".join(parts)


@dataclass(frozen=True)
class LineSpec:
    code: str
    label: str  # Chinese label
    count: int  # required number of articles
    scope: Scope

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(NEGATIVE_COUNT_MESSAGE.format(label=self.label, count=self.count))


class OverlappingLinesError(ValueError):
    """D1: a unit's lines must be nested or disjoint; partial overlap has no meaning."""

    def __init__(self, first: LineSpec, second: LineSpec) -> None:
        self.first = first
        self.second = second
        super().__init__(OVERLAPPING_LINES_MESSAGE.format(first=first.label, second=second.label))


def nest_lines(lines: Sequence[LineSpec]) -> dict[str, str | None]:
    """D1: map each line code to its parent code (the smallest containing line) or None for roots.

    Raises OverlappingLinesError when two lines are neither nested nor disjoint. Two lines with
    identical scopes: the one listed later is the child of the earlier one.
    """
    seen: set[str] = set()
    for line in lines:
        if line.code in seen:
            raise ValueError(DUPLICATE_LINE_MESSAGE.format(code=line.code))
        seen.add(line.code)

    for i, first in enumerate(lines):
        for second in lines[i + 1:]:
            if not (
                first.scope.contains(second.scope)
                or second.scope.contains(first.scope)
                or first.scope.is_disjoint(second.scope)
            ):
                raise OverlappingLinesError(first, second)

    def is_ancestor(i: int, j: int) -> bool:
        """Line i strictly encloses line j; equal scopes are ordered by position (D1)."""
        outer, inner = lines[i].scope, lines[j].scope
        if i == j or not outer.contains(inner):
            return False
        return not inner.contains(outer) or i < j

    # In a laminar family the ancestors of a line form a chain; the parent is the deepest of
    # them, i.e. the one with the most ancestors of its own.
    ancestors = [[i for i in range(len(lines)) if is_ancestor(i, j)] for j in range(len(lines))]
    parents: dict[str, str | None] = {}
    for j, line in enumerate(lines):
        if ancestors[j]:
            parent = max(ancestors[j], key=lambda i: len(ancestors[i]))
            parents[line.code] = lines[parent].code
        else:
            parents[line.code] = None
    return parents


# --- Assessment (DOMAIN §6, D2–D5) --------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One group of approved publications of a unit in a year."""

    level: str
    kind: str
    topic: str  # "" or a TOPICS code
    bonus_eligible: bool  # outlet class party_paper or tv at level >= municipal (DOMAIN §3)

    def __post_init__(self) -> None:
        _check_level(self.level)
        _check_kind(self.kind)
        _check_topic(self.topic)
        # Notice §5 says 市级以上: a county paper never earns bonus points, whatever its class.
        if self.bonus_eligible and LEVEL_RANK[self.level] < LEVEL_RANK[BONUS_MIN_LEVEL]:
            raise ValueError(INELIGIBLE_LEVEL_MESSAGE.format(level=LEVEL_LABELS[self.level]))


@dataclass(frozen=True)
class Policy:
    """Per-year assessment policy (DOMAIN §6); 2011 values as defaults."""

    base: Decimal = BASE_POINTS_2011
    bonus_per_article: Decimal = BONUS_PER_ARTICLE_2011
    bonus_cap_ratio: Decimal = BONUS_CAP_RATIO_2011
    penalty_per_article: Decimal = PENALTY_PER_ARTICLE_2011
    floor: Decimal = SCORE_FLOOR_2011

    def __post_init__(self) -> None:
        for name in ("base", "bonus_per_article", "bonus_cap_ratio", "penalty_per_article", "floor"):
            value = getattr(self, name)
            if isinstance(value, float):
                # Points are exact decimals (D5); a float would smuggle in binary rounding.
                raise TypeError(f"Policy.{name} must be a Decimal, not float ({value!r})")
            value = Decimal(value)
            object.__setattr__(self, name, value)
            if value < 0:
                raise ValueError(NEGATIVE_POLICY_MESSAGE.format(name=name, value=value))


POLICY_2011 = Policy()


@dataclass(frozen=True)
class LineResult:
    """One quota line of a unit's assessment: what the pages, the JSON of §10 and the snapshots show."""

    code: str
    label: str
    count: int
    have: int
    deficit: int
    parent: str | None = None
    surplus_used: int = 0  # bonus articles taken from within this line's subtree

    @property
    def percent(self) -> int:
        """Progress for the bars: have / count, capped at 100."""
        if self.count <= 0:
            return 100
        return min(100, self.have * 100 // self.count)

    def as_json(self) -> dict:
        """A line of `assess --format json` (DOMAIN §10)."""
        return {"code": self.code, "label": self.label, "count": self.count, "have": self.have,
                "deficit": self.deficit}


@dataclass(frozen=True)
class Assessment:
    lines: tuple[LineResult, ...]  # in the order given
    missing: int
    bonus_articles: int
    bonus_points: Decimal  # after the cap
    score: Decimal  # exact, not rounded
    # D4 made concrete: how many of each cell's publications are the bonus articles (one valid choice, the
    # unit's favour: every line stays complete without them). Sums to bonus_articles.
    bonus_cells: Mapping[Cell, int] = field(default_factory=dict)


def assess(
    *, lines: Sequence[LineSpec], counts: Mapping[Cell, int], policy: Policy = POLICY_2011
) -> Assessment:
    parents = nest_lines(lines)
    for n in counts.values():
        if n < 0:
            raise ValueError(NEGATIVE_CELL_COUNT_MESSAGE.format(count=n))

    by_code = {line.code: line for line in lines}
    children: dict[str, list[str]] = {line.code: [] for line in lines}
    for code, parent in parents.items():
        if parent is not None:
            children[parent].append(code)

    def depth(code: str) -> int:
        parent = parents[code]
        return 0 if parent is None else 1 + depth(parent)

    # Children before parents, so every recurrence below reads finished values.
    bottom_up = sorted(by_code, key=depth, reverse=True)

    def held(line: LineSpec, cell: Cell) -> bool:
        return line.scope.holds(level=cell.level, kind=cell.kind, topic=cell.topic)

    # D2: a publication counts once in every line whose scope holds it.
    cells_of = {line.code: {cell for cell in counts if held(line, cell)} for line in lines}
    have = {code: sum(counts[cell] for cell in cells) for code, cells in cells_of.items()}

    # D3: a child's shortfall is also a shortfall of its parent, so the parent needs at least
    # the children's deficits; one added article can serve the whole chain above it.
    deficit: dict[str, int] = {}
    for code in bottom_up:
        own = max(by_code[code].count - have[code], 0)
        deficit[code] = max(own, sum(deficit[child] for child in children[code]))
    roots = [line.code for line in lines if parents[line.code] is None]
    missing = sum(deficit[code] for code in roots)

    # D4: bonus only when nothing is missing. Each line can give up have − count publications;
    # on a laminar tree, taking eligible surplus bottom-up is exact (largest removable set).
    removable = dict.fromkeys(by_code, 0)
    direct_eligible = dict.fromkeys(by_code, 0)
    used = dict.fromkeys(by_code, 0)
    bonus_articles = 0
    bonus_cells: dict[Cell, int] = {}
    if missing == 0:
        for code in bottom_up:
            line = by_code[code]
            direct_eligible[code] = sum(
                counts[cell] for cell in cells_of[code]
                if cell.bonus_eligible and not any(cell in cells_of[child] for child in children[code])
            )
            from_below = sum(removable[child] for child in children[code])
            removable[code] = min(have[code] - line.count, from_below + direct_eligible[code])
        # Report one concrete choice: a line takes its own eligible publications first, then
        # asks its children in the order given, so that fully used child lines stay untouched.
        for code in reversed(bottom_up):
            if parents[code] is None:
                used[code] = removable[code]
            rest = used[code] - min(used[code], direct_eligible[code])
            for child in children[code]:
                used[child] = min(rest, removable[child])
                rest -= used[child]
        # An eligible publication outside every line's scope is surplus as well (D4).
        outside = {cell: n for cell, n in counts.items()
                   if n and cell.bonus_eligible and not any(cell in cells for cells in cells_of.values())}
        bonus_articles = sum(removable[code] for code in roots) + sum(outside.values())
        # Which publications they are: each line's own share comes from its direct eligible cells (in a fixed
        # order, so the choice is the same on every run); the service picks the latest of each cell.
        bonus_cells = dict(outside)
        for code in by_code:
            take = min(used[code], direct_eligible[code])
            direct = sorted((cell for cell in cells_of[code] if cell.bonus_eligible and counts[cell]
                             and not any(cell in cells_of[child] for child in children[code])), key=_cell_order)
            for cell in direct:
                n = min(take, counts[cell])
                if n:
                    bonus_cells[cell] = bonus_cells.get(cell, 0) + n
                    take -= n

    results = tuple(
        LineResult(
            code=line.code,
            label=line.label,
            count=line.count,
            have=have[line.code],
            deficit=deficit[line.code],
            parent=parents[line.code],
            surplus_used=used[line.code],
        )
        for line in lines
    )
    return Assessment(
        lines=results,
        missing=missing,
        bonus_articles=bonus_articles,
        bonus_points=_bonus_points(bonus_articles=bonus_articles, policy=policy),
        score=score_for(missing=missing, bonus_articles=bonus_articles, policy=policy),
        bonus_cells=bonus_cells,
    )


def _cell_order(cell: Cell) -> tuple:
    """Higher outlets first (the notice's papers before briefings), then kind and topic: any fixed order would
    do; this one reads naturally on the unit page."""
    return (-LEVEL_RANK[cell.level], cell.kind, cell.topic)


def _bonus_points(*, bonus_articles: int, policy: Policy) -> Decimal:
    """Notice §5: +0.1 per extra article, at most 30% of the base (D5)."""
    return min(policy.bonus_per_article * bonus_articles, policy.bonus_cap_ratio * policy.base)


def score_for(*, missing: int, bonus_articles: int, policy: Policy) -> Decimal:
    """D5: max(floor, base − penalty·missing + min(bonus·per_article, cap_ratio·base)), exact."""
    if missing > 0:
        # D4: 超额 presupposes completion; a unit still short of its task earns no bonus.
        bonus_articles = 0
    score = (
        policy.base
        - policy.penalty_per_article * missing
        + _bonus_points(bonus_articles=bonus_articles, policy=policy)
    )
    return max(policy.floor, score)


def display_score(score: Decimal) -> Decimal:
    """D5: up to two decimals, half up, without trailing zeros (4.10 → 4.1, 4.00 → 4)."""
    shown = score.quantize(DISPLAY_QUANTUM, rounding=ROUND_HALF_UP)
    if shown == shown.to_integral_value():
        # normalize() would turn 10 into 1E+1; keep integers plain.
        return shown.quantize(Decimal(1))
    return shown.normalize()


# --- Reading an assessment (dashboards and bulletins) --------------------------------------------


def shortfalls(lines: Sequence[LineResult]) -> list[tuple[LineResult, int]]:
    """D3 broken down: for each line, the articles it still needs beyond what its children need.

    A child's missing articles also fill its parent, so a parent only asks for the rest; the
    numbers add up to ``missing``. Children come before their parents.
    """
    child_deficit: dict[str, int] = {line.code: 0 for line in lines}
    for line in lines:
        if line.parent is not None:
            child_deficit[line.parent] += line.deficit
    depth: dict[str, int] = {}
    by_code = {line.code: line for line in lines}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = by_code[code].parent
            depth[code] = 0 if parent is None else 1 + depth_of(parent)
        return depth[code]

    order = sorted(range(len(lines)), key=lambda i: -depth_of(lines[i].code))
    result = []
    for i in order:
        line = lines[i]
        extra = line.deficit - child_deficit[line.code]
        if extra > 0:
            result.append((line, extra))
    return result


def competition_ranks(scores: Sequence[Decimal]) -> list[int]:
    """Rank by score, highest first; equal scores share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(scores, reverse=True)
    first_place = {}
    for position, score in enumerate(ordered, start=1):
        first_place.setdefault(score, position)
    return [first_place[score] for score in scores]
