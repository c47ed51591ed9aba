"""Pages of the notice's other duties (DOMAIN §11). Thin: permission → form → one service → redirect.

Officers file their own unit's research topics, plan with its leading group, first responsible person and website
status (工作落实); unit heads read their own unit's page; reviewers and leaders read every unit's page, the website
progress table and the training courses, and reviewers run the courses and record attendance.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import roles
from core.years import year_from_request
from publicity.models import ResearchTopic, Unit
from publicity.research import research_topic_create, research_topic_delete, research_topic_update
from reporting import duties, duty_rules
from reporting.forms_duties import (
    AttendanceFormSet,
    LeaderFormSet,
    PlanForm,
    ResearchTopicForm,
    ResponsibleForm,
    TrainingCourseForm,
    WebsiteForm,
)
from reporting.models import (
    LeadingGroupRole,
    OfficerRoster,
    ResponsiblePerson,
    TrainingAttendance,
    TrainingCourse,
    UnitPlan,
    WebsiteStatus,
)
from reporting.views_contributions import add_service_errors, private_file_response
from scoring.services import default_year

SEE = (roles.OFFICER, roles.UNIT_HEAD, roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)
BUREAU = (roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)

NO_UNIT_MESSAGE = "您的账号尚未分配单位，请联系管理员。"
SAVED_MESSAGE = "{what}已保存。"


def _own_unit(request) -> Unit:
    unit = roles.unit_of(request.user)
    if unit is None:
        raise Http404(NO_UNIT_MESSAGE)
    return unit


def _year(request) -> int:
    """?year=, else the year the other pages show (the latest year with quotas that has begun)."""
    return year_from_request(request, default=default_year(timezone.localdate()))


def _back(unit: Unit, year: int) -> str:
    return f"{reverse('reporting:unit_duties', args=[unit.pk])}?year={year}"


def _service(form, call):
    """Run a service; its ValidationError lands on the form, its PermissionDenied is a 403 page."""
    try:
        return call(), True
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, False


# --- the unit's page ------------------------------------------------------------------------------------------


@roles.role_required(*SEE)
def duties_home(request):
    """工作落实: the own unit's page; the bureau starts on the compliance page, which has every unit."""
    if roles.sees_all_units(request.user):
        return redirect("reporting:compliance")
    return redirect(_back(_own_unit(request), _year(request)))  # no unit yet: not found, as 定期报送


@roles.role_required(*SEE)
def unit_duties(request, unit_id):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    year = _year(request)
    today = timezone.localdate()
    is_own_officer = roles.has_role(request.user, roles.OFFICER) and roles.unit_of(request.user) == unit
    return render(request, "reporting/duties/unit.html", {
        "d": duties.unit_duties(unit=unit, year=year, today=today), "year": year, "today": today,
        "can_file": is_own_officer,
    })


@roles.role_required(*SEE)
def duties_print(request, unit_id):
    """The unit's duties as a printable form (工作落实情况备案表), with the bureau's contact."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    year = _year(request)
    return render(request, "reporting/duties/print.html", {
        "d": duties.unit_duties(unit=unit, year=year, today=timezone.localdate()), "year": year,
        "today": timezone.localdate(),
    })


# --- research topics -----------------------------------------------------------------------------------------


@roles.role_required(roles.OFFICER, superuser=False)
def topic_new(request):
    unit, year = _own_unit(request), _year(request)
    form = ResearchTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _topic, ok = _service(form, lambda: research_topic_create(officer=request.user, unit=unit, year=year,
                                                                   **form.cleaned_data))
        if ok:
            messages.success(request, f"{year}年调研专题「{form.cleaned_data['title']}」已填报。")
            return redirect(_back(unit, year))
    return render(request, "reporting/duties/topic_form.html", {"form": form, "unit": unit, "year": year})


def _own_topic(request, pk) -> ResearchTopic:
    return get_object_or_404(ResearchTopic.objects.visible_to(request.user).filter(unit=_own_unit(request)), pk=pk)


@roles.role_required(roles.OFFICER, superuser=False)
def topic_edit(request, pk):
    topic = _own_topic(request, pk)
    initial = {"title": topic.title, "lead": topic.lead, "planned_completion": topic.planned_completion}
    form = ResearchTopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _topic, ok = _service(form, lambda: research_topic_update(topic=topic, officer=request.user,
                                                                   **form.cleaned_data))
        if ok:
            messages.success(request, SAVED_MESSAGE.format(what=f"调研专题「{topic.title}」"))
            return redirect(_back(topic.unit, topic.year))
    return render(request, "reporting/duties/topic_form.html",
                  {"form": form, "unit": topic.unit, "year": topic.year, "topic": topic})


@require_POST
@roles.role_required(roles.OFFICER, superuser=False)
def topic_delete(request, pk):
    topic = _own_topic(request, pk)
    try:
        research_topic_delete(topic=topic, officer=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已删除调研专题「{topic.title}」。")
    return redirect(_back(topic.unit, topic.year))


# --- the plan, the first responsible person, the website ---------------------------------------------------------


@roles.role_required(roles.OFFICER, superuser=False)
def plan_edit(request):
    unit, year = _own_unit(request), _year(request)
    plan = UnitPlan.objects.visible_to(request.user).filter(unit=unit, year=year).first()
    initial = {}
    leaders_initial = [{"role": LeadingGroupRole.LEADER}]
    if plan is not None:
        initial = {"summary": plan.summary, "staff": plan.staff, "staff_count": plan.staff_count,
                   "budget": plan.budget}
        leaders_initial = list(plan.leaders.values("role", "name", "post")) or leaders_initial
    form = PlanForm(request.POST or None, request.FILES or None, initial=initial, has_document=plan is not None)
    formset = LeaderFormSet(request.POST or None, initial=leaders_initial, prefix="leaders")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        _plan, ok = _service(form, lambda: duties.plan_file(
            unit=unit, year=year, officer=request.user, today=timezone.localdate(), summary=data["summary"],
            staff=data["staff"], staff_count=data["staff_count"], budget=data["budget"],
            leaders=formset.leaders(), document=data["document"]))
        if ok:
            messages.success(request, f"{year}年度宣传报道工作计划已报送。")
            return redirect(_back(unit, year))
    dates = duties.dates_for(year)
    return render(request, "reporting/duties/plan_form.html", {
        "form": form, "formset": formset, "unit": unit, "year": year, "plan": plan, "due": dates.plan,
        "late": plan is None and timezone.localdate() > dates.plan,
        "leader_errors": form.errors.get("leaders", []),
    })


@roles.role_required(*SEE)
def plan_document(request, pk):
    plan = get_object_or_404(UnitPlan.objects.visible_to(request.user), pk=pk)
    return private_file_response(plan.document, plan.document_name, plan.document_content_type)


@roles.role_required(roles.OFFICER, superuser=False)
def responsible_edit(request):
    unit, year = _own_unit(request), _year(request)
    current = ResponsiblePerson.objects.visible_to(request.user).filter(unit=unit, year=year).first()
    initial = {"name": current.name, "post": current.post} if current else {}
    form = ResponsibleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _person, ok = _service(form, lambda: duties.responsible_set(unit=unit, year=year, officer=request.user,
                                                                     **form.cleaned_data))
        if ok:
            messages.success(request, SAVED_MESSAGE.format(what=f"{year}年第一责任人"))
            return redirect(_back(unit, year))
    return render(request, "reporting/duties/responsible_form.html",
                  {"form": form, "unit": unit, "year": year, "current": current})


@roles.role_required(roles.OFFICER, superuser=False)
def website_edit(request):
    unit, year = _own_unit(request), _year(request)
    today = timezone.localdate()
    latest = WebsiteStatus.objects.visible_to(request.user).filter(unit=unit).first()
    initial = ({"state": latest.state, "url": latest.url, "online_on": latest.online_on} if latest else
               {"state": "online" if unit.has_website else "none", "url": unit.website_url})
    form = WebsiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _report, ok = _service(form, lambda: duties.website_status_report(unit=unit, officer=request.user,
                                                                           today=today, **form.cleaned_data))
        if ok:
            messages.success(request, "网站建设情况已报送。")
            return redirect(_back(unit, year))
    return render(request, "reporting/duties/website_form.html", {
        "form": form, "unit": unit, "year": year, "latest": latest,
        "required": duty_rules.website_required(unit.kind), "due": duties.dates_for(year).website,
    })


# --- the bureau's pages ------------------------------------------------------------------------------------------


@roles.role_required(*BUREAU)
def websites(request):
    """The website progress table (网站建设进度): every county's and affiliated unit's status, then the sections'."""
    year, today = _year(request), timezone.localdate()
    rows = duties.duty_rows(year=year, today=today)
    required = [r for r in rows if duty_rules.website_required(r.unit.kind)]
    online = sum(1 for r in required if r.website.state == "online")
    return render(request, "reporting/duties/websites.html", {
        "year": year, "today": today, "rows": required, "others": [r for r in rows if r not in required],
        "online": online, "due": duties.dates_for(year).website,
    })


@roles.role_required(*BUREAU)
def trainings(request):
    courses = TrainingCourse.objects.visible_to(request.user).annotate(
        n_total=Count("attendances"),
        **{f"n_{state}": Count("attendances", filter=Q(attendances__state=state))
           for state in TrainingAttendance.State.values})
    return render(request, "reporting/training/list.html", {
        "courses": courses, "can_create": roles.is_reviewer(request.user)})


@roles.role_required(roles.REVIEWER)
def training_new(request):
    form = TrainingCourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course, ok = _service(form, lambda: duties.training_course_create(reviewer=request.user,
                                                                           **form.cleaned_data))
        if ok:
            messages.success(request, f"培训班已创建，已按{course.year}年信息宣传员名单邀请"
                                      f"{course.attendances.count()}个单位。")
            return redirect("reporting:training", pk=course.pk)
    return render(request, "reporting/training/form.html", {"form": form})


@roles.role_required(roles.REVIEWER)
def training_edit(request, pk):
    course = get_object_or_404(TrainingCourse.objects.visible_to(request.user), pk=pk)
    initial = {"title": course.title, "held_on": course.held_on, "place": course.place, "note": course.note}
    form = TrainingCourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _course, ok = _service(form, lambda: duties.training_course_update(course=course, reviewer=request.user,
                                                                            **form.cleaned_data))
        if ok:
            messages.success(request, SAVED_MESSAGE.format(what="培训班信息"))
            return redirect("reporting:training", pk=course.pk)
    return render(request, "reporting/training/form.html", {"form": form, "course": course})


@roles.role_required(*BUREAU)
def training_detail(request, pk):
    """The course with its invitation list; a reviewer records the whole course's attendance in one form."""
    course = get_object_or_404(TrainingCourse.objects.visible_to(request.user), pk=pk)
    attendances = list(course.attendances.select_related("unit", "recorded_by"))
    can_record = roles.is_reviewer(request.user)
    if request.method == "POST" and not can_record:
        raise PermissionDenied("只有审核员可以登记出勤。")
    initial = [{"attendance": a.pk, "state": a.state, "note": a.note, "unit_name": a.unit.name}
               for a in attendances]
    formset = AttendanceFormSet(request.POST or None, initial=initial, prefix="attendance")
    if request.method == "POST":
        if formset.is_valid():
            try:
                changed = duties.training_attendance_record(course=course, reviewer=request.user,
                                                            marks=formset.marks())
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"出勤已登记（{changed}个单位有变动）。")
                return redirect("reporting:training", pk=course.pk)
        else:
            messages.error(request, "出勤登记有需要修改的地方，请查看标红的行。")
    rows = list(zip(attendances, formset.forms, strict=False)) if can_record else [(a, None) for a in attendances]
    not_invited = (OfficerRoster.objects.filter(year=course.year, unit__is_active=True)
                   .exclude(unit__in=[a.unit_id for a in attendances]).count())
    missing_roster = Unit.objects.filter(is_active=True).exclude(rosters__year=course.year).order_by(
        "kind", "sort_order", "name")
    return render(request, "reporting/training/detail.html", {
        "course": course, "rows": rows, "formset": formset, "can_record": can_record,
        "not_invited": not_invited, "missing_roster": missing_roster,
        "counts": {state: sum(1 for a in attendances if a.state == state) for state in
                   ("invited", "attended", "absent", "excused")},
    }, status=400 if request.method == "POST" else 200)


@require_POST
@roles.role_required(roles.REVIEWER)
def training_invite(request, pk):
    course = get_object_or_404(TrainingCourse.objects.visible_to(request.user), pk=pk)
    try:
        invited = duties.training_invite_refresh(course=course, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已补充邀请{len(invited)}个单位。" if invited else "没有需要补充邀请的单位。")
    return redirect("reporting:training", pk=course.pk)
