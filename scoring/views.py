"""Dashboard (领导, 审核员), unit drill-down, bulletin (通报), periodic bulletins, year close and 公示."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.pdf import pdf_response, seal_data_uri
from publicity import roles
from publicity.audit import export_record
from publicity.models import ALL_UNITS, Unit
from scoring import charts, pagecache, rules, services
from scoring.exports import periodic_workbook, statistics_workbook
from scoring.forms import (
    AnswerForm,
    BulletinDocumentForm,
    ObjectionForm,
    PeriodForm,
    PublicizeForm,
    ReopenForm,
    chosen_year,
)
from scoring.models import Objection, YearClose, policy_for_year

MONTH_LABELS = [f"{m}月" for m in range(1, 13)]
BULLETIN_TITLE = "关于{year}年度人力资源和社会保障宣传工作考核结果的通报"
STATEMENT_TITLE = "{unit}{year}年度宣传工作考核得分说明"
NO_OWN_UNIT = "您的账号尚未分配单位，请联系管理员。"


def _score_charts(bulletin: services.Bulletin, year: int):
    """One horizontal bar chart of scores per unit kind, scaled to the year's highest possible score."""
    policy = policy_for_year(year)
    top = policy.base + policy.base * policy.bonus_cap_ratio
    return [
        (label, charts.hbar_chart(
            [(r.unit_name, r.shown_score, reverse("scoring:unit", args=[year, r.unit_id])) for r in rows],
            max_value=top, reference=policy.base, reference_label=f"基本分{rules.display_score(policy.base)}"))
        for label, rows in bulletin.by_kind
    ]


@roles.role_required(roles.LEADER, roles.REVIEWER)
def dashboard(request):
    year, form = chosen_year(request)
    state = services.year_state(year)
    # 与上一年度对比 (issue 15): the previous year as the bulletin shows it (snapshot or live estimate).
    compare = request.GET.get("compare") == "1"
    previous_state = services.year_state(year - 1) if compare else None

    def body() -> str:  # not called for a closed year already rendered (pagecache)
        bulletin = services.bulletin_for_year(year=year, state=state)
        months = services.monthly_approved(year=year)
        changes = None
        if compare:
            previous = services.bulletin_for_year(year=year - 1, state=previous_state)
            changes = services.year_comparison(current=bulletin, previous=previous)
        return render_to_string("scoring/includes/dashboard_body.html", {
            "year": year, "bulletin": bulletin, "score_charts": _score_charts(bulletin, year),
            "trend": charts.column_chart(months, MONTH_LABELS), "approved_total": sum(months),
            "compare": compare, "changes": changes,
        })

    if compare:
        # Cached only when both years are closed, under a key made of both closes.
        previous_key = pagecache.closed_year_key(previous_state, "previous")
        body_html = pagecache.closed_year_html(state if previous_key else None, f"dashboard-vs-{previous_key}", body)
    else:
        body_html = pagecache.closed_year_html(state, "dashboard", body)
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
        raise Http404(NO_OWN_UNIT)
    year, _ = chosen_year(request)
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
    year, form = chosen_year(request)
    return _render_bulletin(request, year, form=form)


def _bulletin_body(year, state) -> str:
    """The bulletin's tables, for the page and the red-header PDF alike (rendered once for a closed year)."""

    def body() -> str:  # not called for a closed year already rendered (pagecache)
        bulletin = services.bulletin_for_year(year=year, state=state)
        return render_to_string("scoring/includes/bulletin_body.html", {"year": year, "bulletin": bulletin})

    return pagecache.closed_year_html(state, "bulletin", body)


def _render_bulletin(request, year, *, form, publicize_form=None, reopen_form=None, status=200):
    state = services.year_state(year)
    context = {"year": year, "form": form, "state": state, "estimate": not (state and state.has_snapshot),
               "body": _bulletin_body(year, state),
               "is_reviewer": roles.is_reviewer(request.user), "document_form": BulletinDocumentForm(),
               "publicize_form": publicize_form or PublicizeForm(), "reopen_form": reopen_form or ReopenForm()}
    return render(request, "scoring/bulletin.html", context, status=status)


@login_required
def bulletin_pdf(request):
    """The bulletin as a red-header document (红头文件): bureau, document number, date, tables, seal."""
    year, _ = chosen_year(request)
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
    year, _ = chosen_year(request)
    bulletin = services.bulletin_for_year(year=year)
    suffix = "（预估）" if bulletin.estimate else ""
    # issue 15: last year's score beside this year's, as the bulletin of that year shows it.
    previous = {r.unit_id: r for r in services.bulletin_for_year(year=year - 1).results}
    workbook = statistics_workbook(year=year, results=bulletin.results,
                                   title=f"{year}年度宣传工作考核通报{suffix}", previous=previous)
    filename = f"{year}年度宣传工作考核通报{suffix}.xlsx"
    export_record(actor=request.user, action="bulletin_export", filename=filename, target="scoring.yearclose",
                  rows=len(bulletin.results), year=year)
    return workbook.response(filename)


def _year_done(year, message, request):
    messages.success(request, message)
    return redirect(f"{reverse('scoring:bulletin')}?year={year}")


def _year_refused(request, year, form, **forms):
    """Back to the bulletin with the reviewer's input and the reason it was refused."""
    return _render_bulletin(request, year, form=form, status=400, **forms)


@require_POST
@roles.role_required(roles.REVIEWER)
def year_publicize(request):
    year, year_form = chosen_year(request)
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
    year, year_form = chosen_year(request)
    try:
        services.year_close(year=year, reviewer=request.user, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _year_refused(request, year, year_form)
    return _year_done(year, f"{year}年度考核已结算，通报以结算结果为准。", request)


@require_POST
@roles.role_required(roles.REVIEWER)
def year_reopen(request):
    year, year_form = chosen_year(request)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.year_reopen(year=year, reviewer=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _year_done(year, f"{year}年度已重新开放，结果恢复为实时预估。", request)
    return _year_refused(request, year, year_form, reopen_form=form)


@roles.role_required(roles.REVIEWER)
def objections(request):
    year, form = chosen_year(request)
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
    export_record(actor=request.user, action="periodic_export", filename=f"{report.title}.xlsx",
                  target="publicity.publication")
    return periodic_workbook(report).response(f"{report.title}.xlsx")
