"""The start page of each role: what awaits review, or the unit's records and its progress this year."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.shortcuts import render

from core import roles
from core.roles import role_label, unit_of
from core.years import year_from_request
from publicity.models import Publication, Status
from publicity.views import RECORD_RELATED
from scoring.services import assess_year, default_year


@login_required
def home(request):
    """The role's start page: reviewers see what awaits review, oldest first; officers their unit's records."""
    user = request.user
    year = year_from_request(request, default=default_year())
    visible = Publication.objects.visible_to(user)
    counts = {row["status"]: row["n"] for row in visible.order_by().values("status").annotate(n=Count("id"))}
    unit = unit_of(user)
    context = {
        "year": year,
        "role": role_label(user),
        "status_counts": [(status, counts.get(status.value, 0)) for status in Status],
        # The unit's progress toward each quota line: the same figures as the scoring pages (an estimate
        # if the year ended today), so officers and the assessment never disagree.
        "progress": None,
        "is_officer": roles.has_role(user, roles.OFFICER),
        "is_reviewer": roles.is_reviewer(user),
    }
    if context["is_reviewer"]:
        waiting = visible.filter(status=Status.SUBMITTED)
        context["waiting"] = waiting.select_related(*RECORD_RELATED).order_by("submitted_at", "id")[:10]
        context["waiting_count"] = counts.get(Status.SUBMITTED.value, 0)
        context["oldest_submitted"] = waiting.aggregate(oldest=Min("submitted_at"))["oldest"]
    else:
        if unit:
            context["progress"] = next(iter(assess_year(year=year, units=[unit])), None)
        context["recent"] = visible.select_related(*RECORD_RELATED).order_by("-updated_at", "-id")[:8]
        context["rejected"] = visible.filter(status=Status.REJECTED).select_related(*RECORD_RELATED)[:10]
    return render(request, "home/home.html", context)
