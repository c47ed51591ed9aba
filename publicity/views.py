from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from publicity.models import Publication, Quota, Status
from publicity.roles import role_label, unit_of
from publicity.years import year_from_request


@login_required
def home(request):
    """Start page: what the user's role does here, with the own unit's figures for officers."""
    year = year_from_request(request)
    visible = Publication.objects.visible_to(request.user)
    counts = {row["status"]: row["n"] for row in _status_counts(visible)}
    unit = unit_of(request.user)
    context = {
        "year": year,
        "role": role_label(request.user),
        "status_counts": [(status.label, counts.get(status.value, 0)) for status in Status],
        "quotas": Quota.objects.for_year(year).filter(unit=unit) if unit else [],
    }
    return render(request, "publicity/home.html", context)


def _status_counts(queryset):
    from django.db.models import Count

    return queryset.order_by().values("status").annotate(n=Count("id"))
