"""Officer B reaches nothing of officer A's unit by changing ids in URLs (issue 6, item 6)."""

import pytest
from django.urls import reverse

from publicity import services
from publicity.models import Publication, Status, Unit
from tests.publicity import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_record(alice, make_publication, hanbin):
    publication = make_publication(hanbin, title="汉滨区的内部稿件", status=Status.DRAFT)
    proof = services.proof_file_add(publication=publication, upload=helpers.png(), uploaded_by=alice)
    return publication, proof


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def urls_of(publication, proof):
    return {
        "detail": reverse("portal:record_detail", args=[publication.pk]),
        "edit": reverse("portal:record_edit", args=[publication.pk]),
        "reprint": reverse("portal:reprint_create", args=[publication.manuscript_id]),
        "proof": reverse("portal:proof", args=[proof.pk]),
        "proof_inline": reverse("portal:proof", args=[proof.pk]) + "?inline=1",
    }


def test_another_units_pages_and_proofs_are_404(bob_client, alices_record):
    for name, url in urls_of(*alices_record).items():
        assert bob_client.get(url).status_code == 404, name


def test_another_units_records_cannot_be_changed_by_posting(bob_client, alices_record):
    publication, proof = alices_record
    posts = {
        reverse("portal:record_edit", args=[publication.pk]): {"title": "被改了", "kind": "news",
                                                               "outlet": "安康日报", "published_on": "2011-05-03"},
        reverse("portal:record_submit", args=[publication.pk]): {"duplicates_confirmed": "1"},
        reverse("portal:reprint_create", args=[publication.manuscript_id]): {"outlet": "陕西日报",
                                                                             "published_on": "2011-05-04"},
        reverse("portal:proof_delete", args=[proof.pk]): {},
    }
    for url, data in posts.items():
        assert bob_client.post(url, data).status_code == 404, url
    publication.refresh_from_db()
    assert publication.status == Status.DRAFT and publication.manuscript.title == "汉滨区的内部稿件"
    assert publication.manuscript.publications.count() == 1 and publication.proofs.count() == 1


def test_another_units_records_are_not_listed_or_counted(bob_client, alices_record):
    response = bob_client.get(reverse("portal:records"))
    assert response.context["page"].paginator.count == 0
    assert "汉滨区的内部稿件" not in response.content.decode()
    assert "汉滨区的内部稿件" not in bob_client.get("/").content.decode()
    assert all(n == 0 for _, n in bob_client.get("/").context["status_counts"])


def test_filters_cannot_widen_the_scope(bob_client, alices_record, hanbin):
    response = bob_client.get(reverse("portal:records"), {"q": "汉滨区", "unit": hanbin.pk,
                                                          "manuscript__unit": hanbin.pk})
    assert response.context["page"].paginator.count == 0


def test_json_endpoints_hold_no_unit_data(bob_client, alices_record):
    data = bob_client.get(reverse("portal:outlet_search"), {"q": "安康"}).json()
    assert data["results"] and "汉滨区的内部稿件" not in str(data)


def test_duplicates_in_another_unit_are_flagged_without_showing_them(bob_client, bob, alices_record):
    _, proof = alices_record
    bob_client.post(reverse("portal:record_create"), {
        "title": "汉阴县稿件", "kind": "news", "outlet": "安康日报", "published_on": "2011-05-03",
        "proofs": [helpers.png()], "submit": "1"})
    mine = Publication.objects.get(manuscript__title="汉阴县稿件")
    assert mine.status == Status.DRAFT  # held: the same proof file is in 汉滨区
    body = bob_client.get(reverse("portal:record_detail", args=[mine.pk])).content.decode()
    assert "其他单位已有 1 条记录" in body
    assert "汉滨区的内部稿件" not in body and reverse("portal:record_detail", args=[proof.publication_id]) not in body


def test_the_unit_head_sees_the_own_unit_but_cannot_edit(client, hank, alices_record):
    publication, proof = alices_record
    client.force_login(hank)
    assert client.get(reverse("portal:record_detail", args=[publication.pk])).status_code == 200
    assert client.get(reverse("portal:proof", args=[proof.pk])).status_code == 200
    assert client.get(reverse("portal:record_edit", args=[publication.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["rita", "leo", "superuser"])
def test_reviewers_leaders_and_administrators_see_proofs_of_every_unit_once_submitted(client, request, persona,
                                                                                     alices_record):
    publication, proof = alices_record
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portal:proof", args=[proof.pk])).status_code == 404  # a draft: the unit's own
    Publication.objects.filter(pk=publication.pk).update(status=Status.SUBMITTED)
    assert client.get(reverse("portal:proof", args=[proof.pk])).status_code == 200


def test_anonymous_users_are_sent_to_the_login_page(client, alices_record):
    for url in urls_of(*alices_record).values():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_duplicate_check_shows_own_records_and_only_counts_other_units(client, alice, bob, alices_record,
                                                                           make_publication, hanyin):
    make_publication(hanyin, title="汉阴县自己的稿件", url="http://a.cn/same")
    make_publication(Unit.objects.get(name="汉滨区"), title="汉滨区同链接", url="http://a.cn/same")
    client.force_login(bob)
    params = {"title": "汉阴县自己的稿件", "outlet": "安康日报", "published_on": "2011-05-03",
              "url": "http://a.cn/same"}
    data = client.get(reverse("portal:duplicate_check"), params).json()
    assert [d["title"] for d in data["own"]] == ["汉阴县自己的稿件"]
    assert data["other_units"] == 1 and "汉滨区" not in str(data)
    assert client.get(reverse("portal:duplicate_check"), {"title": "x"}).json() == {"own": [], "other_units": 0}
