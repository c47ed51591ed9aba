"""One search box (issue 15): every record by title, author, outlet, unit or link, within what the user may see.

Scoping is the one rule everybody uses, Publication.objects.visible_to(user): reviewers and leaders search every
unit and year, officers and unit heads their own unit. Matching is by substring, because Chinese has no spaces
between words: `indexed_match` is the one function that knows the databases (SQLite FTS5 trigram, PostgreSQL
pg_trgm; publicity/search_sql.py keeps the index). A trigram index needs three characters, so shorter words
(two-character names such as 王明 are common) are matched by reading each candidate's text: the narrowed set, or,
when every word is short, one year's records. Officers' and unit heads' searches read their own unit's records
that way whatever the words (a unit has a few thousand).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from core import roles
from publicity.models import Publication

MIN_INDEXED = 3  # a trigram index answers words of three or more characters
# Up to this many matches the query starts from them (look each up, sort); above, it walks the records newest
# first and tests each against the matches, which fills a page quickly when a word is common (bench/run.py).
FEW_MATCHES = 2000
MAX_TERMS = 5
MAX_TERM_LENGTH = 100
SHORT_ONLY_MESSAGE = ("检索词少于3个字，只在{scope}中逐条查找；输入3个字以上（如完整的人名、媒体名或标题片段）"
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


def matching_ids_sql(terms: list[str]) -> tuple[str, tuple]:
    """The one function that knows the databases: SQL selecting the ids of the publications whose text holds
    every term (each of at least MIN_INDEXED characters), answered by the substring index."""
    if connection.vendor == "sqlite":
        # An FTS5 phrase of a trigram table is a substring match; phrases side by side must all match.
        phrase = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return "SELECT rowid FROM publicity_search WHERE publicity_search MATCH %s", (phrase,)
    where = " AND ".join(["doc ILIKE %s"] * len(terms))
    return f"SELECT publication_id FROM publicity_search WHERE {where}", tuple(_like(t) for t in terms)


def indexed_match(terms: list[str], *, drives: bool) -> RawSQL:
    """The condition "the text holds every term" on publications.

    `drives`: the matches are where the query starts (few of them: look each up and sort). Otherwise the
    records are walked newest first along the date index and each is asked whether it is among the matches (a
    common word fills a page after a few hundred). The databases are told so in their own words: SQLite's unary
    + and PostgreSQL's IS TRUE keep the matches from being joined in, leaving them a set to test against."""
    sql, params = matching_ids_sql(terms)
    condition = f"publicity_publication.id IN ({sql})"
    if not drives:
        condition = f"+{condition}" if connection.vendor == "sqlite" else f"({condition}) IS TRUE"
    return RawSQL(condition, params, output_field=BooleanField())


def indexed_count(terms: list[str]) -> int:
    """How many records match, read from the index alone (exact: the triggers keep one row per record)."""
    sql, params = matching_ids_sql(terms)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS matches", params)
        return cursor.fetchone()[0]


def scanned_match(term: str) -> RawSQL:
    """The condition "the text holds `term`" for a word too short for the index: each candidate record's line
    in the index table is read by its id and searched (the caller narrows the candidates first)."""
    if connection.vendor == "sqlite":
        sql = ("EXISTS (SELECT 1 FROM publicity_search s WHERE s.rowid = publicity_publication.id"
               " AND instr(lower(s.doc), lower(%s)) > 0)")
        return RawSQL(sql, (term,), output_field=BooleanField())
    # A scalar subquery: read per candidate by its key, never turned into a join that reads the whole table.
    sql = "(SELECT s.doc FROM publicity_search s WHERE s.publication_id = publicity_publication.id) ILIKE %s"
    return RawSQL(sql, (_like(term),), output_field=BooleanField())


@dataclass(frozen=True)
class SearchResult:
    query: str
    terms: list[str]
    results: QuerySet  # ids ordering and count; search_page() fetches a page's rows
    year: int | None  # the year the results are limited to, if any
    note: str  # why the search was narrowed, or ""
    total: int | None = None  # the count, when the index already told it
    scanned: bool = False  # no index: one pass collects every match (count and page from one scan)


def publication_search(*, user, query: str, year: int | None = None,
                       default_year: int | None = None) -> SearchResult:
    """The records `user` may see that match every word of `query`, newest first.

    `year` limits to one year when the user asks; `default_year` is the year a short-words-only search by
    somebody who sees every unit falls back to (a plain scan of 750,000 records is too slow for a search box)."""
    terms = terms_of(query)
    visible = Publication.objects.visible_to(user)
    sees_all = roles.sees_all_units(user)
    if not terms:
        return SearchResult(query=query, terms=[], results=visible.none(), year=year, note="")
    long_terms = [t for t in terms if len(t) >= MIN_INDEXED]
    short_terms = [t for t in terms if len(t) < MIN_INDEXED]
    results = visible
    note = ""
    total = None
    if not sees_all:
        # One unit's records (a few thousand over the years): each is read and searched, every word alike. Asking
        # the index for every unit's matches first cost more (PostgreSQL 200 ms, SQLite 20 s before the + above).
        scanned_terms = terms
    elif long_terms:
        scanned_terms = short_terms
        if short_terms:
            drives = True
        elif year is None:
            total = indexed_count(long_terms)  # every match is visible
            drives = total <= FEW_MATCHES
        else:
            drives = False  # the year's records along the date index
        results = results.filter(indexed_match(long_terms, drives=drives))
    else:
        scanned_terms = short_terms
        if year is None:
            year = default_year or datetime.date.today().year
            note = SHORT_ONLY_MESSAGE.format(scope=f"{year}年度的记录")
    for term in scanned_terms:
        results = results.filter(scanned_match(term))
    if year is not None:
        results = results.in_year(year)
    return SearchResult(query=query, terms=terms, results=results.order_by("-published_on", "-id"), year=year,
                        note=note, total=total, scanned=not sees_all or not long_terms)


def search_page(found: SearchResult, number, *, per_page: int = 25) -> Page:
    """One page of results. The order and the count are taken from the publications alone and only the page's
    rows are joined with their manuscript, unit and outlet: sorting 37,000 matches of a common word with every
    join took 200 ms at province scale, without them a fifth of it."""
    ids = found.results.values_list("pk", flat=True)
    if found.scanned:
        ids = list(ids)
    elif found.total is not None:
        ids = _Counted(ids, found.total)
    page = Paginator(ids, per_page).get_page(number)
    rows = Publication.objects.select_related("manuscript__unit", "outlet").in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


class _Counted:
    """A queryset whose count is already known (Paginator asks count(), then slices)."""

    def __init__(self, queryset, total: int):
        self.queryset, self.total = queryset, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.queryset[index]
