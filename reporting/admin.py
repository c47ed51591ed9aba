"""Contributions, reports, rosters and reminders in the admin: read-only and scoped to the user's unit; the pages
and services under /reporting/ make every change, so that checks and the audit trail happen in one place."""

from django.contrib import admin

from core.admin_base import ReadOnlyScopedAdmin
from reporting.models import OfficerRoster, PeriodReport, ReminderLog, WebsiteContribution


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
