"""D9: bureau-website contributions — submit with the signed scan, return with a reason, publish."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from core.uploads import sample_pdf
from home.management.commands.demo_data import tiny_png
from publicity.models import Publication, Status, Unit
from reporting.contributions import (
    OWN_UNIT_REVIEW_MESSAGE,
    URL_REQUIRED_MESSAGE,
    contribution_publish,
    contribution_return,
    contribution_submit,
    upload_content_type,
)
from reporting.models import WebsiteContribution
from tests.publicity import helpers

pytestmark = pytest.mark.django_db

PNG = tiny_png(3)
JPG = helpers.jpeg_bytes()
PDF = sample_pdf(note="签批单")


def scan(content=PNG, name="签批单.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def submit(officer, unit, **overrides):
    fields = {"title": "汉滨区启动就业援助月", "body": "正文内容。", "signed_by": "张科长", "scan": scan(),
              "first_published_url": "https://hb.example.gov.cn/1.html" if unit.has_website else ""}
    fields.update(overrides)
    return contribution_submit(officer=officer, unit=unit, **fields)


@pytest.mark.parametrize(("content", "content_type"), [
    (PNG, "image/png"), (JPG, "image/jpeg"), (PDF, "application/pdf")])
def test_scans_are_recognised_by_content(content, content_type):
    assert upload_content_type(scan(content, name="whatever.bin")) == content_type


def test_a_renamed_file_is_refused_by_its_content():
    with pytest.raises(ValidationError) as exc:
        upload_content_type(scan(b"MZ\x90\x00 not an image", name="签批单.png"))
    assert exc.value.code == "executable" and "签批单.png" in exc.value.messages[0]


def test_a_scan_over_the_size_limit_is_refused(settings):
    settings.PROOF_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        upload_content_type(scan(PNG + b"\x00" * 2000))
    assert exc.value.code == "too_large" and "不能超过 1 KB" in exc.value.messages[0]


def test_an_officer_submits_with_the_scan_stored_privately_under_a_generated_name(alice, hanbin):
    contribution = submit(alice, hanbin)
    assert contribution.status == WebsiteContribution.State.SUBMITTED
    assert contribution.scan_name == "签批单.png" and contribution.scan_content_type == "image/png"
    stored_name = contribution.approval_scan.name
    assert stored_name.startswith("contributions/") and "签批单" not in stored_name
    with contribution.approval_scan.open("rb") as stored:
        assert stored.read() == PNG
    assert AuditEvent.objects.filter(action="contribution.submit", target_id=str(contribution.pk)).exists()


def test_a_unit_with_a_website_must_give_the_first_published_url(alice, hanbin):
    assert hanbin.has_website
    with pytest.raises(ValidationError) as exc:
        submit(alice, hanbin, first_published_url="")
    assert exc.value.message_dict["first_published_url"] == [URL_REQUIRED_MESSAGE]


def test_a_unit_without_a_website_submits_the_signed_original_without_a_url(db):
    from tests.conftest import make_user

    unit = Unit.objects.get(name="石泉县")
    assert not unit.has_website
    officer = make_user("shiquan", "信息宣传员", "石泉县")
    assert submit(officer, unit, scan=scan(PDF, "传真件.pdf")).scan_content_type == "application/pdf"


def test_bob_cannot_submit_for_hanbin(bob, hanbin):
    with pytest.raises(PermissionDenied):
        submit(bob, hanbin)
    assert not WebsiteContribution.objects.exists()


def test_a_reviewer_publishes_and_the_approved_bureau_website_publication_is_created(alice, rita, hanbin):
    contribution = submit(alice, hanbin, authors="王明、李娟", is_major=True, signed_by="刘局长")
    contribution_publish(contribution=contribution, reviewer=rita, title="汉滨区就业援助月启动",
                         body="采编后的 正文", published_on=datetime.date(2011, 3, 2), url="https://rsj.example/1")
    contribution.refresh_from_db()
    publication = contribution.publication
    assert contribution.status == WebsiteContribution.State.PUBLISHED
    assert (contribution.edited_title, contribution.edited_body) == ("汉滨区就业援助月启动", "采编后的 正文")
    assert publication.outlet.name == "局网站" and publication.status == Status.APPROVED
    assert publication.reviewer == rita and publication.reviewed_at is not None
    assert publication.manuscript.unit == hanbin and publication.manuscript.authors == "王明、李娟"
    assert publication.manuscript.title == "汉滨区就业援助月启动"
    assert publication.published_on == datetime.date(2011, 3, 2) and publication.char_count == 6
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"contribution.publish", "publication.approve"} <= actions


def test_a_returned_contribution_keeps_the_reason_and_cannot_be_published(alice, rita, hanbin):
    contribution = submit(alice, hanbin)
    with pytest.raises(ValidationError):
        contribution_return(contribution=contribution, reviewer=rita, reason="  ")
    contribution_return(contribution=contribution, reviewer=rita, reason="签批件不清晰，请重新扫描。")
    contribution.refresh_from_db()
    assert contribution.status == WebsiteContribution.State.RETURNED
    assert contribution.return_reason == "签批件不清晰，请重新扫描。"
    assert AuditEvent.objects.get(action="contribution.return").reason == "签批件不清晰，请重新扫描。"
    with pytest.raises(ValidationError):
        contribution_publish(contribution=contribution, reviewer=rita, title="x", body="y",
                             published_on=datetime.date(2011, 3, 2))
    assert not Publication.objects.exists()


def test_an_officer_cannot_publish(alice, hanbin):
    contribution = submit(alice, hanbin)
    with pytest.raises(PermissionDenied):
        contribution_publish(contribution=contribution, reviewer=alice, title="x", body="y",
                             published_on=datetime.date(2011, 3, 2))


def test_a_reviewer_does_not_publish_a_contribution_of_the_own_unit(rita):
    from tests.conftest import make_user

    unit = Unit.objects.get(name="政策法规与信息化管理科")
    officer = make_user("fagui", "信息宣传员", unit.name)
    contribution = submit(officer, unit)
    with pytest.raises(PermissionDenied) as exc:
        contribution_publish(contribution=contribution, reviewer=rita, title="x", body="y",
                             published_on=datetime.date(2011, 3, 2))
    assert str(exc.value) == OWN_UNIT_REVIEW_MESSAGE
