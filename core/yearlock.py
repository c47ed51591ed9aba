"""The year lock (DOMAIN §9): a closed year's records, quotas, policy and rate sheets change only after a reviewer
reopens the year with a reason.

`year_lock_check` is the one rule, asked by every write path with the years it touches. The admin forms and
formsets below only ask it, in `clean()`, for the years a form touches (its original values and its new ones),
so that the admin shows the message next to the form instead of failing on save.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from core.models import YearClose


def year_is_closed(year: int) -> bool:
    """For the services that change publications: a closed year's records need a reopen first."""
    return YearClose.objects.filter(year=year, state=YearClose.State.CLOSED).exists()


YEAR_LOCKED_MESSAGE = "{year}年度已结算，如需修改请先由审核员重新开放该年度并说明原因。"


def year_lock_check(*, year: int | Iterable[int | None] | None) -> None:
    """The one year-lock rule (DOMAIN §9): a closed year's publications, quotas, policy and rate
    sheet cannot change until a reviewer reopens the year with a reason (year_reopen, audited).

    Every write path calls this with the year(s) it touches; one query whatever their number.
    """
    years = {year} if isinstance(year, int) else {y for y in (year or ()) if y is not None}
    if not years:
        return
    closed = sorted(YearClose.objects.filter(year__in=years, state=YearClose.State.CLOSED)
                    .values_list("year", flat=True))
    if closed:
        raise ValidationError(YEAR_LOCKED_MESSAGE.format(year="、".join(str(y) for y in closed)), code="year_locked")


def _year_of(value) -> int | None:
    if value is None or value == "":
        return None
    if hasattr(value, "year"):
        return value.year
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class YearLockedForm(forms.ModelForm):
    """A model form whose rows belong to a year. Subclasses say how: `lock_years(values)`."""

    year_field = "year"

    def lock_years(self, values: dict) -> set[int | None]:
        return {_year_of(values.get(self.year_field))}

    def original_years(self) -> set[int | None]:
        return self.lock_years(self.initial) if self.instance.pk else set()

    def clean(self):
        data = super().clean()
        if self.has_changed():
            year_lock_check(year=self.original_years() | self.lock_years(data or {}))
        return data


class YearLockedInlineFormSet(BaseInlineFormSet):
    """Deleting a row of a closed year is refused too (a deleted form's own errors are ignored)."""

    def clean(self):
        super().clean()
        years = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) and form.instance.pk:
                years |= form.original_years()
        year_lock_check(year=years)


class PublicationYearForm(YearLockedForm):
    year_field = "published_on"


class ManuscriptYearForm(YearLockedForm):
    """A manuscript's title, kind and authors belong to every publication of it."""

    def lock_years(self, values: dict) -> set[int | None]:
        if not self.instance.pk:
            return set()
        return {day.year for day in self.instance.publications.dates("published_on", "year")}


STALE_ADMIN_MESSAGE = ("这条记录在您打开之后已被他人修改（{at}），本次保存未执行。"
                       "请重新打开该记录，核对最新内容后再修改。")


class OptimisticLockForm(YearLockedForm):
    """A stale save is refused: the form carries the record's `updated_at` as it was when opened and
    compares it, under a row lock, with the stored one (the admin saves inside a transaction)."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and getattr(self.instance, "updated_at", None):
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = (type(self.instance)._default_manager.select_for_update()
                       .filter(pk=self.instance.pk).values_list("updated_at", flat=True).first())
            loaded = (data or {}).get("loaded_version") or ""
            if current is not None and current.isoformat() != loaded:
                from django.utils import timezone

                at = timezone.localtime(current).strftime("%Y-%m-%d %H:%M:%S")
                raise ValidationError(STALE_ADMIN_MESSAGE.format(at=at), code="stale")
        return data


class PublicationAdminForm(OptimisticLockForm):
    year_field = "published_on"
