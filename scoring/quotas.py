"""Quota lines of one unit and year: the D1 nesting check, and applying the default counts."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.versions import scores_changed
from publicity.models import Unit
from scoring import rules
from scoring.models import Quota, QuotaLine


def check_lines_nest(lines) -> dict[str, str | None]:
    """D1: the lines (QuotaLine objects) must nest or be disjoint; returns code → parent code."""
    try:
        return rules.nest_lines([line.spec(0) for line in lines])
    except rules.OverlappingLinesError as exc:
        raise ValidationError(str(exc), code="overlapping_lines") from exc


@transaction.atomic
def quotas_apply_defaults(*, year: int, units=None) -> int:
    """Give every unit (or the given ones) the default count of each line for its kind, where it
    has no count for that line and year yet. Returns the number of quotas created."""
    lines = list(QuotaLine.objects.all())
    units = list(units if units is not None else Unit.objects.filter(is_active=True))
    existing = set(Quota.objects.filter(year=year).values_list("unit_id", "line_id"))
    new = []
    for unit in units:
        chosen = [line for line in lines if line.default_for(unit.kind) is not None]
        check_lines_nest(chosen)
        new += [Quota(unit=unit, line=line, year=year, count=line.default_for(unit.kind))
                for line in chosen if (unit.pk, line.pk) not in existing]
    Quota.objects.bulk_create(new)
    if new:
        scores_changed()
    return len(new)
