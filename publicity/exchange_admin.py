"""Excel exchange in the admin: upload → preview of every row with its errors → confirm, exports of
exactly what the filtered list shows, and the blank templates. The views reuse the import services."""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from publicity import exchange
from publicity.models import Quota
from publicity.roles import is_reviewer
from publicity.xlsx import xlsx_response

UPLOAD_DIR = Path(tempfile.gettempdir()) / "publicity-imports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

UPLOAD_EXPIRED_MESSAGE = "上传的文件已失效，请重新上传。"
FILE_TOO_BIG_MESSAGE = "文件过大（最大 20 MB）。"
IMPORT_ONLY_REVIEWERS_MESSAGE = "只有审核员可以导入 Excel 表格。"


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件",
                           help_text="支持 .xlsx 和 .xls；表头行之上的标题行、空行和合并单元格均可。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG_MESSAGE)
        return upload


class QuotaImportForm(ImportForm):
    year = forms.IntegerField(label="任务年度", min_value=2000, max_value=2100)


UPLOAD_MAX_AGE_SECONDS = 24 * 3600


def _store(content: bytes) -> str:
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    expired = time.time() - UPLOAD_MAX_AGE_SECONDS
    for stale in UPLOAD_DIR.iterdir():  # previews nobody confirmed
        if TOKEN.match(stale.name) and stale.stat().st_mtime < expired:
            stale.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (UPLOAD_DIR / token).write_bytes(content)
    return token


def _load(token: str) -> bytes | None:
    if not TOKEN.match(token or ""):
        return None
    stored = UPLOAD_DIR / token
    return stored.read_bytes() if stored.is_file() else None


def _discard(token: str) -> None:
    if TOKEN.match(token or ""):
        (UPLOAD_DIR / token).unlink(missing_ok=True)


class _ExchangeAdmin:
    change_list_template = None  # set by the concrete mixins
    import_title = ""
    import_form = ImportForm
    template_name = ""

    def _url_name(self, action: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{action}"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=self._url_name("import")),
            path("template/", wrap(self.template_view), name=self._url_name("template")),
            *self.exchange_urls(wrap),
            *super().get_urls(),
        ]

    def exchange_urls(self, wrap):
        return []

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self._may_import(request)}
        return super().changelist_view(request, extra_context)

    def _may_import(self, request) -> bool:
        return is_reviewer(request.user) and self.has_add_permission(request)

    def run_import(self, *, request, content: bytes, filename: str, form_data: dict, dry_run: bool):
        raise NotImplementedError

    def import_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied(IMPORT_ONLY_REVIEWERS_MESSAGE)
        result, token, filename, form = None, "", "", self.import_form()
        if request.method == "POST" and "confirm" in request.POST:
            token, filename = request.POST.get("token", ""), request.POST.get("filename", "")
            content, data = _load(token), {}
            if "year" in form.fields:
                try:
                    data["year"] = form.fields["year"].clean(request.POST.get("year"))
                except ValidationError:
                    content = None
            if content is None:
                messages.error(request, UPLOAD_EXPIRED_MESSAGE)
                return redirect(reverse(f"admin:{self._url_name('import')}"))
            result = self.run_import(request=request, content=content, filename=filename, form_data=data,
                                     dry_run=False)
            if result.ok:
                _discard(token)
                messages.success(request, result.summary())
                opts = self.model._meta
                return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        elif request.method == "POST":
            form = self.import_form(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content, filename = upload.read(), upload.name
                data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
                result = self.run_import(request=request, content=content, filename=filename, form_data=data,
                                         dry_run=True)
                if result.ok:
                    token = _store(content)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.import_title,
            "form": form,
            "result": result,
            "token": token,
            "filename": filename,
            "year": request.POST.get("year", ""),
            "file_errors": [e for e in result.errors if not e.row] if result else [],
        }
        return TemplateResponse(request, "admin/publicity/exchange_import.html", context)

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        workbook, filename = self.blank_template()
        return xlsx_response(workbook, filename)


class PublicationExchangeAdmin(_ExchangeAdmin):
    """On the Publication admin: import the detail table, export the filtered list, blank template."""

    change_list_template = "admin/publicity/publication/change_list.html"
    import_title = "导入稿件明细表（附件2）"

    def exchange_urls(self, wrap):
        return [path("export/", wrap(self.export_view), name=self._url_name("export"))]

    def run_import(self, *, request, content, filename, form_data, dry_run):
        return exchange.articles_import(actor=request.user, file=content, filename=filename, dry_run=dry_run)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        # The changelist's own queryset: the same scoping, filters, search and date drill-down as the page.
        changelist = self.get_changelist_instance(request)
        publications = changelist.get_queryset(request)
        workbook = exchange.articles_export(publications=publications, actor=request.user,
                                           description=request.GET.urlencode())
        return xlsx_response(workbook, f"稿件明细表_{timezone.localdate():%Y%m%d}.xlsx")

    def blank_template(self):
        return exchange.articles_template(), "稿件明细表模板.xlsx"


class QuotaExchangeAdmin(_ExchangeAdmin):
    """On the Quota admin: import the allocation table, the statistics table, blank template."""

    change_list_template = "admin/publicity/quota/change_list.html"
    import_title = "导入任务分解表（附件1）"
    import_form = QuotaImportForm

    def exchange_urls(self, wrap):
        return [path("statistics/", wrap(self.statistics_view), name=self._url_name("statistics"))]

    def run_import(self, *, request, content, filename, form_data, dry_run):
        return exchange.quotas_import(actor=request.user, year=form_data["year"], file=content, filename=filename,
                                      dry_run=dry_run)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "statistics_year": self._statistics_year(request)}
        return super().changelist_view(request, extra_context)

    def _statistics_year(self, request) -> int:
        try:
            return int(request.GET.get("year", ""))
        except ValueError:
            latest = Quota.objects.order_by("-year").values_list("year", flat=True).first()
            return latest or timezone.localdate().year

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._statistics_year(request)
        workbook = exchange.statistics_export(year=year, actor=request.user)
        return xlsx_response(workbook, f"{year}年度宣传任务统计表.xlsx")

    def blank_template(self):
        return exchange.quotas_template(), "任务分解表模板.xlsx"
