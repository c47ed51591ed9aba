"""{% load duties %}: the blocks of the notice's other duties (DOMAIN §11) that pages of lower apps show without
importing reporting — the bulletin's 工作落实情况 table (scoring's templates), the bureau's contact and leading
group (officer pages and printed forms), the unit's open duties (the start page)."""

from django import template
from django.utils import timezone

from reporting import duties

register = template.Library()


def _year(year) -> int:
    try:
        return int(year)
    except (TypeError, ValueError):
        return timezone.localdate().year


@register.inclusion_tag("reporting/includes/duties_bulletin.html")
def duties_table(year):
    """工作落实情况: per unit kind, each unit's first responsible person beside its score (DOMAIN §11), and the
    duties of the year (not scored). The score is the bulletin's own (scoring.pages.unit_scores, same cache)."""
    from scoring.pages import unit_scores

    year = _year(year)
    today = timezone.localdate()
    scores = unit_scores(year)
    groups = [(label, [(row, scores.get(row.unit.pk)) for row in rows])
              for label, rows in duties.duties_by_kind(year=year, today=today)]
    return {"year": year, "groups": groups, "today": today}


@register.inclusion_tag("reporting/includes/contact.html")
def bureau_contact(year=None):
    """The bureau website's publishing contact of the year (notice, end): name, telephone, fax, e-mail."""
    return {"settings": duties.year_settings(_year(year))}


@register.inclusion_tag("reporting/includes/bureau_leaders.html")
def bureau_leaders(year=None):
    """The bureau's publicity leading group of the year (notice §7)."""
    year = _year(year)
    return {"settings": duties.year_settings(year), "year": year}


@register.inclusion_tag("reporting/includes/duties_summary.html")
def unit_duties_summary(unit, year):
    """The unit's duties of the year still to do, overdue first (the officer's and the head's start page)."""
    if unit is None:
        return {"unit": None}
    year, today = _year(year), timezone.localdate()
    row = duties.duty_rows(year=year, today=today, units=[unit])[0]
    open_duties = duties.duty_rules.open_duties(year=year, facts=row.facts, dates=duties.dates_for(year))
    # (duty, overdue) pairs: a template cannot call duty.overdue(today) itself.
    items = sorted(((duty, duty.overdue(today)) for duty in open_duties), key=lambda item: (not item[1], item[0].due))
    return {"unit": unit, "year": year, "row": row, "today": today, "open_duties": items}
