"""The dashboard and bulletin, rendered once and served from Django's cache (shared by every node).

Two kinds of key:

- **A closed year** cannot change: its results are the snapshot written at the close, and the year
  lock refuses changes to its publications, quotas, policy and rate sheet until a reviewer reopens it
  (issue 8). Its pages are keyed on the close itself: a reopened year is not closed (no such key), and
  closing it again sets a new `closed_at` (a new key). The close renders them at once (a task).
- **An open or published (公示) year** changes with every write that can change a score. Its pages are
  keyed on the *scores version* (core.versions), a number in the cache that `scores_changed()` — the one place — bumps
  after every such write: publication status changes, imports, quotas, quota lines, units, outlets and
  their aliases, the scoring policy, rate sheets, year transitions. A bumped version makes every node
  render anew at its next request; the old entries are never read again and expire.

Open years are cached only where every process shares the cache (settings.OPEN_YEAR_PAGE_CACHE: on with
CACHE_URL=redis://…); with the default per-process memory they are rendered live, as several gunicorn
workers would otherwise each keep a version of their own.

The year's state is read from the database on every request, so nodes never disagree about it. When the
cache server is unreachable the pages are rendered live (slower, never wrong) and the error is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from core.models import YearClose
from core.versions import scores_version

logger = logging.getLogger(__name__)

KEEP_SECONDS = 7 * 24 * 3600
# An open year's entry is found only under the current version; a short life keeps dead versions from
# filling the cache between bumps.
OPEN_YEAR_SECONDS = 3600

def closed_year_key(state: YearClose | None, page: str) -> str | None:
    """The cache key of `page` for a closed year, None when the year is not closed."""
    if state is None or not state.is_closed or state.closed_at is None:
        return None
    return f"closed-year:{page}:{state.year}:{state.pk}:{state.closed_at.isoformat()}"


def open_year_key(year: int, page: str, version: int) -> str:
    return f"open-year:{page}:{year}:{version}"


def year_page_html(*, year: int, state: YearClose | None, page: str, render: Callable[[], str]) -> SafeString:
    """`page` of `year` from the cache, rendered by `render()` when it is not there (and then stored)."""
    key, keep = closed_year_key(state, page), KEEP_SECONDS
    if key is None:
        if not settings.OPEN_YEAR_PAGE_CACHE:  # a per-process cache: no version all processes share
            return mark_safe(render())
        version = scores_version()
        if version is None:
            return mark_safe(render())
        key, keep = open_year_key(year, page, version), OPEN_YEAR_SECONDS
    try:
        html = cache.get(key)
    except Exception:
        logger.exception("page cache unreadable: rendering live")
        return mark_safe(render())
    if html is None:
        html = str(render())
        try:
            cache.set(key, html, keep)
        except Exception:
            logger.exception("page cache unwritable")
    return mark_safe(html)
