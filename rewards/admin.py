from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin_base import AuditedAdmin, LabelledTabularInline, ReadOnlyAdmin
from core.yearlock import YearLockedForm, YearLockedInlineFormSet, year_is_closed
from rewards.forms import SheetYearForm
from rewards.models import (
    Commendation,
    HeadlineRate,
    PayoutBatch,
    PayoutLine,
    RateSheet,
    RateTier,
    RewardBudget,
    RewardSnapshot,
)

OUTLET_IN_TWO_TIERS_MESSAGE = ("媒体“{outlet}”同时列在“{first}”和“{second}”两个档次中，"
                           "每个媒体在一份奖励标准中只能属于一个档次。")
HEADLINE_TWICE_MESSAGE = "媒体“{outlet}”的头版头条奖励重复，每个媒体只能设一条。"


class RateTierInlineFormSet(YearLockedInlineFormSet):
    """D6: an outlet belongs to at most one tier of a sheet (rates.RateSheet refuses it too)."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            for outlet in data.get("outlets") or []:
                if outlet.pk in seen:
                    raise ValidationError(OUTLET_IN_TWO_TIERS_MESSAGE.format(
                        outlet=outlet, first=seen[outlet.pk], second=data.get("name")))
                seen[outlet.pk] = data.get("name")


class HeadlineRateInlineFormSet(YearLockedInlineFormSet):
    def clean(self):
        super().clean()
        outlets = [form.cleaned_data["outlet"] for form in self.forms
                   if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
                   and form.cleaned_data.get("outlet")]
        for outlet in outlets:
            if outlets.count(outlet) > 1:
                raise ValidationError(HEADLINE_TWICE_MESSAGE.format(outlet=outlet))


class RateTierInline(LabelledTabularInline):
    model = RateTier
    form = SheetYearForm
    formset = RateTierInlineFormSet
    extra = 0
    fields = ("sort_order", "name", "outlets", "rate_news", "rate_feature", "rate_research", "rate_any")
    autocomplete_fields = ("outlets",)


class HeadlineRateInline(LabelledTabularInline):
    model = HeadlineRate
    form = SheetYearForm
    formset = HeadlineRateInlineFormSet
    extra = 0
    fields = ("outlet", "amount", "min_chars")
    autocomplete_fields = ("outlet",)


@admin.register(RateSheet)
class RateSheetAdmin(AuditedAdmin):
    list_display = ("__str__", "year", "issuer_label", "tier_count")
    list_filter = ("year", "issuer")
    search_fields = ("title", "issuer__name")
    autocomplete_fields = ("issuer",)
    inlines = [RateTierInline, HeadlineRateInline]
    form = YearLockedForm

    def has_delete_permission(self, request, obj=None):
        if obj is not None and year_is_closed(obj.year):
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("issuer").annotate(n_tiers=Count("tiers"))

    @admin.display(description="发布单位", ordering="issuer__name")
    def issuer_label(self, obj):
        return obj.issuer_name

    @admin.display(description="档次数", ordering="n_tiers")
    def tier_count(self, obj):
        return obj.n_tiers


@admin.register(RateTier)
class RateTierAdmin(AuditedAdmin):
    """Where a reviewer adds an outlet to an existing tier (the notice's "等")."""

    list_display = ("name", "sheet", "outlet_names", "rate_news", "rate_feature", "rate_research", "rate_any")
    list_filter = ("sheet",)
    search_fields = ("name", "outlets__name")
    list_select_related = ("sheet__issuer",)
    autocomplete_fields = ("outlets",)
    form = SheetYearForm

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("outlets")

    @admin.display(description="媒体")
    def outlet_names(self, obj):
        return "、".join(outlet.name for outlet in obj.outlets.all())

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class TierForm(base):
            def clean(self):
                data = super().clean()
                sheet, outlets = data.get("sheet"), data.get("outlets") or []
                if sheet is not None:
                    others = (RateTier.objects.filter(sheet=sheet, outlets__in=outlets)
                              .exclude(pk=self.instance.pk).prefetch_related("outlets").distinct())
                    for other in others:
                        clash = [o for o in other.outlets.all() if o in outlets]
                        if clash:
                            raise forms.ValidationError(OUTLET_IN_TWO_TIERS_MESSAGE.format(
                                outlet=clash[0], first=other.name, second=data.get("name")))
                return data

        return TierForm


@admin.register(HeadlineRate)
class HeadlineRateAdmin(AuditedAdmin):
    list_display = ("outlet", "sheet", "amount", "min_chars")
    list_filter = ("sheet",)
    list_select_related = ("outlet", "sheet__issuer")
    form = SheetYearForm
    autocomplete_fields = ("outlet",)


@admin.register(RewardBudget)
class RewardBudgetAdmin(AuditedAdmin):
    list_display = ("year", "amount", "note")


class PayoutLineInline(LabelledTabularInline):
    model = PayoutLine
    extra = 0
    fields = ("unit", "manuscript", "recipient", "outlet", "amount_due", "amount_paid_before", "amount")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    """Read-only: batches are opened and confirmed on their own pages, through the services."""

    list_display = ("__str__", "year", "period_start", "period_end", "status", "confirmed_by", "confirmed_at")
    list_filter = ("year", "status")
    list_select_related = ("confirmed_by",)
    readonly_fields = ("year", "period_start", "period_end", "status", "sheet", "created_by", "created_at",
                       "confirmed_by", "confirmed_at", "budget_override_reason")
    inlines = [PayoutLineInline]


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "unit", "manuscript", "amount_due", "amount_paid_before", "amount", "batch")
    list_filter = ("batch__year", "batch__status", "unit")
    search_fields = ("recipient", "manuscript__title")
    list_select_related = ("unit", "manuscript", "batch")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(RewardSnapshot)
class RewardSnapshotAdmin(ReadOnlyAdmin):
    """Read-only: written by the year close, dropped by a reopen."""

    list_display = ("year", "unit_name", "title", "outlet_name", "amount", "is_collective")
    list_filter = ("year", "is_collective")
    search_fields = ("title", "unit_name")


@admin.register(Commendation)
class CommendationAdmin(ReadOnlyAdmin):
    """Read-only: proposed, confirmed and removed on the commendation page, through the services."""

    list_display = ("year", "kind", "unit", "person_name", "basis_text", "status", "confirmed_by", "confirmed_at")
    list_filter = ("year", "kind", "status")
    search_fields = ("person_name", "unit__name")
    list_select_related = ("unit", "confirmed_by")
    # The figures as a sentence, not their JSON.
    fields = ("year", "kind", "unit", "person_name", "reason", "basis_text", "rank", "status", "proposed_at",
              "confirmed_by", "confirmed_at")
    readonly_fields = fields

    @admin.display(description="依据")
    def basis_text(self, obj):
        return obj.basis or obj.reason

