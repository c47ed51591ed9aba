"""Exports of the reference-data lists in the admin (units, outlets, aliases, rate sheets, payout lines, the
audit trail): the columns a clerk reads, under their Chinese names, as django-import-export resources."""

from __future__ import annotations

import datetime
from decimal import Decimal

import tablib
from django.db import models
from django.utils import timezone
from import_export import fields, resources
from import_export.widgets import Widget

from publicity.models import AuditEvent, Outlet, OutletAlias, Unit
from rewards.models import PayoutLine, RateSheet, RateTier


class DisplayWidget(Widget):
    """A value as the admin shows it: the label of a choice, the name of a related object, 是/否, local time."""

    def __init__(self, choices=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = dict(choices or ())

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        if self.choices:
            return str(self.choices.get(value, value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, int | float | Decimal | datetime.date):
            return value
        if isinstance(value, models.Manager):
            return "、".join(str(item) for item in value.all())
        if isinstance(value, dict | list):
            import json

            return json.dumps(value, ensure_ascii=False)
        return str(value)


class LabelledResource(resources.ModelResource):
    """The model's fields under their verbose (Chinese) names, rendered as the admin shows them."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return fields.Field(attribute=field_name, column_name=str(django_field.verbose_name), readonly=True,
                            widget=DisplayWidget(choices=getattr(django_field, "choices", None)))


class UnitResource(LabelledResource):
    class Meta:
        model = Unit
        fields = ("name", "kind", "has_website", "website_url", "sort_order", "is_active")


class OutletResource(LabelledResource):
    aliases = fields.Field(attribute="aliases", column_name="别名", widget=DisplayWidget())
    bonus = fields.Field(attribute="is_bonus_eligible", column_name="计入加分", widget=DisplayWidget())

    class Meta:
        model = Outlet
        fields = ("name", "level", "media_class", "bonus", "aliases", "is_active", "note")


class OutletAliasResource(LabelledResource):
    class Meta:
        model = OutletAlias
        fields = ("name", "outlet")


class AuditEventResource(LabelledResource):
    class Meta:
        model = AuditEvent
        fields = ("at", "actor_name", "action", "target_type", "target_id", "unit", "summary", "reason", "before",
                  "after")


class PayoutLineResource(LabelledResource):
    year = fields.Field(attribute="batch__year", column_name="奖励年度", widget=DisplayWidget())
    status = fields.Field(attribute="batch__get_status_display", column_name="批次状态", widget=DisplayWidget())

    class Meta:
        model = PayoutLine
        fields = ("year", "batch", "status", "unit", "recipient", "is_collective", "manuscript", "outlet",
                  "amount_due", "amount_paid_before", "amount")


class RateSheetResource(LabelledResource):
    """A rate sheet is its tiers: one row per tier (outlets and the rate of each category), then the 头版头条
    rates, of every sheet the filtered list shows."""

    HEADERS = ("年度", "发布单位", "奖励标准", "档次", "媒体", "新闻/信息（元）", "专题（元）", "调研文章（元）",
               "各类稿件（元）", "头版头条（元）", "头版头条最少字数")

    class Meta:
        model = RateSheet
        fields = ("year",)

    def export(self, queryset=None, **kwargs):
        queryset = RateSheet.objects.all() if queryset is None else queryset
        sheets = list(queryset.select_related("issuer").prefetch_related("tiers__outlets", "headlines__outlet"))
        dataset = tablib.Dataset(headers=list(self.HEADERS), title="奖励标准")
        for sheet in sheets:
            tiers: list[RateTier] = list(sheet.tiers.all())
            for tier in tiers:
                dataset.append([sheet.year, sheet.issuer_name, str(sheet), tier.name,
                                "、".join(o.name for o in tier.outlets.all()), tier.rate_news, tier.rate_feature,
                                tier.rate_research, tier.rate_any, None, None])
            for headline in sheet.headlines.all():
                dataset.append([sheet.year, sheet.issuer_name, str(sheet), "头版头条", headline.outlet.name, None,
                                None, None, None, headline.amount, headline.min_chars])
        return dataset
