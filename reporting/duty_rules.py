"""The notice's other duties and their due dates (DOMAIN §11). Pure: no django.db, `today` is passed in.

What each unit owes the bureau besides articles, and by when (defaults; the bureau may set other dates per year
in 年度宣传工作设置):
- research topics (调研专题, notice §3 item 5): 1–2 filed by 31 March, at least one completed — a linked
  research article approved — by 25 December;
- the annual publicity plan (年度宣传报道工作计划, notice §7) with the leading group, staff and budget: by 31 March;
- the first responsible person (第一责任人, notice §5): with the plan;
- a website (网站建设, notice §1): counties and affiliated units, online by the end of the year.
Training attendance (notice §1) is shown, never owed by a date. None of these changes the 4-point score.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from reporting.deadlines import date_label, needs_reminder

# DOMAIN §11: the plan is due "by a date the bureau sets per year (default 03-31)"; topics are filed with it.
PLAN_DUE = (3, 31)
TOPICS_DUE = (3, 31)
# DOMAIN §11: "topics but no completed one by 12-25" are flagged (the annual report's day, D10).
RESEARCH_DUE = (12, 25)
# Notice §1: "力争在年底前全面完成网站建设".
WEBSITE_DUE = (12, 31)
# Notice §1: "各县区和局属各单位要……建立和管理网站"; the bureau's own sections use the bureau's site.
WEBSITE_KINDS = ("county", "affiliated")

TOPICS, RESEARCH, PLAN, RESPONSIBLE, WEBSITE = "topics", "research", "plan", "responsible", "website"

WEBSITE_NONE, WEBSITE_BUILDING, WEBSITE_ONLINE = "none", "building", "online"
WEBSITE_LABELS = {WEBSITE_NONE: "未建", WEBSITE_BUILDING: "建设中", WEBSITE_ONLINE: "已建成"}
NOT_REQUIRED_MESSAGE = "不要求"


@dataclass(frozen=True)
class DutyDates:
    plan: datetime.date
    topics: datetime.date
    research: datetime.date
    website: datetime.date


def duty_dates(year: int, *, plan: datetime.date | None = None, topics: datetime.date | None = None,
               research: datetime.date | None = None, website: datetime.date | None = None) -> DutyDates:
    """The year's due dates: the bureau's own where it set them, else the defaults above."""
    return DutyDates(plan=plan or datetime.date(year, *PLAN_DUE), topics=topics or datetime.date(year, *TOPICS_DUE),
                     research=research or datetime.date(year, *RESEARCH_DUE),
                     website=website or datetime.date(year, *WEBSITE_DUE))


def website_required(unit_kind: str) -> bool:
    return unit_kind in WEBSITE_KINDS


@dataclass(frozen=True)
class UnitFacts:
    """What a unit has done for a year, as counted from the database."""

    unit_kind: str
    topics_filed: int = 0
    topics_completed: int = 0
    plan_filed: bool = False
    responsible_filed: bool = False
    website_state: str = WEBSITE_NONE


@dataclass(frozen=True)
class Duty:
    """One duty a unit has not yet done, with its due date."""

    key: str
    text: str
    due: datetime.date

    def overdue(self, today: datetime.date) -> bool:
        return today > self.due

    def line(self, today: datetime.date) -> str:
        when = "已逾期" if self.overdue(today) else "即将到期"
        return f"{self.text}：截止{date_label(self.due)}（{when}）"


def open_duties(*, year: int, facts: UnitFacts, dates: DutyDates) -> list[Duty]:
    """The year's duties the unit has not done, due or not."""
    duties = []
    if facts.topics_filed == 0:
        duties.append(Duty(TOPICS, f"填报{year}年调研专题（1—2个）", dates.topics))
    elif facts.topics_completed == 0:
        duties.append(Duty(RESEARCH, f"完成{year}年调研专题（已填报{facts.topics_filed}个，尚无审核通过的调研文章）",
                           dates.research))
    if not facts.plan_filed:
        duties.append(Duty(PLAN, f"报送{year}年度宣传报道工作计划（含领导小组、工作人员和经费）", dates.plan))
    if not facts.responsible_filed:
        duties.append(Duty(RESPONSIBLE, f"填报{year}年宣传报道工作第一责任人", dates.plan))
    if website_required(facts.unit_kind) and facts.website_state != WEBSITE_ONLINE:
        current = WEBSITE_LABELS.get(facts.website_state, facts.website_state)
        duties.append(Duty(WEBSITE, f"建成本单位网站（目前：{current}）", dates.website))
    return duties


def overdue_duties(*, year: int, facts: UnitFacts, dates: DutyDates, today: datetime.date) -> list[Duty]:
    """What the compliance page flags: duties past their due date."""
    return [duty for duty in open_duties(year=year, facts=facts, dates=dates) if duty.overdue(today)]


def reminder_duties(*, year: int, facts: UnitFacts, dates: DutyDates, today: datetime.date) -> list[Duty]:
    """What a reminder mail names (D10's window): due within a few days, or overdue within the look-back."""
    return [duty for duty in open_duties(year=year, facts=facts, dates=dates) if needs_reminder(duty.due, today)]


def topics_label(facts: UnitFacts) -> str:
    """填报2个 · 完成1个 / 未填报."""
    if not facts.topics_filed:
        return "未填报"
    return f"填报{facts.topics_filed}个 · 完成{facts.topics_completed}个"


def website_label(facts: UnitFacts) -> str:
    if not website_required(facts.unit_kind) and facts.website_state != WEBSITE_ONLINE:
        return NOT_REQUIRED_MESSAGE
    return WEBSITE_LABELS.get(facts.website_state, facts.website_state)


@dataclass(frozen=True)
class Attendance:
    """A unit's attendance at the year's training courses."""

    invited: int = 0
    attended: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def label(self) -> str:
        if not self.invited:
            return "—"
        parts = [f"出席{self.attended}/{self.invited}"]
        if self.absent:
            parts.append(f"缺席{self.absent}")
        if self.excused:
            parts.append(f"请假{self.excused}")
        return " · ".join(parts)

    @property
    def flagged(self) -> bool:
        """An absence without leave is what the bureau follows up."""
        return self.absent > 0
