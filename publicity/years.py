"""Which year a page shows when the user has not chosen one."""

import datetime

from publicity.models import Quota


def default_year(today: datetime.date | None = None) -> int:
    """The latest year with quotas that has begun, else today's year (the bureau plans a year ahead)."""
    today = today or datetime.date.today()
    latest = Quota.objects.filter(year__lte=today.year).order_by("-year").values_list("year", flat=True).first()
    return latest or today.year


def year_from_request(request, today: datetime.date | None = None, default: int | None = None) -> int:
    """?year=YYYY when given and plausible, else `default`, else default_year()."""
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return default if default is not None else default_year(today)
