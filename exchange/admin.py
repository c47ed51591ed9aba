"""Excel in the admin, on django-import-export's admin mixins and its upload → preview → confirm flow.

The apps below this one register their reference-data admins; here each is re-registered with the library's
import/export mixins added, so that the Excel parts of the admin live with the rest of the exchange:

- 刊发记录 (Publication): import the detail table (附件2, reviewers only), export what the filtered list shows,
  blank template;
- 年度任务 (Quota): import the allocation table (附件1) of a year, export the filtered quotas as allocation
  tables, the statistics table, blank template;
- 单位, 媒体, 媒体别名, 奖励标准, 奖励发放明细, 操作日志: export what the filtered list shows.

Every export is audited; a bad filter in an export link is a message, never a server error.
"""

from __future__ import annotations

import re
import time

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.files.storage import storages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import MediaStorage

from exchange import services
from exchange.formats import SafeXLSX
from exchange.reader import ExcelReadError
from exchange.resources import AllocationResource, ArticleResource
from exchange.simple_resources import (
    AuditEventResource,
    OutletAliasResource,
    OutletResource,
    PayoutLineResource,
    RateSheetResource,
    UnitResource,
)
from publicity import admin as publicity_admin
from publicity.audit import export_record
from publicity.models import AuditEvent, Outlet, OutletAlias, Publication, Quota, Unit
from publicity.roles import is_reviewer
from rewards import admin as rewards_admin
from rewards.models import PayoutLine, RateSheet

IMPORT_ONLY_REVIEWERS_MESSAGE = "只有审核员可以导入 Excel 表格。"
UPLOAD_EXPIRED_MESSAGE = "上传的文件已失效，请重新上传。"
BAD_FILTER_MESSAGE = "筛选条件有误（{detail}），未能导出。请在列表中重新选择筛选条件后再导出。"
BAD_YEAR_MESSAGE = "年度应为 2000 至 2100 之间的整数。"
FILE_TOO_BIG_MESSAGE = "文件过大（最大 20 MB）。"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class PrivateImportStorage(MediaStorage):
    """Uploads waiting for the reviewer's confirmation: in the private storage (never served; shared by every
    server of a cluster), under generated names, removed after the import or a day later."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.MEDIA_FOLDER = "imports"

    def _configure_storage(self):
        self._storage = storages["private"]

    def save(self, data):
        self._remove_stale()
        super().save(data)

    def read(self):
        if not TOKEN.match(self.name or "") or not self._storage.exists(self.get_full_path()):
            raise FileNotFoundError(self.name)
        return super().read()

    def remove(self):
        if TOKEN.match(self.name or ""):
            self._storage.delete(self.get_full_path())

    def _remove_stale(self):
        expired = time.time() - UPLOAD_MAX_AGE_SECONDS
        try:
            _dirs, names = self._storage.listdir(self.MEDIA_FOLDER)
        except (FileNotFoundError, NotImplementedError):
            return
        for name in names:
            full = f"{self.MEDIA_FOLDER}/{name}"
            if TOKEN.match(name) and self._storage.get_modified_time(full).timestamp() < expired:
                self._storage.delete(full)


class ExcelImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Excel 文件"
        self.fields["import_file"].help_text = "支持 .xlsx 和 .xls；表头行之上的标题行、空行和合并单元格均可。"
        self.fields["format"].label = "文件格式"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG_MESSAGE)
        return upload


class YearImportForm(ExcelImportForm):
    year = forms.IntegerField(label="任务年度", min_value=2000, max_value=2100,
                              error_messages={"invalid": BAD_YEAR_MESSAGE, "min_value": BAD_YEAR_MESSAGE,
                                              "max_value": BAD_YEAR_MESSAGE})
    field_order = ["year", "import_file", "format", "resource"]


class YearConfirmForm(ConfirmImportForm):
    year = forms.IntegerField(widget=forms.HiddenInput(), min_value=2000, max_value=2100)


class ExchangeExportMixin(ExportMixin):
    """Export what the filtered change list shows, straight to a text-safe .xlsx, audited."""

    export_formats = [SafeXLSX]
    skip_export_form = True
    import_export_change_list_template = "admin/exchange/change_list.html"
    export_label = "导出Excel（当前筛选）"
    exchange_links: tuple = ()

    def get_export_formats(self):
        return self.export_formats

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def export_action(self, request):
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, SuspiciousOperation, ValueError) as exc:
            messages.error(request, BAD_FILTER_MESSAGE.format(detail=_short(exc)))
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.model._meta.verbose_name_plural}_{timezone.localdate():%Y%m%d}.xlsx"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        from urllib.parse import quote

        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        export_record(actor=request.user, action=f"{self.model._meta.model_name}_export", filename=filename,
                      target=self.model._meta.label_lower, filter=request.GET.urlencode())
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_label": self.export_label,
                         "exchange_links": self.get_exchange_links(request)}
        return super().changelist_view(request, extra_context)

    def get_exchange_links(self, request) -> list[dict]:
        return []


def _short(exc: Exception) -> str:
    return str(exc).strip("[]'\"")[:80] or type(exc).__name__


class ExchangeImportExportMixin(ExchangeExportMixin, ImportExportMixin):
    """Upload → preview of every row (新增 / 更新 / 不变 / 跳过, with every error) → confirm; reviewers only."""

    import_form_class = ExcelImportForm
    import_template_name = "admin/exchange/import.html"
    tmp_storage_class = PrivateImportStorage
    skip_admin_log = True  # the audit trail records the import (publicity.audit)
    import_label = "导入"

    def get_import_formats(self):
        # One format, bound to the resource's table: it finds the header row by the table's column names.
        return [resource_class().import_format() for resource_class in self.resource_classes[:1]]

    def has_import_permission(self, request):
        return is_reviewer(request.user) and self.has_add_permission(request)

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied(IMPORT_ONLY_REVIEWERS_MESSAGE)
        return super().import_action(request, **kwargs)

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied(IMPORT_ONLY_REVIEWERS_MESSAGE)
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.error(request, UPLOAD_EXPIRED_MESSAGE)
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ExcelReadError):
            form.add_error("import_file", str(e) + "。")
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        report = result.report
        opts = self.model._meta
        if not report.ok:  # the file changed between preview and confirmation, or a write was refused
            for error in report.errors[:20]:
                messages.error(request, str(error))
            messages.error(request, report.summary())
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        messages.success(request, report.summary())
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_label": self.import_label}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        opts = self.model._meta
        return [path("template/", self.admin_site.admin_view(self.template_view),
                     name=f"{opts.app_label}_{opts.model_name}_template"), *super().get_urls()]

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        book, filename = self.blank_template()
        return book.response(filename)

    def get_exchange_links(self, request):
        opts = self.model._meta
        return [*super().get_exchange_links(request),
                {"url": reverse(f"admin:{opts.app_label}_{opts.model_name}_template"), "label": self.template_label}]


def replace(model):
    """Register `admin_class` for `model` in place of what the app below registered."""

    def register(admin_class):
        admin.site.unregister(model)
        admin.site.register(model, admin_class)
        return admin_class

    return register


@replace(Publication)
class PublicationAdmin(ExchangeImportExportMixin, publicity_admin.PublicationAdmin):
    resource_classes = [ArticleResource]
    import_label = "导入明细表"
    export_label = "导出明细表（当前筛选）"
    template_label = "下载空白明细表"

    def blank_template(self):
        return services.articles_template(), "稿件明细表模板.xlsx"

    def get_export_filename(self, request, queryset, file_format):
        return f"稿件明细表_{timezone.localdate():%Y%m%d}.xlsx"


@replace(Quota)
class QuotaAdmin(ExchangeImportExportMixin, publicity_admin.QuotaAdmin):
    resource_classes = [AllocationResource]
    import_form_class = YearImportForm
    confirm_form_class = YearConfirmForm
    import_label = "导入任务分解表"
    export_label = "导出任务分解表（当前筛选）"
    template_label = "下载空白任务分解表"

    def blank_template(self):
        return services.quotas_template(), "任务分解表模板.xlsx"

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["year"] = import_form.cleaned_data["year"]
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if form is not None and form.is_valid():
            kwargs["year"] = form.cleaned_data["year"]
        return kwargs

    def get_export_filename(self, request, queryset, file_format):
        return f"任务分解表_{timezone.localdate():%Y%m%d}.xlsx"

    def get_urls(self):
        opts = self.model._meta
        return [path("statistics/", self.admin_site.admin_view(self.statistics_view),
                     name=f"{opts.app_label}_{opts.model_name}_statistics"), *super().get_urls()]

    def _statistics_year(self, request) -> int | None:
        value = request.GET.get("year", "")
        if not value:
            latest = Quota.objects.order_by("-year").values_list("year", flat=True).first()
            return latest or timezone.localdate().year
        field = forms.IntegerField(min_value=2000, max_value=2100)
        try:
            return field.clean(value)
        except forms.ValidationError:
            return None

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._statistics_year(request)
        if year is None:
            messages.error(request, BAD_YEAR_MESSAGE)
            return redirect(reverse("admin:publicity_quota_changelist"))
        book = services.statistics_export(year=year, actor=request.user)
        return book.response(f"{year}年度宣传任务统计表.xlsx")

    def get_exchange_links(self, request):
        year = self._statistics_year(request) or timezone.localdate().year
        return [*super().get_exchange_links(request),
                {"url": f"{reverse('admin:publicity_quota_statistics')}?year={year}", "label": f"导出{year}年统计表"}]


@replace(Unit)
class UnitAdmin(ExchangeExportMixin, publicity_admin.UnitAdmin):
    resource_classes = [UnitResource]


@replace(Outlet)
class OutletAdmin(ExchangeExportMixin, publicity_admin.OutletAdmin):
    resource_classes = [OutletResource]


@replace(OutletAlias)
class OutletAliasAdmin(ExchangeExportMixin, publicity_admin.OutletAliasAdmin):
    resource_classes = [OutletAliasResource]


@replace(AuditEvent)
class AuditEventAdmin(ExchangeExportMixin, publicity_admin.AuditEventAdmin):
    resource_classes = [AuditEventResource]


@replace(RateSheet)
class RateSheetAdmin(ExchangeExportMixin, rewards_admin.RateSheetAdmin):
    resource_classes = [RateSheetResource]


@replace(PayoutLine)
class PayoutLineAdmin(ExchangeExportMixin, rewards_admin.PayoutLineAdmin):
    resource_classes = [PayoutLineResource]
