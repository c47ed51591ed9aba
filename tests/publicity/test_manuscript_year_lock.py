"""Issue 19 point 3: a manuscript belongs to every publication of it, so changing it checks the lock of every
year in which it has a publication — a reprint in an open year must not retitle a closed year's record."""

import datetime

import pytest
from django.urls import reverse

from core.models import YearClose
from publicity import services
from publicity.models import KeyTopic, Outlet, Publication, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def reprint(alice, hanbin, make_publication):
    """A 2011 draft, a 2026 reprint of its manuscript added after 2011 was closed."""
    old = make_publication(hanbin, title="2011年的稿件", status=Status.DRAFT, published_on=datetime.date(2011, 5, 3))
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    return services.publication_create(officer=alice, manuscript=old.manuscript, publication_data={
        "outlet": Outlet.objects.get(name="陕西日报"), "published_on": datetime.date(2026, 3, 1),
        "front_headline": False, "page": "第3版", "char_count": 900, "url": ""})


def data(publication):
    manuscript = publication.manuscript
    return ({k: getattr(manuscript, k) for k in services.MANUSCRIPT_FIELDS},
            {k: getattr(publication, k) for k in services.PUBLICATION_FIELDS})


def test_editing_the_reprint_cannot_retitle_the_closed_years_manuscript(alice, reprint):
    manuscript_data, publication_data = data(reprint)
    with pytest.raises(services.WorkflowError, match="2011年度已结算") as refused:
        services.publication_update(publication=reprint, officer=alice, publication_data=publication_data,
                                    manuscript_data={**manuscript_data, "title": "改过的标题"})
    assert "本稿件在已结算年度有刊发记录" in str(refused.value)
    reprint.manuscript.refresh_from_db()
    assert reprint.manuscript.title == "2011年的稿件"


def test_nor_change_its_authors_kind_or_key_topics(alice, reprint):
    manuscript_data, publication_data = data(reprint)
    for change in ({"authors": "新作者"}, {"kind": "feature"}):
        with pytest.raises(services.WorkflowError, match="2011年度已结算"):
            services.publication_update(publication=reprint, officer=alice, publication_data=publication_data,
                                        manuscript_data={**manuscript_data, **change})
    topic = KeyTopic.objects.create(name="就业", code="jy")
    with pytest.raises(services.WorkflowError, match="2011年度已结算"):
        services.publication_update(publication=reprint, officer=alice, publication_data=publication_data,
                                    manuscript_data=manuscript_data, key_topics=[topic])
    assert not reprint.manuscript.key_topics.exists()


def test_the_reprints_own_fields_still_change_when_the_manuscript_stays(alice, reprint):
    manuscript_data, publication_data = data(reprint)
    services.publication_update(publication=reprint, officer=alice, manuscript_data=manuscript_data,
                                publication_data={**publication_data, "char_count": 1500}, key_topics=[])
    assert Publication.objects.get(pk=reprint.pk).char_count == 1500


def test_the_manuscript_changes_again_once_the_year_is_reopened(alice, reprint):
    YearClose.objects.filter(year=2011).update(state=YearClose.State.REOPENED)
    manuscript_data, publication_data = data(reprint)
    services.publication_update(publication=reprint, officer=alice, publication_data=publication_data,
                                manuscript_data={**manuscript_data, "title": "改过的标题"})
    reprint.manuscript.refresh_from_db()
    assert reprint.manuscript.title == "改过的标题"


def test_the_edit_page_shows_the_manuscript_fields_locked_and_keeps_the_title(client, alice, reprint):
    client.force_login(alice)
    url = reverse("portal:record_edit", args=[reprint.pk])
    page = client.get(url).content.decode()
    assert "本稿件在已结算年度有刊发记录" in page
    response = client.post(url, {"title": "改过的标题", "authors": "", "kind": "news", "special_topic": "",
                                 "outlet": "陕西日报", "published_on": "2026-03-01", "page": "第3版",
                                 "char_count": "1000", "url": ""})
    assert response.status_code == 302
    reprint.refresh_from_db()
    assert reprint.manuscript.title == "2011年的稿件" and reprint.char_count == 1000


def test_the_admin_manuscript_page_checks_every_year_of_it(client, rita, reprint):
    manuscript = reprint.manuscript
    manuscript.publications.update(status=Status.SUBMITTED)  # handed in: reviewers see it (drafts they don't)
    client.force_login(rita)
    url = reverse("admin:publicity_manuscript_change", args=[manuscript.pk])
    form = client.get(url).context["adminform"].form
    post = {name: form[name].value() or "" for name in form.fields if form[name].value() is not None}
    post.update({"title": "后台改的标题", "publications-TOTAL_FORMS": "2", "publications-INITIAL_FORMS": "2",
                 "publications-MIN_NUM_FORMS": "0", "publications-MAX_NUM_FORMS": "1000"})
    response = client.post(url, post)
    assert response.status_code == 200 and "2011年度已结算" in response.content.decode()
    manuscript.refresh_from_db()
    assert manuscript.title == "2011年的稿件"


def test_the_detail_table_import_cannot_change_the_closed_years_manuscript_through_its_reprint(rita, hanbin,
                                                                                              make_publication):
    from exchange.services import ARTICLE_HEADERS, articles_import
    from tests.exchange.excel_files import xlsx_bytes

    old = make_publication(hanbin, title="两年都发的稿件", published_on=datetime.date(2011, 5, 3))
    Publication.objects.create(manuscript=old.manuscript, outlet=Outlet.objects.get(name="陕西日报"),
                               published_on=datetime.date(2026, 3, 1), status=Status.APPROVED)
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    table = xlsx_bytes([list(ARTICLE_HEADERS),
                        ["汉滨区", "两年都发的稿件", "新作者", "陕西日报", "新闻", "", "", "2026-03-01", "", "", ""]])
    report = articles_import(actor=rita, file=table, filename="a.xlsx")
    assert not report.ok and "2011年度已结算" in report.errors[0].reason
    old.manuscript.refresh_from_db()
    assert old.manuscript.authors == ""


def test_nor_link_it_to_a_research_topic(alice, hanbin, make_publication):
    from publicity.models import ResearchTopic

    old = make_publication(hanbin, title="调研文章", kind="research", status=Status.DRAFT,
                           published_on=datetime.date(2011, 5, 3))
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    reprint = services.publication_create(officer=alice, manuscript=old.manuscript, publication_data={
        "outlet": Outlet.objects.get(name="陕西日报"), "published_on": datetime.date(2026, 3, 1),
        "front_headline": False, "page": "", "char_count": None, "url": ""})
    topic = ResearchTopic.objects.create(unit=hanbin, year=2026, title="就业专题", lead="王明",
                                         planned_completion=datetime.date(2026, 10, 1))
    manuscript_data, publication_data = data(reprint)
    with pytest.raises(services.WorkflowError, match="2011年度已结算"):
        services.publication_update(publication=reprint, officer=alice, publication_data=publication_data,
                                    manuscript_data={**manuscript_data, "research_topic": topic})
    reprint.manuscript.refresh_from_db()
    assert reprint.manuscript.research_topic is None
