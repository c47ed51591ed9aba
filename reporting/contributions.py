"""Bureau-website contributions (投稿, DOMAIN D9): submit with the signed approval scan, return, publish.

Publishing creates the manuscript and an approved publication in the outlet 局网站, so the article counts
for the unit like any other approved publication.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.roles import is_reviewer, officer_unit, unit_of
from core.text import required_reason
from core.uploads import SCANS, upload_check
from core.yearlock import year_lock_check
from publicity.models import Manuscript, Outlet, Publication, Status
from reporting.models import WebsiteContribution

# D9: what the bureau website is called in the outlet table.
BUREAU_WEBSITE = "局网站"

SCAN_REQUIRED_MESSAGE = "请上传签批件扫描件（一般信息由科室负责人签字，重大事项由分管领导签字）。"
URL_REQUIRED_MESSAGE = "本单位有网站：请先在本单位网站发布，并填写首发链接。"
NOT_REVIEWER_MESSAGE = "只有审核员可以采编网站投稿。"
ALREADY_HANDLED_MESSAGE = "这篇投稿已处理（{state}），不能再次处理。"
REASON_REQUIRED_MESSAGE = "请填写退回原因，让投稿单位知道如何修改。"
OWN_UNIT_REVIEW_MESSAGE = "不能采编本单位的投稿，请由其他审核员处理。"
NO_BUREAU_WEBSITE_MESSAGE = "媒体表中没有“局网站”，请先在管理后台添加。"
TITLE_REQUIRED_MESSAGE = "请填写标题。"
BODY_REQUIRED_MESSAGE = "请填写正文。"
SIGNER_REQUIRED_MESSAGE = "请填写签批人姓名。"


def upload_content_type(upload) -> str:
    """Check an uploaded scan or attachment (a JPG, PNG or PDF that opens as one, core's one upload check);
    returns its content type or raises a Chinese error naming the file."""
    return upload_check(upload, accept=SCANS, max_bytes=settings.PROOF_MAX_BYTES).content_type


def _snapshot(contribution: WebsiteContribution) -> dict:
    return {"status": contribution.status, "title": contribution.edited_title or contribution.title,
            "return_reason": contribution.return_reason,
            "publication": contribution.publication_id}


@transaction.atomic
def contribution_submit(*, officer, unit, title: str, body: str, scan, authors: str = "", kind: str = "news",
                        is_major: bool = False, signed_by: str, first_published_url: str = "") -> WebsiteContribution:
    officer_unit(officer, unit)
    errors = {}
    if not title.strip():
        errors["title"] = TITLE_REQUIRED_MESSAGE
    if not body.strip():
        errors["body"] = BODY_REQUIRED_MESSAGE
    if not signed_by.strip():
        errors["signed_by"] = SIGNER_REQUIRED_MESSAGE
    if unit.has_website and not first_published_url.strip():
        errors["first_published_url"] = URL_REQUIRED_MESSAGE
    if scan is None:
        errors["approval_scan"] = SCAN_REQUIRED_MESSAGE
    else:
        try:
            content_type = upload_content_type(scan)
        except ValidationError as exc:
            errors["approval_scan"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    contribution = WebsiteContribution(
        unit=unit, title=title.strip(), body=body.strip(), authors=authors.strip(), kind=kind, is_major=is_major,
        signed_by=signed_by.strip(), first_published_url=first_published_url.strip(),
        scan_name=(getattr(scan, "name", "") or "扫描件")[:200], scan_content_type=content_type,
        scan_size=scan.size, submitted_by=officer, submitted_at=timezone.now(),
    )
    contribution.approval_scan.save(contribution.scan_name, scan, save=False)
    contribution.save()
    audit_record(actor=officer, action="contribution.submit", target=contribution, unit=unit,
                 summary=f"网站投稿：{contribution.title}", after=_snapshot(contribution))
    return contribution


def _check_reviewer(contribution: WebsiteContribution, reviewer) -> None:
    if not is_reviewer(reviewer):
        raise PermissionDenied(NOT_REVIEWER_MESSAGE)
    # Like every review: nobody handles a record of their own unit.
    if unit_of(reviewer) == contribution.unit:
        raise PermissionDenied(OWN_UNIT_REVIEW_MESSAGE)
    if contribution.status != WebsiteContribution.State.SUBMITTED:
        raise ValidationError(ALREADY_HANDLED_MESSAGE.format(state=contribution.get_status_display()))


@transaction.atomic
def contribution_return(*, contribution: WebsiteContribution, reviewer, reason: str) -> WebsiteContribution:
    contribution = WebsiteContribution.objects.select_for_update().get(pk=contribution.pk)
    _check_reviewer(contribution, reviewer)
    reason = required_reason(reason, message=REASON_REQUIRED_MESSAGE, field="reason")
    before = _snapshot(contribution)
    contribution.status = WebsiteContribution.State.RETURNED
    contribution.return_reason = reason
    contribution.reviewer = reviewer
    contribution.reviewed_at = timezone.now()
    contribution.save()
    audit_record(actor=reviewer, action="contribution.return", target=contribution, unit=contribution.unit,
                 summary=f"退回网站投稿：{contribution.title}", before=before, after=_snapshot(contribution),
                 reason=contribution.return_reason)
    return contribution


@transaction.atomic
def contribution_publish(*, contribution: WebsiteContribution, reviewer, title: str, body: str,
                         published_on: datetime.date, url: str = "") -> WebsiteContribution:
    """D9: the reviewer edits and publishes; the approved 局网站 publication is created with it."""
    contribution = WebsiteContribution.objects.select_for_update().get(pk=contribution.pk)
    _check_reviewer(contribution, reviewer)
    errors = {}
    if not title.strip():
        errors["title"] = TITLE_REQUIRED_MESSAGE
    if not body.strip():
        errors["body"] = BODY_REQUIRED_MESSAGE
    if errors:
        raise ValidationError(errors)
    try:
        year_lock_check(year=published_on.year)
    except ValidationError as exc:
        raise ValidationError({"published_on": exc.messages}) from exc
    outlet = Outlet.objects.filter(name=BUREAU_WEBSITE).first()
    if outlet is None:
        raise ValidationError(NO_BUREAU_WEBSITE_MESSAGE)
    before = _snapshot(contribution)
    now = timezone.now()
    manuscript = Manuscript.objects.create(unit=contribution.unit, title=title.strip(),
                                           authors=contribution.authors, kind=contribution.kind,
                                           created_by=reviewer)
    publication = Publication.objects.create(
        manuscript=manuscript, outlet=outlet, published_on=published_on, url=url.strip(),
        char_count=len("".join(body.split())), status=Status.APPROVED, reviewer=reviewer, reviewed_at=now,
        submitted_at=contribution.submitted_at, created_by=reviewer,
    )
    contribution.status = WebsiteContribution.State.PUBLISHED
    contribution.edited_title = title.strip()
    contribution.edited_body = body.strip()
    contribution.publication = publication
    contribution.reviewer = reviewer
    contribution.reviewed_at = now
    contribution.save()
    audit_record(actor=reviewer, action="publication.approve", target=publication, unit=contribution.unit,
                 summary=f"局网站发布并通过：{manuscript.title}", before={"status": None},
                 after={"status": Status.APPROVED, "contribution": contribution.pk})
    audit_record(actor=reviewer, action="contribution.publish", target=contribution, unit=contribution.unit,
                 summary=f"发布网站投稿：{manuscript.title}", before=before, after=_snapshot(contribution))
    return contribution


def contributions_for(user):
    """The contributions a user may see, newest first, ready for a list page."""
    return WebsiteContribution.objects.visible_to(user).select_related("unit", "submitted_by", "reviewer")
