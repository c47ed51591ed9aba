"""Research topics (调研专题, notice §3 item 5, DOMAIN §11): every unit files 1–2 a year; a research article may
be linked to one of its unit's topics, and a topic is completed once a linked research article is approved.

Every write is here, audited and in the year lock; the pages (reporting's duties pages) and the entry form only
call these. Completion is never stored: `ResearchTopic.objects.with_completion()` reads it from the approved
publications, so approving, rejecting or re-linking an article can never leave it stale.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import roles
from core.audit import audit_record
from core.text import title_key
from core.yearlock import year_lock_check
from publicity.models import ResearchTopic, Unit

# Notice §3 item 5: "选择1-2个专题".
MAX_TOPICS_PER_YEAR = 2

TOO_MANY_MESSAGE = "每个单位每年选择1—2个调研专题，{unit}{year}年已填报{count}个；如需调整，请修改或删除已有专题。"
DUPLICATE_MESSAGE = "{year}年已有同名调研专题「{title}」。"
LINKED_MESSAGE = "专题「{title}」已关联{count}篇调研文章，不能删除；请先在文章中取消关联。"
TITLE_REQUIRED_MESSAGE = "请填写专题名称。"
LEAD_REQUIRED_MESSAGE = "请填写牵头人。"
COMPLETION_YEAR_MESSAGE = "计划完成时间应在{year}年或次年内。"
TOPIC_OTHER_UNIT_MESSAGE = "只能关联本单位的调研专题。"
TOPIC_NEEDS_RESEARCH_MESSAGE = "只有调研文章可以关联调研专题，请把稿件类型改为“调研文章”或不选专题。"

FIELDS = ("title", "lead", "planned_completion")


def _check_officer(officer, unit: Unit) -> None:
    """core.roles.officer_unit, the one rule of who files for a unit (a superuser has no unit, so is no officer)."""
    roles.officer_unit(officer, unit)


def _clean(*, year: int, title: str, lead: str, planned_completion: datetime.date) -> dict:
    errors = {}
    title, lead = (title or "").strip(), (lead or "").strip()
    if not title:
        errors["title"] = TITLE_REQUIRED_MESSAGE
    if not lead:
        errors["lead"] = LEAD_REQUIRED_MESSAGE
    if planned_completion is None or planned_completion.year not in (year, year + 1):
        errors["planned_completion"] = COMPLETION_YEAR_MESSAGE.format(year=year)
    if errors:
        raise ValidationError(errors)
    return {"title": title, "lead": lead, "planned_completion": planned_completion}


def _snapshot(topic: ResearchTopic) -> dict:
    return {"year": topic.year, "title": topic.title, "lead": topic.lead,
            "planned_completion": topic.planned_completion.isoformat()}


def _save(topic: ResearchTopic) -> None:
    others = ResearchTopic.objects.filter(unit=topic.unit, year=topic.year).exclude(pk=topic.pk)
    if others.filter(title_key=title_key(topic.title)).exists():
        raise ValidationError({"title": DUPLICATE_MESSAGE.format(year=topic.year, title=topic.title)})
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError as exc:  # the same title filed a moment ago in another tab
        raise ValidationError({"title": DUPLICATE_MESSAGE.format(year=topic.year, title=topic.title)}) from exc


@transaction.atomic
def research_topic_create(*, officer, unit: Unit, year: int, title: str, lead: str,
                          planned_completion: datetime.date) -> ResearchTopic:
    _check_officer(officer, unit)
    year_lock_check(year=year)
    values = _clean(year=year, title=title, lead=lead, planned_completion=planned_completion)
    # Lock the unit's row so that two tabs cannot both file the third topic.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    count = ResearchTopic.objects.filter(unit=unit, year=year).count()
    if count >= MAX_TOPICS_PER_YEAR:
        raise ValidationError(TOO_MANY_MESSAGE.format(unit=unit.name, year=year, count=count))
    topic = ResearchTopic(unit=unit, year=year, created_by=officer, **values)
    _save(topic)
    audit_record(actor=officer, action="research_topic.create", target=topic, unit=unit,
                 summary=f"填报{year}年调研专题「{topic.title}」", after=_snapshot(topic))
    return topic


@transaction.atomic
def research_topic_update(*, topic: ResearchTopic, officer, title: str, lead: str,
                          planned_completion: datetime.date) -> ResearchTopic:
    _check_officer(officer, topic.unit)
    year_lock_check(year=topic.year)
    values = _clean(year=topic.year, title=title, lead=lead, planned_completion=planned_completion)
    before = _snapshot(topic)
    for name, value in values.items():
        setattr(topic, name, value)
    _save(topic)
    after = _snapshot(topic)
    audit_record(actor=officer, action="research_topic.update", target=topic, unit=topic.unit,
                 summary=f"修改{topic.year}年调研专题「{topic.title}」",
                 before={k: v for k, v in before.items() if after[k] != v},
                 after={k: v for k, v in after.items() if before[k] != v})
    return topic


@transaction.atomic
def research_topic_delete(*, topic: ResearchTopic, officer) -> None:
    """A topic no article is linked to can be withdrawn (a unit that filed a third idea, or a typo)."""
    _check_officer(officer, topic.unit)
    year_lock_check(year=topic.year)
    linked = topic.manuscripts.count()
    if linked:
        raise ValidationError(LINKED_MESSAGE.format(title=topic.title, count=linked))
    audit_record(actor=officer, action="research_topic.delete", target=topic, unit=topic.unit,
                 summary=f"删除{topic.year}年调研专题「{topic.title}」", before=_snapshot(topic))
    topic.delete()


def research_topic_check_link(*, topic: ResearchTopic | None, unit, kind: str) -> None:
    """The one rule for linking an article to a topic (web form, API, service): the unit's own topic, and only
    for a research article. Raises ValidationError with the Chinese message."""
    if topic is None:
        return
    if topic.unit_id != getattr(unit, "pk", unit):
        raise ValidationError(TOPIC_OTHER_UNIT_MESSAGE, code="topic_other_unit")
    if kind != "research":
        raise ValidationError(TOPIC_NEEDS_RESEARCH_MESSAGE, code="topic_needs_research")


def research_topics_of(*, unit, year: int | None = None):
    """The unit's topics (newest year first) with their completion."""
    topics = ResearchTopic.objects.filter(unit=unit).with_completion()
    return topics.filter(year=year) if year is not None else topics
