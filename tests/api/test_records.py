"""Records through the API: the same forms, scoping, workflow, year lock and audit as the pages."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEvent, YearClose
from core.yearlock import YEAR_LOCKED_MESSAGE
from publicity.forms import FUTURE_DATE_MESSAGE, OUTLET_UNKNOWN_MESSAGE
from publicity.models import Notification, ProofFile, Publication, Status
from publicity.proofs import EXECUTABLE_MESSAGE
from publicity.services import OWN_UNIT_MESSAGE, READ_ONLY_MESSAGE
from publicity.services import REASON_REQUIRED_MESSAGE as REJECT_REASON_MESSAGE
from tests.publicity.helpers import exe, pdf, png

pytestmark = pytest.mark.django_db

ENTRY = {"title": "我市举办春风行动招聘会", "authors": "张三、李四", "kind": "news", "special_topic": "",
         "outlet": "《安康日报》", "published_on": "2011-05-03", "page": "第2版", "char_count": 1200,
         "url": "http://www.akxw.cn/a/1"}


def records_url():
    return reverse("api:records")


def action_url(name, publication):
    return reverse(f"api:record_{name}", args=[publication.pk])


def test_an_officer_creates_a_draft_of_the_own_unit_whatever_unit_the_body_names(api, alice, hanbin, hanyin):
    api.force_authenticate(alice)
    response = api.post(records_url(), {**ENTRY, "unit": hanyin.pk, "status": "approved"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["status_label"] == "草稿"
    assert body["unit"] == {"id": hanbin.pk, "name": "汉滨区"}
    assert body["outlet"] == "安康日报"  # the alias in 《》 found as on the page
    assert response["Location"] == reverse("api:record", args=[body["id"]])
    publication = Publication.objects.get(pk=body["id"])
    assert publication.manuscript.unit == hanbin and publication.created_by == alice
    assert AuditEvent.objects.filter(action="publication.create", target_id=str(publication.pk),
                                     actor=alice).exists()


def test_proof_files_come_with_the_record_and_are_checked_by_content(api, alice):
    api.force_authenticate(alice)
    response = api.post(records_url(), {**ENTRY, "proofs": [png(), pdf()]}, format="multipart")
    assert response.status_code == 201, response.json()
    proofs = response.json()["proofs"]
    assert [p["content_type"] for p in proofs] == ["image/png", "application/pdf"]
    download = api.get(proofs[0]["download"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"

    refused = api.post(records_url(), {**ENTRY, "title": "另一篇", "proofs": [exe()]}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["errors"]["proofs"] == [EXECUTABLE_MESSAGE.format(name="凭证.jpg")]
    assert not Publication.objects.filter(manuscript__title="另一篇").exists()


def test_the_page_forms_messages_come_back_per_field(api, alice):
    api.force_authenticate(alice)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = api.post(records_url(), {**ENTRY, "outlet": "火星日报", "published_on": tomorrow, "title": ""},
                        format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["outlet"] == [OUTLET_UNKNOWN_MESSAGE.format(value="火星日报")]
    assert errors["published_on"] == [FUTURE_DATE_MESSAGE]
    assert errors["title"] == ["请填写标题。"]
    assert response.json()["detail"] == "有3处需要修改，见 errors。"
    assert not Publication.objects.exists()


def test_only_officers_create_records(api, rita, hank):
    for user in (rita, hank):
        api.force_authenticate(user)
        response = api.post(records_url(), ENTRY, format="json")
        assert response.status_code == 403
        assert response.json()["detail"] == "此接口仅限信息宣传员使用。"


def test_a_closed_year_refuses_new_records_with_the_year_lock_message(api, alice):
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    api.force_authenticate(alice)
    response = api.post(records_url(), ENTRY, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": YEAR_LOCKED_MESSAGE.format(year=2011)}
    assert not Publication.objects.exists()


def test_a_reprint_names_a_manuscript_of_the_own_unit(api, alice, bob, hanbin, make_publication):
    original = make_publication(hanbin, title="一稿多投", status=Status.APPROVED)
    api.force_authenticate(alice)
    response = api.post(records_url(), {"manuscript": original.manuscript_id, "outlet": "陕西日报",
                                        "published_on": "2011-05-10"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["manuscript_id"] == original.manuscript_id
    api.force_authenticate(bob)
    assert api.post(records_url(), {"manuscript": original.manuscript_id, "outlet": "陕西日报",
                                    "published_on": "2011-05-11"}, format="json").status_code == 404


def test_officers_list_and_read_only_their_own_units_records(api, alice, bob, hanbin, hanyin, make_publication):
    own = make_publication(hanbin, title="汉滨稿件")
    other = make_publication(hanyin, title="汉阴稿件")
    api.force_authenticate(alice)
    listed = api.get(records_url()).json()
    assert [r["id"] for r in listed["results"]] == [own.pk] and listed["count"] == 1
    assert api.get(reverse("api:record", args=[other.pk])).status_code == 404
    assert api.post(action_url("submit", other)).status_code == 404


def test_the_list_filters_as_the_records_page_and_refuses_a_bad_filter(api, rita, hanbin, make_publication):
    make_publication(hanbin, title="已通过", status=Status.APPROVED)
    waiting = make_publication(hanbin, title="待审核", status=Status.SUBMITTED)
    make_publication(hanbin, title="去年", status=Status.SUBMITTED, published_on=datetime.date(2010, 3, 1))
    api.force_authenticate(rita)
    response = api.get(records_url(), {"status": "submitted", "year": 2011})
    assert [r["id"] for r in response.json()["results"]] == [waiting.pk]
    bad = api.get(records_url(), {"status": "done"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    assert api.get(records_url(), {"page": 99}).status_code == 404


def test_submit_then_approve_notifies_and_audits_like_the_pages(api, alice, rita):
    api.force_authenticate(alice)
    record = api.post(records_url(), ENTRY, format="json").json()
    publication = Publication.objects.get(pk=record["id"])
    response = api.post(action_url("submit", publication), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert Notification.objects.filter(user=rita, text__contains="提交了待审核记录").exists()

    api.force_authenticate(rita)
    response = api.post(action_url("approve", publication))
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert Notification.objects.filter(user=alice, text__startswith="审核通过").exists()
    actions = list(AuditEvent.objects.filter(target_id=str(publication.pk), target_type="publicity.publication")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["publication.create", "publication.submit", "publication.approve"]
    again = api.post(action_url("approve", publication))
    assert again.status_code == 400 and "已通过" in again.json()["detail"]


def test_a_rejection_needs_a_reason_and_the_corrected_record_is_resubmitted(api, alice, rita, hanbin,
                                                                            make_publication):
    publication = make_publication(hanbin, status=Status.SUBMITTED, created_by=alice)
    api.force_authenticate(rita)
    missing = api.post(action_url("reject", publication), {"reason": "  "}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"]["reason"] == [REJECT_REASON_MESSAGE]
    response = api.post(action_url("reject", publication), {"reason": "凭证看不清"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["reject_reason"] == "凭证看不清"

    api.force_authenticate(alice)
    response = api.post(action_url("proofs", publication), {"file": png()}, format="multipart")
    assert response.status_code == 201 and len(response.json()["proofs"]) == 1
    response = api.post(action_url("submit", publication), {}, format="json")
    assert response.json()["status"] == "submitted"
    assert AuditEvent.objects.filter(action="publication.resubmit", target_id=str(publication.pk)).exists()


def test_a_reviewer_cannot_review_the_own_units_record(api, rita, make_publication):
    own_section = rita.membership.unit
    publication = make_publication(own_section, status=Status.SUBMITTED)
    api.force_authenticate(rita)
    response = api.post(action_url("approve", publication))
    assert response.status_code == 400
    assert response.json()["detail"] == OWN_UNIT_MESSAGE.format(unit=own_section.name)
    assert Publication.objects.get(pk=publication.pk).status == Status.SUBMITTED


def test_an_officer_cannot_approve_and_a_reviewer_cannot_submit(api, alice, rita, hanbin, make_publication):
    publication = make_publication(hanbin, status=Status.SUBMITTED)
    api.force_authenticate(alice)
    assert api.post(action_url("approve", publication)).status_code == 403
    draft = make_publication(hanbin, title="草稿", status=Status.DRAFT)
    api.force_authenticate(rita)
    response = api.post(action_url("submit", draft))
    assert response.status_code == 403 and response.json()["detail"] == "此接口仅限信息宣传员使用。"


def test_a_likely_duplicate_is_held_until_confirmed(api, alice, hanbin, hanyin, make_publication):
    make_publication(hanyin, title=ENTRY["title"], outlet="安康日报", url=ENTRY["url"])
    api.force_authenticate(alice)
    record = api.post(records_url(), ENTRY, format="json").json()
    publication = Publication.objects.get(pk=record["id"])
    held = api.post(action_url("submit", publication), {}, format="json")
    assert held.status_code == 409
    assert held.json()["duplicates"] == [{"id": None, "reasons": ["链接相同"]}]  # another unit's: only counted
    assert Publication.objects.get(pk=publication.pk).status == Status.DRAFT
    confirmed = api.post(action_url("submit", publication), {"duplicates_confirmed": True}, format="json")
    assert confirmed.json()["status"] == "submitted"


def test_proofs_cannot_be_added_to_a_record_under_review(api, alice, hanbin, make_publication):
    publication = make_publication(hanbin, status=Status.SUBMITTED)
    api.force_authenticate(alice)
    response = api.post(action_url("proofs", publication), {"file": png()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["detail"] == READ_ONLY_MESSAGE.format(status="待审核")
    assert not ProofFile.objects.exists()
    nothing = api.post(action_url("proofs", publication), {}, format="multipart")
    assert nothing.status_code == 400 and "file" in nothing.json()["detail"]


def test_the_records_list_needs_a_fixed_number_of_queries(api, rita, hanbin, make_publication,
                                                          django_assert_max_num_queries):
    api.force_authenticate(rita)
    for n in range(3):
        make_publication(hanbin, title=f"稿件{n}")
    with django_assert_max_num_queries(8):
        assert len(api.get(records_url()).json()["results"]) == 3
    for n in range(3, 30):
        make_publication(hanbin, title=f"稿件{n}")
    with django_assert_max_num_queries(8):
        assert len(api.get(records_url()).json()["results"]) == 30
