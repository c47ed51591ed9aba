"""The scores version: one number in the shared cache that every write able to change a score or a ranking
bumps through `scores_changed()` (issue 17). Pages computed from the scores (scoring/pagecache.py) are keyed on
it, so every node renders them anew after such a write. It lives here, below every app, because the writes
happen in several apps (publicity's status changes, the imports, quotas, rate sheets, year transitions).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "scores-version"


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (first write, or evicted): any new number will do
        _version_start()
    except Exception:  # the cache server is down: pages are rendered live meanwhile
        logger.exception("scores version not bumped: cache unreachable")


def _version_start() -> int:
    # A fresh version never repeats an earlier one (time in ns), so an evicted counter cannot bring back
    # pages cached under an old number.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return cache.get(VERSION_KEY)


def scores_changed() -> None:
    """Every write that can change a score or a ranking calls this: open years' pages are rendered anew.

    Bumped at once, and again when the surrounding transaction commits: a page rendered by another node
    between the two (still seeing the old rows) is stored under a version nobody reads afterwards.
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(entry[1] is _bump for entry in connection.run_on_commit):
        transaction.on_commit(_bump)


def scores_version() -> int | None:
    try:
        return cache.get(VERSION_KEY) or _version_start()
    except Exception:
        logger.exception("scores version unreadable: cache unreachable")
        return None
