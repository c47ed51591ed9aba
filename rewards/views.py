"""Payout batch pages: the list with the reviewer's form to open a batch, a batch per person and per
unit with the publications behind each amount, confirmation, and the Excel exports."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core import roles
from core.audit import export_record
from core.pdf import pdf_response
from publicity.background_exports import export_deliver
from rewards.exports import (
    PAYOUT_HEADERS,
    UNIT_HEADERS,
    payout_rows,
    payout_title,
    unit_summary_rows,
    unit_summary_title,
)
from rewards.forms import BatchConfirmForm, BatchOpenForm
from rewards.models import PayoutBatch, PayoutLine, RateSheet
from rewards.services import (
    payout_batch_confirm,
    payout_batch_discard,
    payout_batch_lines,
    payout_batch_open,
    payout_batch_report,
)

READERS = (roles.OFFICER, roles.UNIT_HEAD, roles.REVIEWER, roles.LEADER)

OPENED_MESSAGE = "已生成发放批次草稿，请核对后确认。"
CONFIRMED_MESSAGE = "发放批次已确认，此后不能再修改。"
DISCARDED_MESSAGE = "发放批次草稿已删除。"


def _visible_batch(request, pk) -> PayoutBatch:
    return get_object_or_404(PayoutBatch.objects.visible_to(request.user).select_related("sheet__issuer"), pk=pk)


@roles.role_required(*READERS)
def batch_list(request, form=None):
    batches = PayoutBatch.objects.visible_to(request.user).select_related("sheet__issuer", "confirmed_by")
    # Each user's totals are the sums of the lines they may see.
    totals = dict(PayoutLine.objects.visible_to(request.user).filter(batch__in=batches).order_by()
                  .values_list("batch").annotate(s=Sum("amount")))
    rows = [(batch, totals.get(batch.pk)) for batch in batches]
    if form is None and roles.is_reviewer(request.user):
        latest = RateSheet.objects.bureau().order_by("-year").values_list("year", flat=True).first()
        form = BatchOpenForm(initial=BatchOpenForm.initial_for(latest or 2011))
    return render(request, "rewards/batch_list.html", {"rows": rows, "form": form})


@require_POST
@roles.role_required(roles.REVIEWER)
def batch_open(request):
    form = BatchOpenForm(request.POST)
    if form.is_valid():
        try:
            batch = payout_batch_open(year=form.cleaned_data["year"], period_end=form.cleaned_data["period_end"],
                                      sheet=form.cleaned_data["sheet"], reviewer=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, OPENED_MESSAGE)
            return redirect("rewards:batch_detail", pk=batch.pk)
    return batch_list(request, form=form)


@roles.role_required(*READERS)
def batch_detail(request, pk, confirm_form=None):
    batch = _visible_batch(request, pk)
    report = payout_batch_report(batch=batch, user=request.user)
    if confirm_form is None and not batch.is_confirmed and roles.is_reviewer(request.user):
        confirm_form = BatchConfirmForm()
    return render(request, "rewards/batch_detail.html", {"batch": batch, "report": report,
                                                          "confirm_form": confirm_form})


@require_POST
@roles.role_required(roles.REVIEWER)
def batch_confirm(request, pk):
    batch = _visible_batch(request, pk)
    form = BatchConfirmForm(request.POST)
    if form.is_valid():
        try:
            payout_batch_confirm(batch=batch, reviewer=request.user,
                                 override_reason=form.cleaned_data["override_reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, CONFIRMED_MESSAGE)
            return redirect("rewards:batch_detail", pk=batch.pk)
    return batch_detail(request, pk, confirm_form=form)


@require_POST
@roles.role_required(roles.REVIEWER)
def batch_discard(request, pk):
    batch = _visible_batch(request, pk)
    try:
        payout_batch_discard(batch=batch, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("rewards:batch_detail", pk=batch.pk)
    messages.success(request, DISCARDED_MESSAGE)
    return redirect("rewards:batches")


@roles.role_required(*READERS)
def batch_xlsx(request, pk):
    return export_deliver(request, "payout", batch_id=_visible_batch(request, pk).pk)


@roles.role_required(*READERS)
def batch_units_xlsx(request, pk):
    return export_deliver(request, "payout_units", batch_id=_visible_batch(request, pk).pk)


def _sheet_context(request, batch) -> dict:
    """The payout sheet of the lines this user may see (officers: their own unit's), for print and PDF."""
    lines = list(payout_batch_lines(batch=batch, user=request.user))
    return {"batch": batch, "title": payout_title(batch), "unit_title": unit_summary_title(batch),
            "bureau_name": settings.BUREAU_NAME, "lines": lines,
            "payout_headers": PAYOUT_HEADERS, "payout_rows": payout_rows(lines), "payout_numeric": {5, 6, 7},
            "unit_headers": UNIT_HEADERS, "unit_rows": unit_summary_rows(lines), "unit_numeric": {2, 3, 4}}


@roles.role_required(*READERS)
def batch_sheet(request, pk):
    """The payout sheet's print view (A4 landscape, with the 签领 column)."""
    return render(request, "rewards/batch_sheet.html", _sheet_context(request, _visible_batch(request, pk)))


@roles.role_required(*READERS)
def batch_pdf(request, pk):
    batch = _visible_batch(request, pk)
    context = _sheet_context(request, batch)
    filename = f"奖励发放表_{batch.year}_{batch.period_end:%m%d}.pdf"
    response = pdf_response(request, template="rewards/batch_pdf.html", context=context, filename=filename)
    if response.status_code == 200:
        export_record(actor=request.user, action="payout_pdf", filename=filename, target=batch,
                      rows=len(context["lines"]))
    return response


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
