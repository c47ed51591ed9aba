"""A closed year's dashboard and bulletin, rendered once.

A closed year cannot change: its results are the snapshot written at the close, and the year lock
refuses changes to its publications, quotas, policy and rate sheet until a reviewer reopens it
(issue 8). So the expensive part of these pages (hundreds of units at province scale) is rendered
once and kept in Django's cache, keyed on the close itself: a reopened year is not closed (no cache),
and closing it again sets a new `closed_at` (a new key). The key is read from the database on every
request, so several server processes never disagree about a year's state. Open and published (公示)
years are always computed live.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from core.models import YearClose

KEEP_SECONDS = 7 * 24 * 3600


def closed_year_key(state: YearClose | None, page: str) -> str | None:
    """The cache key of `page` for a closed year, None when the year is not closed."""
    if state is None or not state.is_closed or state.closed_at is None:
        return None
    return f"closed-year:{page}:{state.year}:{state.pk}:{state.closed_at.isoformat()}"


def closed_year_html(state: YearClose | None, page: str, render: Callable[[], str]) -> SafeString:
    """`render()` for an open year; for a closed year the HTML rendered at the first request after the close."""
    key = closed_year_key(state, page)
    if key is None:
        return mark_safe(render())
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, str(html), KEEP_SECONDS)
    return mark_safe(html)
