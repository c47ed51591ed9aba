"""Periodic reports (报送, DOMAIN D10), the officer roster, compliance and reminders.

Periods and due dates come from the pure module reporting.deadlines; these services load, call it and write.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_record
from core.roles import OFFICER, officer_unit
from publicity.models import Publication, Status, Unit
from reporting import deadlines
from reporting.contributions import upload_content_type
from reporting.duties import duty_reminders
from reporting.models import OfficerRoster, PeriodReport, ReminderLog

# A report bundles the unit's publications that are in the system and not rejected: those awaiting review
# are reported too (the report is what the unit says it published; review decides what counts).
REPORTED_STATUSES = (Status.SUBMITTED, Status.APPROVED)

WRONG_PERIOD_MESSAGE = "{unit}应报送{kind}，不能报送这一期。"
NOT_OPEN_MESSAGE = "{period}的报送从{opens}起开放。"
ALREADY_REPORTED_MESSAGE = "{period}已于{at}报送，不能重复报送。"
NAME_REQUIRED_MESSAGE = "请填写信息宣传员姓名。"
PHONE_REQUIRED_MESSAGE = "请填写联系电话。"


def period_publications(*, unit: Unit, period: deadlines.Period):
    """The unit's publications dated in the period that a report bundles."""
    return (Publication.objects.filter(manuscript__unit=unit, status__in=REPORTED_STATUSES,
                                       published_on__gte=period.start, published_on__lte=period.end)
            .select_related("manuscript", "outlet").order_by("published_on", "id"))


@transaction.atomic
def report_submit(*, unit: Unit, period: deadlines.Period, officer, today: datetime.date, note: str = "",
                  attachment=None) -> PeriodReport:
    """File the unit's report of a period; nil when it has no publications; late after the due date."""
    officer_unit(officer, unit)
    expected = deadlines.period_kind_for(unit.kind)
    if period.kind != expected:
        raise ValidationError(WRONG_PERIOD_MESSAGE.format(unit=unit.name, kind=deadlines.PERIOD_KIND_LABELS[expected]))
    if today < period.opens:
        raise ValidationError(NOT_OPEN_MESSAGE.format(period=period.label, opens=deadlines.date_label(period.opens)))
    existing = PeriodReport.objects.filter(unit=unit, period_kind=period.kind, period_start=period.start).first()
    if existing:
        at = deadlines.date_label(timezone.localdate(existing.submitted_at))
        raise ValidationError(ALREADY_REPORTED_MESSAGE.format(period=period.label, at=at))
    attachment_type = upload_content_type(attachment) if attachment is not None else ""
    publications = list(period_publications(unit=unit, period=period))
    report = PeriodReport(
        unit=unit, period_kind=period.kind, period_start=period.start, period_end=period.end, due_on=period.due,
        submitted_at=timezone.now(), submitted_by=officer, is_late=deadlines.is_late(today, period.due),
        is_nil=not publications, note=note.strip(),
    )
    if attachment is not None:
        report.attachment_name = (getattr(attachment, "name", "") or "附件")[:200]
        report.attachment_content_type = attachment_type
        report.attachment.save(report.attachment_name, attachment, save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a second tab filed the same period a moment ago
        raise ValidationError(ALREADY_REPORTED_MESSAGE.format(period=period.label, at="刚才")) from exc
    report.publications.set(publications)
    audit_record(actor=officer, action="report.submit", target=report, unit=unit,
                 summary=f"报送{period.label}{deadlines.PERIOD_KIND_LABELS[period.kind]}"
                         f"（{'零报告' if report.is_nil else f'{len(publications)}篇'}"
                         f"{'，逾期' if report.is_late else ''}）",
                 after={"period": period.key, "publications": [p.pk for p in publications],
                        "late": report.is_late, "nil": report.is_nil})
    return report


@transaction.atomic
def roster_submit(*, unit: Unit, year: int, officer_name: str, phone: str, officer,
                  today: datetime.date) -> OfficerRoster:
    """File (or correct) the unit's officer for the year; lateness is that of the first filing."""
    officer_unit(officer, unit)
    errors = {}
    if not officer_name.strip():
        errors["officer_name"] = NAME_REQUIRED_MESSAGE
    if not phone.strip():
        errors["phone"] = PHONE_REQUIRED_MESSAGE
    if errors:
        raise ValidationError(errors)
    roster = OfficerRoster.objects.select_for_update().filter(unit=unit, year=year).first()
    before = {"officer_name": roster.officer_name, "phone": roster.phone} if roster else None
    if roster is None:
        roster = OfficerRoster(unit=unit, year=year, submitted_at=timezone.now(),
                               is_late=deadlines.is_late(today, deadlines.roster_due(year)))
    roster.officer_name = officer_name.strip()
    roster.phone = phone.strip()
    roster.submitted_by = officer
    roster.save()
    audit_record(actor=officer, action="roster.submit", target=roster, unit=unit,
                 summary=f"报送{year}年信息宣传员名单：{roster.officer_name}", before=before,
                 after={"officer_name": roster.officer_name, "phone": roster.phone, "late": roster.is_late})
    return roster


# --- compliance ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    period: deadlines.Period | None
    state: str
    report: PeriodReport | None = None

    @property
    def label(self) -> str:
        return deadlines.COMPLIANCE_LABELS[self.state]


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    cells: list[Cell]
    roster: Cell


def report_state(*, report, due: datetime.date, today: datetime.date) -> str:
    """On time / late from the filing's stored flag; missing / pending from the due date."""
    if report is not None:
        return deadlines.LATE if report.is_late else deadlines.ON_TIME
    return deadlines.compliance_state(due=due, today=today, submitted_on=None)


def compliance_table(*, year: int, today: datetime.date) -> dict[str, list[UnitRow]]:
    """Per unit kind, a row per active unit: each period of the year and the roster, on time / late / missing."""
    units = list(Unit.objects.filter(is_active=True))
    reports = {(r.unit_id, r.period_kind, r.period_start): r for r in
               PeriodReport.objects.filter(period_start__year=year)}
    rosters = {r.unit_id: r for r in OfficerRoster.objects.filter(year=year)}
    table: dict[str, list[UnitRow]] = {kind: [] for kind in Unit.Kind.values}
    roster_due = deadlines.roster_due(year)
    for unit in units:
        cells = []
        for period in deadlines.periods_of_year(unit.kind, year):
            report = reports.get((unit.id, period.kind, period.start))
            cells.append(Cell(period, report_state(report=report, due=period.due, today=today), report))
        roster_state = report_state(report=rosters.get(unit.id), due=roster_due, today=today)
        table[unit.kind].append(UnitRow(unit, cells, Cell(None, roster_state)))
    return table


# --- reminders -------------------------------------------------------------------------------------------


def reminder_items(*, unit: Unit, today: datetime.date, reported: set, rostered: set) -> list[str]:
    items = []
    for period in deadlines.reminder_periods(unit.kind, today):
        if (unit.id, period.kind, period.start) in reported:
            continue
        when = "已逾期" if today > period.due else "即将到期"
        name = f"{period.label}{deadlines.PERIOD_KIND_LABELS[period.kind]}"
        items.append(f"{name}：截止{deadlines.date_label(period.due)}（{when}）")
    for year in deadlines.reminder_roster_years(today):
        if (unit.id, year) in rostered:
            continue
        due = deadlines.roster_due(year)
        when = "已逾期" if today > due else "即将到期"
        items.append(f"{year}年信息宣传员名单：截止{deadlines.date_label(due)}（{when}）")
    return items


def reminders_send(*, today: datetime.date) -> list[ReminderLog]:
    """E-mail the officers of every unit with a report, roster or duty (DOMAIN §11) due within 3 days or overdue;
    once a day."""
    units = list(Unit.objects.filter(is_active=True))
    reported = set(PeriodReport.objects.filter(period_start__year__gte=today.year - 1)
                   .values_list("unit_id", "period_kind", "period_start"))
    rostered = set(OfficerRoster.objects.filter(year__gte=today.year - 1).values_list("unit_id", "year"))
    already = set(ReminderLog.objects.filter(sent_on=today).values_list("unit_id", flat=True))
    # DOMAIN §11: the notice's other duties due or overdue go into the same mail (a handful of queries in all).
    duty_lines = duty_reminders(today=today, units=units)
    officers: dict[int, list[str]] = {}
    for user in (get_user_model().objects.filter(is_active=True, groups__name=OFFICER,
                                                  membership__unit__isnull=False).exclude(email="")
                 .select_related("membership")):
        officers.setdefault(user.membership.unit_id, []).append(user.email)
    sent = []
    for unit in units:
        if unit.id in already or unit.id not in officers:
            continue
        items = reminder_items(unit=unit, today=today, reported=reported, rostered=rostered)
        items += duty_lines.get(unit.id, [])
        if not items:
            continue
        body = (f"{unit.name}信息宣传员：\n\n以下报送和工作落实事项即将到期或已逾期，请登录宣传工作考核系统办理：\n\n"
                + "\n".join(f"· {item}" for item in items)
                + "\n\n（逾期报送仍可提交，系统将标记为逾期。）\n")
        try:
            # The log and the mail together: a mail that fails leaves no log, so the next run tries again.
            with transaction.atomic():
                log = ReminderLog.objects.create(unit=unit, sent_on=today, recipients=", ".join(officers[unit.id]),
                                                 items="\n".join(items))
                send_mail(f"【报送提醒】{unit.name}：{len(items)}项报送待办", body, None, officers[unit.id])
        except IntegrityError:  # another run of the command got there first today
            continue
        audit_record(actor=None, action="report.remind", target=log, unit=unit,
                     summary=f"发送报送提醒：{unit.name}（{len(items)}项）", after={"items": items})
        sent.append(log)
    return sent
