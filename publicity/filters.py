"""List filters (django-filter) for the records pages and the review queue.

They narrow a queryset that the view has already scoped with visible_to(user); they never widen it.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q

from core.years import YearField
from publicity.models import KIND_CHOICES, LEVEL_CHOICES, Publication, Status, Unit


class YearFilter(django_filters.NumberFilter):
    """?year=: a plausible year (core.years.YearField); anything else is a message under the box, not a crash."""

    field_class = YearField


class PublicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="标题或作者", method="filter_text",
                                  widget=forms.TextInput(attrs={"type": "search"}))
    status = django_filters.ChoiceFilter(label="审核状态", choices=Status.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="稿件类型", field_name="manuscript__kind", choices=KIND_CHOICES,
                                       empty_label="全部")
    level = django_filters.ChoiceFilter(label="媒体级别", field_name="outlet__level", choices=LEVEL_CHOICES,
                                        empty_label="全部")
    year = YearFilter(label="年度", method="filter_year")
    outlet = django_filters.CharFilter(label="媒体", field_name="outlet__name", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label="单位", field_name="manuscript__unit",
                                            queryset=Unit.objects.filter(is_active=True), empty_label="全部单位")

    class Meta:
        model = Publication
        fields: list[str] = []

    def __init__(self, *args, own_unit_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if own_unit_only:  # an officer's list holds one unit: the choice would only confuse
            del self.filters["unit"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(manuscript__title__icontains=value) | Q(manuscript__authors__icontains=value))

    def filter_year(self, queryset, name, value):
        # A date range, not __year, so the (status, published_on) index serves it.
        year = int(value)
        return queryset.filter(published_on__gte=datetime.date(year, 1, 1),
                               published_on__lte=datetime.date(year, 12, 31))


class ReviewQueueFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(label="单位", field_name="manuscript__unit",
                                            queryset=Unit.objects.filter(is_active=True), empty_label="全部单位")
    level = django_filters.ChoiceFilter(label="媒体级别", field_name="outlet__level", choices=LEVEL_CHOICES,
                                        empty_label="全部")
    q = django_filters.CharFilter(label="标题", field_name="manuscript__title", lookup_expr="icontains",
                                  widget=forms.TextInput(attrs={"type": "search"}))

    class Meta:
        model = Publication
        fields: list[str] = []
