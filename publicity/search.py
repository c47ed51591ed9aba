"""One search box (issue 15): every record by title, author, outlet, unit or link, within what the user may see.

Scoping is the one rule everybody uses, Publication.objects.visible_to(user): reviewers and leaders search every
unit and year, officers and unit heads their own unit. Matching is by substring, because Chinese has no spaces
between words: `indexed_ids` is the one function that knows the databases (SQLite FTS5 trigram, PostgreSQL
pg_trgm; publicity/search_sql.py keeps the index). A trigram index needs three characters, so shorter words
(two-character names such as 王明 are common) are matched by a plain scan of the narrowed set, or, when every word
is short, of one year's records for those who see every unit (their own unit's records for the others).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from publicity import roles
from publicity.models import Publication

MIN_INDEXED = 3  # a trigram index answers words of three or more characters
MAX_TERMS = 5
MAX_TERM_LENGTH = 100
SHORT_ONLY_NOTE = ("检索词少于3个字，只在{scope}中逐条查找；输入3个字以上（如完整的人名、媒体名或标题片段）"
                   "可检索全部年度。")
_SPACES = re.compile(r"\s+")


def terms_of(query: str) -> list[str]:
    """The words of a query (any whitespace, also the full-width space, separates them), each kept once."""
    terms = []
    for term in _SPACES.split((query or "").strip()):
        term = term[:MAX_TERM_LENGTH]
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def indexed_ids(terms: list[str]) -> RawSQL:
    """Ids of the publications whose text holds every term (each of at least MIN_INDEXED characters), answered
    by the database's substring index."""
    if connection.vendor == "sqlite":
        # An FTS5 phrase of a trigram table is a substring match; phrases side by side must all match.
        phrase = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return RawSQL("SELECT rowid FROM publicity_search WHERE publicity_search MATCH %s", (phrase,))
    where = " AND ".join(["doc ILIKE %s"] * len(terms))
    return RawSQL(f"SELECT publication_id FROM publicity_search WHERE {where}", tuple(_like(t) for t in terms))


def _scan(term: str) -> Q:
    """One short term, matched by a plain scan of the fields the index holds."""
    return (Q(manuscript__title__icontains=term) | Q(manuscript__authors__icontains=term)
            | Q(outlet__name__icontains=term) | Q(manuscript__unit__name__icontains=term) | Q(url__icontains=term))


@dataclass(frozen=True)
class SearchResult:
    query: str
    terms: list[str]
    results: QuerySet
    year: int | None  # the year the results are limited to, if any
    note: str  # why the search was narrowed, or ""


def publication_search(*, user, query: str, year: int | None = None,
                       default_year: int | None = None) -> SearchResult:
    """The records `user` may see that match every word of `query`, newest first.

    `year` limits to one year when the user asks; `default_year` is the year a short-words-only search by
    somebody who sees every unit falls back to (a plain scan of 750,000 records is too slow for a search box)."""
    terms = terms_of(query)
    visible = Publication.objects.visible_to(user).select_related("manuscript__unit", "outlet")
    if not terms:
        return SearchResult(query=query, terms=[], results=visible.none(), year=year, note="")
    long_terms = [t for t in terms if len(t) >= MIN_INDEXED]
    short_terms = [t for t in terms if len(t) < MIN_INDEXED]
    results = visible
    note = ""
    if long_terms:
        results = results.filter(pk__in=indexed_ids(long_terms))
    elif year is None and roles.sees_all_units(user):
        year = default_year or datetime.date.today().year
        note = SHORT_ONLY_NOTE.format(scope=f"{year}年度的记录")
    elif year is None:
        note = SHORT_ONLY_NOTE.format(scope="本单位的记录")
    for term in short_terms:
        results = results.filter(_scan(term))
    if year is not None:
        results = results.in_year(year)
    return SearchResult(query=query, terms=terms, results=results.order_by("-published_on", "-id"), year=year,
                        note=note)
