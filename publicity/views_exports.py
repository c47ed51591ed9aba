"""我的导出: the Excel files built in the background (publicity/background_exports.py), for their user only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from publicity.background_exports import export_file_response, exports_of
from publicity.models import ExportFile

MISSING_FILE_MESSAGE = "导出文件已不存在（保存7天），请重新导出。"


@login_required
def export_list(request):
    return render(request, "publicity/exports.html", {"exports": exports_of(request.user)[:50]})


@login_required
def export_detail(request, pk: int):
    """The file once it is ready; until then a page that refreshes itself every two seconds."""
    export = get_object_or_404(exports_of(request.user), pk=pk)
    if export.state == ExportFile.State.DONE:
        try:
            return export_file_response(export)
        except FileNotFoundError:
            return render(request, "publicity/export_detail.html", {"export": export, "missing": MISSING_FILE_MESSAGE},
                          status=404)
    waiting = export.state in (ExportFile.State.QUEUED, ExportFile.State.RUNNING)
    return render(request, "publicity/export_detail.html", {"export": export, "waiting": waiting})
