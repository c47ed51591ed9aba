"""Periodic report pages (D10): the unit's periods and reports, filing a report, the officer roster,
and the reviewers' compliance page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core import roles
from core.audit import export_record
from core.xlsx_writer import XlsxBook
from core.years import year_from_request
from publicity.models import Unit
from reporting import deadlines
from reporting.duties import dates_for, duty_rows
from reporting.forms import ReportForm, RosterForm
from reporting.models import OfficerRoster, PeriodReport
from reporting.reports import compliance_table, period_publications, report_state, report_submit, roster_submit
from reporting.views_contributions import add_service_errors, private_file_response
from scoring.services import default_year

UNIT_PAGES = (roles.OFFICER, roles.UNIT_HEAD)
SEE = (roles.OFFICER, roles.UNIT_HEAD, roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)

DUTY_COLUMNS = ["调研专题", "工作计划", "第一责任人", "网站建设", "培训出勤", "逾期事项"]


def duty_cells(row) -> list[str]:
    """A unit's duties in the compliance table's columns (DOMAIN §11)."""
    return [row.topics_label, row.plan_label,
            f"{row.responsible.name}（{row.responsible.post}）" if row.responsible else "未填报",
            row.website_label, row.attendance.label, "；".join(duty.text for duty in row.overdue)]


def _own_unit(request) -> Unit:
    unit = roles.unit_of(request.user)
    if unit is None:
        raise Http404("您的账号尚未分配单位，请联系管理员。")
    return unit


@roles.role_required(*UNIT_PAGES)
def report_list(request):
    if roles.unit_of(request.user) is None and roles.sees_all_units(request.user):
        return redirect("reporting:compliance")
    unit = _own_unit(request)
    today = timezone.localdate()
    year = year_from_request(request, default=today.year)
    reports = {r.period_start: r for r in PeriodReport.objects.visible_to(request.user).filter(
        unit=unit, period_start__year=year).annotate(n_publications=Count("publications"))}
    rows = []
    for period in deadlines.periods_of_year(unit.kind, year):
        report = reports.get(period.start)
        state = report_state(report=report, due=period.due, today=today)
        rows.append({"period": period, "report": report, "state": state,
                     "state_label": deadlines.COMPLIANCE_LABELS[state],
                     "can_file": report is None and period.opens <= today})
    roster = OfficerRoster.objects.visible_to(request.user).filter(unit=unit, year=year).first()
    return render(request, "reporting/reports/list.html", {
        "unit": unit, "year": year, "rows": rows, "roster": roster, "roster_due": deadlines.roster_due(year),
        "is_officer": roles.has_role(request.user, roles.OFFICER),
        "kind_label": deadlines.PERIOD_KIND_LABELS[deadlines.period_kind_for(unit.kind)],
    })


@roles.role_required(roles.OFFICER, superuser=False)
def report_new(request, key):
    unit = _own_unit(request)
    period = deadlines.period_from_key(unit.kind, key)
    if period is None:
        raise Http404("没有这一报送期。")
    today = timezone.localdate()
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_submit(unit=unit, period=period, officer=request.user, today=today,
                                   note=form.cleaned_data["note"], attachment=form.cleaned_data["attachment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{period.label}已报送{'（逾期）' if report.is_late else ''}。")
            return redirect("reporting:report", pk=report.pk)
    return render(request, "reporting/reports/new.html", {
        "unit": unit, "period": period, "form": form, "today": today,
        "late": deadlines.is_late(today, period.due),
        "publications": period_publications(unit=unit, period=period),
    })


@roles.role_required(*SEE)
def report_detail(request, pk):
    report = get_object_or_404(PeriodReport.objects.visible_to(request.user).select_related("unit", "submitted_by"),
                               pk=pk)
    publications = report.publications.select_related("manuscript", "outlet").order_by("published_on", "id")
    return render(request, "reporting/reports/detail.html", {"report": report, "publications": publications})


@roles.role_required(*SEE)
def report_export(request, pk):
    """The report's detail table (明细表): the one detail table of 附件2 (exchange), with 审核状态."""
    from exchange.services import articles_export

    report = get_object_or_404(PeriodReport.objects.visible_to(request.user).select_related("unit"), pk=pk)
    title = f"{report.unit.name}{report.period.label}{report.get_period_kind_display()}稿件明细表"
    book = articles_export(publications=report.publications.all(), actor=request.user, title=title,
                           action="report_export", target=report, unit=report.unit)
    return book.response(f"{title}.xlsx")


@roles.role_required(*SEE)
def report_attachment(request, pk):
    report = get_object_or_404(PeriodReport.objects.visible_to(request.user), pk=pk)
    if not report.attachment:
        raise Http404("这份报送没有附件。")
    return private_file_response(report.attachment, report.attachment_name, report.attachment_content_type)


@roles.role_required(roles.OFFICER, superuser=False)
def roster(request):
    unit = _own_unit(request)
    today = timezone.localdate()
    current = OfficerRoster.objects.visible_to(request.user).filter(unit=unit, year=today.year).first()
    membership = getattr(request.user, "membership", None)
    initial = ({"officer_name": current.officer_name, "phone": current.phone} if current else
               {"officer_name": request.user.get_full_name(), "phone": membership.phone if membership else ""})
    form = RosterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roster_submit(unit=unit, year=today.year, officer=request.user, today=today, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{today.year}年信息宣传员名单已报送。")
            return redirect("reporting:reports")
    return render(request, "reporting/reports/roster.html", {
        "unit": unit, "year": today.year, "form": form, "current": current,
        "due": deadlines.roster_due(today.year), "late": deadlines.is_late(today, deadlines.roster_due(today.year)),
    })


@roles.role_required(roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)
def compliance(request):
    today = timezone.localdate()
    # the year the header and the other pages show (the latest year with quotas that has begun)
    year = year_from_request(request, default=default_year(today))
    table = compliance_table(year=year, today=today)
    # DOMAIN §11: each unit's duties beside its reports (topics, plan, website, training).
    dates = dates_for(year)
    duties = {row.unit.pk: row for row in duty_rows(year=year, today=today, dates=dates)}
    groups = [(label, [(row, duties[row.unit.pk]) for row in table[kind]])
              for kind, label in Unit.Kind.choices if table[kind]]
    return render(request, "reporting/reports/compliance.html", {
        "year": year, "groups": groups, "months": range(1, 13), "today": today,
        "roster_due": deadlines.roster_due(year), "annual_due": deadlines.annual_period(year).due,
        "dates": dates,
        "flagged": sum(1 for row in duties.values() if row.overdue or row.attendance.flagged),
    })



@roles.role_required(roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)
def compliance_export(request):
    """The compliance table as .xlsx: one sheet per unit kind."""
    today = timezone.localdate()
    year = year_from_request(request, default=default_year(today))
    table = compliance_table(year=year, today=today)
    duties = {row.unit.pk: row for row in duty_rows(year=year, today=today)}
    workbook = XlsxBook()
    for kind, label in Unit.Kind.choices:
        rows = table[kind]
        if not rows:
            continue
        periods = [cell.period.label for cell in rows[0].cells]
        workbook.add_sheet(label, ["单位", *periods, "信息宣传员名单", *DUTY_COLUMNS],
                           [[row.unit.name, *(cell.label for cell in row.cells), row.roster.label,
                             *duty_cells(duties[row.unit.pk])] for row in rows],
                           title=f"{year}年{label}定期报送及工作落实情况（截至{today:%Y-%m-%d}）")
    export_record(actor=request.user, action="compliance_export", filename=f"{year}年定期报送情况.xlsx",
                  target="reporting.periodreport", year=year)
    return workbook.response(f"{year}年定期报送情况.xlsx")
