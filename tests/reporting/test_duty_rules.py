"""The duties' due dates and what is owed (DOMAIN §11): pure rules, no database."""

import datetime

import pytest

from reporting import duty_rules as r

D = datetime.date
DATES_2011 = r.duty_dates(2011)


def facts(**values) -> r.UnitFacts:
    return r.UnitFacts(**{"unit_kind": "county", **values})


def test_the_default_dates_are_the_notices():
    assert DATES_2011 == r.DutyDates(plan=D(2011, 3, 31), topics=D(2011, 3, 31), research=D(2011, 12, 25),
                                     website=D(2011, 12, 31))


def test_the_bureau_moves_a_date_of_its_year_and_keeps_the_others():
    dates = r.duty_dates(2011, plan=D(2011, 4, 15))
    assert dates.plan == D(2011, 4, 15) and dates.topics == D(2011, 3, 31)


DONE = {"topics_filed": 1, "topics_completed": 1, "plan_filed": True, "responsible_filed": True,
        "website_state": r.WEBSITE_ONLINE}


@pytest.mark.parametrize(("kind", "values", "keys"), [
    ("county", {}, [r.TOPICS, r.PLAN, r.RESPONSIBLE, r.WEBSITE]),
    ("county", DONE, []),
    # topics filed but none completed: the completion is owed (by 12-25), not the filing
    ("county", {**DONE, "topics_completed": 0}, [r.RESEARCH]),
    ("county", {**DONE, "topics_filed": 0, "topics_completed": 0}, [r.TOPICS]),
    ("affiliated", {**DONE, "website_state": r.WEBSITE_BUILDING}, [r.WEBSITE]),
    # sections use the bureau's website: no website is owed
    ("section", {**DONE, "website_state": r.WEBSITE_NONE}, []),
    ("section", {**DONE, "plan_filed": False, "responsible_filed": False}, [r.PLAN, r.RESPONSIBLE]),
])
def test_what_a_unit_still_owes(kind, values, keys):
    owed = r.open_duties(year=2011, facts=r.UnitFacts(unit_kind=kind, **values), dates=DATES_2011)
    assert [duty.key for duty in owed] == keys


def test_a_duty_is_overdue_the_day_after_its_due_date():
    unit = facts(**{**DONE, "plan_filed": False})
    assert r.overdue_duties(year=2011, facts=unit, dates=DATES_2011, today=D(2011, 3, 31)) == []
    assert [d.key for d in r.overdue_duties(year=2011, facts=unit, dates=DATES_2011, today=D(2011, 4, 1))] == [r.PLAN]


def test_topics_without_a_completed_one_are_flagged_after_december_25():
    unit = facts(**{**DONE, "topics_completed": 0})
    assert r.overdue_duties(year=2011, facts=unit, dates=DATES_2011, today=D(2011, 12, 25)) == []
    assert [d.key for d in r.overdue_duties(year=2011, facts=unit, dates=DATES_2011, today=D(2011, 12, 26))] == [
        r.RESEARCH]


@pytest.mark.parametrize(("today", "reminded"), [
    (D(2011, 3, 27), False),  # four days ahead: not yet
    (D(2011, 3, 28), True),   # three days ahead (D10's window)
    (D(2011, 4, 15), True),   # overdue
    (D(2011, 6, 29), True),   # 90 days overdue: the last day
    (D(2011, 6, 30), False),  # past the look-back: left to the compliance page
])
def test_reminders_name_a_duty_in_d10s_window(today, reminded):
    unit = facts(**{**DONE, "plan_filed": False})
    assert bool(r.reminder_duties(year=2011, facts=unit, dates=DATES_2011, today=today)) is reminded


def test_a_reminder_line_says_the_due_date_and_whether_it_passed():
    duty = r.open_duties(year=2011, facts=facts(**{**DONE, "plan_filed": False}), dates=DATES_2011)[0]
    assert duty.line(D(2011, 3, 29)) == (
        "报送2011年度宣传报道工作计划（含领导小组、工作人员和经费）：截止2011年3月31日（即将到期）")
    assert duty.line(D(2011, 4, 2)).endswith("（已逾期）")


def test_labels():
    assert r.topics_label(facts()) == "未填报"
    assert r.topics_label(facts(topics_filed=2, topics_completed=1)) == "填报2个 · 完成1个"
    assert r.website_label(r.UnitFacts(unit_kind="section")) == "不要求"
    assert r.website_label(r.UnitFacts(unit_kind="section", website_state=r.WEBSITE_ONLINE)) == "已建成"
    assert r.website_label(facts(website_state=r.WEBSITE_BUILDING)) == "建设中"


def test_attendance_is_flagged_for_an_absence_without_leave_only():
    assert r.Attendance().label == "—"
    assert r.Attendance(invited=2, attended=1, excused=1).label == "出席1/2 · 请假1"
    assert not r.Attendance(invited=2, attended=1, excused=1).flagged
    assert r.Attendance(invited=2, attended=1, absent=1).flagged
