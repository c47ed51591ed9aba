"""Excel exports built by a background task, downloaded by the user who asked for them.

The export pages call `export_deliver(request, kind, **params)`. It records an `ExportFile` and enqueues
`export_build`. Without a worker (TASKS_BACKEND=immediate) the task has run when `enqueue` returns, and the
file is sent in the same response, as before. With a worker the user lands on the export's page, which
refreshes itself until the file is ready (and gets a notification when it is); 我的导出 lists the last files.

Each kind's builder lives with its data (scoring/exports.py, rewards/exports.py, reporting/exports.py) and is
named here by path, so this module imports no other app: `builder(user=…, **params) -> ExportBuilt`. A builder
applies the user's own scope (the task runs as that user), exactly as the page it replaces did.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task

from core.audit import export_record
from publicity.models import ExportFile

logger = logging.getLogger(__name__)

BUILDERS = {
    # scoring's bulletin workbook with reporting's 工作落实情况 sheet (DOMAIN §11)
    "bulletin": "reporting.exports.bulletin_export",
    "periodic": "scoring.exports.periodic_export",
    "payout": "rewards.exports.payout_export",
    "payout_units": "rewards.exports.payout_units_export",
}
KEEP_DAYS = 7
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READY_MESSAGE = "导出文件已生成：{filename}"
FAILED_MESSAGE = "导出失败，请稍后重试；如仍失败请联系管理员。"


@dataclass
class ExportBuilt:
    """What a builder returns: the file and what the audit trail records about it."""

    filename: str
    content: bytes
    action: str
    target: object
    rows: int | None = None
    details: dict = field(default_factory=dict)


def _runs_inline() -> bool:
    return settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


@task()
def export_build(export_id: int) -> str:
    """Build one export as its user, store it in the private storage, audit it; old files of the user go."""
    export = ExportFile.objects.select_related("user").get(pk=export_id)
    ExportFile.objects.filter(pk=export.pk).update(state=ExportFile.State.RUNNING)
    try:
        built = import_string(BUILDERS[export.kind])(user=export.user, **export.params)
        export.file.save(built.filename, ContentFile(built.content), save=False)
    except Exception as exc:
        ExportFile.objects.filter(pk=export.pk).update(state=ExportFile.State.FAILED, error=str(exc)[:300],
                                                       finished_at=timezone.now())
        raise
    export.filename, export.rows = built.filename, built.rows
    export.state, export.finished_at = ExportFile.State.DONE, timezone.now()
    export.save(update_fields=["file", "filename", "rows", "state", "finished_at"])
    export_record(actor=export.user, action=built.action, filename=built.filename, target=built.target,
                  rows=built.rows, **built.details)
    if not _runs_inline():  # the user is not waiting on the page that asked for it
        from publicity.services import notification_send

        notification_send(users=[export.user], text=READY_MESSAGE.format(filename=built.filename),
                          link=reverse("portal:export", args=[export.pk]))
    _prune(export.user_id)
    return built.filename


def _prune(user_id: int) -> None:
    cutoff = timezone.now() - datetime.timedelta(days=KEEP_DAYS)
    for old in ExportFile.objects.filter(user_id=user_id, created_at__lt=cutoff):
        if old.file:
            old.file.delete(save=False)
        old.delete()


def export_deliver(request, kind: str, **params):
    """The response of an export page: the file itself when it was built inline, else the export's page."""
    if kind not in BUILDERS:
        raise Http404("没有这种导出。")
    export = ExportFile.objects.create(user=request.user, kind=kind, params=params)
    result = export_build.enqueue(export.pk)
    if result.status == TaskResultStatus.FAILED:
        logger.error("export %s failed", export.pk, extra={"kind": kind, "params": params})
    export.refresh_from_db()
    if export.state == ExportFile.State.DONE:
        return export_file_response(export)
    return redirect("portal:export", pk=export.pk)


def export_file_response(export: ExportFile) -> HttpResponse:
    # Read whole: a workbook is a few MB at most (50,000 rows ≈ 3 MB), and the file closes at once.
    with export.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def exports_of(user):
    return ExportFile.objects.filter(user=user, created_at__gte=timezone.now() - datetime.timedelta(days=KEEP_DAYS))
