from django.contrib import admin

from publicity.admin import ReadOnlyAdmin
from scoring.locking import YearLockedForm
from scoring.models import AssessmentPolicy, Objection, UnitResultSnapshot, YearClose
from scoring.services import assessment_policy_save, year_is_closed


class AssessmentPolicyForm(YearLockedForm):
    class Meta:
        model = AssessmentPolicy
        fields = ("year", "base", "bonus_per_article", "bonus_cap_ratio", "penalty_per_article", "floor", "note")


@admin.register(AssessmentPolicy)
class AssessmentPolicyAdmin(admin.ModelAdmin):
    list_display = ("year", "base", "bonus_per_article", "bonus_cap_ratio", "penalty_per_article", "floor", "note")
    fields = AssessmentPolicyForm.Meta.fields
    form = AssessmentPolicyForm

    def has_change_permission(self, request, obj=None):
        # A closed year's policy is frozen with its results (DOMAIN §9): view only.
        if obj is not None and year_is_closed(obj.year):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        assessment_policy_save(policy=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(YearClose)
class YearCloseAdmin(ReadOnlyAdmin):
    list_display = ("year", "state", "notice_until", "closed_on", "closed_by", "reopened")
    list_select_related = ("closed_by",)


@admin.register(UnitResultSnapshot)
class UnitResultSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("year", "unit_name", "kind", "missing", "bonus_articles", "score", "rank")
    list_filter = ("year", "kind")
    search_fields = ("unit_name",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("year", "unit", "raised_by", "raised_at", "answered_at")
    list_filter = ("year", "unit")
    list_select_related = ("unit", "raised_by")
