"""The notice's other duties (DOMAIN §11): every write, audited and in the year lock, and the selectors that the
unit's page, the compliance page (报送情况), the reminders (D10) and the bulletin's 工作落实情况 table read.

Due dates and what is overdue are the pure rules of reporting.duty_rules; research topics and their completion
are publicity's (publicity.research). A selector reads the whole year in a handful of queries, never one per unit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import astuple, dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from core import roles
from core.audit import audit_record
from core.models import YearClose
from core.yearlock import year_lock_check
from publicity.models import Manuscript, ResearchTopic, Unit
from publicity.proofs import proof_check
from reporting import duty_rules
from reporting.deadlines import date_label, is_late, needs_reminder
from reporting.models import (
    LeadingGroupRole,
    OfficerRoster,
    ResponsiblePerson,
    TrainingAttendance,
    TrainingCourse,
    UnitLeader,
    UnitPlan,
    WebsiteStatus,
    YearSettings,
)

NOT_REVIEWER_MESSAGE = "只有审核员可以举办培训班和登记出勤。"
LEADER_REQUIRED_MESSAGE = "请至少填写领导小组组长的姓名。"
LEADER_NAME_MESSAGE = "第{row}行：请填写姓名，或清空这一行。"
DOCUMENT_REQUIRED_MESSAGE = "请上传年度宣传报道工作计划文件（Word、WPS、PDF 或扫描件）。"
SUMMARY_REQUIRED_MESSAGE = "请填写计划摘要（主要任务和措施，几句话即可）。"
STAFF_REQUIRED_MESSAGE = "请填写落实的宣传报道工作人员。"
STAFF_COUNT_MESSAGE = "工作人员人数应为1—999的整数。"
BUDGET_MESSAGE = "经费应为不小于0的金额（元），如 20000。"
PLAN_TAKEN_MESSAGE = "本单位{year}年的工作计划刚刚已由他人报送，请刷新页面后修改。"
NAME_REQUIRED_MESSAGE = "请填写姓名。"
POST_REQUIRED_MESSAGE = "请填写职务。"
WEBSITE_STATE_MESSAGE = "请选择网站建设情况：未建、建设中或已建成。"
WEBSITE_URL_MESSAGE = "网站已建成的，请填写网站地址（以 http:// 或 https:// 开头）。"
WEBSITE_DATE_MESSAGE = "网站已建成的，请填写开通日期。"
WEBSITE_FUTURE_MESSAGE = "开通日期不能晚于今天。"
COURSE_TITLE_MESSAGE = "请填写培训主题。"
COURSE_PLACE_MESSAGE = "请填写培训地点。"
ATTENDANCE_STATE_MESSAGE = "出勤情况应为 出席、缺席、请假 或 待登记。"
ATTENDANCE_ROW_MESSAGE = "这一行不属于本培训班，请刷新页面后重新登记。"


def _check_officer(officer, unit: Unit) -> None:
    """core.roles.officer_unit, the one rule of who files for a unit (a superuser has no unit, so is no officer)."""
    roles.officer_unit(officer, unit)


def _check_reviewer(reviewer) -> None:
    if not roles.is_reviewer(reviewer):
        raise PermissionDenied(NOT_REVIEWER_MESSAGE)


# --- the year's settings ------------------------------------------------------------------------------------


def year_settings(year: int) -> YearSettings | None:
    """The year's settings, else the latest earlier year's (the contact and the leading group carry over until the
    bureau enters new ones), with the leading group."""
    return (YearSettings.objects.filter(year__lte=year).order_by("-year").prefetch_related("leaders").first())


def _dates(year: int, own: YearSettings | None) -> duty_rules.DutyDates:
    if own is None:
        return duty_rules.duty_dates(year)
    return duty_rules.duty_dates(year, plan=own.plan_due, topics=own.topics_due, research=own.research_due,
                                 website=own.website_due)


def dates_for(year: int, settings: YearSettings | None = None) -> duty_rules.DutyDates:
    """The year's due dates: only the year's own settings may move them (an earlier year's dates are of that year)."""
    own = settings if settings is not None and settings.year == year else YearSettings.objects.filter(
        year=year).first()
    return _dates(year, own)


# --- the plan and its leading group -------------------------------------------------------------------------


def _clean_leaders(leaders) -> list[dict]:
    errors, cleaned = [], []
    for row, leader in enumerate(leaders, start=1):
        name = (leader.get("name") or "").strip()
        post = (leader.get("post") or "").strip()
        role = leader.get("role") or LeadingGroupRole.MEMBER
        if not name and not post:
            continue  # an empty row of the form
        if not name:
            errors.append(LEADER_NAME_MESSAGE.format(row=row))
            continue
        if role not in LeadingGroupRole.values:
            role = LeadingGroupRole.MEMBER
        cleaned.append({"role": role, "name": name, "post": post})
    if not errors and not any(leader["role"] == LeadingGroupRole.LEADER for leader in cleaned):
        errors.append(LEADER_REQUIRED_MESSAGE)
    if errors:
        raise ValidationError({"leaders": errors})
    return cleaned


def _plan_snapshot(plan: UnitPlan, leaders: list[dict]) -> dict:
    return {"summary": plan.summary, "staff": plan.staff, "staff_count": plan.staff_count,
            "budget": str(plan.budget), "document": plan.document_name,
            "leaders": [f"{LeadingGroupRole(x['role']).label} {x['name']} {x['post']}".strip() for x in leaders]}


@transaction.atomic
def plan_file(*, unit: Unit, year: int, officer, today: datetime.date, summary: str, staff: str, staff_count: int,
              budget: Decimal, leaders: list[dict], document=None) -> UnitPlan:
    """File (or correct) the unit's plan of the year with its leading group; late is the first filing's lateness.
    The document is required the first time; a later filing may keep it."""
    _check_officer(officer, unit)
    year_lock_check(year=year)
    errors: dict[str, list[str] | str] = {}
    try:
        leaders = _clean_leaders(leaders)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    summary, staff = (summary or "").strip(), (staff or "").strip()
    if not summary:
        errors["summary"] = SUMMARY_REQUIRED_MESSAGE
    if not staff:
        errors["staff"] = STAFF_REQUIRED_MESSAGE
    if staff_count is None or not 1 <= staff_count <= 999:
        errors["staff_count"] = STAFF_COUNT_MESSAGE
    if budget is None or budget < 0:
        errors["budget"] = BUDGET_MESSAGE
    plan = UnitPlan.objects.select_for_update().filter(unit=unit, year=year).first()
    checked = None
    if document is not None:
        try:
            checked = proof_check(document)
        except ValidationError as exc:
            errors["document"] = exc.messages
    elif plan is None:
        errors["document"] = DOCUMENT_REQUIRED_MESSAGE
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    before = None
    if plan is None:
        plan = UnitPlan(unit=unit, year=year, submitted_at=now,
                        is_late=is_late(today, dates_for(year).plan))
    else:
        before = _plan_snapshot(plan, list(plan.leaders.values("role", "name", "post")))
    plan.summary, plan.staff, plan.staff_count, plan.budget = summary, staff, staff_count, budget
    plan.submitted_by, plan.updated_at = officer, now
    if checked is not None:
        if plan.document:
            plan.document.delete(save=False)  # the replaced file is not kept: the audit trail names it
        plan.document_name = (getattr(document, "name", "") or "工作计划")[:200]
        plan.document_content_type = checked.content_type
        document.seek(0)
        plan.document.save(f"plan.{checked.extension}", document, save=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # another tab filed the year's plan a moment ago
        raise ValidationError(PLAN_TAKEN_MESSAGE.format(year=year)) from exc
    plan.leaders.all().delete()
    UnitLeader.objects.bulk_create([UnitLeader(plan=plan, sort_order=n, **leader) for n, leader in enumerate(leaders)])
    after = _plan_snapshot(plan, leaders)
    audit_record(actor=officer, action="plan.update" if before else "plan.file", target=plan, unit=unit,
                 summary=f"{'修改' if before else '报送'}{year}年度宣传报道工作计划"
                         f"{'（逾期）' if plan.is_late and not before else ''}",
                 before={k: v for k, v in before.items() if after[k] != v} if before else None,
                 after={k: v for k, v in after.items() if not before or before[k] != v})
    return plan


# --- the first responsible person ---------------------------------------------------------------------------


@transaction.atomic
def responsible_set(*, unit: Unit, year: int, officer, name: str, post: str) -> ResponsiblePerson:
    _check_officer(officer, unit)
    year_lock_check(year=year)
    name, post = (name or "").strip(), (post or "").strip()
    errors = {}
    if not name:
        errors["name"] = NAME_REQUIRED_MESSAGE
    if not post:
        errors["post"] = POST_REQUIRED_MESSAGE
    if errors:
        raise ValidationError(errors)
    person = ResponsiblePerson.objects.select_for_update().filter(unit=unit, year=year).first()
    before = {"name": person.name, "post": person.post} if person else None
    if person is None:
        person = ResponsiblePerson(unit=unit, year=year)
    person.name, person.post = name, post
    person.updated_at, person.updated_by = timezone.now(), officer
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # filed a moment ago in another tab: this one is the correction
        person = ResponsiblePerson.objects.select_for_update().get(unit=unit, year=year)
        person.name, person.post, person.updated_at, person.updated_by = name, post, timezone.now(), officer
        person.save()
    audit_record(actor=officer, action="responsible.set", target=person, unit=unit,
                 summary=f"填报{year}年第一责任人：{name}（{post}）", before=before,
                 after={"name": name, "post": post})
    return person


# --- the unit's website -------------------------------------------------------------------------------------


@transaction.atomic
def website_status_report(*, unit: Unit, officer, today: datetime.date, state: str, url: str = "",
                          online_on: datetime.date | None = None, note: str = "") -> WebsiteStatus:
    """Report the unit's website: a row of the history, and the unit's current state for D9 (a unit online
    submits to 局网站 by link) in the same transaction — the only writer of Unit.has_website and website_url
    outside the administrator's unit form."""
    _check_officer(officer, unit)
    year_lock_check(year=today.year)
    url, note = (url or "").strip(), (note or "").strip()
    errors = {}
    if state not in WebsiteStatus.State.values:
        errors["state"] = WEBSITE_STATE_MESSAGE
    elif state == WebsiteStatus.State.ONLINE:
        if not url:
            errors["url"] = WEBSITE_URL_MESSAGE
        if online_on is None:
            errors["online_on"] = WEBSITE_DATE_MESSAGE
        elif online_on > today:
            errors["online_on"] = WEBSITE_FUTURE_MESSAGE
    if errors:
        raise ValidationError(errors)
    online = state == WebsiteStatus.State.ONLINE
    report = WebsiteStatus.objects.create(unit=unit, state=state, url=url, online_on=online_on if online else None,
                                          note=note, reported_at=timezone.now(), reported_by=officer)
    before = {"has_website": unit.has_website, "website_url": unit.website_url}
    unit.has_website, unit.website_url = online, url if online else ""
    # An update, not save(): the unit's other fields (and the scores version) are not touched.
    Unit.objects.filter(pk=unit.pk).update(has_website=unit.has_website, website_url=unit.website_url)
    audit_record(actor=officer, action="website.report", target=report, unit=unit,
                 summary=f"报送网站建设情况：{report.get_state_display()}{'，' + url if online else ''}",
                 before=before, after={"has_website": unit.has_website, "website_url": unit.website_url,
                                       "state": state, "online_on": online_on.isoformat() if online else None,
                                       "note": note})
    return report


# --- training courses ---------------------------------------------------------------------------------------


def _invite(course: TrainingCourse) -> list[TrainingAttendance]:
    """The units whose officer roster of the course's year is filed and who are not invited yet (notice §1: the
    roster, due 11 March, is the training's list)."""
    invited = set(course.attendances.values_list("unit_id", flat=True))
    rosters = (OfficerRoster.objects.filter(year=course.year, unit__is_active=True).exclude(unit_id__in=invited)
               .select_related("unit").order_by("unit__kind", "unit__sort_order", "unit__name"))
    return TrainingAttendance.objects.bulk_create([
        TrainingAttendance(course=course, unit=roster.unit, officer_name=roster.officer_name, phone=roster.phone)
        for roster in rosters])


def _clean_course(*, title: str, place: str) -> tuple[str, str]:
    title, place = (title or "").strip(), (place or "").strip()
    errors = {}
    if not title:
        errors["title"] = COURSE_TITLE_MESSAGE
    if not place:
        errors["place"] = COURSE_PLACE_MESSAGE
    if errors:
        raise ValidationError(errors)
    return title, place


@transaction.atomic
def training_course_create(*, reviewer, title: str, held_on: datetime.date, place: str,
                           note: str = "") -> TrainingCourse:
    """A course, with every unit's rostered officer of its year invited."""
    _check_reviewer(reviewer)
    year_lock_check(year=held_on.year)
    title, place = _clean_course(title=title, place=place)
    course = TrainingCourse.objects.create(title=title, held_on=held_on, place=place, note=(note or "").strip(),
                                           created_by=reviewer)
    invited = _invite(course)
    audit_record(actor=reviewer, action="training.create", target=course, unit=None,
                 summary=f"举办培训班「{title}」（{held_on:%Y-%m-%d}，{place}），邀请{len(invited)}个单位的信息宣传员",
                 after={"title": title, "held_on": held_on.isoformat(), "place": place,
                        "invited": [a.unit_id for a in invited]})
    return course


@transaction.atomic
def training_course_update(*, course: TrainingCourse, reviewer, title: str, held_on: datetime.date, place: str,
                           note: str = "") -> TrainingCourse:
    _check_reviewer(reviewer)
    year_lock_check(year={course.held_on.year, held_on.year})
    title, place = _clean_course(title=title, place=place)
    before = {"title": course.title, "held_on": course.held_on.isoformat(), "place": course.place,
              "note": course.note}
    course.title, course.held_on, course.place, course.note = title, held_on, place, (note or "").strip()
    course.save()
    after = {"title": title, "held_on": held_on.isoformat(), "place": place, "note": course.note}
    audit_record(actor=reviewer, action="training.update", target=course, summary=f"修改培训班「{title}」",
                 before={k: v for k, v in before.items() if after[k] != v},
                 after={k: v for k, v in after.items() if before[k] != v})
    return course


@transaction.atomic
def training_invite_refresh(*, course: TrainingCourse, reviewer) -> list[TrainingAttendance]:
    """Invite the units whose roster was filed after the course was set up."""
    _check_reviewer(reviewer)
    year_lock_check(year=course.year)
    invited = _invite(course)
    if invited:
        audit_record(actor=reviewer, action="training.invite", target=course,
                     summary=f"培训班「{course.title}」补充邀请{len(invited)}个单位",
                     after={"invited": [a.unit_id for a in invited]})
    return invited


@transaction.atomic
def training_attendance_record(*, course: TrainingCourse, reviewer, marks: dict[int, tuple[str, str]]) -> int:
    """The whole course's attendance in one go (attendance id → (state, note)); one audit entry lists the
    changes. Returns how many rows changed."""
    _check_reviewer(reviewer)
    year_lock_check(year=course.year)
    rows = {a.pk: a for a in course.attendances.select_for_update().select_related("unit")}
    errors = []
    for pk, (state, _note) in marks.items():
        if pk not in rows:
            errors.append(ATTENDANCE_ROW_MESSAGE)
        elif state not in TrainingAttendance.State.values:
            errors.append(ATTENDANCE_STATE_MESSAGE)
    if errors:
        raise ValidationError(sorted(set(errors)))
    now = timezone.now()
    changes, changed = [], []
    for pk, (state, note) in marks.items():
        attendance, note = rows[pk], (note or "").strip()[:200]
        if (attendance.state, attendance.note) == (state, note):
            continue
        changes.append({"unit": attendance.unit.name, "before": attendance.state, "after": state, "note": note})
        attendance.state, attendance.note, attendance.recorded_at, attendance.recorded_by = state, note, now, reviewer
        changed.append(attendance)
    TrainingAttendance.objects.bulk_update(changed, ["state", "note", "recorded_at", "recorded_by"])
    if changed:
        audit_record(actor=reviewer, action="training.attendance", target=course,
                     summary=f"登记培训班「{course.title}」出勤（{len(changed)}个单位）",
                     before={c["unit"]: c["before"] for c in changes},
                     after={c["unit"]: {"state": c["after"], "note": c["note"]} for c in changes})
    return len(changed)


# --- selectors ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Website:
    state: str
    url: str = ""
    online_on: datetime.date | None = None
    reported_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return duty_rules.WEBSITE_LABELS[self.state]


@dataclass
class DutyRow:
    """One unit's duties of a year, as the compliance page, the reminders and the bulletin show them."""

    unit: Unit
    facts: duty_rules.UnitFacts
    responsible: ResponsiblePerson | None
    plan_late: bool | None  # None: not filed
    website: Website
    attendance: duty_rules.Attendance
    overdue: list[duty_rules.Duty] = field(default_factory=list)

    @property
    def topics_label(self) -> str:
        return duty_rules.topics_label(self.facts)

    @property
    def website_label(self) -> str:
        return duty_rules.website_label(self.facts)

    @property
    def plan_label(self) -> str:
        if self.plan_late is None:
            return "未报送"
        return "逾期报送" if self.plan_late else "已报送"

    def overdue_keys(self) -> set[str]:
        return {duty.key for duty in self.overdue}


def _year_end(year: int, today: datetime.date) -> datetime.datetime:
    """The moment up to which a year's website reports count: the year's end, or now for the running year."""
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return min(end, timezone.now()) if today.year <= year else end


def _websites(units, *, until: datetime.datetime) -> dict[int, Website]:
    """Each unit's website as last reported before `until`; a unit that never reported is what its unit record
    says (the reference data's has_website)."""
    latest: dict[int, Website] = {}
    for report in (WebsiteStatus.objects.filter(unit__in=units, reported_at__lt=until)
                   .order_by("unit_id", "-reported_at", "-id")):
        latest.setdefault(report.unit_id, Website(report.state, report.url, report.online_on, report.reported_at))
    for unit in units:
        if unit.pk not in latest:
            latest[unit.pk] = (Website(duty_rules.WEBSITE_ONLINE, unit.website_url) if unit.has_website
                               else Website(duty_rules.WEBSITE_NONE))
    return latest


def duty_rows(*, year: int, today: datetime.date, units=None,
              dates: duty_rules.DutyDates | None = None) -> list[DutyRow]:
    """Every (or the given) active unit's duties of the year, in the units' order: seven queries in all."""
    units = list(units if units is not None else Unit.objects.filter(is_active=True))
    ids = [unit.pk for unit in units]
    filed, completed = defaultdict(int), defaultdict(int)
    for unit_id, completed_on in (ResearchTopic.objects.filter(year=year, unit__in=ids).with_completion()
                                  .values_list("unit_id", "completed_on")):
        filed[unit_id] += 1
        completed[unit_id] += completed_on is not None
    plans = dict(UnitPlan.objects.filter(year=year, unit__in=ids).values_list("unit_id", "is_late"))
    responsible = {p.unit_id: p for p in ResponsiblePerson.objects.filter(year=year, unit__in=ids)}
    websites = _websites(units, until=_year_end(year, today))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, state, n in (TrainingAttendance.objects.filter(course__held_on__year=year, unit__in=ids)
                              .values_list("unit_id", "state").annotate(n=Count("id")).order_by()):
        counts[unit_id][state] = n
    dates = dates or dates_for(year)
    rows = []
    for unit in units:
        facts = duty_rules.UnitFacts(unit_kind=unit.kind, topics_filed=filed[unit.pk],
                                     topics_completed=completed[unit.pk], plan_filed=unit.pk in plans,
                                     responsible_filed=unit.pk in responsible,
                                     website_state=websites[unit.pk].state)
        by_state = counts.get(unit.pk, {})
        attendance = duty_rules.Attendance(invited=sum(by_state.values()), attended=by_state.get("attended", 0),
                                           absent=by_state.get("absent", 0), excused=by_state.get("excused", 0))
        rows.append(DutyRow(unit=unit, facts=facts, responsible=responsible.get(unit.pk), plan_late=plans.get(unit.pk),
                            website=websites[unit.pk], attendance=attendance,
                            overdue=duty_rules.overdue_duties(year=year, facts=facts, dates=dates, today=today)))
    return rows


def duties_by_kind(*, year: int, today: datetime.date) -> list[tuple[str, list[DutyRow]]]:
    """The rows grouped under the unit kinds' labels, in the kinds' order (as the compliance page groups)."""
    rows = duty_rows(year=year, today=today)
    return [(label, [r for r in rows if r.unit.kind == kind]) for kind, label in Unit.Kind.choices
            if any(r.unit.kind == kind for r in rows)]


def duty_reminders(*, today: datetime.date, units) -> dict[int, list[str]]:
    """Per unit, the reminder lines of duties due within days or overdue (D10's window), for this year and last
    (a website due 31 December is reminded into January) — not for a closed year, which nobody can change, nor
    for a year none of whose due dates is in the window (no query then)."""
    years = (today.year - 1, today.year)
    settings = {s.year: s for s in YearSettings.objects.filter(year__in=years)}
    closed = set(YearClose.objects.filter(year__in=years, state=YearClose.State.CLOSED)
                 .values_list("year", flat=True))
    lines: dict[int, list[str]] = defaultdict(list)
    for year in years:
        dates = _dates(year, settings.get(year))
        if year in closed or not any(needs_reminder(day, today) for day in astuple(dates)):
            continue
        for row in duty_rows(year=year, today=today, units=units, dates=dates):
            for duty in duty_rules.reminder_duties(year=year, facts=row.facts, dates=dates, today=today):
                lines[row.unit.pk].append(duty.line(today))
    return lines


@dataclass
class UnitDuties:
    """Everything of one unit's duties in a year, for its page and its printed form."""

    unit: Unit
    year: int
    settings: YearSettings | None
    dates: duty_rules.DutyDates
    row: DutyRow
    topics: list
    plan: UnitPlan | None
    websites: list[WebsiteStatus]
    attendances: list[TrainingAttendance]
    open_duties: list[duty_rules.Duty]

    @property
    def can_add_topic(self) -> bool:
        from publicity.research import MAX_TOPICS_PER_YEAR

        return len(self.topics) < MAX_TOPICS_PER_YEAR


def unit_duties(*, unit: Unit, year: int, today: datetime.date) -> UnitDuties:
    settings = year_settings(year)
    dates = dates_for(year, settings)
    row = duty_rows(year=year, today=today, units=[unit])[0]
    topics = list(ResearchTopic.objects.filter(unit=unit, year=year).with_completion()
                  .annotate(articles=Count("manuscripts", distinct=True)).order_by("created_at", "id"))
    plan = UnitPlan.objects.filter(unit=unit, year=year).prefetch_related("leaders").select_related(
        "submitted_by").first()
    websites = list(WebsiteStatus.objects.filter(unit=unit).select_related("reported_by")[:20])
    attendances = list(TrainingAttendance.objects.filter(unit=unit, course__held_on__year=year)
                       .select_related("course").order_by("course__held_on"))
    return UnitDuties(unit=unit, year=year, settings=settings, dates=dates, row=row, topics=topics, plan=plan,
                      websites=websites, attendances=attendances,
                      open_duties=duty_rules.open_duties(year=year, facts=row.facts, dates=dates))


def topic_articles(*, topic: ResearchTopic):
    """The research articles linked to a topic (for its unit's page)."""
    return Manuscript.objects.filter(research_topic=topic).prefetch_related("publications__outlet").order_by("pk")


def due_label(day: datetime.date) -> str:
    return date_label(day)
