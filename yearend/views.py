"""The year-end buttons of the bulletin page (reviewers): publish, close, reopen. Each posts back to the
bulletin; a refusal shows the bulletin again with the reviewer's input and the reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import roles
from core.years import chosen_year
from scoring.forms import PublicizeForm, ReopenForm
from scoring.services import years_available
from scoring.views import render_bulletin
from yearend import services


def _year_done(year, message, request):
    messages.success(request, message)
    return redirect(f"{reverse('scoring:bulletin')}?year={year}")


def _year_refused(request, year, form, **forms):
    """Back to the bulletin with the reviewer's input and the reason it was refused."""
    return render_bulletin(request, year, form=form, status=400, **forms)


@require_POST
@roles.role_required(roles.REVIEWER)
def year_publicize(request):
    year, year_form = chosen_year(request, years_available())
    form = PublicizeForm(request.POST)
    if form.is_valid():
        try:
            services.year_publicize(year=year, reviewer=request.user, today=timezone.localdate(),
                                    notice_days=form.cleaned_data["notice_days"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _year_done(year, f"{year}年度考核结果已公示。", request)
    return _year_refused(request, year, year_form, publicize_form=form)


@require_POST
@roles.role_required(roles.REVIEWER)
def year_close(request):
    year, year_form = chosen_year(request, years_available())
    try:
        services.year_close(year=year, reviewer=request.user, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _year_refused(request, year, year_form)
    return _year_done(year, f"{year}年度考核已结算，通报以结算结果为准。", request)


@require_POST
@roles.role_required(roles.REVIEWER)
def year_reopen(request):
    year, year_form = chosen_year(request, years_available())
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.year_reopen(year=year, reviewer=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _year_done(year, f"{year}年度已重新开放，结果恢复为实时预估。", request)
    return _year_refused(request, year, year_form, reopen_form=form)
