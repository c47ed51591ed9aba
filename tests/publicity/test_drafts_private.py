"""Issue 19 point 8: a draft is its unit's own — its officers and head — until submitted. Reviewers, leaders and
administrators see submitted, approved and rejected records of every unit, never another unit's drafts: the one
scoping queryset (core.roles.ScopedQuerySet.visible_to) decides, so the home page, records, search, API, exports
and the admin all follow."""

import io

import openpyxl
import pytest
from django.urls import reverse

from publicity import services
from publicity.models import Manuscript, ProofFile, Publication, Status
from publicity.search import publication_search
from tests.publicity import helpers

pytestmark = pytest.mark.django_db

DRAFT = "汉滨区尚在起草的稿件"
SHOWN = {"汉滨区已提交的稿件": Status.SUBMITTED, "汉滨区已通过的稿件": Status.APPROVED,
         "汉阴县被退回的稿件": Status.REJECTED}


@pytest.fixture
def records(make_publication, hanbin, hanyin, alice):
    draft = make_publication(hanbin, title=DRAFT, status=Status.DRAFT)
    proof = services.proof_file_add(publication=draft, upload=helpers.png(seed=31), uploaded_by=alice)
    for title, status in SHOWN.items():
        make_publication(hanyin if "汉阴县" in title else hanbin, title=title, status=status)
    return draft, proof


@pytest.mark.parametrize("persona", ["rita", "leo", "superuser"])
def test_those_who_see_every_unit_see_no_draft(request, persona, records):
    user = request.getfixturevalue(persona)
    draft, proof = records
    titles = set(Publication.objects.visible_to(user).values_list("manuscript__title", flat=True))
    assert titles == set(SHOWN)
    assert not ProofFile.objects.visible_to(user).filter(pk=proof.pk).exists()
    assert not Manuscript.objects.visible_to(user).filter(pk=draft.manuscript_id).exists()


@pytest.mark.parametrize("persona", ["alice", "hank"])
def test_the_units_officer_and_head_see_its_drafts(request, persona, records):
    user = request.getfixturevalue(persona)
    draft, proof = records
    assert Publication.objects.visible_to(user).filter(pk=draft.pk).exists()
    assert ProofFile.objects.visible_to(user).filter(pk=proof.pk).exists()
    assert Manuscript.objects.visible_to(user).filter(pk=draft.manuscript_id).exists()


def test_a_manuscript_is_seen_once_one_of_its_records_is_handed_in(rita, alice, records):
    draft, _proof = records
    services.publication_submit(publication=draft, officer=alice)
    assert Manuscript.objects.visible_to(rita).filter(pk=draft.manuscript_id).exists()
    assert Publication.objects.visible_to(rita).filter(pk=draft.pk).exists()


def test_a_reviewer_who_also_writes_for_a_unit_keeps_that_units_drafts(rita, records, make_publication):
    from django.contrib.auth.models import Group

    rita.groups.add(Group.objects.get(name="信息宣传员"))
    own = make_publication(rita.membership.unit, title="本科室的草稿", status=Status.DRAFT)
    rita = type(rita).objects.get(pk=rita.pk)  # roles are cached per user object
    visible = Publication.objects.visible_to(rita)
    assert visible.filter(pk=own.pk).exists() and not visible.filter(pk=records[0].pk).exists()


def test_the_leaders_home_page_lists_no_other_units_draft(client, leo, alice, records):
    client.force_login(leo)
    page = client.get(reverse("home")).content.decode()
    assert DRAFT not in page and "汉滨区已通过的稿件" in page
    client.force_login(alice)
    assert DRAFT in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["rita", "leo"])
def test_record_pages_search_and_downloads_hide_drafts(client, request, persona, records):
    draft, proof = records
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portal:record_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("portal:proof", args=[proof.pk])).status_code == 404
    listing = client.get(reverse("portal:records"), {"status": "draft"}).content.decode()
    assert DRAFT not in listing
    assert DRAFT not in client.get(reverse("search"), {"q": "尚在起草"}).content.decode()
    assert not list(publication_search(user=request.getfixturevalue(persona), query="尚在起草").results)


def test_the_api_lists_drafts_to_their_unit_only(client, leo, alice, records):
    client.force_login(leo)
    body = client.get(reverse("api:records")).content.decode()
    assert DRAFT not in body and "汉滨区已提交的稿件" in body
    assert client.get(reverse("api:record", args=[records[0].pk])).status_code == 404
    client.force_login(alice)
    assert DRAFT in client.get(reverse("api:records")).content.decode()


def test_the_reviewers_detail_export_has_no_draft(client, rita, records):
    client.force_login(rita)
    response = client.get(reverse("exchange_articles"), {"year": 2011})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).active
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert DRAFT not in cells and "汉滨区已提交的稿件" in cells


@pytest.mark.parametrize("persona", ["rita", "superuser"])
def test_the_admin_lists_no_other_units_draft(client, request, persona, records):
    draft, _proof = records
    client.force_login(request.getfixturevalue(persona))
    for model in ("publication", "manuscript", "prooffile"):
        page = client.get(reverse(f"admin:publicity_{model}_changelist")).content.decode()
        assert DRAFT not in page and "版面.png" not in page, model
    response = client.get(reverse("admin:publicity_publication_change", args=[draft.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect to its index
