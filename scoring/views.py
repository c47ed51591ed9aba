"""Dashboard (领导, 审核员), unit drill-down, bulletin (通报) with its documents, periodic bulletins, 公示 objections.

The year-end buttons of the bulletin page post to yearend/."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import roles
from core.audit import export_record
from core.models import YearClose
from core.pdf import pdf_response, seal_data_uri
from core.roles import ALL_UNITS
from core.years import chosen_year
from publicity.background_exports import export_deliver
from publicity.models import Unit
from scoring import charts, pages, services
from scoring.forms import (
    AnswerForm,
    BulletinDocumentForm,
    ObjectionForm,
    PeriodForm,
    PublicizeForm,
    ReopenForm,
)
from scoring.models import Objection, policy_for_year
from scoring.services import years_available

BULLETIN_TITLE = "关于{year}年度人力资源和社会保障宣传工作考核结果的通报"
STATEMENT_TITLE = "{unit}{year}年度宣传工作考核得分说明"
NO_OWN_UNIT_MESSAGE = "您的账号尚未分配单位，请联系管理员。"


@roles.role_required(roles.LEADER, roles.REVIEWER)
def dashboard(request):
    year, form = chosen_year(request, years_available())
    state = services.year_state(year)
    compare = request.GET.get("compare") == "1"  # 与上一年度对比 (issue 15)
    body_html = pages.dashboard_compare_html(year, state) if compare else pages.page_html("dashboard", year, state)
    return render(request, "scoring/dashboard.html", {"year": year, "form": form, "body": body_html,
                                                      "compare": compare, "compare_option": True})


def _visible_units(user):
    return Unit.objects.visible_to(user)


@login_required
def unit(request, year, unit_id):
    unit = get_object_or_404(_visible_units(request.user), pk=unit_id)
    detail = services.unit_detail(year=year, unit=unit, today=timezone.localdate())
    return _render_unit(request, detail, objection_form=ObjectionForm())


def _statement_context(detail) -> dict:
    """What the unit page and its PDF statement show (templates/scoring/includes/unit_statement.html)."""
    state = detail.state
    return {"detail": detail, "year": detail.year, "result": detail.result, "final": detail.final,
            "in_notice": bool(state and state.state == YearClose.State.NOTICE)}


def _render_unit(request, detail, *, objection_form):
    state = detail.state
    own = roles.unit_scope(request.user) is not ALL_UNITS
    objections = Objection.objects.filter(year=detail.year, unit_id=detail.result.unit_id).select_related(
        "raised_by", "answered_by")
    live = {} if detail.final or not detail.result.lines else {detail.year: (detail.result, detail.ranked)}
    history = services.unit_history(unit=detail.unit, today=timezone.localdate(), known=live)
    context = {
        "history": history, "history_chart": _history_chart(history, detail.year),
        **_statement_context(detail),
        "can_object": own and bool(state and state.state == YearClose.State.NOTICE
                                   and timezone.localdate() <= state.notice_until),
        "objection_form": objection_form, "objections": objections, "sees_all": not own,
    }
    return render(request, "scoring/unit.html", context)


def _history_chart(history: services.UnitHistory, year: int):
    """Score per year as columns, scaled to the year's highest possible score (base + bonus cap)."""
    if len(history.years) < 2:
        return None
    policy = policy_for_year(year)
    top = max([policy.base + policy.base * policy.bonus_cap_ratio, *(y.result.shown_score for y in history.years)])
    return charts.column_chart([y.result.shown_score for y in history.years],
                               [f"{y.year}" for y in history.years], top=top, slot=max(46, 560 // len(history.years)))


@login_required
def unit_pdf(request, year, unit_id):
    """The unit's score statement (得分说明) as a PDF: the unit page's statement, as a document."""
    unit = get_object_or_404(_visible_units(request.user), pk=unit_id)
    detail = services.unit_detail(year=year, unit=unit, today=timezone.localdate())
    title = STATEMENT_TITLE.format(unit=unit.name, year=year)
    context = {**_statement_context(detail), "title": title, "bureau_name": settings.BUREAU_NAME,
               "printed_on": timezone.localdate()}
    response = pdf_response(request, template="scoring/unit_pdf.html", context=context, filename=f"{title}.pdf")
    if response.status_code == 200:
        export_record(actor=request.user, action="unit_statement_pdf", filename=f"{title}.pdf",
                      target="scoring.yearclose", unit=unit, year=year)
    return response


@login_required
def my_unit(request):
    own = roles.unit_of(request.user)
    if own is None:
        raise Http404(NO_OWN_UNIT_MESSAGE)
    year, _ = chosen_year(request, years_available())
    return redirect("scoring:unit", year, own.pk)


@require_POST
@roles.role_required(roles.OFFICER, roles.UNIT_HEAD, superuser=False)
def objection_lodge(request, year, unit_id):
    unit = get_object_or_404(_visible_units(request.user), pk=unit_id)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_lodge(year=year, unit=unit, user=request.user, text=form.cleaned_data["text"],
                                     today=timezone.localdate())
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, "异议已提交，审核员答复后会显示在本页。")
            return redirect("scoring:unit", year, unit.pk)
    detail = services.unit_detail(year=year, unit=unit, today=timezone.localdate())
    return _render_unit(request, detail, objection_form=form)


@login_required
def bulletin(request):
    year, form = chosen_year(request, years_available())
    return render_bulletin(request, year, form=form)


def _bulletin_body(year, state) -> str:
    """The bulletin's tables, for the page and the red-header PDF alike (from the cache: scoring/pagecache.py)."""
    return pages.page_html("bulletin", year, state)


def render_bulletin(request, year, *, form, publicize_form=None, reopen_form=None, status=200):
    state = services.year_state(year)
    context = {"year": year, "form": form, "state": state, "estimate": not (state and state.has_snapshot),
               "body": _bulletin_body(year, state),
               "is_reviewer": roles.is_reviewer(request.user), "document_form": BulletinDocumentForm(),
               "publicize_form": publicize_form or PublicizeForm(), "reopen_form": reopen_form or ReopenForm()}
    return render(request, "scoring/bulletin.html", context, status=status)


@login_required
def bulletin_pdf(request):
    """The bulletin as a red-header document (红头文件): bureau, document number, date, tables, seal."""
    year, _ = chosen_year(request, years_available())
    form = BulletinDocumentForm(request.GET)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(f"{reverse('scoring:bulletin')}?year={year}")
    state = services.year_state(year)
    estimate = not (state and state.has_snapshot)
    closed_on = state.closed_on if state and state.is_closed else None
    issued_on = form.cleaned_data["issued_on"] or closed_on or timezone.localdate()
    title = BULLETIN_TITLE.format(year=year)
    context = {"year": year, "title": title, "estimate": estimate, "body": _bulletin_body(year, state),
               "issuer": f"{settings.BUREAU_NAME}文件", "bureau_name": settings.BUREAU_NAME,
               "doc_number": form.document_number(prefix=settings.DOCUMENT_NUMBER_PREFIX, issued_on=issued_on),
               "issued_on": issued_on, "seal": seal_data_uri()}
    filename = f"{year}年度宣传工作考核通报{'（预估）' if estimate else ''}.pdf"
    response = pdf_response(request, template="scoring/bulletin_pdf.html", context=context, filename=filename)
    if response.status_code == 200:
        export_record(actor=request.user, action="bulletin_pdf", filename=filename, target="scoring.yearclose",
                      year=year, number=context["doc_number"])
    return response


@login_required
def bulletin_xlsx(request):
    year, _ = chosen_year(request, years_available())
    return export_deliver(request, "bulletin", year=year)


@roles.role_required(roles.REVIEWER)
def objections(request):
    year, form = chosen_year(request, years_available())
    rows = Objection.objects.filter(year=year).select_related("unit", "raised_by", "answered_by")
    return render(request, "scoring/objections.html",
                  {"year": year, "form": form, "objections": rows, "answer_form": AnswerForm()})


@require_POST
@roles.role_required(roles.REVIEWER)
def objection_answer(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(objection=objection, reviewer=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"已答复{objection.unit}的异议。")
    else:
        messages.error(request, form.errors["answer"][0])
    return redirect(f"{reverse('scoring:objections')}?year={objection.year}")


def _chosen_period(request):
    years = services.years_available() or [timezone.localdate().year]
    form = PeriodForm(request.GET or None, years=years,
                      initial={"year": years[0], "period": "quarter", "number": 1})
    if form.is_bound and form.is_valid():
        year, period, number = form.cleaned_data["year"], form.cleaned_data["period"], form.cleaned_data["number"]
    else:
        year, period, number = years[0], "quarter", 1
    return form, services.periodic_bulletin(year=year, period=period, number=number)


@login_required
def periodic(request):
    form, report = _chosen_period(request)
    download = f"{reverse('scoring:periodic_xlsx')}?year={report.year}&period={report.period}&number={report.number}"
    return render(request, "scoring/periodic.html",
                  {"form": form, "report": report, "year": report.year, "download": download})


@login_required
def periodic_xlsx(request):
    _, report = _chosen_period(request)
    return export_deliver(request, "periodic", year=report.year, period=report.period, number=report.number)
