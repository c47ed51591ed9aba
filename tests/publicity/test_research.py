"""Research topics (调研专题, DOMAIN §11): 1–2 per unit and year, filed by the unit's officer, linked from research
articles (entry form, API, service), completed once a linked research article is approved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent, YearClose
from publicity import services
from publicity.models import Manuscript, Outlet, ResearchTopic
from publicity.research import (
    research_topic_check_link,
    research_topic_create,
    research_topic_delete,
    research_topic_update,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def topic_of(officer, unit, title="农村劳动力转移就业调研", year=2011, **values):
    return research_topic_create(officer=officer, unit=unit, year=year, title=title, lead=values.get("lead", "王明"),
                                 planned_completion=values.get("planned_completion", D(year, 11, 30)))


def research_data(topic=None, **values):
    return {"title": values.get("title", "关于汉滨区农村劳动力转移就业的调研报告"), "authors": "王明",
            "kind": values.get("kind", "research"), "special_topic": "", "research_topic": topic}


def publication_data(**values):
    return {"outlet": Outlet.objects.get(name=values.get("outlet", "安康经济")),
            "published_on": values.get("published_on", D(2011, 6, 1)), "front_headline": False, "page": "",
            "char_count": 3000, "url": ""}


def test_an_officer_files_a_topic_and_it_is_audited(alice, hanbin):
    topic = topic_of(alice, hanbin)
    assert (topic.unit, topic.year, topic.lead) == (hanbin, 2011, "王明")
    event = AuditEvent.objects.get(action="research_topic.create")
    assert event.unit == hanbin and "农村劳动力转移就业调研" in event.summary


def test_a_unit_files_at_most_two_topics_a_year(alice, hanbin):
    topic_of(alice, hanbin, "专题一")
    topic_of(alice, hanbin, "专题二")
    with pytest.raises(ValidationError, match="1—2个调研专题"):
        topic_of(alice, hanbin, "专题三")
    topic_of(alice, hanbin, "来年的专题", year=2012)  # another year counts apart


def test_the_same_title_twice_in_a_year_is_refused_whatever_the_punctuation(alice, hanbin):
    topic_of(alice, hanbin, "就业（创业）调研")
    with pytest.raises(ValidationError) as error:
        topic_of(alice, hanbin, "就业(创业) 调研")
    assert "同名调研专题" in error.value.message_dict["title"][0]


def test_only_the_units_own_officer_files_its_topics(alice, bob, hank, hanbin):
    for person in (bob, hank):
        with pytest.raises(PermissionDenied):
            topic_of(person, hanbin)
    assert not ResearchTopic.objects.exists()


def test_a_closed_years_topics_are_frozen(alice, hanbin):
    topic = topic_of(alice, hanbin)
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    with pytest.raises(ValidationError, match="2011年度已结算"):
        topic_of(alice, hanbin, "另一个专题")
    with pytest.raises(ValidationError, match="2011年度已结算"):
        research_topic_update(topic=topic, officer=alice, title="改名", lead="王明", planned_completion=D(2011, 9, 1))


def test_the_planned_completion_is_in_the_year_or_the_next(alice, hanbin):
    with pytest.raises(ValidationError) as error:
        topic_of(alice, hanbin, planned_completion=D(2013, 1, 1))
    assert "planned_completion" in error.value.message_dict


def test_an_update_is_audited_with_what_changed(alice, hanbin):
    topic = topic_of(alice, hanbin)
    research_topic_update(topic=topic, officer=alice, title=topic.title, lead="李娟", planned_completion=D(2011, 10, 1))
    event = AuditEvent.objects.get(action="research_topic.update")
    assert event.before == {"lead": "王明", "planned_completion": "2011-11-30"}
    assert event.after == {"lead": "李娟", "planned_completion": "2011-10-01"}


def test_a_topic_with_a_linked_article_cannot_be_deleted(alice, hanbin):
    topic = topic_of(alice, hanbin)
    Manuscript.objects.create(unit=hanbin, title="调研报告", kind="research", research_topic=topic)
    with pytest.raises(ValidationError, match="已关联1篇调研文章"):
        research_topic_delete(topic=topic, officer=alice)
    other = topic_of(alice, hanbin, "另一个专题")
    research_topic_delete(topic=other, officer=alice)
    assert not ResearchTopic.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action="research_topic.delete").count() == 1


def test_a_link_is_to_the_units_own_topic_and_from_a_research_article_only(alice, bob, hanbin, hanyin):
    topic = topic_of(alice, hanbin)
    research_topic_check_link(topic=topic, unit=hanbin, kind="research")
    with pytest.raises(ValidationError, match="本单位"):
        research_topic_check_link(topic=topic, unit=hanyin, kind="research")
    with pytest.raises(ValidationError, match="只有调研文章"):
        research_topic_check_link(topic=topic, unit=hanbin, kind="news")
    # The model's own check (every model form, the admin): the same rule.
    with pytest.raises(ValidationError):
        Manuscript(unit=hanyin, title="他人", kind="research", research_topic=topic).clean()


def completion(topic):
    return ResearchTopic.objects.with_completion().get(pk=topic.pk).completed_on


def test_a_topic_is_completed_once_a_linked_research_article_is_approved(alice, rita, hanbin):
    topic = topic_of(alice, hanbin)
    publication = services.publication_create(officer=alice, manuscript_data=research_data(topic),
                                              publication_data=publication_data())
    assert publication.manuscript.research_topic == topic
    assert completion(topic) is None  # a draft
    services.publication_submit(publication=publication, officer=alice)
    assert completion(topic) is None  # submitted is not approved
    services.publication_reject(publication=publication, reviewer=rita, reason="请补充调研数据")
    assert completion(topic) is None
    services.publication_resubmit(publication=publication, officer=alice)
    services.publication_approve(publication=publication, reviewer=rita)
    assert completion(topic) == D(2011, 6, 1)


def test_the_service_refuses_another_units_topic_and_a_news_article(alice, bob, hanbin, hanyin):
    topic = topic_of(alice, hanbin)
    with pytest.raises(services.WorkflowError, match="本单位"):
        services.publication_create(officer=bob, manuscript_data=research_data(topic),
                                    publication_data=publication_data())
    with pytest.raises(services.WorkflowError, match="只有调研文章"):
        services.publication_create(officer=alice, manuscript_data=research_data(topic, kind="news"),
                                    publication_data=publication_data())
    assert not Manuscript.objects.exists()


def test_turning_a_research_article_into_news_drops_its_topic(alice, hanbin):
    topic = topic_of(alice, hanbin)
    publication = services.publication_create(officer=alice, manuscript_data=research_data(topic),
                                              publication_data=publication_data())
    services.publication_update(publication=publication, officer=alice, publication_data=publication_data(),
                                manuscript_data={k: v for k, v in research_data(kind="news").items()
                                                 if k != "research_topic"})
    publication.manuscript.refresh_from_db()
    assert publication.manuscript.research_topic is None
    event = AuditEvent.objects.get(action="publication.update")
    assert event.before["manuscript.research_topic"] == topic.pk and event.after["manuscript.research_topic"] is None


# --- the entry form ----------------------------------------------------------------------------------------


def entry(**values):
    data = {"title": "关于汉滨区农村劳动力转移就业的调研报告", "authors": "王明", "kind": "research",
            "special_topic": "", "outlet": "安康经济", "published_on": "2011-06-01", "page": "", "char_count": "",
            "url": "", "save": "1"}
    data.update(values)
    return data


def test_the_entry_form_offers_the_units_own_topics_only(client, alice, bob, hanbin, hanyin):
    own = topic_of(alice, hanbin, "汉滨区的专题")
    topic_of(bob, hanyin, "汉阴县的专题")
    client.force_login(alice)
    page = client.get(reverse("portal:record_create")).content.decode()
    assert "2011年：汉滨区的专题" in page and "汉阴县的专题" not in page
    response = client.post(reverse("portal:record_create"), entry(research_topic=own.pk))
    assert response.status_code == 302
    assert Manuscript.objects.get().research_topic == own


def test_the_entry_form_refuses_another_units_topic_and_a_topic_on_news(client, alice, bob, hanbin, hanyin):
    own = topic_of(alice, hanbin)
    theirs = topic_of(bob, hanyin, "汉阴县的专题")
    client.force_login(alice)
    response = client.post(reverse("portal:record_create"), entry(research_topic=theirs.pk))
    assert "请从列表中选择本单位的调研专题" in response.content.decode()
    response = client.post(reverse("portal:record_create"), entry(research_topic=own.pk, kind="news"))
    assert "只有调研文章可以关联调研专题" in response.content.decode()
    assert not Manuscript.objects.exists()


def test_the_record_page_names_the_topic_and_the_edit_form_keeps_it(client, alice, hanbin):
    topic = topic_of(alice, hanbin)
    publication = services.publication_create(officer=alice, manuscript_data=research_data(topic),
                                              publication_data=publication_data())
    client.force_login(alice)
    assert "2011年：农村劳动力转移就业调研" in client.get(
        reverse("portal:record_detail", args=[publication.pk])).content.decode()
    form = client.get(reverse("portal:record_edit", args=[publication.pk])).content.decode()
    assert f'<option value="{topic.pk}" selected>' in form


def test_the_api_links_a_new_record_to_a_topic(client, alice, hanbin):
    topic = topic_of(alice, hanbin)
    client.force_login(alice)
    response = client.post(reverse("api:records"), entry(research_topic=topic.pk))
    assert response.status_code == 201, response.content
    assert response.json()["research_topic"] == topic.pk
