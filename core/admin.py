"""The audit trail and the years' states in the admin: read by reviewers, changed by nobody here."""

from django.contrib import admin

from core.admin_base import ReadOnlyAdmin
from core.models import AuditEvent, YearClose


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit page: reviewers read and filter it (action, actor, unit, date); nobody changes it."""

    list_display = ("at", "actor_name", "action", "summary", "unit")
    list_filter = ("action", ("actor", admin.RelatedOnlyFieldListFilter), "unit", "at", "target_type")
    list_select_related = ("unit",)
    readonly_fields = ("at", "actor", "actor_name", "action", "target_type", "target_id", "unit", "summary",
                       "before", "after", "reason")
    search_fields = ("summary", "actor_name", "target_id", "reason")
    date_hierarchy = "at"


@admin.register(YearClose)
class YearCloseAdmin(ReadOnlyAdmin):
    list_display = ("year", "state", "notice_until", "closed_on", "closed_by", "reopened")
    list_select_related = ("closed_by",)
