"""Quota lines, the units' yearly quotas (with the D1 check), the year's policy, the frozen results and 公示
objections in the admin."""

from collections import defaultdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin_base import AuditedAdmin, LabelledTabularInline, ReadOnlyAdmin, extend
from core.yearlock import YearLockedForm, YearLockedInlineFormSet, year_is_closed
from publicity.models import KIND_CHOICES, Outlet, Unit
from scoring.models import AssessmentPolicy, Objection, Quota, QuotaLine, UnitResultSnapshot
from scoring.quotas import check_lines_nest
from scoring.services import assessment_policy_save, outlet_is_bonus_eligible

KINDS_REQUIRED_MESSAGE = "请至少勾选一种稿件类型。"


class QuotaLineForm(forms.ModelForm):
    """A line's kinds as checkboxes with their Chinese names (stored as a list of codes)."""

    kinds = forms.MultipleChoiceField(label="稿件类型", choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": KINDS_REQUIRED_MESSAGE})

    class Meta:
        model = QuotaLine
        fields = ("code", "label", "level_min", "level_max", "kinds", "topic", "default_county",
                  "default_affiliated", "default_section", "sort_order")


class QuotaInlineFormSet(YearLockedInlineFormSet):
    """D1 over the whole edited set: each year's lines of the unit must nest or be disjoint."""

    def clean(self):
        super().clean()
        by_year = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("line") or not data.get("year"):
                continue
            by_year[data["year"]].append(data["line"])
        for year, lines in by_year.items():
            codes = [line.code for line in lines]
            duplicated = {code for code in codes if codes.count(code) > 1}
            if duplicated:
                raise ValidationError(
                    f"{year}年的任务项重复：{'、'.join(sorted(duplicated))}。每个任务项每年只能有一行。")
            try:
                check_lines_nest(lines)
            except ValidationError as exc:
                raise ValidationError(f"{year}年：{exc.messages[0]}") from exc


class QuotaInline(LabelledTabularInline):
    model = Quota
    form = YearLockedForm
    formset = QuotaInlineFormSet
    extra = 0
    fields = ("year", "line", "count")
    ordering = ("-year", "line__sort_order")


@extend(Outlet)
class OutletBonusAdmin:
    """The outlet list says which outlets earn bonus points (scoring.rules, the one definition)."""

    def get_list_display(self, request):
        names = list(super().get_list_display(request))
        return [*names[:3], "bonus_eligible", *names[3:]]

    @admin.display(description="计入加分", boolean=True)
    def bonus_eligible(self, obj):
        return outlet_is_bonus_eligible(obj)


@extend(Unit)
class UnitQuotasAdmin:
    """The unit's page shows its quotas of every year, edited with the D1 check."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), QuotaInline]


@admin.register(QuotaLine)
class QuotaLineAdmin(AuditedAdmin):
    form = QuotaLineForm
    list_display = ("code", "label", "scope_text", "default_county", "default_affiliated", "default_section",
                    "sort_order")
    search_fields = ("code", "label")

    @admin.display(description="统计范围")
    def scope_text(self, obj):
        return obj.scope.describe()


@admin.register(Quota)
class QuotaAdmin(AuditedAdmin):
    list_display = ("year", "unit", "line", "count")
    list_filter = ("year", "unit__kind", "line", "unit")
    search_fields = ("unit__name", "line__label")
    list_select_related = ("unit", "line")
    autocomplete_fields = ("unit",)
    form = YearLockedForm

    def has_delete_permission(self, request, obj=None):
        if obj is not None and year_is_closed(obj.year):
            return False
        return super().has_delete_permission(request, obj)




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
