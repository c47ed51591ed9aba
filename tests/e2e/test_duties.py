"""Issue 16 in Chromium: the notice's other duties (DOMAIN §11).

The officer files the unit's research topic, plan with its leading group, first responsible person and website
status from 工作落实; the reviewer runs a training course, records the whole course's attendance in one form and
reads every duty on 报送情况 and the website progress table. Every page is checked by shoot(): axe-core at 1366 px
and 390 px (0 serious or critical violations) and no sideways overflow on a phone.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.uploads import sample_pdf
from tests.e2e.test_journeys import click_and_wait, nav, personas, text_of, type_date  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def button(browser, label: str):
    return browser.find_element(By.XPATH, f"//main//*[self::a or self::button][normalize-space()='{label}']")


def test_an_officer_files_the_units_duties(personas, browser, live_server, login, shoot, tmp_path):  # noqa: F811
    from publicity.models import ResearchTopic, Unit
    from reporting.models import ResponsiblePerson, UnitPlan, WebsiteStatus

    Unit.objects.filter(name="汉滨区").update(has_website=False, website_url="")
    login("alice", "pw-alice")
    nav(browser, "工作落实")
    assert "汉滨区 · 2011年工作落实情况" in text_of(browser, "h1")
    todo = text_of(browser, ".duty-list")
    assert "填报2011年调研专题" in todo and "报送2011年度宣传报道工作计划" in todo and "已逾期" in todo
    assert "杨一帆" in text_of(browser, ".bureau-contact")
    shoot("d1-officer-duties-empty")

    # a research topic
    click_and_wait(browser, button(browser, "填报调研专题"))
    browser.find_element(By.ID, "id_title").send_keys("农村劳动力转移就业情况调研")
    browser.find_element(By.ID, "id_lead").send_keys("王明（副区长）")
    type_date(browser, browser.find_element(By.ID, "id_planned_completion"), 2011, 10, 31)
    shoot("d1-topic-form")
    click_and_wait(browser, button(browser, "填报专题"))
    assert "调研专题「农村劳动力转移就业情况调研」已填报" in text_of(browser, ".messages")
    assert "农村劳动力转移就业情况调研" in text_of(browser, "table.topics")

    # the plan with its leading group: first without a 组长 — refused, and what was typed is still there
    click_and_wait(browser, button(browser, "报送工作计划"))
    browser.find_element(By.ID, "id_summary").send_keys("围绕春风行动、社保扩面开展宣传报道。")
    browser.find_element(By.ID, "id_staff").send_keys("李娟（办公室主任）、赵磊")
    browser.find_element(By.ID, "id_staff_count").send_keys("2")
    browser.find_element(By.ID, "id_budget").send_keys("20000")
    plan_file = tmp_path / "汉滨区2011年宣传报道工作计划.pdf"
    plan_file.write_bytes(sample_pdf(note="plan"))
    browser.find_element(By.ID, "id_document").send_keys(str(plan_file))
    Select(browser.find_element(By.ID, "id_leaders-0-role")).select_by_visible_text("副组长")
    browser.find_element(By.ID, "id_leaders-0-name").send_keys("李文")
    browser.find_element(By.ID, "id_leaders-0-post").send_keys("副局长")
    shoot("d1-plan-form")
    click_and_wait(browser, button(browser, "报送工作计划"))
    assert "请至少填写领导小组组长的姓名。" in text_of(browser, "main form")
    assert browser.find_element(By.ID, "id_summary").get_attribute("value") == "围绕春风行动、社保扩面开展宣传报道。"
    assert browser.find_element(By.ID, "id_budget").get_attribute("value") == "20000"
    assert browser.find_element(By.ID, "id_leaders-0-name").get_attribute("value") == "李文"
    assert "请重新选择计划文件" in text_of(browser, "main form")  # the one thing a browser cannot keep
    shoot("d1-plan-form-error")
    Select(browser.find_element(By.ID, "id_leaders-1-role")).select_by_visible_text("组长")
    browser.find_element(By.ID, "id_leaders-1-name").send_keys("张建国")
    browser.find_element(By.ID, "id_leaders-1-post").send_keys("局长")
    browser.find_element(By.ID, "id_document").send_keys(str(plan_file))  # a browser never keeps a chosen file
    click_and_wait(browser, button(browser, "报送工作计划"))
    assert "2011年度宣传报道工作计划已报送" in text_of(browser, ".messages")
    leaders = text_of(browser, "ul.leaders")
    assert "组长：张建国（局长）" in leaders and "副组长：李文（副局长）" in leaders

    # the first responsible person
    click_and_wait(browser, button(browser, "填报第一责任人"))
    browser.find_element(By.ID, "id_name").send_keys("张建国")
    browser.find_element(By.ID, "id_post").send_keys("汉滨区人社局局长")
    shoot("d1-responsible-form")
    click_and_wait(browser, button(browser, "保存"))
    assert "张建国" in text_of(browser, "#responsible-title + dl")

    # the website: online needs its address
    click_and_wait(browser, button(browser, "报送网站建设情况"))
    browser.find_element(By.CSS_SELECTOR, "input[name=state][value=online]").click()
    browser.find_element(By.ID, "id_note").send_keys("九月上线")
    click_and_wait(browser, button(browser, "报送"))
    assert "请填写网站地址" in text_of(browser, "main form")
    assert browser.find_element(By.ID, "id_note").get_attribute("value") == "九月上线"
    shoot("d1-website-form-error")
    browser.find_element(By.ID, "id_url").send_keys("http://www.hbrsj.gov.cn/")
    type_date(browser, browser.find_element(By.ID, "id_online_on"), 2011, 9, 1)
    click_and_wait(browser, button(browser, "报送"))
    assert "网站建设情况已报送" in text_of(browser, ".messages")
    assert "已建成" in text_of(browser, "#website-title + p")
    todo = text_of(browser, "#todo-title + *")
    assert "工作计划" not in todo and "第一责任人" not in todo and "调研专题（1—2个）" not in todo
    shoot("d1-officer-duties-filed")

    click_and_wait(browser, button(browser, "打印备案表"))
    assert "张建国（汉滨区人社局局长）" in text_of(browser, ".form-table")
    shoot("d1-duties-print")

    assert ResearchTopic.objects.filter(unit__name="汉滨区", year=2011).count() == 1
    plan = UnitPlan.objects.get(unit__name="汉滨区", year=2011)
    assert (plan.budget, plan.document_name) == (20000, "汉滨区2011年宣传报道工作计划.pdf")
    assert ResponsiblePerson.objects.get(unit__name="汉滨区", year=2011).name == "张建国"
    assert WebsiteStatus.objects.get(unit__name="汉滨区").state == "online"


def test_a_reviewer_runs_a_training_course_and_reads_every_duty(personas, browser, live_server, login, shoot):  # noqa: F811
    from django.utils import timezone

    from publicity.models import Unit
    from reporting import duties
    from reporting.models import OfficerRoster, TrainingAttendance

    for name, officer in (("汉滨区", "王明"), ("汉阴县", "李红")):
        OfficerRoster.objects.create(unit=Unit.objects.get(name=name), year=2011, officer_name=officer,
                                     phone="0915-3181322", submitted_at=timezone.now())
    duties.responsible_set(unit=Unit.objects.get(name="汉滨区"), year=2011, officer=personas["alice"],
                           name="张建国", post="汉滨区人社局局长")
    login("rita", "pw-rita")
    nav(browser, "培训班")
    shoot("d2-trainings-empty")
    click_and_wait(browser, button(browser, "举办培训班"))
    browser.find_element(By.ID, "id_title").send_keys("2011年全市信息宣传员培训班")
    type_date(browser, browser.find_element(By.ID, "id_held_on"), 2011, 4, 20)
    browser.find_element(By.ID, "id_place").send_keys("市人社局三楼会议室")
    shoot("d2-training-form")
    click_and_wait(browser, button(browser, "创建并发出邀请"))
    assert "已按2011年信息宣传员名单邀请2个单位" in text_of(browser, ".messages")

    # the whole course's attendance in one form
    def row(unit):
        return browser.find_element(By.XPATH, f"//table[contains(@class,'attendance')]//tr[th[normalize-space()="
                                              f"'{unit}']]")

    Select(row("汉滨区").find_element(By.TAG_NAME, "select")).select_by_visible_text("出席")
    Select(row("汉阴县").find_element(By.TAG_NAME, "select")).select_by_visible_text("缺席")
    row("汉阴县").find_element(By.CSS_SELECTOR, "input[type=text]").send_keys("未请假")
    shoot("d2-training-attendance")
    click_and_wait(browser, button(browser, "保存出勤登记"))
    assert "出勤已登记（2个单位有变动）" in text_of(browser, ".messages")
    assert "出席1，缺席1" in text_of(browser, "dl.facts")
    assert dict(TrainingAttendance.objects.values_list("unit__name", "state")) == {"汉滨区": "attended",
                                                                                   "汉阴县": "absent"}

    nav(browser, "报送情况")
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.compliance thead th")]
    for column in ("调研专题", "工作计划", "第一责任人", "网站建设", "培训出勤"):
        assert column in headers, column
    hanbin = browser.find_element(By.XPATH, "//table[contains(@class,'compliance')]//tr[th/a[normalize-space()="
                                            "'汉滨区']]").text
    assert "张建国" in hanbin and "出席1/1" in hanbin
    hanyin = browser.find_element(By.XPATH, "//table[contains(@class,'compliance')]//tr[th/a[normalize-space()="
                                            "'汉阴县']]")
    assert "缺席1" in hanyin.text and hanyin.find_elements(By.CSS_SELECTOR, ".duty-flag")
    shoot("d2-compliance")
    click_and_wait(browser, button(browser, "网站建设进度"))
    assert "已建成" in text_of(browser, "main")
    shoot("d2-websites")
    nav(browser, "报送情况")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "汉滨区"))
    assert "出席" in text_of(browser, "#training-title + *")
    shoot("d2-unit-duties-as-reviewer")
