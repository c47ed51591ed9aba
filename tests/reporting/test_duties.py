"""The duties' services and selectors (DOMAIN §11): plans with leading groups, first responsible persons, website
reports, training courses with attendance; the compliance rows and reminders they feed."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import AuditEvent, YearClose
from core.uploads import sample_pdf
from publicity.models import Manuscript, Outlet, Publication, ResearchTopic, Status, Unit
from reporting import duties
from reporting.forms import ContributionForm
from reporting.models import OfficerRoster, TrainingAttendance, UnitPlan, WebsiteStatus, YearSettings
from reporting.reports import reminders_send

pytestmark = pytest.mark.django_db
D = datetime.date
LEADERS = [{"role": "leader", "name": "张局长", "post": "局长"}, {"role": "deputy", "name": "李副局长", "post": ""},
           {"role": "member", "name": "", "post": ""}]


def plan_pdf(name="计划.pdf"):
    return SimpleUploadedFile(name, sample_pdf(note="plan"), content_type="application/pdf")


def file_plan(officer, unit, *, today=None, leaders=LEADERS, document="new", **values):
    today = today or D(2011, 3, 20)
    return duties.plan_file(
        unit=unit, year=2011, officer=officer, today=today, summary=values.get("summary", "全年宣传报道计划"),
        staff=values.get("staff", "王明、李娟"), staff_count=values.get("staff_count", 2),
        budget=values.get("budget", Decimal("20000")), leaders=leaders,
        document=plan_pdf() if document == "new" else document)


# --- the plan ---------------------------------------------------------------------------------------------------


def test_an_officer_files_the_plan_with_its_leading_group_and_document(alice, hanbin):
    plan = file_plan(alice, hanbin)
    assert (plan.unit, plan.year, plan.staff_count, plan.budget, plan.is_late) == (hanbin, 2011, 2, 20000, False)
    assert [(x.role, x.name) for x in plan.leaders.all()] == [("leader", "张局长"), ("deputy", "李副局长")]
    assert plan.document.read().startswith(b"%PDF") and plan.document_name == "计划.pdf"
    event = AuditEvent.objects.get(action="plan.file")
    assert event.unit == hanbin and "组长 张局长 局长" in event.after["leaders"]


def test_a_plan_after_its_due_date_is_late_and_a_correction_keeps_that(alice, hanbin):
    plan = file_plan(alice, hanbin, today=D(2011, 4, 1))
    assert plan.is_late
    plan = file_plan(alice, hanbin, today=D(2011, 4, 5), budget=Decimal("30000"), document=None)
    assert plan.is_late and plan.budget == 30000 and UnitPlan.objects.count() == 1
    assert plan.document.read().startswith(b"%PDF")  # kept
    event = AuditEvent.objects.get(action="plan.update")
    assert event.before == {"budget": "20000.00"} and event.after == {"budget": "30000"}


def test_the_bureau_moves_the_plans_due_date(alice, hanbin):
    YearSettings.objects.filter(year=2011).update(plan_due=D(2011, 4, 15))
    assert not file_plan(alice, hanbin, today=D(2011, 4, 10)).is_late


def test_a_plan_needs_a_leader_a_document_the_first_time_and_sane_numbers(alice, hanbin):
    with pytest.raises(ValidationError) as error:
        file_plan(alice, hanbin, leaders=[{"role": "member", "name": "王明", "post": ""}], document=None,
                  staff="", staff_count=0, budget=Decimal("-1"))
    assert set(error.value.message_dict) == {"leaders", "document", "staff", "staff_count", "budget"}
    assert "组长" in error.value.message_dict["leaders"][0]
    assert not UnitPlan.objects.exists()


def test_a_plan_document_is_checked_by_its_content(alice, hanbin):
    with pytest.raises(ValidationError) as error:
        file_plan(alice, hanbin, document=SimpleUploadedFile("计划.pdf", b"MZ\x90\x00fake", "application/pdf"))
    assert "可执行程序" in error.value.message_dict["document"][0]


def test_a_leader_row_without_a_name_is_an_error_naming_the_row(alice, hanbin):
    with pytest.raises(ValidationError) as error:
        file_plan(alice, hanbin, leaders=[*LEADERS[:2], {"role": "member", "name": "", "post": "办公室主任"}])
    assert error.value.message_dict["leaders"] == ["第3行：请填写姓名，或清空这一行。"]


def test_only_the_units_officer_files_and_never_in_a_closed_year(alice, bob, hank, rita, hanbin):
    for person in (bob, hank, rita):
        with pytest.raises(PermissionDenied):
            file_plan(person, hanbin)
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    with pytest.raises(ValidationError, match="2011年度已结算"):
        file_plan(alice, hanbin)


# --- first responsible person -----------------------------------------------------------------------------------


def test_the_first_responsible_person_is_set_and_corrected(alice, hanbin):
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="赵局长", post="区人社局局长")
    person = duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="钱局长", post="区人社局局长")
    assert person.name == "钱局长" and duties.ResponsiblePerson.objects.count() == 1
    events = AuditEvent.objects.filter(action="responsible.set").order_by("id")
    assert [e.before for e in events] == [None, {"name": "赵局长", "post": "区人社局局长"}]
    with pytest.raises(ValidationError):
        duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="", post="")


# --- website --------------------------------------------------------------------------------------------------


def test_a_website_report_keeps_the_history_and_the_units_d9_state(alice, hanbin):
    hanbin.has_website = False
    hanbin.save()
    duties.website_status_report(unit=hanbin, officer=alice, today=D(2011, 5, 1), state="building", note="招标中")
    hanbin.refresh_from_db()
    assert not hanbin.has_website
    assert not ContributionForm(unit=hanbin).fields["first_published_url"].required
    duties.website_status_report(unit=hanbin, officer=alice, today=D(2011, 9, 1), state="online",
                                 url="http://www.hbrsj.gov.cn/", online_on=D(2011, 8, 28))
    hanbin.refresh_from_db()
    assert (hanbin.has_website, hanbin.website_url) == (True, "http://www.hbrsj.gov.cn/")
    # D9: a unit online first publishes on its own site and gives the link.
    assert ContributionForm(unit=hanbin).fields["first_published_url"].required
    assert list(WebsiteStatus.objects.filter(unit=hanbin).values_list("state", flat=True)) == ["online", "building"]
    event = AuditEvent.objects.filter(action="website.report").latest("id")
    assert event.before == {"has_website": False, "website_url": ""} and event.after["has_website"] is True


def test_an_online_website_needs_its_address_and_a_past_date(alice, hanbin):
    with pytest.raises(ValidationError) as error:
        duties.website_status_report(unit=hanbin, officer=alice, today=D(2011, 5, 1), state="online")
    assert set(error.value.message_dict) == {"url", "online_on"}
    with pytest.raises(ValidationError, match="不能晚于今天"):
        duties.website_status_report(unit=hanbin, officer=alice, today=D(2011, 5, 1), state="online",
                                     url="http://a.gov.cn/", online_on=D(2011, 5, 2))
    assert not WebsiteStatus.objects.exists()


def test_a_past_years_table_shows_the_website_as_reported_by_its_end(alice, hanyin, bob):
    report = duties.website_status_report(unit=hanyin, officer=bob, today=D(2011, 5, 1), state="building")
    WebsiteStatus.objects.filter(pk=report.pk).update(reported_at=timezone.make_aware(datetime.datetime(2011, 5, 1)))
    later = duties.website_status_report(unit=hanyin, officer=bob, today=D(2012, 3, 1), state="online",
                                         url="http://hy.gov.cn/", online_on=D(2012, 2, 1))
    WebsiteStatus.objects.filter(pk=later.pk).update(reported_at=timezone.make_aware(datetime.datetime(2012, 3, 1)))
    row = duties.duty_rows(year=2011, today=D(2012, 3, 2), units=[hanyin])[0]
    assert row.website.state == "building" and [d.key for d in row.overdue] == [
        "topics", "plan", "responsible", "website"]
    assert duties.duty_rows(year=2012, today=D(2012, 3, 2), units=[hanyin])[0].website.state == "online"


# --- training ---------------------------------------------------------------------------------------------------


def roster(unit, name):
    return OfficerRoster.objects.create(unit=unit, year=2011, officer_name=name, phone="0915-1",
                                        submitted_at=timezone.now())


def test_a_course_invites_the_rostered_officers_of_its_year(rita, hanbin, hanyin):
    roster(hanbin, "王明")
    OfficerRoster.objects.create(unit=hanyin, year=2010, officer_name="去年的", phone="1", submitted_at=timezone.now())
    course = duties.training_course_create(reviewer=rita, title="信息宣传员培训班", held_on=D(2011, 4, 20),
                                           place="市局会议室")
    assert [(a.unit, a.officer_name, a.state) for a in course.attendances.all()] == [(hanbin, "王明", "invited")]
    assert AuditEvent.objects.get(action="training.create").after["invited"] == [hanbin.pk]
    roster(hanyin, "李娟")  # filed late: invited by the refresh
    assert [a.unit for a in duties.training_invite_refresh(course=course, reviewer=rita)] == [hanyin]
    assert duties.training_invite_refresh(course=course, reviewer=rita) == []


def test_attendance_is_recorded_for_the_whole_course_by_a_reviewer(rita, leo, alice, hanbin, hanyin):
    roster(hanbin, "王明")
    roster(hanyin, "李娟")
    course = duties.training_course_create(reviewer=rita, title="培训", held_on=D(2011, 4, 20), place="市局")
    first, second = course.attendances.order_by("unit__sort_order")
    for person in (leo, alice):
        with pytest.raises(PermissionDenied):
            duties.training_attendance_record(course=course, reviewer=person, marks={first.pk: ("attended", "")})
    changed = duties.training_attendance_record(course=course, reviewer=rita, marks={
        first.pk: ("attended", ""), second.pk: ("excused", "下乡检查")})
    assert changed == 2
    assert dict(course.attendances.values_list("unit__name", "state")) == {"汉滨区": "attended", "汉阴县": "excused"}
    event = AuditEvent.objects.get(action="training.attendance")
    assert event.after == {"汉滨区": {"state": "attended", "note": ""},
                           "汉阴县": {"state": "excused", "note": "下乡检查"}}
    assert duties.training_attendance_record(course=course, reviewer=rita, marks={first.pk: ("attended", "")}) == 0


def test_attendance_refuses_another_courses_row_and_an_unknown_state(rita, hanbin):
    roster(hanbin, "王明")
    course = duties.training_course_create(reviewer=rita, title="甲", held_on=D(2011, 4, 20), place="市局")
    other = duties.training_course_create(reviewer=rita, title="乙", held_on=D(2011, 9, 20), place="市局")
    row = other.attendances.get()
    with pytest.raises(ValidationError, match="不属于本培训班"):
        duties.training_attendance_record(course=course, reviewer=rita, marks={row.pk: ("attended", "")})
    with pytest.raises(ValidationError, match="出勤情况应为"):
        duties.training_attendance_record(course=course, reviewer=rita,
                                          marks={course.attendances.get().pk: ("late", "")})
    assert not TrainingAttendance.objects.exclude(state="invited").exists()


# --- the year's settings ------------------------------------------------------------------------------------------


def test_the_2011_reference_data_has_the_notices_leading_group_and_contact():
    settings = duties.year_settings(2011)
    assert (settings.contact_name, settings.contact_phone, settings.contact_fax, settings.contact_email) == (
        "杨一帆", "3181322", "3214920", "RSJZCFG@163.COM")
    assert [(x.get_role_display(), x.name) for x in settings.leaders.all()] == [
        ("组长", "赵良亭"), ("责任组长", "周育论"), ("副组长", "陈国华"), ("副组长", "谢淑桢"), ("副组长", "冯勋"),
        ("成员", "各科室负责人和局属单位办公室主任")]


def test_a_later_year_without_settings_keeps_the_contact_but_not_the_dates():
    YearSettings.objects.filter(year=2011).update(plan_due=D(2011, 4, 30))
    assert duties.year_settings(2013).year == 2011
    assert duties.dates_for(2013).plan == D(2013, 3, 31)
    assert duties.dates_for(2011).plan == D(2011, 4, 30)


# --- what the compliance page, the bulletin and the reminders read --------------------------------------------------


def approved_research(unit, topic, day=None):
    day = day or D(2011, 6, 1)
    manuscript = Manuscript.objects.create(unit=unit, title=f"调研{topic.pk}", kind="research", research_topic=topic)
    return Publication.objects.create(manuscript=manuscript, outlet=Outlet.objects.get(name="安康经济"),
                                      published_on=day, status=Status.APPROVED)


def test_duty_rows_count_topics_plan_person_website_and_attendance(alice, rita, hanbin, hanyin):
    done = ResearchTopic.objects.create(unit=hanbin, year=2011, title="甲", lead="王", planned_completion=D(2011, 9, 1))
    ResearchTopic.objects.create(unit=hanbin, year=2011, title="乙", lead="王", planned_completion=D(2011, 9, 1))
    approved_research(hanbin, done)
    file_plan(alice, hanbin)
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="赵局长", post="局长")
    roster(hanbin, "王明")
    course = duties.training_course_create(reviewer=rita, title="培训", held_on=D(2011, 4, 20), place="市局")
    duties.training_attendance_record(course=course, reviewer=rita,
                                      marks={course.attendances.get().pk: ("absent", "")})
    rows = {row.unit.name: row for row in duties.duty_rows(year=2011, today=D(2011, 12, 27))}
    hb = rows["汉滨区"]
    assert (hb.topics_label, hb.plan_label, hb.responsible.name, hb.website_label, hb.attendance.label) == (
        "填报2个 · 完成1个", "已报送", "赵局长", "已建成", "出席0/1 · 缺席1")
    assert hb.overdue == [] and hb.attendance.flagged
    hy = rows["汉阴县"]
    assert hy.overdue_keys() == {"topics", "plan", "responsible"}  # the website is due on 31 December


@pytest.mark.parametrize("units", [1, 25])
def test_duty_rows_take_a_fixed_number_of_queries(units, django_assert_max_num_queries):
    chosen = list(Unit.objects.all()[:units])
    with django_assert_max_num_queries(6):
        duties.duty_rows(year=2011, today=D(2011, 12, 27), units=chosen)


def test_reminders_mention_overdue_duties(alice, hanbin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_send(today=D(2011, 4, 2))
    body = next(m for m in mail.outbox if m.to == ["alice@example.com"]).body
    assert "报送2011年度宣传报道工作计划（含领导小组、工作人员和经费）：截止2011年3月31日（已逾期）" in body
    assert "填报2011年调研专题（1—2个）：截止2011年3月31日（已逾期）" in body
    assert "填报2011年宣传报道工作第一责任人" in body


def test_the_reminder_command_names_the_overdue_duties_once_a_day(alice, hanbin, settings):
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--today", "2011-04-02", stdout=io.StringIO())
    mails = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    assert len(mails) == 1 and "工作计划" in mails[0].body and "第一责任人" in mails[0].body
    call_command("send_reminders", "--today", "2011-04-02", stdout=io.StringIO())
    assert len([m for m in mail.outbox if m.to == ["alice@example.com"]]) == 1


def test_reminders_leave_out_what_is_done_and_a_closed_year(alice, hanbin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    file_plan(alice, hanbin)
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="赵局长", post="局长")
    reminders_send(today=D(2011, 4, 2))
    body = next(m for m in mail.outbox if m.to == ["alice@example.com"]).body
    assert "工作计划" not in body and "第一责任人" not in body and "调研专题" in body
    # January 2012: the 2011 research duty (due 25 December) is in the window, but 2011 is closed.
    ResearchTopic.objects.create(unit=hanbin, year=2011, title="甲", lead="王", planned_completion=D(2011, 9, 1))
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    assert duties.duty_reminders(today=D(2012, 1, 3), units=[hanbin]) == {}
    YearClose.objects.all().delete()
    lines = duties.duty_reminders(today=D(2012, 1, 3), units=[hanbin])[hanbin.pk]
    assert lines == ["完成2011年调研专题（已填报1个，尚无审核通过的调研文章）：截止2011年12月25日（已逾期）"]


def test_a_closed_year_refuses_every_duty_write_and_leaves_no_trace(alice, rita, hanbin):
    """The year lock on every write of DOMAIN §11 (topics, plan, person, website, courses, attendance, invitations)."""
    from publicity.research import research_topic_create, research_topic_delete, research_topic_update

    roster(hanbin, "王明")
    topic = ResearchTopic.objects.create(unit=hanbin, year=2011, title="甲", lead="王",
                                         planned_completion=D(2011, 9, 1))
    course = duties.training_course_create(reviewer=rita, title="培训", held_on=D(2011, 4, 20), place="市局")
    row = course.attendances.get()
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    events = AuditEvent.objects.count()
    writes = {
        "topic": lambda: research_topic_create(officer=alice, unit=hanbin, year=2011, title="乙", lead="王",
                                               planned_completion=D(2011, 9, 1)),
        "topic.update": lambda: research_topic_update(topic=topic, officer=alice, title="丙", lead="王",
                                                      planned_completion=D(2011, 9, 1)),
        "topic.delete": lambda: research_topic_delete(topic=topic, officer=alice),
        "plan": lambda: file_plan(alice, hanbin),
        "responsible": lambda: duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="赵", post="局长"),
        "website": lambda: duties.website_status_report(unit=hanbin, officer=alice, today=D(2011, 12, 1),
                                                        state="building"),
        "course": lambda: duties.training_course_create(reviewer=rita, title="又一期", held_on=D(2011, 10, 8),
                                                        place="市局"),
        "course.update": lambda: duties.training_course_update(course=course, reviewer=rita, title="改", place="市局",
                                                               held_on=D(2011, 4, 21)),
        "attendance": lambda: duties.training_attendance_record(course=course, reviewer=rita,
                                                                marks={row.pk: ("attended", "")}),
        "invite": lambda: duties.training_invite_refresh(course=course, reviewer=rita),
    }
    for name, write in writes.items():
        with pytest.raises(ValidationError, match="2011年度已结算"):
            write()
        assert AuditEvent.objects.count() == events, name
    assert ResearchTopic.objects.get().title == "甲" and not UnitPlan.objects.exists()
    assert TrainingAttendance.objects.get().state == "invited"
