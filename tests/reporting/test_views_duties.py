"""The duties pages (issue 16, DOMAIN §11) through the test client: an officer files the own unit's topics, plan
with its leading group, first responsible person and website status; bad input keeps what was typed and says in
Chinese what is wrong; a unit head reads the own unit's page; reviewers run a training course and read every
unit's duties on the compliance page; a bad URL parameter is never a server error."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, YearClose
from core.uploads import sample_pdf
from publicity.models import ResearchTopic, Unit
from reporting import duties
from reporting.models import (
    OfficerRoster,
    ResponsiblePerson,
    TrainingAttendance,
    TrainingCourse,
    UnitPlan,
    WebsiteStatus,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def unit_page(unit, year=2011) -> str:
    return f"{reverse('reporting:unit_duties', args=[unit.pk])}?year={year}"


def plan_data(**values) -> dict:
    data = {"summary": "围绕就业创业、社保扩面做好全年宣传", "staff": "王明（办公室主任）、李娟", "staff_count": "2",
            "budget": "20000", "leaders-TOTAL_FORMS": "3", "leaders-INITIAL_FORMS": "0",
            "leaders-MIN_NUM_FORMS": "0", "leaders-MAX_NUM_FORMS": "30",
            "leaders-0-role": "leader", "leaders-0-name": "张建国", "leaders-0-post": "局长",
            "leaders-1-role": "deputy", "leaders-1-name": "李文", "leaders-1-post": "副局长",
            "leaders-2-role": "member", "leaders-2-name": "", "leaders-2-post": ""}
    data.update(values)
    return data


def pdf(name="2011年宣传计划.pdf"):
    return SimpleUploadedFile(name, sample_pdf(note="plan"), content_type="application/pdf")


# --- the officer ------------------------------------------------------------------------------------------------


def test_the_officer_starts_on_the_own_units_page_and_the_bureau_on_the_compliance_page(client, alice, rita,
                                                                                        hanbin):
    client.force_login(alice)
    response = client.get(reverse("reporting:duties") + "?year=2011")
    assert response.status_code == 302 and response["Location"] == unit_page(hanbin)
    page = text(client.get(unit_page(hanbin)))
    assert "汉滨区 · 2011年工作落实情况" in page and "填报调研专题" in page and "报送工作计划" in page
    # the bureau's publishing contact and leading group of the year (2011 reference data, notice §7 and the end)
    assert "杨一帆" in page and "3181322" in page and "RSJZCFG@163.COM" in page and "赵良亭" in page
    client.force_login(rita)
    assert client.get(reverse("reporting:duties"))["Location"] == reverse("reporting:compliance")


def test_the_officer_files_a_research_topic(client, alice, hanbin):
    client.force_login(alice)
    response = client.post(reverse("reporting:topic_new") + "?year=2011",
                           {"title": "农村劳动力转移就业调研", "lead": "王明（副局长）",
                            "planned_completion": "2011-10-31"})
    assert response.status_code == 302 and response["Location"] == unit_page(hanbin)
    topic = ResearchTopic.objects.get()
    assert (topic.unit, topic.year, topic.lead) == (hanbin, 2011, "王明（副局长）")
    assert AuditEvent.objects.filter(action="research_topic.create", actor=alice).exists()
    page = text(client.get(unit_page(hanbin)))
    assert "农村劳动力转移就业调研" in page and "进行中" in page


def test_a_bad_topic_keeps_what_was_typed_and_says_why_in_chinese(client, alice):
    client.force_login(alice)
    response = client.post(reverse("reporting:topic_new") + "?year=2011",
                           {"title": "社保扩面调研", "lead": "", "planned_completion": "2011-02-30"})
    page = response.content.decode()
    assert response.status_code == 200 and not ResearchTopic.objects.exists()
    assert 'value="社保扩面调研"' in page and "请填写牵头人。" in page and "日期格式不对" in page


def test_the_officer_files_the_plan_with_its_leading_group_and_corrects_it(client, alice, hanbin):
    client.force_login(alice)
    response = client.post(reverse("reporting:plan_edit") + "?year=2011", {**plan_data(), "document": pdf()})
    assert response.status_code == 302
    plan = UnitPlan.objects.get(unit=hanbin, year=2011)
    assert [(x.role, x.name, x.post) for x in plan.leaders.all()] == [("leader", "张建国", "局长"),
                                                                    ("deputy", "李文", "副局长")]
    page = text(client.get(unit_page(hanbin)))
    assert "组长：张建国（局长）" in page and "20000 元" in page and "2011年宣传计划.pdf" in page
    assert client.get(reverse("reporting:plan_document", args=[plan.pk])).status_code == 200
    # the form opens with what was filed; a correction keeps the document when none is chosen
    form = client.get(reverse("reporting:plan_edit") + "?year=2011").content.decode()
    assert 'value="张建国"' in form and "保存修改" in form
    assert 'name="leaders-INITIAL_FORMS" value="2"' in form  # the filed rows, then blank ones
    assert client.post(reverse("reporting:plan_edit") + "?year=2011", plan_data(
        budget="30000", **{"leaders-INITIAL_FORMS": "2", "leaders-TOTAL_FORMS": "4", "leaders-3-role": "member"})
    ).status_code == 302
    plan.refresh_from_db()
    assert plan.budget == 30000 and plan.document_name == "2011年宣传计划.pdf"
    assert AuditEvent.objects.filter(action="plan.update").count() == 1


def test_a_bad_plan_keeps_every_field_and_row_typed(client, alice):
    client.force_login(alice)
    data = plan_data(budget="两万", **{"leaders-0-name": "", "leaders-1-name": "李文"})
    response = client.post(reverse("reporting:plan_edit") + "?year=2011", {**data, "document": pdf()})
    page = response.content.decode()
    assert response.status_code == 200 and not UnitPlan.objects.exists()
    assert "经费请填金额（元），如 20000。" in page
    assert "围绕就业创业、社保扩面做好全年宣传" in page and 'value="两万"' in page and 'value="李文"' in page
    # without a 组长 the service refuses, and the form still has everything
    response = client.post(reverse("reporting:plan_edit") + "?year=2011", {**plan_data(**{
        "leaders-0-role": "member"}), "document": pdf()})
    page = response.content.decode()
    assert response.status_code == 200 and "请至少填写领导小组组长的姓名。" in page and 'value="张建国"' in page
    assert not UnitPlan.objects.exists()


def test_the_officer_names_the_first_responsible_person(client, alice, hanbin):
    client.force_login(alice)
    response = client.post(reverse("reporting:responsible_edit") + "?year=2011", {"name": "张建国", "post": ""})
    assert response.status_code == 200 and "请填写职务。" in response.content.decode()
    assert 'value="张建国"' in response.content.decode() and not ResponsiblePerson.objects.exists()
    client.post(reverse("reporting:responsible_edit") + "?year=2011", {"name": "张建国", "post": "区人社局局长"})
    assert ResponsiblePerson.objects.get(unit=hanbin, year=2011).post == "区人社局局长"
    assert "张建国" in text(client.get(unit_page(hanbin)))


def test_the_officer_reports_the_website_and_an_online_one_needs_its_address(client, alice, hanbin):
    client.force_login(alice)
    url = reverse("reporting:website_edit") + "?year=2011"
    response = client.post(url, {"state": "online", "url": "", "online_on": "", "note": "已于九月上线"})
    page = response.content.decode()
    assert response.status_code == 200 and not WebsiteStatus.objects.exists()
    assert "网站已建成的，请填写网站地址" in page and "已于九月上线" in page
    response = client.post(url, {"state": "online", "url": "http://www.hbrsj.gov.cn/", "online_on": "2011-09-01"})
    assert response.status_code == 302
    hanbin.refresh_from_db()
    assert (hanbin.has_website, hanbin.website_url) == (True, "http://www.hbrsj.gov.cn/")
    assert "已建成" in text(client.get(unit_page(hanbin)))


def test_the_printed_form_has_the_units_duties_and_the_bureaus_contact(client, alice, hanbin):
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="张建国", post="区人社局局长")
    client.force_login(alice)
    page = text(client.get(reverse("reporting:duties_print", args=[hanbin.pk]) + "?year=2011"))
    assert "汉滨区2011年宣传工作落实情况备案表" in page and "张建国（区人社局局长）" in page
    assert "杨一帆" in page and "3214920" in page and "单位负责人（签字）" in page


def test_a_closed_year_refuses_the_officers_filing_in_chinese(client, alice, hanbin):
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    client.force_login(alice)
    response = client.post(reverse("reporting:responsible_edit") + "?year=2011", {"name": "张建国", "post": "局长"})
    assert response.status_code == 200 and "2011" in response.content.decode()
    assert "已结算" in response.content.decode() and not ResponsiblePerson.objects.exists()


# --- scoping ----------------------------------------------------------------------------------------------------


def test_an_officer_sees_only_the_own_units_page_and_a_unit_head_reads_it(client, alice, bob, hank, hanbin):
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="张建国", post="局长")
    client.force_login(bob)
    assert client.get(unit_page(hanbin)).status_code == 404
    assert client.get(reverse("reporting:duties_print", args=[hanbin.pk])).status_code == 404
    client.force_login(hank)
    page = text(client.get(unit_page(hanbin)))
    assert "张建国" in page and "修改第一责任人" not in page and "报送工作计划" not in page
    assert client.post(reverse("reporting:responsible_edit"), {"name": "x", "post": "y"}).status_code == 403
    assert ResponsiblePerson.objects.get().name == "张建国"


def test_an_officer_cannot_edit_another_units_topic(client, alice, bob, hanbin):
    topic = ResearchTopic.objects.create(unit=hanbin, year=2011, title="甲", lead="王",
                                         planned_completion=D(2011, 9, 1))
    client.force_login(bob)
    assert client.post(reverse("reporting:topic_edit", args=[topic.pk]),
                       {"title": "乙", "lead": "李", "planned_completion": "2011-09-01"}).status_code == 404
    assert client.post(reverse("reporting:topic_delete", args=[topic.pk])).status_code == 404
    assert ResearchTopic.objects.get().title == "甲"


@pytest.mark.parametrize("name, args", [
    ("reporting:unit_duties", "unit"), ("reporting:duties_print", "unit"), ("reporting:websites", None),
    ("reporting:compliance", None), ("reporting:compliance_export", None), ("reporting:trainings", None)])
@pytest.mark.parametrize("year", ["abc", "-1", "99999999999999999999", "2011.5", "", "２０１１"])
def test_a_bad_year_in_the_url_is_never_a_server_error(client, rita, hanbin, name, args, year):
    client.force_login(rita)
    url = reverse(name, args=[hanbin.pk] if args else [])
    assert client.get(url, {"year": year}).status_code == 200


def test_an_unknown_unit_course_or_topic_is_not_found(client, alice, rita):
    client.force_login(rita)
    assert client.get(reverse("reporting:unit_duties", args=[999999])).status_code == 404
    assert client.get(reverse("reporting:training", args=[999999])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("reporting:topic_edit", args=[999999])).status_code == 404


# --- the bureau -------------------------------------------------------------------------------------------------


def roster(unit, name, year=2011):
    return OfficerRoster.objects.create(unit=unit, year=year, officer_name=name, phone="0915-3181322",
                                        submitted_at=timezone.now())


def test_a_reviewer_runs_a_course_and_records_the_whole_courses_attendance_in_one_form(client, rita, leo, hanbin,
                                                                                     hanyin):
    roster(hanbin, "王明")
    roster(hanyin, "李红")
    client.force_login(rita)
    response = client.post(reverse("reporting:training_new"),
                           {"title": "2011年信息宣传员培训班", "held_on": "2011-04-20", "place": "市人社局五楼会议室"})
    course = TrainingCourse.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:training", args=[course.pk])
    rows = {a.unit.name: a for a in course.attendances.select_related("unit")}
    assert set(rows) == {"汉滨区", "汉阴县"} and rows["汉滨区"].officer_name == "王明"
    page = client.get(reverse("reporting:training", args=[course.pk])).content.decode()
    assert "邀请2个单位" in page and "尚未报送2011年信息宣传员名单" in page
    marks = {"attendance-TOTAL_FORMS": "2", "attendance-INITIAL_FORMS": "2", "attendance-MIN_NUM_FORMS": "0",
             "attendance-MAX_NUM_FORMS": "500"}
    for n, (unit, state, note) in enumerate([("汉滨区", "attended", ""), ("汉阴县", "excused", "下乡检查")]):
        marks.update({f"attendance-{n}-attendance": rows[unit].pk, f"attendance-{n}-state": state,
                      f"attendance-{n}-note": note})
    assert client.post(reverse("reporting:training", args=[course.pk]), marks).status_code == 302
    assert dict(TrainingAttendance.objects.values_list("unit__name", "state")) == {"汉滨区": "attended",
                                                                                   "汉阴县": "excused"}
    # a bad state is refused, nothing changes, and the page says so in Chinese
    response = client.post(reverse("reporting:training", args=[course.pk]), {**marks, "attendance-0-state": "x"})
    assert response.status_code == 400 and "出勤登记有需要修改的地方" in response.content.decode()
    assert TrainingAttendance.objects.get(unit__name="汉滨区").state == "attended"
    # leaders read the course but do not record
    client.force_login(leo)
    page = client.get(reverse("reporting:training", args=[course.pk])).content.decode()
    assert "出席" in page and "保存出勤登记" not in page
    assert client.post(reverse("reporting:training", args=[course.pk]), marks).status_code == 403


def test_a_bad_course_keeps_what_was_typed(client, rita):
    client.force_login(rita)
    response = client.post(reverse("reporting:training_new"), {"title": "培训班", "held_on": "四月", "place": ""})
    page = response.content.decode()
    assert response.status_code == 200 and not TrainingCourse.objects.exists()
    assert 'value="培训班"' in page and 'value="四月"' in page and "请填写培训地点。" in page


def test_the_compliance_page_shows_every_duty_and_flags_what_is_overdue(client, rita, alice, hanbin):
    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="张建国", post="局长")
    client.force_login(rita)
    response = client.get(reverse("reporting:compliance") + "?year=2011")
    page = response.content.decode()
    for column in ("调研专题", "工作计划", "第一责任人", "网站建设", "培训出勤"):
        assert f'<th scope="col">{column}</th>' in page, column
    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>汉滨区</a>.*?</tr>", page, re.S).group(0)
    assert "张建国" in row and "未填报（逾期）" in row and "未报送（逾期）" in row  # 2011's dates are long past
    assert "duty-flag" in row


def test_the_website_progress_table_counts_the_units_online(client, leo):
    Unit.objects.filter(kind__in=["county", "affiliated"]).update(has_website=False)
    Unit.objects.filter(name="汉滨区").update(has_website=True, website_url="http://www.hbrsj.gov.cn/")
    client.force_login(leo)
    page = text(client.get(reverse("reporting:websites") + "?year=2011"))
    required = Unit.objects.filter(kind__in=["county", "affiliated"], is_active=True).count()
    assert f"已建成 1 / {required} 个单位" in page


def test_the_officers_start_page_lists_the_open_duties_and_the_bureaus_contact(client, alice, hank, rita, hanbin):
    client.force_login(alice)
    page = text(client.get(reverse("home")))
    assert "本单位2011年工作落实" in page and "填报2011年宣传报道工作第一责任人" in page and "已逾期" in page
    assert "市局网站信息发布联系人：杨一帆" in page and "传真：3214920" in page
    assert "杨一帆" in text(client.get(reverse("reporting:contribution_new")))
    client.force_login(hank)  # the unit head reads the own unit's open duties
    assert "本单位2011年工作落实" in text(client.get(reverse("home")))
    client.force_login(rita)  # the bureau has the compliance page instead
    assert "本单位2011年工作落实" not in text(client.get(reverse("home")))
