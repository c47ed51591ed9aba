"""Writes of the review workflow: every state change of a publication happens here.

DOMAIN §4: draft → submitted → approved | rejected (with a reason); a rejected record is corrected
and resubmitted. Each transition is one conditional UPDATE (`filter(pk=..., status=expected)`), so
two reviewers acting at once give exactly one transition; each is audited and notifies the people
who must act next (zulip's rule: side effects in one obvious place).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, When
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.audit import audit_record
from core.text import required_reason, title_key
from core.versions import scores_changed
from core.yearlock import year_lock_check
from publicity.models import Manuscript, Notification, ProofFile, Publication, Status
from publicity.proofs import CheckedProof, proof_check
from publicity.research import research_topic_check_link
from publicity.tasks import mails_send_after_commit

# Error messages (Chinese: they are shown to the user as they are).
NOT_REVIEWER_MESSAGE = "只有审核员可以审核记录。"
OWN_UNIT_MESSAGE = "不能审核本单位（{unit}）的记录，请由其他审核员审核。"
READ_ONLY_MESSAGE = "该记录{status}，不能再修改。"
REASON_REQUIRED_MESSAGE = "请填写退回原因，让信息宣传员知道要改什么。"
STALE_MESSAGE = "该记录的状态已变为「{status}」（可能已有其他人处理），本次操作未执行。"
IDENTITY_TAKEN_MESSAGE = "这篇稿件已登记过同一媒体、同一发表日期的刊发记录，请勿重复录入。"
DUPLICATE_MESSAGE = "发现可能重复的记录，请核对后确认再提交。"
MANUSCRIPT_IN_REVIEW_MESSAGE = "本稿件的其他刊发记录已提交或已通过，稿件信息不能再改。"
MANUSCRIPT_YEAR_LOCKED_MESSAGE = ("本稿件在已结算年度有刊发记录，稿件信息（标题、作者、类型、专项类别、宣传重点）"
                                  "不能修改：{reason}")

EDITABLE = (Status.DRAFT, Status.REJECTED)

MANUSCRIPT_FIELDS = ("title", "authors", "kind", "special_topic")
PUBLICATION_FIELDS = ("outlet", "published_on", "front_headline", "page", "char_count", "url")


class WorkflowError(Exception):
    """A refused action; str(error) is the Chinese message for the user."""


class PossibleDuplicate(WorkflowError):
    def __init__(self, duplicates):
        super().__init__(DUPLICATE_MESSAGE)
        self.duplicates = duplicates


# --- checks -----------------------------------------------------------------------------------------


def _officer_unit(officer, unit=None):
    """core.roles.officer_unit, the one officer check, as a workflow error (the pages show its message)."""
    try:
        return roles.officer_unit(officer, unit)
    except PermissionDenied as exc:
        raise WorkflowError(str(exc)) from exc


def _check_officer_of(officer, publication: Publication) -> None:
    _officer_unit(officer, publication.manuscript.unit)


def _check_year_open(*dates) -> None:
    """A closed year's publications are frozen (DOMAIN §9): the one rule, as a workflow error."""
    try:
        year_lock_check(year={getattr(day, "year", None) for day in dates})
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0]) from exc


def _check_manuscript_open(manuscript: Manuscript) -> None:
    """A manuscript's title, authors, kind and topics belong to every publication of it: changing them changes
    a record of each year in which it appeared, so each of those years must be open (issue 19: a 2026 reprint
    must not retitle a closed 2011 record)."""
    try:
        year_lock_check(year={day.year for day in manuscript.publications.dates("published_on", "year")})
    except ValidationError as exc:
        raise WorkflowError(MANUSCRIPT_YEAR_LOCKED_MESSAGE.format(reason=exc.messages[0])) from exc


def _check_reviewer_for(reviewer, publication: Publication) -> None:
    if not roles.is_reviewer(reviewer):
        raise WorkflowError(NOT_REVIEWER_MESSAGE)
    unit = roles.unit_of(reviewer)
    if unit is not None and unit.pk == publication.manuscript.unit_id:
        raise WorkflowError(OWN_UNIT_MESSAGE.format(unit=unit.name))


# --- duplicates -------------------------------------------------------------------------------------


@dataclass
class Duplicate:
    publication: Publication
    reasons: list[str] = field(default_factory=list)


SAME_IDENTITY = "同一单位、标题、媒体和发表日期"
SAME_URL = "链接相同"
SAME_PROOF = "凭证文件内容相同"


def publication_duplicates_map(*, publications: Sequence[Publication]) -> dict[int, list[Duplicate]]:
    """Likely duplicates of each publication, in three queries whatever the number of publications.

    Likely duplicate (issue 6): same unit, title, outlet and date; or the same URL; or a proof file
    with the same content (sha256). Every unit is searched: the same article claimed twice is the case
    that matters most.
    """
    result: dict[int, dict[int, Duplicate]] = {p.pk: {} for p in publications}
    if not publications:
        return {}
    ids = [p.pk for p in publications]
    related = ("manuscript__unit", "outlet")

    def add(pub_id: int, other: Publication, reason: str) -> None:
        if other.pk == pub_id:
            return
        entry = result[pub_id].setdefault(other.pk, Duplicate(publication=other))
        if reason not in entry.reasons:
            entry.reasons.append(reason)

    # "The same title" is the same after core.text.title_key, as everywhere titles are compared (DOMAIN §10).
    identities = {(p.manuscript.unit_id, title_key(p.manuscript.title), p.outlet_id, p.published_on): p.pk
                  for p in publications}
    same = (Publication.objects.filter(manuscript__unit__in={k[0] for k in identities},
                                       manuscript__title_key__in={k[1] for k in identities},
                                       outlet__in={k[2] for k in identities},
                                       published_on__in={k[3] for k in identities})
            .select_related(*related))
    by_identity: dict[tuple, list[Publication]] = {}
    for other in same:
        key = (other.manuscript.unit_id, other.manuscript.title_key, other.outlet_id, other.published_on)
        by_identity.setdefault(key, []).append(other)
    for key, pub_id in identities.items():
        for other in by_identity.get(key, []):
            add(pub_id, other, SAME_IDENTITY)

    urls = {p.url.strip(): [] for p in publications if p.url.strip()}
    for p in publications:
        if p.url.strip():
            urls[p.url.strip()].append(p.pk)
    if urls:
        for other in Publication.objects.filter(url__in=list(urls)).select_related(*related):
            for pub_id in urls.get(other.url.strip(), []):
                add(pub_id, other, SAME_URL)

    own_hashes = ProofFile.objects.filter(publication__in=ids).values_list("publication_id", "sha256")
    by_hash: dict[str, set[int]] = {}
    for pub_id, digest in own_hashes:
        by_hash.setdefault(digest, set()).add(pub_id)
    if by_hash:
        for proof in (ProofFile.objects.filter(sha256__in=list(by_hash))
                      .select_related(*(f"publication__{r}" for r in related), "publication")):
            for pub_id in by_hash[proof.sha256]:
                if proof.publication_id != pub_id:
                    add(pub_id, proof.publication, SAME_PROOF)
    return {pub_id: list(found.values()) for pub_id, found in result.items()}


def publication_duplicates(*, publication: Publication) -> list[Duplicate]:
    return publication_duplicates_map(publications=[publication])[publication.pk]


def publication_duplicates_preview(*, unit, title: str, outlet, published_on, url: str = "",
                                   exclude_pk: int | None = None) -> list[Duplicate]:
    """Likely duplicates of a record still being typed (the entry form warns before it is saved)."""
    draft = Publication(manuscript=Manuscript(unit=unit, title=title), outlet=outlet, published_on=published_on,
                        url=url or "")
    found = publication_duplicates_map(publications=[draft])[None]
    return [d for d in found if d.publication.pk != exclude_pk]


# --- notifications ----------------------------------------------------------------------------------


def notification_send(*, users: Iterable, text: str, link: str = "") -> list[Notification]:
    """In the app for every user, and by e-mail (after commit) to those with an address."""
    users = [u for u in users if u.is_active]
    notes = Notification.objects.bulk_create(
        [Notification(user=user, text=text[:300], link=link) for user in users])
    url = f"{settings.SITE_URL}{link}" if link.startswith("/") else link
    mails = [(f"【宣传工作考核系统】{text[:60]}", f"{text}\n\n{url}", None, [user.email])
             for user in users if user.email]
    mails_send_after_commit(mails)
    return notes


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    notes = Notification.objects.filter(user=user, read=False)
    if ids is not None:
        notes = notes.filter(pk__in=list(ids))
    return notes.update(read=True)


def _reviewers():
    return get_user_model().objects.filter(Q(groups__name=roles.REVIEWER), is_active=True).distinct()


def _unit_officers(unit_id: int):
    return get_user_model().objects.filter(groups__name=roles.OFFICER, membership__unit_id=unit_id,
                                           is_active=True).distinct()


def _link(publication: Publication) -> str:
    return reverse("portal:record_detail", args=[publication.pk])


# --- proofs -----------------------------------------------------------------------------------------


def proof_file_add(*, publication: Publication, upload, uploaded_by, checked: CheckedProof | None = None) -> ProofFile:
    checked = checked or proof_check(upload)
    upload.seek(0)
    proof = ProofFile(publication=publication, original_name=(upload.name or "凭证")[:200],
                      content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                      uploaded_by=uploaded_by)
    # The stored name is generated (proof_upload_to); only the detected extension is kept.
    proof.file.save(f"proof.{checked.extension}", ContentFile(upload.read()), save=False)
    proof.save()
    audit_record(actor=uploaded_by, action="proof.add", target=proof, unit=publication.manuscript.unit,
                 summary=f"上传凭证「{proof.original_name}」：{publication}",
                 after={"publication": publication.pk, "sha256": proof.sha256, "size": proof.size})
    return proof


@transaction.atomic
def proof_file_attach(*, publication: Publication, officer, upload) -> ProofFile:
    """One more proof file on a draft or rejected record of the officer's own unit (the API's upload)."""
    _check_officer_of(officer, publication)
    if publication.status not in EDITABLE:
        raise WorkflowError(READ_ONLY_MESSAGE.format(status=publication.get_status_display()))
    _check_year_open(publication.published_on)
    try:
        checked = proof_check(upload)
    except ValidationError as exc:
        raise WorkflowError("；".join(exc.messages)) from exc
    return proof_file_add(publication=publication, upload=upload, uploaded_by=officer, checked=checked)


def proof_file_delete(*, proof: ProofFile, officer) -> None:
    """The one way a proof file leaves (the admin cannot delete or edit them): an officer's own draft or
    rejected record in an open year; audited, and the file goes with its row."""
    publication = proof.publication
    _check_officer_of(officer, publication)
    if publication.status not in EDITABLE:
        raise WorkflowError(READ_ONLY_MESSAGE.format(status=publication.get_status_display()))
    _check_year_open(publication.published_on)
    _proof_remove(proof, actor=officer)


def _proof_remove(proof: ProofFile, *, actor) -> None:
    publication = proof.publication
    audit_record(actor=actor, action="proof.delete", target=proof, unit=publication.manuscript.unit,
                 summary=f"删除凭证「{proof.original_name}」：{publication}",
                 before={"publication": publication.pk, "sha256": proof.sha256})
    name = proof.file.name
    proof.delete()
    # The file goes once the row is gone for good: a rolled-back deletion keeps both.
    transaction.on_commit(lambda: proof.file.storage.delete(name))


@transaction.atomic
def publication_delete(*, publication: Publication, reviewer) -> None:
    """A reviewer removes a record (the admin's delete, open years only) and its proof files with it, each
    through the same removal as an officer's deletion: audited, the file removed with its row."""
    if not roles.is_reviewer(reviewer):
        raise WorkflowError(NOT_REVIEWER_MESSAGE)
    _check_year_open(publication.published_on)
    for proof in publication.proofs.select_related("publication__manuscript__unit"):
        _proof_remove(proof, actor=reviewer)
    audit_record(actor=reviewer, action="publication.delete", target=publication, unit=publication.manuscript.unit,
                 summary=f"删除刊发记录：{publication}",
                 before={"status": publication.status, **_snapshot(publication, PUBLICATION_FIELDS)})
    publication.delete()


# --- create and edit (officers) ---------------------------------------------------------------------


def _research_topic(manuscript_data: dict, unit):
    """The research topic the data links the manuscript to (DOMAIN §11), checked: the unit's own, research only.
    A manuscript that is not (or no longer) research has none."""
    topic = manuscript_data.get("research_topic")
    try:
        research_topic_check_link(topic=topic, unit=unit, kind=manuscript_data.get("kind"))
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0]) from exc
    return topic


def _snapshot(obj, names: Sequence[str]) -> dict:
    out = {}
    for name in names:
        value = getattr(obj, name + "_id" if name == "outlet" else name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


@transaction.atomic
def publication_create(*, officer, publication_data: dict, manuscript_data: dict | None = None,
                       manuscript: Manuscript | None = None, key_topics=None, proofs: Sequence = ()) -> Publication:
    """A new draft publication of a new manuscript (manuscript_data) or of an existing one (a reprint).

    The unit is the officer's own; status, reviewer and unit are never taken from the data.
    """
    unit = _officer_unit(officer)
    _check_year_open(publication_data.get("published_on"))
    joined = False
    if manuscript is None:
        # One manuscript identity everywhere (DOMAIN §10): the unit's manuscript of the same title (as
        # core.text.title_key compares them) — typed on this form before, or imported — gets this publication
        # as a further one (一稿多投), so it is counted as one manuscript and paid once.
        manuscript = (Manuscript.objects.filter(unit=unit, title_key=title_key(manuscript_data["title"]))
                      .order_by(Case(When(ref="", then=0), default=1), "pk").first())
        joined = manuscript is not None
    if manuscript is None:
        manuscript = Manuscript.objects.create(unit=unit, created_by=officer,
                                               research_topic=_research_topic(manuscript_data, unit),
                                               **{k: manuscript_data[k] for k in MANUSCRIPT_FIELDS})
        if key_topics:
            manuscript.key_topics.set(key_topics)
        audit_record(actor=officer, action="manuscript.create", target=manuscript, unit=unit,
                     summary=f"录入稿件「{manuscript.title}」",
                     after={**_snapshot(manuscript, MANUSCRIPT_FIELDS), "research_topic": manuscript.research_topic_id})
    else:
        _officer_unit(officer, manuscript.unit)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(manuscript=manuscript, status=Status.DRAFT, created_by=officer,
                                                     **{k: publication_data[k] for k in PUBLICATION_FIELDS})
    except IntegrityError as exc:
        raise WorkflowError(IDENTITY_TAKEN_MESSAGE) from exc
    audit_record(actor=officer, action="publication.create", target=publication, unit=unit,
                 summary=f"录入刊发记录：{publication}", after={"status": Status.DRAFT.value,
                                                         **_snapshot(publication, PUBLICATION_FIELDS)})
    for upload in proofs:
        proof_file_add(publication=publication, upload=upload, uploaded_by=officer)
    publication.joined_existing_manuscript = joined
    return publication


@transaction.atomic
def publication_update(*, publication: Publication, officer, publication_data: dict,
                       manuscript_data: dict | None = None, key_topics=None, proofs: Sequence = ()) -> Publication:
    """Correct a draft or rejected record. Approved (and submitted) records are read-only to officers."""
    _check_officer_of(officer, publication)
    _check_year_open(publication.published_on, publication_data.get("published_on"))
    before = _snapshot(publication, PUBLICATION_FIELDS)
    values = {k: publication_data[k] for k in PUBLICATION_FIELDS}
    try:
        with transaction.atomic():
            updated = Publication.objects.filter(pk=publication.pk, status__in=EDITABLE).update(
                updated_at=timezone.now(), **values)
    except IntegrityError as exc:
        raise WorkflowError(IDENTITY_TAKEN_MESSAGE) from exc
    if not updated:
        publication.refresh_from_db(fields=["status"])
        raise WorkflowError(READ_ONLY_MESSAGE.format(status=publication.get_status_display()))
    for name, value in values.items():
        setattr(publication, name, value)
    manuscript = publication.manuscript
    if manuscript_data is not None and not manuscript_is_locked(publication=publication):
        topics_change = key_topics is not None and (
            {t.pk for t in key_topics} != set(manuscript.key_topics.values_list("pk", flat=True)))
        m_before = _snapshot(manuscript, MANUSCRIPT_FIELDS)
        m_before["research_topic"] = manuscript.research_topic_id
        for name in MANUSCRIPT_FIELDS:
            setattr(manuscript, name, manuscript_data[name])
        if "research_topic" in manuscript_data or manuscript.kind != "research":
            manuscript.research_topic = _research_topic(manuscript_data, manuscript.unit_id)
        m_after = {**_snapshot(manuscript, MANUSCRIPT_FIELDS), "research_topic": manuscript.research_topic_id}
        if topics_change or m_after != m_before:
            _check_manuscript_open(manuscript)
        manuscript.save()
        if key_topics is not None:
            manuscript.key_topics.set(key_topics)
        before.update({f"manuscript.{k}": v for k, v in m_before.items()})
    after = _snapshot(publication, PUBLICATION_FIELDS)
    after.update({f"manuscript.{k}": v for k, v in _snapshot(manuscript, MANUSCRIPT_FIELDS).items()})
    if "manuscript.research_topic" in before:
        after["manuscript.research_topic"] = manuscript.research_topic_id
    audit_record(actor=officer, action="publication.update", target=publication, unit=manuscript.unit,
                 summary=f"修改刊发记录：{publication}",
                 before={k: v for k, v in before.items() if after.get(k) != v},
                 after={k: v for k, v in after.items() if before.get(k, v) != v})
    for upload in proofs:
        proof_file_add(publication=publication, upload=upload, uploaded_by=officer)
    return publication


def manuscript_is_locked(*, publication: Publication) -> bool:
    """The manuscript's fields belong to every publication of it: once another one is under review or
    approved, changing the title or kind would change a record the officer may no longer edit."""
    return (publication.manuscript.publications.exclude(pk=publication.pk)
            .filter(status__in=[Status.SUBMITTED, Status.APPROVED]).exists())


def manuscript_lock_message(*, publication: Publication) -> str:
    """Why the manuscript's fields cannot change on this record's edit page, or "" when they can."""
    if manuscript_is_locked(publication=publication):
        return MANUSCRIPT_IN_REVIEW_MESSAGE
    try:
        _check_manuscript_open(publication.manuscript)
    except WorkflowError as exc:
        return str(exc)
    return ""


# --- transitions ------------------------------------------------------------------------------------


def _transition(*, publication: Publication, actor, expected: str, to: str, action: str, summary: str,
                reason: str = "", **fields) -> Publication:
    _check_year_open(publication.published_on)
    now = timezone.now()
    updated = Publication.objects.filter(pk=publication.pk, status=expected).update(
        status=to, updated_at=now, **fields)
    if not updated:
        current = Publication.objects.filter(pk=publication.pk).values_list("status", flat=True).first()
        raise WorkflowError(STALE_MESSAGE.format(status=Status(current).label if current else "已删除"))
    scores_changed()  # approved publications are what scores count
    publication.status = to
    for name, value in fields.items():
        setattr(publication, name, value)
    audit_record(actor=actor, action=action, target=publication, unit=publication.manuscript.unit,
                 summary=f"{summary}：{publication}", before={"status": expected}, after={"status": to},
                 reason=reason)
    return publication


def _submit(publication: Publication, officer, duplicates_confirmed: bool, *, expected: str, action: str,
            summary: str, verb: str) -> Publication:
    """→ submitted. A likely duplicate stops the submission until the officer confirms it."""
    _check_officer_of(officer, publication)
    if not duplicates_confirmed:
        duplicates = publication_duplicates(publication=publication)
        if duplicates:
            raise PossibleDuplicate(duplicates)
    _transition(publication=publication, actor=officer, expected=expected, to=Status.SUBMITTED,
                action=action, summary=summary, submitted_at=timezone.now())
    _notify_reviewers(publication, verb)
    return publication


@transaction.atomic
def publication_submit(*, publication: Publication, officer, duplicates_confirmed: bool = False) -> Publication:
    """draft → submitted."""
    return _submit(publication, officer, duplicates_confirmed, expected=Status.DRAFT, action="publication.submit",
                   summary="提交审核", verb="提交")


@transaction.atomic
def publication_resubmit(*, publication: Publication, officer, duplicates_confirmed: bool = False) -> Publication:
    """rejected → submitted, after the officer corrected the record."""
    return _submit(publication, officer, duplicates_confirmed, expected=Status.REJECTED,
                   action="publication.resubmit", summary="修改后重新提交", verb="重新提交")


def publication_send(*, publication: Publication, officer, duplicates_confirmed: bool = False) -> Publication:
    """Send a record for review: a draft is submitted, a corrected rejected record resubmitted."""
    send = publication_resubmit if publication.status == Status.REJECTED else publication_submit
    return send(publication=publication, officer=officer, duplicates_confirmed=duplicates_confirmed)


def _notify_reviewers(publication: Publication, verb: str) -> None:
    unit = publication.manuscript.unit
    reviewers = [u for u in _reviewers().select_related("membership")
                 if getattr(getattr(u, "membership", None), "unit_id", None) != unit.pk]
    notification_send(users=reviewers, link=_link(publication),
                      text=f"{unit.name}{verb}了待审核记录：{publication.manuscript.title}（{publication.outlet.name}）")


@transaction.atomic
def publication_approve(*, publication: Publication, reviewer) -> Publication:
    """submitted → approved. Only approved publications count (DOMAIN §4)."""
    _check_reviewer_for(reviewer, publication)
    _transition(publication=publication, actor=reviewer, expected=Status.SUBMITTED, to=Status.APPROVED,
                action="publication.approve", summary="审核通过", reviewer=reviewer, reviewed_at=timezone.now())
    notification_send(users=_unit_officers(publication.manuscript.unit_id), link=_link(publication),
                      text=f"审核通过：{publication.manuscript.title}（{publication.outlet.name}）")
    return publication


@transaction.atomic
def publication_reject(*, publication: Publication, reviewer, reason: str) -> Publication:
    """submitted → rejected, with the reason the officer will read when correcting the record."""
    try:
        reason = required_reason(reason, message=REASON_REQUIRED_MESSAGE)
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0]) from exc
    _check_reviewer_for(reviewer, publication)
    _transition(publication=publication, actor=reviewer, expected=Status.SUBMITTED, to=Status.REJECTED,
                action="publication.reject", summary="退回修改", reason=reason, reviewer=reviewer,
                reviewed_at=timezone.now(), reject_reason=reason)
    notification_send(users=_unit_officers(publication.manuscript.unit_id), link=_link(publication),
                      text=f"被退回：{publication.manuscript.title}（{publication.outlet.name}），原因：{reason}")
    return publication


@dataclass
class BulkResult:
    approved: list[Publication] = field(default_factory=list)
    skipped: list[tuple[Publication, str]] = field(default_factory=list)


def publication_bulk_approve(*, publications: Iterable[Publication], reviewer) -> BulkResult:
    """Approve each record on its own (one conditional update each): one refusal does not undo the rest."""
    result = BulkResult()
    for publication in publications:
        try:
            publication_approve(publication=publication, reviewer=reviewer)
        except WorkflowError as exc:
            result.skipped.append((publication, str(exc)))
        else:
            result.approved.append(publication)
    return result
