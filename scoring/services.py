"""The assessment of a year from the database: one aggregate query → the pure rules → results.

Also the year close (结算) with its snapshots, the 公示 notice period with objections, and the
read models of the dashboard, the unit page and the bulletins.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from core.audit import audit_record
from core.models import YearClose
from core.roles import ALL_UNITS, unit_scope
from core.yearlock import year_lock_check
from publicity.models import Publication, Status, Unit
from scoring import rules
from scoring.models import AssessmentPolicy, Objection, Quota, QuotaLine, UnitResultSnapshot, policy_for_year

# DOMAIN §2 lists the kinds in this order; bulletins and exports follow it.
KIND_ORDER = ("county", "section", "affiliated")
KIND_LABELS = dict(Unit.Kind.choices)

NOT_IN_NOTICE_MESSAGE = "{year}年度的考核结果不在公示期内，不能提出异议。"
OBJECTION_TEXT_REQUIRED_MESSAGE = "请写明异议的内容和理由。"
OBJECTION_NOT_OWN_UNIT_MESSAGE = "只能对本单位的考核结果提出异议。"
ANSWER_REQUIRED_MESSAGE = "请填写答复内容。"
ALREADY_ANSWERED_MESSAGE = "该异议已经答复。"
SHORTFALL_MESSAGE = "还差 {n} 篇{label}"
SHORTFALL_BEYOND_CHILDREN_MESSAGE = "还差 {n} 篇{label}（上列之外）"


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    unit_name: str
    kind: str
    sort_order: int
    missing: int
    bonus_articles: int
    score: Decimal  # exact (D5); shown with display_score
    lines: tuple[rules.LineResult, ...]
    rank: int = 0
    specs: tuple[rules.LineSpec, ...] = field(default=(), compare=False, repr=False)
    # How many of each cell's publications are the bonus articles (rules.Assessment.bonus_cells); live results only.
    bonus_cells: Mapping[rules.Cell, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def shown_score(self) -> Decimal:
        return rules.display_score(self.score)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def shortfalls(self) -> list[str]:
        """What is still missing, in words ("还差 3 篇省级及以上媒体稿件(含会议经验交流材料)")."""
        with_children = {line.parent for line in self.lines if line.parent and line.deficit}
        messages = []
        for line, n in rules.shortfalls(self.lines):
            label = line.label.removeprefix("其中：")
            template = SHORTFALL_BEYOND_CHILDREN_MESSAGE if line.code in with_children else SHORTFALL_MESSAGE
            messages.append(template.format(n=n, label=label))
        return messages

    def as_json(self) -> dict:
        """DOMAIN §10: the shape of `assess --format json`."""
        return {"unit": self.unit_name, "kind": self.kind, "missing": self.missing,
                "bonus_articles": self.bonus_articles, "score": float(self.shown_score),
                "lines": [line.as_json() for line in self.lines]}


def _ranked(results: list[UnitResult]) -> list[UnitResult]:
    """Order by kind (DOMAIN §2), then rank within the kind; equal shown scores share a rank."""
    ranked = []
    for kind in KIND_ORDER + tuple(sorted({r.kind for r in results} - set(KIND_ORDER))):
        group = [r for r in results if r.kind == kind]
        ranks = rules.competition_ranks([r.shown_score for r in group])
        group = [replace(r, rank=rank) for r, rank in zip(group, ranks, strict=True)]
        group.sort(key=lambda r: (r.rank, r.sort_order, r.unit_name))
        ranked += group
    return ranked


def _approved(*, year: int, units, today: datetime.date | None):
    queryset = Publication.objects.approved().in_year(year)
    if today is not None:
        # An estimate "if the year ended today": only what has appeared by today counts.
        queryset = queryset.filter(published_on__lte=today)
    if units is not None:
        queryset = queryset.filter(manuscript__unit__in=units)
    return queryset


BONUS_ELIGIBLE = Case(
    When(outlet__media_class__in=rules.BONUS_OUTLET_CLASSES, outlet__level__in=rules.BONUS_LEVELS, then=Value(True)),
    default=Value(False),
    output_field=BooleanField(),
)


def outlet_is_bonus_eligible(outlet) -> bool:
    """计入加分 (DOMAIN §3) for an Outlet: the one rule, scoring.rules.is_bonus_eligible."""
    return rules.is_bonus_eligible(level=outlet.level, outlet_class=outlet.media_class)


_LINE_FIELDS = ("code", "label", "level_min", "level_max", "kinds", "topic")  # what QuotaLine.spec reads


def assess_year(*, year: int, units: Iterable[Unit] | None = None,
                today: datetime.date | None = None) -> list[UnitResult]:
    """Every unit with a quota in the year (or the given units), assessed, ranked within its kind.

    Three queries whatever the number of units and publications: the policy, the quotas, and one
    aggregate of approved publications per unit × level × kind × topic × bonus eligibility.
    """
    if units is not None:
        units = list(units)
    policy = policy_for_year(year)
    quotas = Quota.objects.for_year(year).order_by("unit__kind", "unit__sort_order", "unit__name",
                                                   "line__sort_order", "line__code")
    if units is not None:
        quotas = quotas.filter(unit__in=units)
    specs: dict[int, list[rules.LineSpec]] = defaultdict(list)
    unit_by_id: dict[int, tuple[str, str, int]] = {}  # name, kind, sort_order
    # Plain values, not model instances, and the same few lines, counts and cells recur for every unit:
    # each value object is built (and checked) once.
    spec_of: dict[tuple[int, int], rules.LineSpec] = {}
    for unit_id, name, kind, sort_order, line_id, count, *line in quotas.values_list(
            "unit_id", "unit__name", "unit__kind", "unit__sort_order", "line_id", "count",
            *(f"line__{name}" for name in _LINE_FIELDS)):
        unit_by_id[unit_id] = (name, kind, sort_order)
        key = (line_id, count)
        if key not in spec_of:
            spec_of[key] = QuotaLine(**dict(zip(_LINE_FIELDS, line, strict=True))).spec(count)
        specs[unit_id].append(spec_of[key])

    counts: dict[int, dict[rules.Cell, int]] = defaultdict(dict)
    cell_of: dict[tuple, rules.Cell] = {}
    rows = (_approved(year=year, units=units, today=today)
            .annotate(eligible=BONUS_ELIGIBLE)
            .values("manuscript__unit_id", "outlet__level", "manuscript__kind", "manuscript__special_topic",
                    "eligible")
            .annotate(n=Count("id"))
            .order_by())
    for row in rows:
        key = (row["outlet__level"], row["manuscript__kind"], row["manuscript__special_topic"] or "",
               bool(row["eligible"]))
        cell = cell_of.get(key)
        if cell is None:
            cell = cell_of[key] = rules.Cell(level=key[0], kind=key[1], topic=key[2], bonus_eligible=key[3])
        unit_counts = counts[row["manuscript__unit_id"]]
        unit_counts[cell] = unit_counts.get(cell, 0) + row["n"]

    results = []
    for unit_id, (name, kind, sort_order) in unit_by_id.items():
        assessment = rules.assess(lines=specs[unit_id], counts=counts.get(unit_id, {}), policy=policy)
        results.append(UnitResult(
            unit_id=unit_id, unit_name=name, kind=kind, sort_order=sort_order,
            missing=assessment.missing, bonus_articles=assessment.bonus_articles, score=assessment.score,
            lines=assessment.lines, specs=tuple(specs[unit_id]), bonus_cells=assessment.bonus_cells,
        ))
    return _ranked(results)


def assessment_json(*, year: int, results: list[UnitResult]) -> dict:
    return {"year": year, "units": [result.as_json() for result in results]}


# --- Policy --------------------------------------------------------------------------------------


@transaction.atomic
def assessment_policy_save(*, policy: AssessmentPolicy, actor, changed: list[str] | None = None) -> AssessmentPolicy:
    """Reviewers edit a year's points in the admin; the change is audited and a closed year is locked."""
    before = None
    old = AssessmentPolicy.objects.filter(pk=policy.pk).first() if policy.pk else None
    # Moving a policy out of a closed year changes that year too.
    year_lock_check(year=[policy.year, old and old.year])
    if old is not None:
        before = {name: str(getattr(old, name)) for name in POLICY_FIELDS}
    policy.full_clean()
    policy.save()
    audit_record(actor=actor, action="policy_save", target=policy, summary=f"保存{policy.year}年考核政策",
                 before=before, after={name: str(getattr(policy, name)) for name in POLICY_FIELDS})
    return policy


POLICY_FIELDS = ("year", "base", "bonus_per_article", "bonus_cap_ratio", "penalty_per_article", "floor")


# --- Year state, snapshots, bulletin ------------------------------------------------------------


def year_state(year: int) -> YearClose | None:
    return YearClose.objects.filter(year=year).first()


def _snapshot_results(year: int) -> list[UnitResult]:
    snapshots = UnitResultSnapshot.objects.filter(year=year).order_by("sort_order", "rank", "unit_name")
    results = [UnitResult(unit_id=s.unit_id, unit_name=s.unit_name, kind=s.kind, sort_order=s.sort_order,
                          missing=s.missing, bonus_articles=s.bonus_articles, score=s.score,
                          lines=tuple(rules.LineResult(**line) for line in s.lines), rank=s.rank)
               for s in snapshots]
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return sorted(results, key=lambda r: (order.get(r.kind, 99), r.rank, r.sort_order, r.unit_name))


@dataclass(frozen=True)
class Bulletin:
    year: int
    results: list[UnitResult]
    state: YearClose | None
    estimate: bool  # True: computed live from today's data (预估), not from a snapshot

    @property
    def by_kind(self) -> list[tuple[str, list[UnitResult]]]:
        groups = []
        for kind in KIND_ORDER:
            rows = [r for r in self.results if r.kind == kind]
            if rows:
                groups.append((KIND_LABELS[kind], rows))
        return groups

    @property
    def state_label(self) -> str:
        if self.state and self.state.has_snapshot:
            return self.state.get_state_display()
        return "预估（年度尚未结算，按当前已通过的刊发记录计算）"


_LOOK_UP = object()


def bulletin_for_year(*, year: int, today: datetime.date | None = None, state=_LOOK_UP) -> Bulletin:
    """The 通报: from the snapshot once the year is published or closed, else a live estimate.

    `state` is the year's YearClose (or None) when the caller has already read it."""
    if state is _LOOK_UP:
        state = year_state(year)
    if state and state.has_snapshot:
        return Bulletin(year=year, results=_snapshot_results(year), state=state, estimate=False)
    return Bulletin(year=year, results=assess_year(year=year, today=today), state=state, estimate=True)


# --- 公示 objections -------------------------------------------------------------------------------


@transaction.atomic
def objection_lodge(*, year: int, unit: Unit, user, text: str, today: datetime.date) -> Objection:
    text = (text or "").strip()
    if not text:
        raise ValidationError(OBJECTION_TEXT_REQUIRED_MESSAGE)
    scope = unit_scope(user)
    if scope is ALL_UNITS or unit not in scope:
        raise ValidationError(OBJECTION_NOT_OWN_UNIT_MESSAGE)
    state = year_state(year)
    if not (state and state.state == YearClose.State.NOTICE and state.notice_from <= today <= state.notice_until):
        raise ValidationError(NOT_IN_NOTICE_MESSAGE.format(year=year))
    objection = Objection.objects.create(year=year, unit=unit, text=text, raised_by=user)
    audit_record(actor=user, action="objection_lodge", target=objection, unit=unit,
                 summary=f"{unit}对{year}年度考核结果提出异议", after={"text": text})
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, reviewer, answer: str) -> Objection:
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(ANSWER_REQUIRED_MESSAGE)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at:
        raise ValidationError(ALREADY_ANSWERED_MESSAGE)
    objection.answer = answer
    objection.answered_by = reviewer
    objection.answered_at = timezone.now()
    objection.save()
    audit_record(actor=reviewer, action="objection_answer", target=objection, unit=objection.unit,
                 summary=f"答复{objection.unit}对{objection.year}年度考核结果的异议", after={"answer": answer})
    return objection


# --- Dashboard and unit page ----------------------------------------------------------------------


def default_year(today: datetime.date | None = None) -> int:
    """The year a page shows when none is chosen: the latest year with quotas that has begun, else today's
    (the bureau plans a year ahead)."""
    today = today or datetime.date.today()
    latest = Quota.objects.filter(year__lte=today.year).order_by("-year").values_list("year", flat=True).first()
    return latest or today.year


def years_available() -> list[int]:
    """Years with quotas, newest first (for the year pickers)."""
    # order_by: without it Quota's default ordering joins units and lines into the DISTINCT (every row comes back).
    return list(Quota.objects.order_by("-year").values_list("year", flat=True).distinct())


def monthly_approved(*, year: int, units=None) -> list[int]:
    """Approved publications per month of the year (January first), in one query.

    Grouped by day, not by month: the (status, published_on) index then answers it alone, where extracting
    the month in SQL reads every row (SQLite calls a Python function per row); at most 366 days come back."""
    rows = _approved(year=year, units=units, today=None).values_list("published_on").annotate(n=Count("id")).order_by()
    months = [0] * 12
    for day, n in rows:
        months[day.month - 1] += n
    return months


@dataclass(frozen=True)
class PublicationRow:
    publication: Publication
    lines: list[str]  # labels of the lines the publication counts in (D2)
    bonus_eligible: bool
    bonus: bool  # chosen as one of the unit's bonus (surplus) articles


@dataclass(frozen=True)
class UnitDetail:
    year: int
    unit: Unit
    result: UnitResult
    final: UnitResult | None  # the snapshot result when the year is published or closed
    state: YearClose | None
    publications: list[PublicationRow]
    pending: int  # submitted, not yet reviewed
    estimate: bool
    ranked: int = 0  # units of the same kind ranked that year


def _bonus_choice(result: UnitResult, publications: list[Publication]) -> set[int]:
    """The bonus articles themselves (D4): rules.assess says how many of each cell they are; they are that
    cell's latest eligible publications."""
    if not result.bonus_cells:
        return set()
    left = {(cell.level, cell.kind, cell.topic): n for cell, n in result.bonus_cells.items()}
    chosen: set[int] = set()
    for p in sorted(publications, key=lambda p: (p.published_on, p.pk), reverse=True):
        key = (p.outlet.level, p.manuscript.kind, p.manuscript.special_topic or "")
        if left.get(key) and outlet_is_bonus_eligible(p.outlet):
            chosen.add(p.pk)
            left[key] -= 1
    return chosen


def unit_detail(*, year: int, unit: Unit, today: datetime.date | None = None) -> UnitDetail:
    """The drill-down of one unit: its result, ranked among its kind, and the publications behind it."""
    results = assess_year(year=year, today=today)
    result = next((r for r in results if r.unit_id == unit.pk), None)
    if result is None:  # no quota this year: nothing to assess, but show the publications
        result = UnitResult(unit_id=unit.pk, unit_name=unit.name, kind=unit.kind, sort_order=unit.sort_order,
                            missing=0, bonus_articles=0, score=Decimal(0), lines=())
    state = year_state(year)
    final = None
    if state and state.has_snapshot:
        final = next((r for r in _snapshot_results(year) if r.unit_id == unit.pk), None)
    publications = list(_approved(year=year, units=[unit], today=today)
                        .select_related("manuscript", "outlet").order_by("published_on", "pk"))
    pending = (Publication.objects.in_year(year).filter(manuscript__unit=unit, status=Status.SUBMITTED).count())
    bonus = _bonus_choice(result, publications)
    rows = []
    for p in publications:
        topic = p.manuscript.special_topic or ""
        labels = [spec.label for spec in result.specs
                  if spec.scope.holds(level=p.outlet.level, kind=p.manuscript.kind, topic=topic)]
        rows.append(PublicationRow(publication=p, lines=labels, bonus_eligible=outlet_is_bonus_eligible(p.outlet),
                                   bonus=p.pk in bonus))
    return UnitDetail(year=year, unit=unit, result=result, final=final, state=state, publications=rows,
                      pending=pending,
                      estimate=not (state and state.is_closed),
                      ranked=sum(1 for r in results if r.kind == result.kind))


# --- Periodic bulletins (月报 / 季报) ----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    result: UnitResult  # progress to the end of the period
    submitted: int  # publications of the period handed to the bureau (submitted, approved or rejected)
    approved: int

    @property
    def adoption_rate(self) -> Decimal | None:
        """采用率 = approved / submitted, as a percentage with one decimal."""
        if not self.submitted:
            return None
        return (Decimal(self.approved) * 100 / self.submitted).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PeriodBulletin:
    year: int
    period: str  # "month" or "quarter"
    number: int
    start: datetime.date
    end: datetime.date
    rows: list[PeriodRow]

    @property
    def title(self) -> str:
        what = f"{self.number}月" if self.period == "month" else f"第{'一二三四'[self.number - 1]}季度"
        return f"{self.year}年{what}宣传工作通报"

    @property
    def by_kind(self) -> list[tuple[str, list[PeriodRow]]]:
        groups = []
        for kind in KIND_ORDER:
            rows = [r for r in self.rows if r.result.kind == kind]
            if rows:
                groups.append((KIND_LABELS[kind], rows))
        return groups


def period_bounds(*, year: int, period: str, number: int) -> tuple[datetime.date, datetime.date]:
    if period == "month":
        start_month, end_month = number, number
    else:
        start_month, end_month = 3 * number - 2, 3 * number
    start = datetime.date(year, start_month, 1)
    end = (datetime.date(year + 1, 1, 1) if end_month == 12 else datetime.date(year, end_month + 1, 1))
    return start, end - datetime.timedelta(days=1)


def periodic_bulletin(*, year: int, period: str, number: int) -> PeriodBulletin:
    """A monthly or quarterly 通报: the period's submitted and approved articles, the adoption rate,
    and each unit's progress (and rank) to the end of the period. Four queries."""
    start, end = period_bounds(year=year, period=period, number=number)
    results = assess_year(year=year, today=end)
    handed_in = ~Q(status=Status.DRAFT)
    rows = (Publication.objects.filter(published_on__gte=start, published_on__lte=end)
            .values("manuscript__unit_id")
            .annotate(submitted=Count("id", filter=handed_in), approved=Count("id", filter=Q(status=Status.APPROVED)))
            .order_by())
    by_unit = {row["manuscript__unit_id"]: row for row in rows}
    period_rows = [PeriodRow(result=r, submitted=by_unit.get(r.unit_id, {}).get("submitted", 0),
                             approved=by_unit.get(r.unit_id, {}).get("approved", 0)) for r in results]
    return PeriodBulletin(year=year, period=period, number=number, start=start, end=end, rows=period_rows)


# --- Years side by side (issue 15) ------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult:
    """One year of a unit's history: its result (ranked within its kind) and how final it is."""

    year: int
    result: UnitResult
    ranked: int  # units of the kind ranked that year
    final: bool  # from the 公示/结算 snapshot; False: a live estimate

    def line(self, code: str) -> rules.LineResult | None:
        return next((line for line in self.result.lines if line.code == code), None)


@dataclass(frozen=True)
class UnitHistory:
    years: list[YearResult]  # oldest first
    lines: list[tuple[str, str]]  # (code, label) of every line the unit had in any year, in the years' order

    @property
    def rows(self) -> list[tuple[str, list[rules.LineResult | None]]]:
        """Per quota line, its row of every year (None where the unit had no such line that year)."""
        return [(label, [y.line(code) for y in self.years]) for code, label in self.lines]


def unit_history(*, unit: Unit, today: datetime.date | None = None,
                 known: dict[int, tuple[UnitResult, int]] | None = None) -> UnitHistory:
    """The unit's score, rank and line completion in every year it has quotas.

    Published and closed years come from their snapshots (two queries for all of them, as the bulletins read
    them); an open year is assessed by assess_year over the units of the same kind (its rank is within the
    kind), three queries each, unless the caller already has that year's result (`known`)."""
    known = known or {}
    years = sorted(set(Quota.objects.filter(unit=unit).order_by().values_list("year", flat=True)))
    states = {s.year: s for s in YearClose.objects.filter(year__in=years)}
    frozen = [y for y in years if states.get(y) and states[y].has_snapshot]
    snapshots = {s.year: s for s in UnitResultSnapshot.objects.filter(year__in=frozen, unit_id=unit.pk)}
    sizes = dict(UnitResultSnapshot.objects.filter(year__in=frozen, kind=unit.kind).order_by()
                 .values_list("year").annotate(n=Count("id")))
    out = []
    for year in years:
        snapshot = snapshots.get(year)
        if snapshot is not None:
            result = UnitResult(unit_id=unit.pk, unit_name=snapshot.unit_name, kind=snapshot.kind,
                                sort_order=snapshot.sort_order, missing=snapshot.missing,
                                bonus_articles=snapshot.bonus_articles, score=snapshot.score,
                                lines=tuple(rules.LineResult(**line) for line in snapshot.lines), rank=snapshot.rank)
            out.append(YearResult(year=year, result=result, ranked=sizes.get(year, 1), final=True))
            continue
        if year in known:
            result, ranked = known[year]
        else:
            results = assess_year(year=year, units=Unit.objects.filter(kind=unit.kind), today=today)
            result, ranked = next((r for r in results if r.unit_id == unit.pk), None), len(results)
        if result is not None and result.lines:
            out.append(YearResult(year=year, result=result, ranked=ranked, final=False))
    lines: dict[str, str] = {}
    for entry in out:
        for line in entry.result.lines:
            lines.setdefault(line.code, line.label)
    return UnitHistory(years=out, lines=list(lines.items()))


@dataclass(frozen=True)
class Change:
    """A unit's result against the previous year's: rank_change > 0 means it moved up."""

    previous_score: Decimal
    previous_rank: int
    score_change: Decimal
    rank_change: int | None  # None when the unit was ranked among another kind last year

    @property
    def arrow(self) -> str:
        if not self.rank_change:
            return "—" if self.rank_change == 0 else ""
        return f"↑{self.rank_change}" if self.rank_change > 0 else f"↓{-self.rank_change}"

    @property
    def score_text(self) -> str:
        return f"+{self.score_change}" if self.score_change > 0 else f"{self.score_change}"


def year_comparison(*, current: Bulletin, previous: Bulletin) -> dict[int, Change]:
    """Unit id → change against the previous year (units without a previous result are left out)."""
    before = {r.unit_id: r for r in previous.results}
    changes = {}
    for result in current.results:
        old = before.get(result.unit_id)
        if old is None:
            continue
        changes[result.unit_id] = Change(
            previous_score=old.shown_score, previous_rank=old.rank,
            score_change=result.shown_score - old.shown_score,
            rank_change=(old.rank - result.rank) if old.kind == result.kind else None)
    return changes
