"""The end of a year (DOMAIN §9): publish the results for objections (公示), close (结算), reopen.

Publishing freezes every unit's score; closing freezes the scores again (corrections made after objections
count) and the year's rewards, and locks the year (core.yearlock); reopening needs a reason and makes both live
again. Both snapshots are written here, above scoring and rewards, so neither of them needs the other.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import YearClose
from core.text import required_reason
from rewards.models import RewardSnapshot
from rewards.services import rate_sheet_for, rewards_for_year
from scoring.models import Objection, UnitResultSnapshot
from scoring.services import UnitResult, assess_year
from scoring.tasks import closed_year_pages_render

YEAR_NOT_OVER_MESSAGE = "{year}年度尚未结束，年度结束后才能公示或结算。"
ALREADY_CLOSED_MESSAGE = "{year}年度已经结算。如需修改，请先重新开放该年度。"
ALREADY_IN_NOTICE_MESSAGE = "{year}年度的考核结果正在公示中（至{until}）。"
NOTICE_NOT_OVER_MESSAGE = "{year}年度的公示期至{until}，公示期满后才能结算。"
OPEN_OBJECTIONS_MESSAGE = "{year}年度还有 {n} 条公示异议未答复，请答复后再结算。"
NOT_CLOSED_MESSAGE = "{year}年度尚未公示或结算，无需重新开放。"
REASON_REQUIRED_MESSAGE = "重新开放已结算的年度必须填写原因。"
NOTICE_DAYS_INVALID_MESSAGE = "公示天数应在1至60天之间。"


def scores_snapshot_write(*, year: int) -> list[UnitResult]:
    """Freeze every unit's result of the year (the bulletin of a published or closed year reads only these)."""
    results = assess_year(year=year)
    UnitResultSnapshot.objects.filter(year=year).delete()
    UnitResultSnapshot.objects.bulk_create([
        UnitResultSnapshot(
            year=year, unit_id=r.unit_id, unit_name=r.unit_name, kind=r.kind, missing=r.missing,
            bonus_articles=r.bonus_articles, score=r.score, rank=r.rank, sort_order=r.sort_order,
            lines=[{**line.as_json(), "parent": line.parent, "surplus_used": line.surplus_used}
                   for line in r.lines])
        for r in results
    ])
    return results


@transaction.atomic
def rewards_snapshot(*, year: int) -> Decimal | None:
    """Freeze the year's reward of every manuscript (bureau sheet) at the year close; returns the total.

    Called by `year_close` (which audits the close); None when the year has no rate sheet. Replaces an earlier
    snapshot of the year.
    """
    RewardSnapshot.objects.filter(year=year).delete()
    try:
        result = rewards_for_year(year=year, sheet=rate_sheet_for(year=year))
    except ValidationError:
        return None
    RewardSnapshot.objects.bulk_create([
        RewardSnapshot(year=year, sheet=result.sheet, manuscript_id=m.manuscript_id, unit_id=m.unit_id,
                       unit_name=m.unit, title=m.title, outlet_id=m.outlet_id, outlet_name=m.outlet, amount=m.amount,
                       is_collective=m.collective, sort_order=i,
                       recipients=[{"name": r.name, "amount": str(r.amount)} for r in m.recipients])
        for i, m in enumerate(result.manuscripts)
    ])
    return result.total


def rewards_snapshot_drop(*, year: int) -> None:
    """On reopening a year its rewards become live again (`year_reopen` audits it)."""
    RewardSnapshot.objects.filter(year=year).delete()


def _history_entry(action: str, user, **extra) -> dict:
    return {"action": action, "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "by": (user.get_full_name() or user.username) if user else "", **extra}


def _check_year_over(year: int, today: datetime.date) -> None:
    if today <= datetime.date(year, 12, 31):
        raise ValidationError(YEAR_NOT_OVER_MESSAGE.format(year=year))


@transaction.atomic
def year_publicize(*, year: int, reviewer, today: datetime.date, notice_days: int = 7) -> YearClose:
    """公示: freeze the results for a notice period in which units may object (DOMAIN §9)."""
    _check_year_over(year, today)
    if not 1 <= notice_days <= 60:
        raise ValidationError(NOTICE_DAYS_INVALID_MESSAGE)
    record = YearClose.objects.select_for_update().filter(year=year).first()
    before = record.state if record else None
    if record and record.state == YearClose.State.CLOSED:
        raise ValidationError(ALREADY_CLOSED_MESSAGE.format(year=year))
    if record and record.state == YearClose.State.NOTICE:
        raise ValidationError(ALREADY_IN_NOTICE_MESSAGE.format(year=year, until=record.notice_until))
    results = scores_snapshot_write(year=year)
    record = record or YearClose(year=year)
    record.state = YearClose.State.NOTICE
    record.notice_from = today
    record.notice_until = today + datetime.timedelta(days=notice_days - 1)
    record.history = [*record.history, _history_entry("公示", reviewer, until=record.notice_until.isoformat())]
    record.save()
    audit_record(actor=reviewer, action="year_publicize", target=record,
                 summary=f"公示{year}年度考核结果（{len(results)}个单位，至{record.notice_until}）",
                 before={"state": before}, after={"state": record.state, "notice_until": str(record.notice_until)})
    return record


@transaction.atomic
def year_close(*, year: int, reviewer, today: datetime.date) -> YearClose:
    """结算: store every unit's result as the snapshot the bulletin ranks from (DOMAIN §9)."""
    _check_year_over(year, today)
    record = YearClose.objects.select_for_update().filter(year=year).first()
    before = record.state if record else None
    if record and record.state == YearClose.State.CLOSED:
        raise ValidationError(ALREADY_CLOSED_MESSAGE.format(year=year))
    if record and record.state == YearClose.State.NOTICE:
        if today <= record.notice_until:
            raise ValidationError(NOTICE_NOT_OVER_MESSAGE.format(year=year, until=record.notice_until))
        open_objections = Objection.objects.filter(year=year, answered_at__isnull=True).count()
        if open_objections:
            raise ValidationError(OPEN_OBJECTIONS_MESSAGE.format(year=year, n=open_objections))
    # Recomputed at close: corrections made after objections are part of the final result.
    results = scores_snapshot_write(year=year)
    from yearend.services import rewards_snapshot  # rewards builds on scoring, not the other way round

    reward_total = rewards_snapshot(year=year)
    record = record or YearClose(year=year)
    record.state = YearClose.State.CLOSED
    record.closed_on = today
    record.closed_at = timezone.now()
    record.closed_by = reviewer
    record.history = [*record.history, _history_entry("结算", reviewer)]
    record.save()
    audit_record(actor=reviewer, action="year_close", target=record,
                 summary=f"结算{year}年度考核（{len(results)}个单位）", before={"state": before},
                 after={"state": record.state,
                        "scores": {r.unit_name: str(r.shown_score) for r in results},
                        "reward_total": None if reward_total is None else str(reward_total)})
    transaction.on_commit(lambda: closed_year_pages_render.enqueue(year))
    return record


@transaction.atomic
def year_reopen(*, year: int, reviewer, reason: str) -> YearClose:
    """Reopen a published or closed year: needs a reason, is audited; results become live again."""
    reason = required_reason(reason, message=REASON_REQUIRED_MESSAGE)
    record = YearClose.objects.select_for_update().filter(year=year).first()
    if record is None or not record.has_snapshot:
        raise ValidationError(NOT_CLOSED_MESSAGE.format(year=year))
    before = record.state
    rewards_snapshot_drop(year=year)
    record.state = YearClose.State.REOPENED
    record.reopened = True
    record.history = [*record.history, _history_entry("重新开放", reviewer, reason=reason)]
    record.save()
    audit_record(actor=reviewer, action="year_reopen", target=record, summary=f"重新开放{year}年度考核",
                 before={"state": before}, after={"state": record.state}, reason=reason)
    return record
