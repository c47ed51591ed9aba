"""Reporting periods and due dates (DOMAIN D10, notice §6). Pure: no django.db, `today` is passed in.

Sections (机关科室) report the previous month's publications by the 5th of each month (December's by
5 January of the next year); counties (县区) and affiliated units (局属单位) report the year's publications
by 25 December. Every unit's officer roster (信息宣传员名单) is due on 11 March.
"""

import datetime
from dataclasses import dataclass

MONTHLY = "monthly"
ANNUAL = "annual"
PERIOD_KIND_LABELS = {MONTHLY: "月报", ANNUAL: "年报"}

# D10: the day of the next month by which a section's monthly report is due.
MONTHLY_DUE_DAY = 5
# D10: the annual report of counties and affiliated units is due on 25 December of the same year.
ANNUAL_DUE = (12, 25)
# An annual report may be filed from 1 December on: it reports the year's work, close to its end.
ANNUAL_OPENS = (12, 1)
# D10: the officer roster is due on 11 March.
ROSTER_DUE = (3, 11)
# Reminders go out this many days before a due date (and every day after it until the report is in).
REMINDER_DAYS_BEFORE = 3
# A report overdue longer than this is left to the reviewers' compliance page, not to daily e-mails.
REMINDER_LOOKBACK_DAYS = 90


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date
    due: datetime.date

    @property
    def label(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年度"

    @property
    def opens(self) -> datetime.date:
        """The first day the report of this period can be filed."""
        if self.kind == MONTHLY:
            return self.end + datetime.timedelta(days=1)
        return datetime.date(self.start.year, *ANNUAL_OPENS)

    @property
    def key(self) -> str:
        """2011-01 for a month, 2011 for a year (used in URLs)."""
        return f"{self.start:%Y-%m}" if self.kind == MONTHLY else f"{self.start.year}"


def date_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_kind_for(unit_kind: str) -> str:
    return MONTHLY if unit_kind == "section" else ANNUAL


def monthly_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    end = next_month - datetime.timedelta(days=1)
    return Period(MONTHLY, start, end, next_month.replace(day=MONTHLY_DUE_DAY))


def annual_period(year: int) -> Period:
    return Period(ANNUAL, datetime.date(year, 1, 1), datetime.date(year, 12, 31), datetime.date(year, *ANNUAL_DUE))


def periods_of_year(unit_kind: str, year: int) -> list[Period]:
    if period_kind_for(unit_kind) == MONTHLY:
        return [monthly_period(year, month) for month in range(1, 13)]
    return [annual_period(year)]


def period_from_key(unit_kind: str, key: str) -> Period | None:
    """The unit kind's period named by `key` (2011-01 or 2011), or None when it names no such period."""
    try:
        if period_kind_for(unit_kind) == MONTHLY:
            year, month = (int(part) for part in key.split("-"))
            return monthly_period(year, month) if 1 <= month <= 12 and 2000 <= year <= 2100 else None
        year = int(key)
        return annual_period(year) if 2000 <= year <= 2100 else None
    except (ValueError, TypeError):
        return None


def open_periods(unit_kind: str, today: datetime.date) -> list[Period]:
    """Periods that can be reported today: this year's and last year's that have opened, newest first."""
    periods = periods_of_year(unit_kind, today.year - 1) + periods_of_year(unit_kind, today.year)
    return sorted((p for p in periods if p.opens <= today), key=lambda p: p.start, reverse=True)


def roster_due(year: int) -> datetime.date:
    return datetime.date(year, *ROSTER_DUE)


def is_late(submitted_on: datetime.date, due: datetime.date) -> bool:
    """D10: filed after the due date → accepted, but late. Filing on the due date is on time."""
    return submitted_on > due


def needs_reminder(due: datetime.date, today: datetime.date) -> bool:
    """Due within REMINDER_DAYS_BEFORE days, or overdue (within the look-back window)."""
    days_left = (due - today).days
    return -REMINDER_LOOKBACK_DAYS <= days_left <= REMINDER_DAYS_BEFORE


def reminder_periods(unit_kind: str, today: datetime.date) -> list[Period]:
    """The unit kind's periods whose report a reminder should name today."""
    years = (today.year - 1, today.year, today.year + 1)
    periods = [p for year in years for p in periods_of_year(unit_kind, year)]
    return [p for p in periods if needs_reminder(p.due, today)]


def reminder_roster_years(today: datetime.date) -> list[int]:
    return [year for year in (today.year - 1, today.year) if needs_reminder(roster_due(year), today)]


# Compliance states of one unit and period (the reviewers' page).
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
COMPLIANCE_LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报送", PENDING: "未到期"}


def compliance_state(*, due: datetime.date, today: datetime.date, submitted_on: datetime.date | None) -> str:
    if submitted_on is not None:
        return LATE if is_late(submitted_on, due) else ON_TIME
    return MISSING if today > due else PENDING
