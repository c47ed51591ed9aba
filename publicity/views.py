"""Pages of officers (信息宣传员) and reviewers (审核员). Thin: permission → form → one service → redirect.

Every object is fetched through Publication/Manuscript.objects.visible_to(request.user), so another
unit's id in a URL gives 404, never the record.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core import roles
from core.models import AuditEvent
from core.roles import role_required, unit_of
from core.storage import private_file_response
from core.text import normalize_name
from publicity import services
from publicity.filters import PublicationFilter, ReviewQueueFilter
from publicity.forms import DuplicateCheckForm, EntryForm, PublicationForm, RejectForm
from publicity.models import Manuscript, Notification, Outlet, ProofFile, Publication, Status
from publicity.proofs import IMAGE_TYPES, INLINE_TYPES

ALL_ROLES = roles.ROLES
RECORDS_PER_PAGE = 25
QUEUE_PER_PAGE = 50
OUTLET_SEARCH_LIMIT = 20
DUPLICATES_SHOWN = 3  # per queue row; the record's page lists them all

SAVED_DRAFT_MESSAGE = "已保存为草稿。确认无误后请点击“提交审核”。"
SUBMITTED_MESSAGE = "已提交审核，审核结果会通知您。"
UPDATED_MESSAGE = "修改已保存。记录仍为“已退回”，改好后请点击“重新提交”。"
FIX_ERRORS_MESSAGE = "表单有{count}处需要修改，请看标红的提示。已填写的内容都保留着；附件需要重新选择。"
DUPLICATE_HELD_MESSAGE = "发现可能重复的记录，已保存为草稿、尚未提交。请在下方核对，确认不是重复后再提交。"
JOINED_MANUSCRIPT_MESSAGE = ("本单位已有同名稿件「{title}」，这条记录已登记为该稿件的又一次刊发（一稿多投）："
                     "同一篇稿件只计奖一次，以刊发的最高等次为准。")
APPROVED_MESSAGE = "已审核通过：{title}"
REJECTED_MESSAGE = "已退回：{title}"
BULK_DONE_MESSAGE = "批量审核通过 {n} 条。"
BULK_SKIPPED_MESSAGE = "{n} 条未通过批量审核："
NOTHING_SELECTED_MESSAGE = "请先勾选要审核通过的记录。"
PROOF_DELETED_MESSAGE = "已删除凭证「{name}」。"

RECORD_RELATED = ("manuscript__unit", "outlet", "reviewer")


def _publication_for(request, pk: int) -> Publication:
    return get_object_or_404(Publication.objects.visible_to(request.user).select_related(*RECORD_RELATED), pk=pk)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


# --- start page -------------------------------------------------------------------------------------


# --- the unit's records -----------------------------------------------------------------------------


@role_required(*ALL_ROLES)
def record_list(request):
    queryset = (Publication.objects.visible_to(request.user).select_related(*RECORD_RELATED)
                .annotate(proof_count=Count("proofs")).order_by("-published_on", "-id"))
    own_unit_only = not roles.sees_all_units(request.user)
    filterset = PublicationFilter(request.GET, queryset=queryset, own_unit_only=own_unit_only)
    page = Paginator(filterset.qs, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "publicity/record_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "is_officer": roles.has_role(request.user, roles.OFFICER), "own_unit_only": own_unit_only,
    })


def _outlet_names():
    return Outlet.objects.filter(is_active=True).order_by("name").values_list("name", flat=True)


def _render_entry(request, template, form, **context):
    if form.is_bound and form.errors:
        messages.error(request, FIX_ERRORS_MESSAGE.format(count=len(form.errors)))
    return render(request, template, {"form": form, "outlet_names": _outlet_names(), **context})


@role_required(roles.OFFICER, superuser=False)
def record_create(request):
    form = EntryForm(request.POST or None, request.FILES or None, unit=unit_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_create(
                officer=request.user, manuscript_data=form.manuscript_data(),
                key_topics=form.cleaned_data["key_topics"], publication_data=form.publication_data(),
                proofs=form.cleaned_data["proofs"])
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            if publication.joined_existing_manuscript:
                messages.info(request, JOINED_MANUSCRIPT_MESSAGE.format(title=publication.manuscript.title))
            return _after_save(request, publication, created=True)
    return _render_entry(request, "publicity/record_form.html", form, creating=True)


@role_required(roles.OFFICER, superuser=False)
def reprint_create(request, manuscript_pk: int):
    """A further publication (reprint, 一稿多投) of a manuscript of the own unit."""
    manuscript = get_object_or_404(Manuscript.objects.visible_to(request.user).select_related("unit"),
                                   pk=manuscript_pk)
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_create(
                officer=request.user, manuscript=manuscript, publication_data=form.publication_data(),
                proofs=form.cleaned_data["proofs"])
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            return _after_save(request, publication, created=True)
    others = manuscript.publications.select_related("outlet").order_by("published_on")
    return _render_entry(request, "publicity/reprint_form.html", form, manuscript=manuscript, others=others)


@role_required(roles.OFFICER, superuser=False)
def record_edit(request, pk: int):
    publication = _publication_for(request, pk)
    if publication.status not in services.EDITABLE:
        messages.error(request, services.READ_ONLY_MESSAGE.format(status=publication.get_status_display()))
        return redirect("portal:record_detail", pk=pk)
    locked = services.manuscript_lock_message(publication=publication)
    manuscript = publication.manuscript
    initial = {"title": manuscript.title, "authors": manuscript.authors, "kind": manuscript.kind,
               "special_topic": manuscript.special_topic, "key_topics": list(manuscript.key_topics.all()),
               "research_topic": manuscript.research_topic,
               "outlet": publication.outlet, "published_on": publication.published_on,
               "front_headline": publication.front_headline, "page": publication.page,
               "char_count": publication.char_count, "url": publication.url}
    form = EntryForm(request.POST or None, request.FILES or None, initial=initial, manuscript_locked=locked,
                     unit=manuscript.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(
                publication=publication, officer=request.user, publication_data=form.publication_data(),
                manuscript_data=None if locked else form.manuscript_data(),
                key_topics=None if locked else form.cleaned_data["key_topics"], proofs=form.cleaned_data["proofs"])
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            return _after_save(request, publication, created=False)
    return _render_entry(request, "publicity/record_form.html", form, publication=publication,
                         proofs=publication.proofs.all())


def _after_save(request, publication, *, created: bool):
    if "submit" not in request.POST:
        messages.success(request, SAVED_DRAFT_MESSAGE if publication.status == Status.DRAFT else UPDATED_MESSAGE)
        return redirect("portal:record_detail", pk=publication.pk)
    return _submit(request, publication, confirmed=False)


def _submit(request, publication, *, confirmed: bool):
    try:
        services.publication_send(publication=publication, officer=request.user, duplicates_confirmed=confirmed)
    except services.PossibleDuplicate:
        messages.warning(request, DUPLICATE_HELD_MESSAGE)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, SUBMITTED_MESSAGE)
    return redirect("portal:record_detail", pk=publication.pk)


@require_POST
@role_required(roles.OFFICER, superuser=False)
def record_submit(request, pk: int):
    publication = _publication_for(request, pk)
    return _submit(request, publication, confirmed=bool(request.POST.get("duplicates_confirmed")))


@role_required(*ALL_ROLES)
def record_detail(request, pk: int):
    publication = _publication_for(request, pk)
    user = request.user
    duplicates = services.publication_duplicates(publication=publication)
    visible_ids = set(Publication.objects.visible_to(user).filter(
        pk__in=[d.publication.pk for d in duplicates]).values_list("pk", flat=True))
    is_officer = roles.has_role(user, roles.OFFICER)
    can_review = (roles.is_reviewer(user) and publication.status == Status.SUBMITTED
                  and not _is_own_unit(user, publication))
    return render(request, "publicity/record_detail.html", {
        "publication": publication,
        "manuscript": publication.manuscript,
        "key_topics": publication.manuscript.key_topics.all(),
        "proofs": publication.proofs.all(),
        "siblings": Publication.objects.visible_to(user).filter(manuscript=publication.manuscript)
        .exclude(pk=publication.pk).select_related("outlet"),
        "history": _history(publication),
        "duplicates": [d for d in duplicates if d.publication.pk in visible_ids],
        "hidden_duplicates": [d for d in duplicates if d.publication.pk not in visible_ids],
        "can_edit": is_officer and publication.status in services.EDITABLE,
        "can_add_reprint": is_officer,
        "can_review": can_review,
        "own_unit_review": roles.is_reviewer(user) and _is_own_unit(user, publication),
        "reject_form": RejectForm(),
    })


def _is_own_unit(user, publication) -> bool:
    unit = unit_of(user)
    return unit is not None and unit.pk == publication.manuscript.unit_id


def _history(publication):
    events = AuditEvent.objects.filter(target_type="publicity.publication", target_id=str(publication.pk))
    rows = []
    for event in events.order_by("at", "id"):
        before = (event.before or {}).get("status")
        after = (event.after or {}).get("status")
        rows.append({"event": event,
                     "from_label": Status(before).label if before in Status.values else "",
                     "to_label": Status(after).label if after in Status.values else ""})
    return rows


# --- proofs -----------------------------------------------------------------------------------------


@login_required
def proof_download(request, pk: int):
    """The only way to a proof file: the user must be allowed to see its record."""
    proof = get_object_or_404(
        ProofFile.objects.visible_to(request.user), pk=pk)
    inline = request.GET.get("inline") == "1" and proof.content_type in INLINE_TYPES
    return private_file_response(proof.file, name=proof.original_name,
                                 content_type=proof.content_type or "application/octet-stream", inline=inline)


@require_POST
@role_required(roles.OFFICER, superuser=False)
def proof_delete(request, pk: int):
    proof = get_object_or_404(
        ProofFile.objects.visible_to(request.user), pk=pk)
    try:
        services.proof_file_delete(proof=proof, officer=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, PROOF_DELETED_MESSAGE.format(name=proof.original_name))
    return redirect("portal:record_edit", pk=proof.publication_id)


# --- outlet picker ----------------------------------------------------------------------------------


@login_required
def outlet_search(request):
    """Outlets whose name or alias contains the typed text (the picker's JSON source)."""
    key = normalize_name(request.GET.get("q", ""))
    outlets = Outlet.objects.filter(is_active=True).prefetch_related("aliases").order_by("name")
    if key:
        outlets = outlets.filter(normalized__contains=key) | outlets.filter(aliases__normalized__contains=key)
    results = []
    for outlet in outlets.distinct()[:OUTLET_SEARCH_LIMIT]:
        results.append({"name": outlet.name, "level": outlet.get_level_display(),
                        "media_class": outlet.get_media_class_display(),
                        "aliases": [alias.name for alias in outlet.aliases.all()]})
    return JsonResponse({"results": results})


@role_required(roles.OFFICER, superuser=False)
def duplicate_check(request):
    """JSON for the entry form: likely duplicates of what is typed. Other units' records are only counted."""
    form = DuplicateCheckForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"own": [], "other_units": 0})
    data = form.cleaned_data
    found = services.publication_duplicates_preview(
        unit=unit_of(request.user), title=data["title"], outlet=data["outlet"], published_on=data["published_on"],
        url=data["url"], exclude_pk=data["exclude"])
    visible = set(Publication.objects.visible_to(request.user).filter(
        pk__in=[d.publication.pk for d in found]).values_list("pk", flat=True))
    own = [{"title": d.publication.manuscript.title, "outlet": d.publication.outlet.name,
            "published_on": d.publication.published_on.isoformat(), "status": d.publication.get_status_display(),
            "reasons": d.reasons, "link": reverse("portal:record_detail", args=[d.publication.pk])}
           for d in found if d.publication.pk in visible]
    return JsonResponse({"own": own, "other_units": len(found) - len(own)})


# --- review -----------------------------------------------------------------------------------------


@role_required(roles.REVIEWER)
def review_queue(request):
    queryset = (Publication.objects.visible_to(request.user).filter(status=Status.SUBMITTED)
                .select_related(*RECORD_RELATED).prefetch_related("proofs").order_by("submitted_at", "id"))
    filterset = ReviewQueueFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    duplicates = services.publication_duplicates_map(publications=items)
    own_unit = unit_of(request.user)
    rows = [{"publication": p, "duplicates": duplicates.get(p.pk, [])[:DUPLICATES_SHOWN],
             "more_duplicates": max(0, len(duplicates.get(p.pk, [])) - DUPLICATES_SHOWN),
             "own_unit": own_unit is not None and own_unit.pk == p.manuscript.unit_id,
             "images": [f for f in p.proofs.all() if f.content_type in IMAGE_TYPES],
             "files": [f for f in p.proofs.all() if f.content_type not in IMAGE_TYPES]} for p in items]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "publicity/review_queue.html", {
        "filter": filterset, "page": page, "rows": rows, "query": query.urlencode(),
        "next": request.get_full_path(),
    })


@require_POST
@role_required(roles.REVIEWER)
def review_approve(request, pk: int):
    publication = _publication_for(request, pk)
    try:
        services.publication_approve(publication=publication, reviewer=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, APPROVED_MESSAGE.format(title=publication.manuscript.title))
    return redirect(_next_url(request, reverse("portal:review_queue")))


@role_required(roles.REVIEWER)
def review_reject(request, pk: int):
    publication = _publication_for(request, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_reject(publication=publication, reviewer=request.user,
                                        reason=form.cleaned_data["reason"])
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, REJECTED_MESSAGE.format(title=publication.manuscript.title))
        return redirect(_next_url(request, reverse("portal:review_queue")))
    return render(request, "publicity/review_reject.html", {"publication": publication, "form": form,
                                                            "next": _next_url(request, "")})


@require_POST
@role_required(roles.REVIEWER)
def review_bulk_approve(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if not ids:
        messages.error(request, NOTHING_SELECTED_MESSAGE)
        return redirect(_next_url(request, reverse("portal:review_queue")))
    publications = (Publication.objects.visible_to(request.user).filter(pk__in=ids)
                    .select_related(*RECORD_RELATED).order_by("submitted_at", "id"))
    result = services.publication_bulk_approve(publications=publications, reviewer=request.user)
    if result.approved:
        messages.success(request, BULK_DONE_MESSAGE.format(n=len(result.approved)))
    if result.skipped:
        details = "；".join(f"「{p.manuscript.title}」{reason}" for p, reason in result.skipped)
        messages.warning(request, BULK_SKIPPED_MESSAGE.format(n=len(result.skipped)) + details)
    return redirect(_next_url(request, reverse("portal:review_queue")))


# --- notifications ----------------------------------------------------------------------------------


@login_required
def notification_list(request):
    notes = Notification.objects.filter(user=request.user)
    page = Paginator(notes, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "publicity/notifications.html", {"page": page})


@require_POST
@login_required
def notification_read(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()] or None
    services.notification_mark_read(user=request.user, ids=ids)
    return redirect(_next_url(request, reverse("portal:notifications")))
