"""The one year picker: which year a page shows (?year=YYYY), checked the same way everywhere.

A page either offers the years that have data (`chosen_year`, with the picker form of the dashboards and
bulletins) or takes any plausible year with a default of its own (`year_from_request`). A year outside
2000–2100, or not a whole number, is never an error: the page shows its default year instead.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

YEAR_MIN, YEAR_MAX = 2000, 2100


def requested_year(request) -> int | None:
    """?year= when it is a whole number between YEAR_MIN and YEAR_MAX, else None."""
    value = request.GET.get("year", "").strip()
    if value.isdigit() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    return None


def year_from_request(request, *, default: int) -> int:
    year = requested_year(request)
    return default if year is None else year


class YearForm(forms.Form):
    """The year picker of the dashboard and bulletins (GET)."""

    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]


def chosen_year(request, years: list[int]) -> tuple[int, YearForm]:
    """The year asked for among `years` (the years with data, newest first), else the newest of them (else the
    current year), and the picker showing it."""
    years = list(years) or [timezone.localdate().year]
    year = requested_year(request)
    if year not in years:
        year = years[0]
    return year, YearForm(initial={"year": year}, years=years)
