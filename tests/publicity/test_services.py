"""The publication lifecycle: draft → submitted → approved | rejected → resubmitted."""

import datetime

import pytest
from django.core import mail

from publicity import services
from publicity.models import AuditEvent, Notification, Outlet, ProofFile, Publication, Status
from tests.conftest import make_user
from tests.publicity.helpers import png

pytestmark = pytest.mark.django_db


def entry(**overrides):
    manuscript = {"title": "汉滨区扎实推进新农保试点", "authors": "王明、李娟", "kind": "news", "special_topic": ""}
    publication = {"outlet": Outlet.objects.get(name="安康日报"), "published_on": datetime.date(2011, 5, 3),
                   "front_headline": False, "page": "第2版", "char_count": 1200, "url": ""}
    manuscript.update({k: v for k, v in overrides.items() if k in manuscript})
    publication.update({k: v for k, v in overrides.items() if k in publication})
    return manuscript, publication


def create(officer, **overrides):
    manuscript, publication = entry(**overrides)
    return services.publication_create(officer=officer, manuscript_data=manuscript, publication_data=publication)


def submitted(officer, **overrides):
    publication = create(officer, **overrides)
    return services.publication_submit(publication=publication, officer=officer)


def test_it_creates_a_draft_in_the_officers_own_unit(alice, hanbin):
    publication = create(alice)
    assert publication.status == Status.DRAFT
    assert publication.manuscript.unit == hanbin
    assert publication.created_by == alice
    assert AuditEvent.objects.filter(action="publication.create", target_id=str(publication.pk)).exists()


def test_a_reprint_adds_a_publication_to_the_same_manuscript(alice):
    first = create(alice)
    _, data = entry(outlet=Outlet.objects.get(name="陕西日报"))
    reprint = services.publication_create(officer=alice, manuscript=first.manuscript, publication_data=data)
    assert reprint.manuscript == first.manuscript
    assert first.manuscript.publications.count() == 2


def test_the_same_outlet_and_date_twice_for_one_manuscript_is_refused(alice):
    first = create(alice)
    _, data = entry()
    with pytest.raises(services.WorkflowError, match="请勿重复录入"):
        services.publication_create(officer=alice, manuscript=first.manuscript, publication_data=data)


def test_an_officer_cannot_add_a_reprint_to_another_units_manuscript(alice, bob):
    first = create(alice)
    _, data = entry(outlet=Outlet.objects.get(name="陕西日报"))
    with pytest.raises(services.WorkflowError):
        services.publication_create(officer=bob, manuscript=first.manuscript, publication_data=data)


def test_submit_moves_a_draft_to_submitted_and_tells_the_reviewers(alice, rita):
    publication = submitted(alice)
    publication.refresh_from_db()
    assert publication.status == Status.SUBMITTED
    assert publication.submitted_at is not None
    assert Notification.objects.filter(user=rita, link__contains=str(publication.pk)).exists()


def test_approve_records_who_when_from_and_to(alice, rita):
    publication = submitted(alice)
    services.publication_approve(publication=publication, reviewer=rita)
    publication.refresh_from_db()
    assert publication.status == Status.APPROVED
    assert publication.reviewer == rita and publication.reviewed_at is not None
    event = AuditEvent.objects.get(action="publication.approve", target_id=str(publication.pk))
    assert event.actor == rita and event.at is not None
    assert event.before == {"status": "submitted"} and event.after == {"status": "approved"}


def test_reject_needs_a_reason_and_records_it(alice, rita):
    publication = submitted(alice)
    with pytest.raises(services.WorkflowError, match="退回原因"):
        services.publication_reject(publication=publication, reviewer=rita, reason="  ")
    assert Publication.objects.get(pk=publication.pk).status == Status.SUBMITTED
    services.publication_reject(publication=publication, reviewer=rita, reason="凭证看不清版面日期")
    publication.refresh_from_db()
    assert publication.status == Status.REJECTED
    assert publication.reject_reason == "凭证看不清版面日期"
    event = AuditEvent.objects.get(action="publication.reject", target_id=str(publication.pk))
    assert event.reason == "凭证看不清版面日期" and event.after == {"status": "rejected"}


def test_the_officer_hears_the_outcome_in_the_app_and_by_email(alice, rita, django_capture_on_commit_callbacks):
    publication = submitted(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_reject(publication=publication, reviewer=rita, reason="标题与版面不符")
    note = Notification.objects.get(user=alice)
    assert "标题与版面不符" in note.text and not note.read
    assert any("alice@example.com" in m.to and "标题与版面不符" in m.body for m in mail.outbox)
    assert f"http://127.0.0.1:8000/records/{publication.pk}/" in mail.outbox[-1].body


def test_reviewers_get_an_email_of_a_new_submission(alice, rita, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(alice)
    assert any(m.to == ["rita@example.com"] for m in mail.outbox)


def test_a_rejected_record_is_corrected_and_resubmitted(alice, rita):
    publication = submitted(alice)
    services.publication_reject(publication=publication, reviewer=rita, reason="字数有误")
    _, data = entry(char_count=900)
    services.publication_update(publication=publication, officer=alice, publication_data=data)
    services.publication_resubmit(publication=publication, officer=alice)
    publication.refresh_from_db()
    assert publication.status == Status.SUBMITTED and publication.char_count == 900
    actions = list(AuditEvent.objects.filter(target_id=str(publication.pk), target_type="publicity.publication")
                   .order_by("at", "id").values_list("action", flat=True))
    assert actions == ["publication.create", "publication.submit", "publication.reject", "publication.update",
                       "publication.resubmit"]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_submitted_and_approved_records_are_read_only_to_officers(alice, rita, status):
    publication = submitted(alice)
    if status == Status.APPROVED:
        services.publication_approve(publication=publication, reviewer=rita)
    _, data = entry(char_count=1)
    with pytest.raises(services.WorkflowError, match="不能再修改"):
        services.publication_update(publication=publication, officer=alice, publication_data=data)
    assert Publication.objects.get(pk=publication.pk).char_count == 1200


def test_an_officer_cannot_edit_another_units_record(alice, bob):
    publication = create(alice)
    _, data = entry(char_count=1)
    with pytest.raises(services.WorkflowError):
        services.publication_update(publication=publication, officer=bob, publication_data=data)


def test_nobody_approves_a_record_of_their_own_unit(rita, make_publication):
    from publicity.models import Unit

    own = make_publication(Unit.objects.get(name="政策法规与信息化管理科"), status=Status.SUBMITTED)
    with pytest.raises(services.WorkflowError, match="本单位"):
        services.publication_approve(publication=own, reviewer=rita)
    assert Publication.objects.get(pk=own.pk).status == Status.SUBMITTED


def test_officers_cannot_review(alice, bob):
    publication = submitted(alice)
    with pytest.raises(services.WorkflowError, match="只有审核员"):
        services.publication_approve(publication=publication, reviewer=bob)


def test_two_reviewers_acting_at_once_give_exactly_one_transition(alice, rita):
    other = make_user("ron", "审核员", None)
    publication = submitted(alice)
    stale_copy = Publication.objects.get(pk=publication.pk)  # what the second reviewer's page loaded
    services.publication_approve(publication=publication, reviewer=rita)
    with pytest.raises(services.WorkflowError, match="已通过"):
        services.publication_reject(publication=stale_copy, reviewer=other, reason="迟到的退回")
    assert Publication.objects.get(pk=publication.pk).status == Status.APPROVED
    assert AuditEvent.objects.filter(target_id=str(publication.pk),
                                     action__in=["publication.approve", "publication.reject"]).count() == 1


def test_bulk_approve_skips_what_it_may_not_approve(alice, rita, make_publication):
    from publicity.models import Unit

    ok = [submitted(alice, title=f"稿件{i}") for i in range(3)]
    own = make_publication(Unit.objects.get(name="政策法规与信息化管理科"), status=Status.SUBMITTED)
    draft = create(alice, title="草稿")
    result = services.publication_bulk_approve(publications=[*ok, own, draft], reviewer=rita)
    assert {p.pk for p in result.approved} == {p.pk for p in ok}
    assert {p.pk for p, _ in result.skipped} == {own.pk, draft.pk}
    assert Publication.objects.filter(status=Status.APPROVED, pk__in=[p.pk for p in ok]).count() == 3


def test_bulk_approve_queries_stay_per_item_bounded(alice, rita, django_assert_max_num_queries):
    for size in (2, 6):
        batch = [submitted(alice, title=f"批量{size}-{i}") for i in range(size)]
        with django_assert_max_num_queries(2 + 8 * size):
            services.publication_bulk_approve(publications=batch, reviewer=rita)


def test_the_same_article_typed_again_in_the_unit_is_refused_not_recorded_twice(alice, make_publication, hanbin):
    # DOMAIN §10: the same unit, title (compared by core.text.title_key), outlet and date is one publication.
    make_publication(hanbin, title="汉滨区扎实推进新农保试点", status=Status.APPROVED)
    with pytest.raises(services.WorkflowError, match="已登记过同一媒体、同一发表日期"):
        create(alice, title="汉滨区 扎实推进新农保试点")
    assert Publication.objects.count() == 1


def test_a_likely_duplicate_stops_the_submission_until_confirmed(alice, make_publication, hanyin):
    make_publication(hanyin, title="汉阴县也推进新农保试点", url="http://www.akdaily.cn/a/9.html")
    publication = create(alice, url="http://www.akdaily.cn/a/9.html")
    with pytest.raises(services.PossibleDuplicate) as caught:
        services.publication_submit(publication=publication, officer=alice)
    assert caught.value.duplicates[0].reasons == [services.SAME_URL]
    assert Publication.objects.get(pk=publication.pk).status == Status.DRAFT
    services.publication_submit(publication=publication, officer=alice, duplicates_confirmed=True)
    assert Publication.objects.get(pk=publication.pk).status == Status.SUBMITTED


def test_the_same_title_typed_for_another_outlet_is_a_further_publication_of_the_one_manuscript(alice, hanbin):
    first = create(alice, title="就业：新政（解读）")
    second = create(alice, title="就业:新政(解读)", outlet=Outlet.objects.get(name="陕西日报"))
    assert second.manuscript_id == first.manuscript_id and second.joined_existing_manuscript
    assert first.manuscript.publications.count() == 2


def test_the_same_url_in_another_unit_is_a_likely_duplicate(alice, make_publication, hanyin):
    make_publication(hanyin, title="别的标题", url="http://www.akdaily.cn/a/1.html")
    publication = create(alice, url="http://www.akdaily.cn/a/1.html")
    duplicates = services.publication_duplicates(publication=publication)
    assert [d.reasons for d in duplicates] == [[services.SAME_URL]]


def test_the_same_proof_content_is_a_likely_duplicate(alice, bob):
    first = create(alice)
    services.proof_file_add(publication=first, upload=png(seed=7), uploaded_by=alice)
    second = create(bob, title="完全不同的标题")
    services.proof_file_add(publication=second, upload=png(name="另一个名字.png", seed=7), uploaded_by=bob)
    duplicates = services.publication_duplicates(publication=second)
    assert [(d.publication.pk, d.reasons) for d in duplicates] == [(first.pk, [services.SAME_PROOF])]


def test_duplicate_search_takes_three_queries_whatever_the_batch(alice, django_assert_max_num_queries):
    for size in (2, 8):
        batch = list(Publication.objects.filter(pk__in=[create(alice, title=f"查重{size}-{i}").pk
                                                        for i in range(size)]).select_related("manuscript"))
        with django_assert_max_num_queries(3):
            services.publication_duplicates_map(publications=batch)


def test_proofs_are_stored_under_generated_names_with_their_hash(alice):
    import hashlib

    publication = create(alice)
    upload = png(name="../../etc/版面照片.png", seed=3)
    content = upload.read()
    proof = services.proof_file_add(publication=publication, upload=upload, uploaded_by=alice)
    assert proof.sha256 == hashlib.sha256(content).hexdigest()
    assert proof.original_name == "版面照片.png"
    assert proof.file.name.startswith("proofs/") and "版面" not in proof.file.name and ".." not in proof.file.name
    assert proof.file.name.endswith(".png")
    assert ProofFile.objects.get(pk=proof.pk).file.read() == content
