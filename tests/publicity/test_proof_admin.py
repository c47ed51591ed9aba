"""Issue 19 point 2: proof files leave only through the workflow's one deletion path.

The admin shows proof files and changes nothing: no delete page, no bulk delete, no edit. A record deleted in
the admin (reviewers, open years only) takes its proof files with it through the same path as the officer's
deletion: year lock, audit event per file, the file removed from the storage with its row.
"""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEvent, YearClose
from publicity import services
from publicity.models import ProofFile, Publication, Status
from tests.publicity import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def proof(make_publication, hanbin, alice):
    publication = make_publication(hanbin, title="已通过的稿件", status=Status.APPROVED)
    proof = services.proof_file_add(publication=publication, upload=helpers.png(), uploaded_by=alice)
    assert stored(proof)
    return proof


def stored(proof) -> bool:
    """Whether the proof's file is still in the private storage (by the name it was stored under)."""
    if not hasattr(proof, "stored_name"):
        proof.stored_name = proof.file.name
    return proof.file.storage.exists(proof.stored_name)


def test_a_reviewer_cannot_delete_a_proof_file_in_the_admin(client, rita, superuser, proof):
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    events = AuditEvent.objects.count()
    for user in (rita, superuser):
        client.force_login(user)
        url = reverse("admin:publicity_prooffile_delete", args=[proof.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert ProofFile.objects.filter(pk=proof.pk).exists() and stored(proof)
    assert AuditEvent.objects.count() == events


def test_the_admin_offers_no_bulk_delete_of_proof_files(client, rita, proof):
    client.force_login(rita)
    changelist = reverse("admin:publicity_prooffile_changelist")
    response = client.get(changelist)
    assert response.status_code == 200 and "delete_selected" not in response.content.decode()
    client.post(changelist, {"action": "delete_selected", "_selected_action": [proof.pk], "post": "yes"})
    assert ProofFile.objects.filter(pk=proof.pk).exists() and stored(proof)


def test_a_proof_file_cannot_be_edited_in_the_admin(client, rita, superuser, proof):
    for user in (rita, superuser):
        client.force_login(user)
        url = reverse("admin:publicity_prooffile_change", args=[proof.pk])
        page = client.get(url)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read-only page
        client.post(url, {"original_name": "改名.png", "sha256": "0" * 64})
    proof.refresh_from_db()
    assert proof.original_name == "版面.png"


def test_the_publication_page_in_the_admin_cannot_delete_its_proofs(client, rita, proof):
    client.force_login(rita)
    page = client.get(reverse("admin:publicity_publication_change", args=[proof.publication_id])).content.decode()
    assert "proofs-0-DELETE" not in page


def test_deleting_a_record_in_the_admin_removes_its_proof_files_audited(client, rita, proof,
                                                                        django_capture_on_commit_callbacks):
    publication = proof.publication
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:publicity_publication_delete", args=[publication.pk]),
                               {"post": "yes"})
    assert response.status_code == 302
    assert not Publication.objects.filter(pk=publication.pk).exists()
    assert not ProofFile.objects.filter(pk=proof.pk).exists()
    assert not stored(proof), "the file must go with its row"
    deleted = AuditEvent.objects.filter(action="proof.delete", target_id=str(proof.pk)).get()
    assert deleted.actor == rita and deleted.before["sha256"] == proof.sha256
    assert AuditEvent.objects.filter(action="publication.delete", target_id=str(publication.pk),
                                     actor=rita).exists()


def test_a_closed_years_record_and_its_proofs_stay_even_through_the_bulk_delete(client, rita, proof):
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    publication = proof.publication
    client.force_login(rita)
    response = client.post(reverse("admin:publicity_publication_changelist"), {
        "action": "delete_selected", "_selected_action": [publication.pk], "post": "yes"})
    assert response.status_code in (200, 302, 403)
    assert Publication.objects.filter(pk=publication.pk).exists() and stored(proof)
    assert not AuditEvent.objects.filter(action__in=["publication.delete", "proof.delete"]).exists()


def test_the_officers_deletion_still_works_on_a_draft(alice, hanbin, make_publication,
                                                      django_capture_on_commit_callbacks):
    draft = make_publication(hanbin, status=Status.DRAFT, published_on=datetime.date(2011, 6, 1))
    proof = services.proof_file_add(publication=draft, upload=helpers.png(seed=7), uploaded_by=alice)
    assert stored(proof)
    with django_capture_on_commit_callbacks(execute=True):
        services.proof_file_delete(proof=proof, officer=alice)
    assert not stored(proof) and not ProofFile.objects.filter(pk=proof.pk).exists()


def test_a_deletion_that_is_rolled_back_keeps_the_file(alice, hanbin, make_publication):
    from django.db import transaction

    draft = make_publication(hanbin, status=Status.DRAFT)
    proof = services.proof_file_add(publication=draft, upload=helpers.png(seed=8), uploaded_by=alice)
    assert stored(proof)
    pk = proof.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        services.proof_file_delete(proof=proof, officer=alice)
        raise RuntimeError("a later step of the same request fails")
    assert ProofFile.objects.filter(pk=pk).exists() and stored(proof)


def test_the_manuscript_page_cannot_delete_a_record_past_its_proofs(client, rita, proof):
    manuscript = proof.publication.manuscript
    client.force_login(rita)
    page = client.get(reverse("admin:publicity_manuscript_change", args=[manuscript.pk])).content.decode()
    assert "publications-0-DELETE" not in page and "publications-0-id" in page
