"""Rewards: what each manuscript earns (D6–D8) and payout batches that never pay twice (D7).

The rules live in `rewards.rates`; these functions load the approved publications with a fixed
number of queries, call the rules and write payout batches with an audit record.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from core.audit import audit_record
from core.text import required_reason
from core.yearlock import year_is_closed
from publicity.models import Publication
from rewards import rates
from rewards.models import (
    Commendation,
    PayoutBatch,
    PayoutLine,
    RateSheet,
    RewardBudget,
    RewardSnapshot,
    commendation_basis,
)

NO_SHEET_MESSAGE = "{year}年没有市人社局的奖励标准，请先在管理后台录入奖励标准。"
SHEET_YEAR_MESSAGE = "奖励标准“{sheet}”晚于{year}年，不能用于该年度。"
PERIOD_YEAR_MESSAGE = "统计截止日期必须在{year}年内。"
PERIOD_BEFORE_LAST_MESSAGE = "统计截止日期不能早于上一批次的截止日期（{last:%Y-%m-%d}）。"
DRAFT_EXISTS_MESSAGE = "{year}年已有未确认的发放批次，请先确认或删除该批次。"
NOT_DRAFT_MESSAGE = "该发放批次已确认，不能再修改。"
OVER_BUDGET_MESSAGE = ("本批次发放后全年合计 {total} 元，超出{year}年奖励预算 {budget} 元，"
                   "请填写超预算说明后再确认。")
NOTHING_TO_PAY_MESSAGE = "截至{end:%Y-%m-%d}没有需要发放的奖励。"
YEAR_NOT_CLOSED_MESSAGE = "{year}年度尚未结算，结算后才能推荐表彰对象。"
ALREADY_CONFIRMED_MESSAGE = "该表彰已经确认。"

COLLECTIVES_PER_KIND = 3  # advanced collectives proposed per kind of unit
INDIVIDUALS = 10  # advanced individuals proposed


@dataclass(frozen=True)
class Recipient:
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ManuscriptReward:
    manuscript_id: int
    unit_id: int
    unit: str
    title: str
    outlet: str  # outlet of the best publication (of the year's first one when nothing pays)
    outlet_id: int | None
    amount: Decimal
    collective: bool
    recipients: tuple[Recipient, ...]
    publications: tuple[Publication, ...]  # approved, up to the period's end, best first


@dataclass(frozen=True)
class YearRewards:
    year: int
    sheet: RateSheet
    manuscripts: tuple[ManuscriptReward, ...]

    @property
    def total(self) -> Decimal:
        return sum((m.amount for m in self.manuscripts), rates.ZERO)


def rate_sheet_for(*, year: int) -> RateSheet:
    """The bureau's sheet of the year, else its latest earlier one (the notice is renewed yearly)."""
    sheet = RateSheet.objects.with_rates().bureau().filter(year__lte=year).order_by("-year").first()
    if sheet is None:
        raise ValidationError(NO_SHEET_MESSAGE.format(year=year))
    return sheet


def _pub(publication: Publication) -> rates.Pub:
    return rates.Pub(outlet=publication.outlet.name, level=publication.outlet.level,
                     kind=publication.manuscript.kind, front_headline=publication.front_headline,
                     char_count=publication.char_count, year=publication.published_on.year)


def _rate(pure: rates.RateSheet, publication: Publication) -> Decimal:
    pub = _pub(publication)
    return pure.rate_for(outlet=pub.outlet, level=pub.level, kind=pub.kind, front_headline=pub.front_headline,
                         char_count=pub.char_count)


def rewards_for_year(*, year: int, sheet: RateSheet | None = None, up_to: datetime.date | None = None
                     ) -> YearRewards:
    """Every manuscript with an approved publication in the year (up to `up_to`), also those earning 0.

    D7: the amount is the best rate up to the end of the year (or `up_to`) minus the best rate up
    to the end of the year before. A unit's own sheet pays only the unit's own manuscripts.
    Queries: the sheet (5) and one for the publications, whatever the number of manuscripts.
    A closed year (DOMAIN.md §9) reports the figures frozen at its close (`rewards_snapshot`).
    """
    if up_to is None or up_to >= datetime.date(year, 12, 31):
        frozen = _rewards_from_snapshot(year=year, sheet=sheet)
        if frozen is not None:
            return frozen
    if sheet is None:
        sheet = rate_sheet_for(year=year)
    pure = sheet.to_rates()
    end = min(up_to or datetime.date(year, 12, 31), datetime.date(year, 12, 31))
    start = datetime.date(year, 1, 1)

    approved = Publication.objects.approved()
    this_year = approved.filter(published_on__gte=start, published_on__lte=end)
    if sheet.issuer_id:
        this_year = this_year.filter(manuscript__unit_id=sheet.issuer_id)
    publications = (approved.filter(published_on__lte=end,
                                    manuscript_id__in=this_year.values("manuscript_id"))
                    .select_related("manuscript__unit", "outlet")
                    .order_by("published_on", "id"))

    by_manuscript: dict[int, list[Publication]] = defaultdict(list)
    for publication in publications:
        by_manuscript[publication.manuscript_id].append(publication)

    results = []
    for pubs in by_manuscript.values():
        manuscript = pubs[0].manuscript
        best = rates.reward_for_year(pure, [_pub(p) for p in pubs], year=year)
        paying = {p.outlet.name: p for p in pubs}
        first_this_year = next(p for p in pubs if p.published_on >= start)
        best_pub = paying.get(best.outlet) if best.outlet else first_this_year
        authors = manuscript.author_list
        shares = rates.split_among(best.amount, authors, unit=manuscript.unit.name)

        ordered = tuple(sorted(pubs, key=lambda p: (p is not best_pub, -_rate(pure, p), p.published_on)))
        results.append(ManuscriptReward(
            manuscript_id=manuscript.pk, unit_id=manuscript.unit_id, unit=manuscript.unit.name,
            title=manuscript.title, outlet=best_pub.outlet.name, outlet_id=best_pub.outlet_id,
            amount=best.amount, collective=not authors,
            recipients=tuple(Recipient(name, amount) for name, amount in shares), publications=ordered))
    results.sort(key=lambda m: (_unit_order(m), m.title, m.manuscript_id))
    return YearRewards(year=year, sheet=sheet, manuscripts=tuple(results))


def _rewards_from_snapshot(*, year: int, sheet: RateSheet | None) -> YearRewards | None:
    """The frozen figures of a closed year, or None (open year, another sheet, closed before snapshots)."""
    if not year_is_closed(year):
        return None
    rows = list(RewardSnapshot.objects.filter(year=year).order_by("sort_order", "id"))
    if not rows or (sheet is not None and sheet.pk != rows[0].sheet_id):
        return None
    if sheet is None:
        sheet = RateSheet.objects.select_related("issuer").get(pk=rows[0].sheet_id)
    manuscripts = tuple(
        ManuscriptReward(
            manuscript_id=row.manuscript_id, unit_id=row.unit_id, unit=row.unit_name, title=row.title,
            outlet=row.outlet_name, outlet_id=row.outlet_id, amount=row.amount, collective=row.is_collective,
            recipients=tuple(Recipient(r["name"], Decimal(r["amount"])) for r in row.recipients), publications=())
        for row in rows)
    return YearRewards(year=year, sheet=sheet, manuscripts=manuscripts)


def _unit_order(reward: ManuscriptReward):
    unit = reward.publications[0].manuscript.unit
    return (unit.kind, unit.sort_order, unit.name)


def rewards_json(result: YearRewards) -> dict:
    """DOMAIN.md §10's shape; amounts as JSON numbers."""
    return {
        "year": result.year,
        "total": float(result.total),
        "manuscripts": [
            {"unit": m.unit, "title": m.title, "outlet": m.outlet, "amount": float(m.amount),
             "recipients": [{"name": r.name, "amount": float(r.amount)} for r in m.recipients]}
            for m in result.manuscripts
        ],
    }


# --- payout batches ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetState:
    budget: Decimal | None
    confirmed_before: Decimal  # other confirmed batches of the year (same sheet)
    this_batch: Decimal

    @property
    def after(self) -> Decimal:
        return self.confirmed_before + self.this_batch

    @property
    def over(self) -> bool:
        return self.budget is not None and self.after > self.budget

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.after

    @property
    def overrun(self) -> Decimal:
        return rates.ZERO if self.budget is None else max(rates.ZERO, self.after - self.budget)


def _confirmed_lines(*, year: int, sheet: RateSheet):
    return PayoutLine.objects.filter(batch__year=year, batch__sheet=sheet,
                                     batch__status=PayoutBatch.State.CONFIRMED)


def payout_batch_budget(*, batch: PayoutBatch) -> BudgetState:
    budget = RewardBudget.objects.filter(year=batch.year).values_list("amount", flat=True).first()
    before = (_confirmed_lines(year=batch.year, sheet=batch.sheet).exclude(batch=batch)
              .aggregate(s=Sum("amount"))["s"] or rates.ZERO)
    this = batch.lines.aggregate(s=Sum("amount"))["s"] or rates.ZERO
    return BudgetState(budget=budget, confirmed_before=Decimal(before).quantize(rates.FEN),
                       this_batch=Decimal(this).quantize(rates.FEN))


def _lines_for(reward: ManuscriptReward, paid: dict[tuple[int, str], Decimal], paid_total: Decimal
               ) -> list[tuple[Recipient, Decimal]]:
    """Per recipient: this batch pays its share of the amount due minus what it was already paid (D7).

    When the authors changed after an earlier payment, the per-person differences could add up to
    more than the manuscript still owes; then the manuscript's unpaid rest is split afresh (D8).
    """
    owed_total = rates.unpaid(reward.amount, paid_total)
    per_person = [(r, rates.unpaid(r.amount, paid.get((reward.manuscript_id, r.name), rates.ZERO)))
                  for r in reward.recipients]
    if sum((amount for _, amount in per_person), rates.ZERO) <= owed_total:
        return per_person
    names = [r.name for r in reward.recipients]
    fresh = dict(rates.split_among(owed_total, [] if reward.collective else names, unit=reward.unit))
    return [(r, fresh.get(r.name, rates.ZERO)) for r in reward.recipients]


@transaction.atomic
def payout_batch_open(*, year: int, period_end: datetime.date, reviewer, sheet: RateSheet | None = None
                      ) -> PayoutBatch:
    """A draft batch paying everything due up to period_end that confirmed batches have not paid.

    Without a sheet the bureau's sheet of the year; a unit's own sheet is a separate pay stream.
    """
    if sheet is None:
        sheet = rate_sheet_for(year=year)
    elif sheet.year > year:
        raise ValidationError({"sheet": SHEET_YEAR_MESSAGE.format(sheet=sheet, year=year)})
    if period_end.year != year:
        raise ValidationError({"period_end": PERIOD_YEAR_MESSAGE.format(year=year)})
    batches = PayoutBatch.objects.filter(year=year, sheet=sheet)
    if batches.filter(status=PayoutBatch.State.DRAFT).exists():
        raise ValidationError(DRAFT_EXISTS_MESSAGE.format(year=year))
    last = batches.filter(status=PayoutBatch.State.CONFIRMED).order_by("-period_end").first()
    if last is not None and period_end < last.period_end:
        raise ValidationError({"period_end": PERIOD_BEFORE_LAST_MESSAGE.format(last=last.period_end)})
    start = last.period_end + datetime.timedelta(days=1) if last else datetime.date(year, 1, 1)
    start = min(start, period_end)

    result = rewards_for_year(year=year, sheet=sheet, up_to=period_end)
    paid: dict[tuple[int, str], Decimal] = {
        (row["manuscript_id"], row["recipient"]): Decimal(row["s"]).quantize(rates.FEN)
        for row in _confirmed_lines(year=year, sheet=sheet).values("manuscript_id", "recipient")
        .annotate(s=Sum("amount")).order_by()
    }
    paid_total: dict[int, Decimal] = defaultdict(lambda: rates.ZERO)
    for (manuscript_id, _), amount in paid.items():
        paid_total[manuscript_id] += amount
    lines = []
    for reward in result.manuscripts:
        for recipient, amount in _lines_for(reward, paid, paid_total[reward.manuscript_id]):
            if amount <= 0:
                continue
            lines.append(PayoutLine(
                manuscript_id=reward.manuscript_id, unit_id=reward.unit_id, recipient=recipient.name,
                is_collective=reward.collective, outlet_id=reward.outlet_id, amount_due=recipient.amount,
                amount_paid_before=paid.get((reward.manuscript_id, recipient.name), rates.ZERO), amount=amount))
    if not lines:
        raise ValidationError(NOTHING_TO_PAY_MESSAGE.format(end=period_end))
    try:
        with transaction.atomic():
            batch = PayoutBatch.objects.create(year=year, period_start=start, period_end=period_end, sheet=sheet,
                                               created_by=reviewer)
    except IntegrityError as exc:  # another reviewer opened a draft meanwhile
        raise ValidationError(DRAFT_EXISTS_MESSAGE.format(year=year)) from exc
    for line in lines:
        line.batch = batch
    PayoutLine.objects.bulk_create(lines)
    total = sum((line.amount for line in lines), rates.ZERO)
    audit_record(actor=reviewer, action="payout_batch_open", target=batch,
                 summary=f"生成{year}年奖励发放批次（截至{period_end:%Y-%m-%d}），合计{total}元",
                 after={"status": batch.status, "period_end": period_end.isoformat(), "total": str(total),
                        "lines": len(lines)})
    return batch


@transaction.atomic
def payout_batch_confirm(*, batch: PayoutBatch, reviewer, override_reason: str = "") -> PayoutBatch:
    """Confirm a draft; over the year's budget only with a recorded reason. Afterwards it never changes."""
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_confirmed:
        raise ValidationError(NOT_DRAFT_MESSAGE)
    state = payout_batch_budget(batch=batch)
    if state.over:
        override_reason = required_reason(override_reason, field="override_reason", message=OVER_BUDGET_MESSAGE.format(
            total=state.after, year=batch.year, budget=state.budget))
    batch.status = PayoutBatch.State.CONFIRMED
    batch.confirmed_by = reviewer
    batch.confirmed_at = timezone.now()
    batch.budget_override_reason = override_reason if state.over else ""
    batch.save()
    audit_record(actor=reviewer, action="payout_batch_confirm", target=batch,
                 summary=f"确认{batch.year}年奖励发放批次（截至{batch.period_end:%Y-%m-%d}），合计{state.this_batch}元",
                 before={"status": PayoutBatch.State.DRAFT},
                 after={"status": batch.status, "total": str(state.this_batch),
                        "budget": None if state.budget is None else str(state.budget),
                        "year_total": str(state.after)},
                 reason=batch.budget_override_reason)
    return batch


@transaction.atomic
def payout_batch_discard(*, batch: PayoutBatch, reviewer) -> None:
    """Delete a draft (e.g. to open it again with later approvals); confirmed batches refuse."""
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_confirmed:
        raise ValidationError(NOT_DRAFT_MESSAGE)
    total = Decimal(batch.lines.aggregate(s=Sum("amount"))["s"] or rates.ZERO).quantize(rates.FEN)
    audit_record(actor=reviewer, action="payout_batch_discard", target=batch,
                 summary=f"删除{batch.year}年奖励发放草稿（截至{batch.period_end:%Y-%m-%d}），合计{total}元",
                 before={"status": batch.status, "total": str(total)})
    batch.delete()


# --- reading a batch (pages and exports) -------------------------------------------------------


@dataclass
class PersonTotal:
    unit: object
    name: str
    collective: bool
    amount: Decimal
    lines: list


@dataclass
class UnitTotal:
    unit: object
    amount: Decimal
    manuscripts: int
    recipients: int


@dataclass(frozen=True)
class BatchReport:
    batch: PayoutBatch
    lines: list
    people: list[PersonTotal]
    units: list[UnitTotal]
    publications: dict  # manuscript id -> [(publication, rate)], best first; also on each line as .behind
    total: Decimal
    budget: BudgetState | None  # only for users who see every unit


def payout_batch_lines(*, batch: PayoutBatch, user):
    """The lines of a batch the user may see (own unit for officers and unit heads)."""
    return (PayoutLine.objects.visible_to(user).filter(batch=batch)
            .select_related("unit", "manuscript", "outlet")
            .order_by("unit__kind", "unit__sort_order", "unit__name", "recipient", "manuscript__title", "id"))


def payout_batch_report(*, batch: PayoutBatch, user) -> BatchReport:
    """Per person and per unit, with the approved publications behind each amount (fixed query count)."""
    from core.roles import ALL_UNITS, unit_scope

    lines = list(payout_batch_lines(batch=batch, user=user))
    people: dict[tuple[int, str], PersonTotal] = {}
    units: dict[int, UnitTotal] = {}
    unit_sets: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for line in lines:
        person = people.setdefault((line.unit_id, line.recipient),
                                   PersonTotal(line.unit, line.recipient, line.is_collective, rates.ZERO, []))
        person.amount += line.amount
        person.lines.append(line)
        unit = units.setdefault(line.unit_id, UnitTotal(line.unit, rates.ZERO, 0, 0))
        unit.amount += line.amount
        manuscripts, recipients = unit_sets[line.unit_id]
        manuscripts.add(line.manuscript_id)
        recipients.add(line.recipient)
        unit.manuscripts, unit.recipients = len(manuscripts), len(recipients)

    pure = RateSheet.objects.with_rates().get(pk=batch.sheet_id).to_rates()
    publications: dict[int, list] = defaultdict(list)
    behind = (Publication.objects.visible_to(user).approved()
              .filter(manuscript_id__in={line.manuscript_id for line in lines}, published_on__lte=batch.period_end)
              .select_related("outlet", "manuscript").order_by("published_on", "id"))
    for publication in behind:
        publications[publication.manuscript_id].append((publication, _rate(pure, publication)))
    for pubs in publications.values():
        pubs.sort(key=lambda pair: -pair[1])
    for line in lines:
        line.behind = publications.get(line.manuscript_id, [])
    sees_all = unit_scope(user) is ALL_UNITS
    return BatchReport(batch=batch, lines=lines, people=list(people.values()), units=list(units.values()),
                       publications=dict(publications), total=sum((x.amount for x in lines), rates.ZERO),
                       budget=payout_batch_budget(batch=batch) if sees_all else None)


# --- commendations (表彰) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    kind: str
    unit_id: int
    person_name: str
    reason: str
    figures: dict
    rank: int


def commendation_candidates(*, year: int, collectives_per_kind: int = COLLECTIVES_PER_KIND,
                            individuals: int = INDIVIDUALS) -> list[Candidate]:
    """From a closed year's snapshots: the best units of each kind with at least the base score, and
    the people with the highest rewards (then the most approved articles) of the year."""
    from scoring import rules
    from scoring.models import UnitResultSnapshot, policy_for_year
    from scoring.services import KIND_ORDER

    base = policy_for_year(year).base
    candidates = []
    units = UnitResultSnapshot.objects.filter(year=year).order_by("rank", "sort_order", "unit_name")
    by_kind: dict[str, list] = defaultdict(list)
    for row in units:
        by_kind[row.kind].append(row)
    for kind in KIND_ORDER:
        for row in by_kind.get(kind, []):
            score = rules.display_score(row.score)
            if row.rank > collectives_per_kind or score < base:
                continue
            figures = {"kind": kind, "rank": row.rank, "score": str(score)}
            candidates.append(Candidate(
                kind=Commendation.Kind.COLLECTIVE, unit_id=row.unit_id, person_name="",
                reason=commendation_basis(Commendation.Kind.COLLECTIVE, figures), figures=figures,
                rank=len(candidates) + 1))

    people: dict[tuple[int, str], list] = {}
    for row in RewardSnapshot.objects.filter(year=year, is_collective=False).order_by("sort_order"):
        for recipient in row.recipients:
            entry = people.setdefault((row.unit_id, recipient["name"]), [rates.ZERO, 0])
            entry[0] += Decimal(recipient["amount"])
            entry[1] += 1
    ranked = sorted(((amount, articles, unit_id, name) for (unit_id, name), (amount, articles) in people.items()
                     if amount > 0), key=lambda x: (-x[0], -x[1], x[3], x[2]))
    for i, (amount, articles, unit_id, name) in enumerate(ranked[:individuals], start=1):
        figures = {"amount": str(amount), "articles": articles}
        candidates.append(Candidate(
            kind=Commendation.Kind.INDIVIDUAL, unit_id=unit_id, person_name=name,
            reason=commendation_basis(Commendation.Kind.INDIVIDUAL, figures), figures=figures, rank=i))
    return candidates


@transaction.atomic
def commendations_propose(*, year: int, reviewer) -> list[Commendation]:
    """Replace the year's open proposals with the system's; confirmed commendations stay as they are."""
    from core.models import YearClose

    record = YearClose.objects.filter(year=year).first()
    if record is None or not record.is_closed:
        raise ValidationError(YEAR_NOT_CLOSED_MESSAGE.format(year=year))
    existing = Commendation.objects.filter(year=year)
    confirmed = {(c.kind, c.unit_id, c.person_name) for c in existing.filter(status=Commendation.State.CONFIRMED)}
    removed = existing.filter(status=Commendation.State.PROPOSED).delete()[0]
    proposals = Commendation.objects.bulk_create([
        Commendation(year=year, kind=c.kind, unit_id=c.unit_id, person_name=c.person_name, reason=c.reason,
                     figures=c.figures, rank=c.rank)
        for c in commendation_candidates(year=year) if (c.kind, c.unit_id, c.person_name) not in confirmed
    ])
    audit_record(actor=reviewer, action="commendations_propose", target=record,
                 summary=f"生成{year}年度表彰建议名单（{len(proposals)}项）",
                 before={"proposed": removed},
                 after={"proposed": [f"{p.get_kind_display()}：{p.person_name or p.unit_id}" for p in proposals]})
    return proposals


@transaction.atomic
def commendation_confirm(*, commendation: Commendation, reviewer) -> Commendation:
    commendation = Commendation.objects.select_for_update().select_related("unit").get(pk=commendation.pk)
    if commendation.is_confirmed:
        raise ValidationError(ALREADY_CONFIRMED_MESSAGE)
    commendation.status = Commendation.State.CONFIRMED
    commendation.confirmed_by = reviewer
    commendation.confirmed_at = timezone.now()
    commendation.save()
    audit_record(actor=reviewer, action="commendation_confirm", target=commendation, unit=commendation.unit,
                 summary=f"确认{commendation.year}年度{commendation.get_kind_display()}：{commendation.awardee}",
                 before={"status": Commendation.State.PROPOSED}, after={"status": commendation.status})
    return commendation


@transaction.atomic
def commendation_remove(*, commendation: Commendation, reviewer) -> None:
    """Take a proposal (or a confirmed commendation) off the year's list; audited."""
    commendation = Commendation.objects.select_for_update().select_related("unit").get(pk=commendation.pk)
    audit_record(actor=reviewer, action="commendation_remove", target=commendation, unit=commendation.unit,
                 summary=f"移除{commendation.year}年度{commendation.get_kind_display()}：{commendation.awardee}",
                 before={"status": commendation.status, "reason": commendation.reason})
    commendation.delete()
