"""Contributions, reports, rosters and reminders in the admin: read-only and scoped to the user's unit; the pages
and services under /reporting/ make every change, so that checks and the audit trail happen in one place."""

from django.contrib import admin

from core.admin_base import AuditedAdmin, LabelledTabularInline, ReadOnlyScopedAdmin, extend
from core.yearlock import YearLockedForm, YearLockedInlineFormSet, year_is_closed
from publicity.models import Unit
from reporting.models import (
    BureauLeader,
    OfficerRoster,
    PeriodReport,
    ReminderLog,
    ResponsiblePerson,
    TrainingAttendance,
    TrainingCourse,
    UnitLeader,
    UnitPlan,
    WebsiteContribution,
    WebsiteStatus,
    YearSettings,
)


@admin.register(WebsiteContribution)
class WebsiteContributionAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "unit", "is_major", "status", "submitted_at", "reviewer", "reviewed_at")
    list_filter = ("status", "is_major", "unit__kind", "unit")
    search_fields = ("title", "authors", "unit__name")
    list_select_related = ("unit", "reviewer")
    exclude = ("approval_scan",)


@admin.register(PeriodReport)
class PeriodReportAdmin(ReadOnlyScopedAdmin):
    list_display = ("unit", "period_kind", "period_start", "due_on", "submitted_at", "is_late", "is_nil")
    list_filter = ("period_kind", "is_late", "is_nil", "unit__kind", "unit")
    search_fields = ("unit__name", "note")
    list_select_related = ("unit",)
    exclude = ("attachment", "publications")


@admin.register(OfficerRoster)
class OfficerRosterAdmin(ReadOnlyScopedAdmin):
    list_display = ("year", "unit", "officer_name", "phone", "submitted_at", "is_late")
    list_filter = ("year", "is_late", "unit__kind")
    search_fields = ("unit__name", "officer_name", "phone")
    list_select_related = ("unit",)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("sent_on", "unit", "recipients", "created_at")
    list_filter = ("sent_on",)
    search_fields = ("unit__name", "recipients")
    list_select_related = ("unit",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- the notice's other duties (DOMAIN §11) -------------------------------------------------------------------
# The year's settings (contact, due dates, the bureau's leading group) are reference data reviewers edit here,
# audited and in the year lock; the units' filings change only through their pages and services.


class BureauLeaderForm(YearLockedForm):
    """A member of the bureau's leading group belongs to the settings' year."""

    def lock_years(self, values: dict) -> set[int | None]:
        # The inline formset sets the instance's settings (the one being edited, with its new year) on every row.
        settings = values.get("settings") if hasattr(values.get("settings"), "year") else None
        if settings is None:
            try:
                settings = self.instance.settings
            except YearSettings.DoesNotExist:
                settings = None
        return {getattr(settings, "year", None)}


class BureauLeaderInline(LabelledTabularInline):
    model = BureauLeader
    form = BureauLeaderForm
    formset = YearLockedInlineFormSet
    extra = 0
    fields = ("sort_order", "role", "name", "post")


@admin.register(YearSettings)
class YearSettingsAdmin(AuditedAdmin):
    list_display = ("year", "contact_name", "contact_phone", "contact_fax", "contact_email", "plan_due")
    form = YearLockedForm
    inlines = [BureauLeaderInline]
    fieldsets = (
        (None, {"fields": ("year",)}),
        ("市局网站信息发布联系人（印在各单位页面和打印件上）", {"fields": (
            "contact_name", "contact_phone", "contact_fax", "contact_email")}),
        ("工作落实期限（不填按默认日期）", {"fields": ("plan_due", "topics_due", "research_due", "website_due")}),
    )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and year_is_closed(obj.year):
            return False
        return super().has_delete_permission(request, obj)


class UnitLeaderInline(admin.TabularInline):
    model = UnitLeader
    fields = ("role", "name", "post")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitPlan)
class UnitPlanAdmin(ReadOnlyScopedAdmin):
    list_display = ("year", "unit", "staff_count", "budget", "submitted_at", "is_late")
    list_filter = ("year", "is_late", "unit__kind")
    search_fields = ("unit__name", "summary", "staff")
    list_select_related = ("unit",)
    exclude = ("document",)
    inlines = [UnitLeaderInline]


@admin.register(ResponsiblePerson)
class ResponsiblePersonAdmin(ReadOnlyScopedAdmin):
    list_display = ("year", "unit", "name", "post", "updated_at")
    list_filter = ("year", "unit__kind")
    search_fields = ("unit__name", "name", "post")
    list_select_related = ("unit",)


@admin.register(WebsiteStatus)
class WebsiteStatusAdmin(ReadOnlyScopedAdmin):
    list_display = ("unit", "state", "url", "online_on", "reported_at")
    list_filter = ("state", "unit__kind")
    search_fields = ("unit__name", "url", "note")
    list_select_related = ("unit",)


class TrainingAttendanceInline(UnitLeaderInline):
    model = TrainingAttendance
    fields = ("unit", "officer_name", "phone", "state", "note")


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ReadOnlyScopedAdmin):
    list_display = ("held_on", "title", "place")
    search_fields = ("title", "place")
    inlines = [TrainingAttendanceInline]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(ReadOnlyScopedAdmin):
    list_display = ("course", "unit", "officer_name", "state", "recorded_at")
    list_filter = ("state", "unit__kind")
    search_fields = ("unit__name", "officer_name", "course__title")
    list_select_related = ("course", "unit")


@extend(Unit)
class UnitWebsiteAdmin:
    """A unit's website (D9's has_website and its address) is reported by the unit on its duties page
    (reporting.duties.website_status_report), which keeps the history; the unit form shows it read-only."""

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "has_website", "website_url")
