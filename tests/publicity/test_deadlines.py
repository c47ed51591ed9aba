"""D10 periods and due dates, as a table: no database."""

import datetime

import pytest

from reporting import deadlines

D = datetime.date


@pytest.mark.parametrize(("unit_kind", "key", "start", "end", "due"), [
    ("section", "2011-01", D(2011, 1, 1), D(2011, 1, 31), D(2011, 2, 5)),
    ("section", "2011-02", D(2011, 2, 1), D(2011, 2, 28), D(2011, 3, 5)),
    ("section", "2012-02", D(2012, 2, 1), D(2012, 2, 29), D(2012, 3, 5)),
    ("section", "2011-12", D(2011, 12, 1), D(2011, 12, 31), D(2012, 1, 5)),
    ("county", "2011", D(2011, 1, 1), D(2011, 12, 31), D(2011, 12, 25)),
    ("affiliated", "2011", D(2011, 1, 1), D(2011, 12, 31), D(2011, 12, 25)),
])
def test_each_unit_kind_has_its_period_and_due_date(unit_kind, key, start, end, due):
    period = deadlines.period_from_key(unit_kind, key)
    assert (period.start, period.end, period.due) == (start, end, due)
    assert period.key == key


def test_the_roster_is_due_on_11_march():
    assert deadlines.roster_due(2011) == D(2011, 3, 11)


@pytest.mark.parametrize(("unit_kind", "kind", "count"), [
    ("section", "monthly", 12), ("county", "annual", 1), ("affiliated", "annual", 1)])
def test_sections_report_monthly_and_the_others_yearly(unit_kind, kind, count):
    periods = deadlines.periods_of_year(unit_kind, 2011)
    assert [p.kind for p in periods] == [kind] * count


@pytest.mark.parametrize(("unit_kind", "key"), [
    ("section", "2011"), ("section", "2011-13"), ("section", "abc"), ("county", "2011-01"), ("county", "1999")])
def test_a_key_naming_no_period_of_the_unit_kind_gives_none(unit_kind, key):
    assert deadlines.period_from_key(unit_kind, key) is None


@pytest.mark.parametrize(("submitted", "due", "late"), [
    (D(2011, 2, 4), D(2011, 2, 5), False),
    (D(2011, 2, 5), D(2011, 2, 5), False),
    (D(2011, 2, 6), D(2011, 2, 5), True),
    (D(2012, 1, 5), D(2012, 1, 5), False),
    (D(2011, 12, 26), D(2011, 12, 25), True),
])
def test_a_report_after_the_due_date_is_late(submitted, due, late):
    assert deadlines.is_late(submitted, due) is late


def test_a_month_opens_for_reporting_when_it_has_ended_and_a_year_on_1_december():
    assert deadlines.monthly_period(2011, 1).opens == D(2011, 2, 1)
    assert deadlines.annual_period(2011).opens == D(2011, 12, 1)
    assert [p.key for p in deadlines.open_periods("section", D(2011, 3, 2))][:2] == ["2011-02", "2011-01"]
    assert "2011" not in [p.key for p in deadlines.open_periods("county", D(2011, 11, 30))]
    assert "2011" in [p.key for p in deadlines.open_periods("county", D(2011, 12, 1))]


@pytest.mark.parametrize(("today", "state", "submitted"), [
    (D(2011, 2, 3), deadlines.PENDING, None),
    (D(2011, 2, 5), deadlines.PENDING, None),
    (D(2011, 2, 6), deadlines.MISSING, None),
    (D(2011, 2, 6), deadlines.ON_TIME, D(2011, 2, 5)),
    (D(2011, 2, 9), deadlines.LATE, D(2011, 2, 8)),
])
def test_compliance_is_on_time_late_missing_or_pending(today, state, submitted):
    assert deadlines.compliance_state(due=D(2011, 2, 5), today=today, submitted_on=submitted) == state


@pytest.mark.parametrize(("unit_kind", "today", "key", "named"), [
    ("section", D(2011, 2, 1), "2011-01", False),      # due in 4 days
    ("section", D(2011, 2, 2), "2011-01", True),       # due in 3 days
    ("section", D(2011, 2, 20), "2011-01", True),      # overdue
    ("section", D(2012, 1, 3), "2011-12", True),
    ("section", D(2011, 5, 7), "2011-01", False),      # 91 days overdue: left to the compliance page
    ("county", D(2011, 12, 21), "2011", False),
    ("county", D(2011, 12, 22), "2011", True),
    ("county", D(2012, 1, 10), "2011", True),
    ("county", D(2012, 6, 1), "2011", False),
])
def test_reminders_name_periods_due_within_three_days_or_overdue(unit_kind, today, key, named):
    assert (key in [p.key for p in deadlines.reminder_periods(unit_kind, today)]) is named


def test_reminders_name_the_roster_from_8_march():
    assert deadlines.reminder_roster_years(D(2011, 3, 7)) == []
    assert deadlines.reminder_roster_years(D(2011, 3, 8)) == [2011]
    assert deadlines.reminder_roster_years(D(2011, 4, 1)) == [2011]


def test_the_rules_module_imports_nothing_from_the_database_layer():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(deadlines))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [name for name in imported if name.startswith("django")]
