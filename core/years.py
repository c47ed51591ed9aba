"""The one year picker: which year a page shows (?year=YYYY), checked the same way everywhere.

A page either offers the years that have data (`chosen_year`, with the picker form of the dashboards and
bulletins) or takes any plausible year with a default of its own (`year_from_request`). A year outside
2000–2100, or not a whole number, is never an error: the page shows its default year instead. A form or
list filter takes a year through `YearField` (a Chinese message, never a crash on 99999), and a year in a
URL's path through the `<year:…>` converter (registered by core's app config): outside the range the URL
does not exist (404).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

YEAR_MIN, YEAR_MAX = 2000, 2100


def requested_year(request) -> int | None:
    """?year= when it is a whole number between YEAR_MIN and YEAR_MAX, else None."""
    value = request.GET.get("year", "").strip()
    if value.isdigit() and year_in_range(int(value)):
        return int(value)
    return None


def year_from_request(request, *, default: int) -> int:
    year = requested_year(request)
    return default if year is None else year


YEAR_RANGE_MESSAGE = f"年度应为{YEAR_MIN}至{YEAR_MAX}之间的整数，如 2011。"


def year_in_range(year: int) -> bool:
    return YEAR_MIN <= year <= YEAR_MAX


class YearField(forms.IntegerField):
    """A year typed or passed in a query string: a whole number within YEAR_MIN–YEAR_MAX, else a Chinese
    error (a date of year 99999 cannot be built, so an unchecked year is a server error waiting to happen)."""

    def __init__(self, **kwargs):
        messages = {"invalid": YEAR_RANGE_MESSAGE, "min_value": YEAR_RANGE_MESSAGE,
                    "max_value": YEAR_RANGE_MESSAGE, **kwargs.pop("error_messages", {})}
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, error_messages=messages, **kwargs)


class YearConverter:
    """`<year:year>` in a URL: a whole number within YEAR_MIN–YEAR_MAX; any other year is no URL (404)."""

    regex = "[0-9]{1,6}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not year_in_range(year):
            raise ValueError(YEAR_RANGE_MESSAGE)  # Django answers 404
        return year

    def to_url(self, value) -> str:
        return str(int(value))


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
