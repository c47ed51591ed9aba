"""Commendation pages (表彰): the list every user reads, the reviewer's propose / confirm / remove, and
the certificates' print view (A4, one per page)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import roles
from core.audit import export_record
from core.pdf import pdf_response
from core.years import chosen_year
from rewards.models import Commendation
from rewards.services import commendation_confirm, commendation_remove, commendations_propose
from scoring.services import years_available

EVERYONE = (roles.OFFICER, roles.UNIT_HEAD, roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)

PROPOSED_MESSAGE = "已按{year}年度结算结果生成表彰建议名单（{n}项），请逐项确认或移除。"
CONFIRMED_MESSAGE = "已确认：{who}。"
REMOVED_MESSAGE = "已移除：{who}。"
NO_CERTIFICATES_MESSAGE = "{year}年度还没有已确认的表彰，没有可下载的证书。"


def _back(year: int):
    return redirect(f"{reverse('rewards:commendations')}?year={year}")


@roles.role_required(*EVERYONE)
def commendation_list(request):
    year, form = chosen_year(request, years_available())
    items = Commendation.objects.filter(year=year).select_related("unit", "confirmed_by")
    reviewer = roles.is_reviewer(request.user)
    if not reviewer:
        items = items.filter(status=Commendation.State.CONFIRMED)
    items = list(items)
    groups = [(kind, label, [c for c in items if c.kind == kind]) for kind, label in Commendation.Kind.choices]
    return render(request, "rewards/commendations.html", {
        "year": year, "form": form, "groups": groups, "reviewer": reviewer,
        "confirmed": sum(1 for c in items if c.is_confirmed)})


@require_POST
@roles.role_required(roles.REVIEWER)
def commendation_propose(request):
    year, _ = chosen_year(request, years_available())
    try:
        proposals = commendations_propose(year=year, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, PROPOSED_MESSAGE.format(year=year, n=len(proposals)))
    return _back(year)


@require_POST
@roles.role_required(roles.REVIEWER)
def commendation_confirm_view(request, pk):
    commendation = get_object_or_404(Commendation.objects.select_related("unit"), pk=pk)
    try:
        commendation_confirm(commendation=commendation, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, CONFIRMED_MESSAGE.format(who=commendation.awardee))
    return _back(commendation.year)


@require_POST
@roles.role_required(roles.REVIEWER)
def commendation_remove_view(request, pk):
    commendation = get_object_or_404(Commendation.objects.select_related("unit"), pk=pk)
    commendation_remove(commendation=commendation, reviewer=request.user)
    messages.success(request, REMOVED_MESSAGE.format(who=commendation.awardee))
    return _back(commendation.year)


def _certificates(request):
    """Every confirmed commendation of the year (or ?id= one of them), in the certificates' order."""
    year, _ = chosen_year(request, years_available())
    items = (Commendation.objects.filter(year=year, status=Commendation.State.CONFIRMED)
             .select_related("unit").order_by("kind", "rank", "id"))
    if request.GET.get("id", "").isdigit():
        items = items.filter(pk=int(request.GET["id"]))
    return year, list(items)


@roles.role_required(roles.REVIEWER)
def commendation_certificates(request):
    """The certificates' print view: one A4 certificate per page."""
    year, items = _certificates(request)
    pdf_url = f"{reverse('rewards:commendation_certificates_pdf')}?{request.GET.urlencode() or f'year={year}'}"
    return render(request, "rewards/certificates.html", {
        "year": year, "items": items, "bureau_name": settings.BUREAU_NAME, "pdf_url": pdf_url})


@roles.role_required(roles.REVIEWER)
def commendation_certificates_pdf(request):
    """The same certificates as a PDF (one page each)."""
    year, items = _certificates(request)
    if not items:
        messages.error(request, NO_CERTIFICATES_MESSAGE.format(year=year))
        return redirect(f"{reverse('rewards:commendation_certificates')}?year={year}")
    filename = f"{year}年度荣誉证书.pdf"
    response = pdf_response(request, template="rewards/certificates_pdf.html", filename=filename,
                            context={"year": year, "items": items, "bureau_name": settings.BUREAU_NAME})
    if response.status_code == 200:
        export_record(actor=request.user, action="certificates_pdf", filename=filename,
                      target="rewards.commendation", rows=len(items), year=year)
    return response
