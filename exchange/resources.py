"""The notice's two tables as django-import-export resources (DOMAIN §10).

How the notice's rules sit in the library's import workflow (`Resource.import_data`):

- the *format* (`exchange.formats.ExcelFormat`) turns the workbook into a plain grid of every visible sheet;
- `before_import` finds the header row by its column names, understands every cell through the resource's
  fields and widgets, and checks what only the whole file can tell (rows of one manuscript agree, no row is
  repeated, the years are open) — every error of the file at once, with row, column, value and reason. It then
  plans each row against what the database holds (a few queries per table, never one per row) and, when the
  file is clean and this is not a dry run, writes the manuscripts the publications need;
- the library's row loop then runs as usual: the *instance loader* returns the row's existing record, `init_instance`
  the planned new one, `import_instance` raises a row's errors (so the library reports the row invalid),
  `skip_row` skips unchanged rows — and every row when the file has any error, so that a bad file imports nothing;
- bulk mode writes the rows in batches (`bulk_create` through `exchange.bulk.bulk_insert`), and `after_import`
  writes what depends on them (quotas of new units) and the audit trail.

What the library cannot carry by itself: a detail row is a manuscript *and* a publication (one-row-one-instance
holds for the publication; the manuscripts are planned from the whole file and written in `before_import`), and
an allocation row is a unit *and* one quota per line (the quotas are written in `after_import`).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager, nullcontext
from functools import cached_property

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error

from core.text import normalize_name, title_key
from core.versions import scores_changed
from exchange import cells, reader
from exchange import widgets as w
from exchange.bulk import Builder
from exchange.formats import ExcelFormat
from exchange.report import FINE, HAS_ERROR, NEW, SKIPPED, UNCHANGED, UPDATED, ImportReport, PreviewRow, RowError
from publicity.models import Publication, Unit

BATCH_SIZE = 2000
KEY_CHUNK = 2000  # look-ups by a list of keys go in chunks: SQLite allows only so many parameters a statement

# --- The detail table (附件2 稿件明细表) --------------------------------------------------------

UNIT, TITLE, AUTHORS, OUTLET, KIND, PLACEMENT, CHARS, DATE, TOPIC, URL, REF, STATUS = (
    "单位", "标题", "作者", "媒体", "稿件类型", "版面", "字数", "发表日期", "专项", "链接", "稿件编号", "审核状态")
# DOMAIN §11: an optional column linking a research article to one of its unit's research topics (by title).
RESEARCH_TOPIC = "调研专题"
ARTICLE_HEADERS = (UNIT, TITLE, AUTHORS, OUTLET, KIND, PLACEMENT, CHARS, DATE, TOPIC, URL, REF)
ARTICLE_REQUIRED = (UNIT, TITLE, OUTLET, DATE)

DUPLICATE_ROW_MESSAGE = "与第{other}行是同一条刊发记录（同一稿件、媒体和发表日期），请删除重复的一行"
GROUP_FIELD_MESSAGE = "与第{other}行属于同一篇稿件，但{column}不同（第{other}行为“{value}”）"
NOT_APPROVED_SKIP_MESSAGE = "审核状态为“{status}”：只导入已通过的记录，这一行未导入"
IN_REVIEW_SKIP_MESSAGE = "系统中这条记录为“{status}”，导入不改动审核中的记录"
OWN_UNIT_SUBMITTED_MESSAGE = "本单位（{unit}）的记录不能由本人审核，已作为待审核记录提交，由其他审核员审核"
IN_REVIEW_MANUSCRIPT_SKIP_MESSAGE = "这篇稿件有审核中的刊发记录，导入不改动稿件的作者、类型和专项"
OWN_UNIT_SKIP_MESSAGE = "本单位（{unit}）已通过的记录不能由本人通过导入修改，请由其他审核员处理"
UNKNOWN_RESEARCH_TOPIC_MESSAGE = "{unit}没有填报这个调研专题，请填写本单位已填报的专题名称（或留空）"
RESEARCH_TOPIC_KIND_MESSAGE = "只有调研文章可以关联调研专题，请把稿件类型填为“调研”或清空调研专题"


# What planning reads of existing records (not their timestamps: converting those costs more than the rest).
MANUSCRIPT_FIELDS = ("id", "unit_id", "title", "title_key", "ref", "authors", "kind", "special_topic",
                     "research_topic_id")
PUBLICATION_FIELDS = ("id", "manuscript_id", "outlet_id", "published_on", "status", "title", "front_headline", "page",
                      "char_count", "url")


@contextmanager
def paused_cyclic_gc():
    """An import builds a few hundred thousand objects that all live until it ends; CPython's cyclic collector
    then runs again and again over them (a third of a 50,000-row import, bench/). Nothing an import builds is
    cyclic garbage, so the collector is paused for the import and resumed after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(items: list, size: int = KEY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class PlanLoader(BaseInstanceLoader):
    """The row's existing record, as planned in `before_import` (one look-up per table, not per row)."""

    def get_instance(self, row):
        planned = self.resource.planned.get(row.get(reader.ROW))
        return planned.existing if planned else None


class _Planned:
    __slots__ = ("action", "errors", "existing", "new", "note", "number", "values")

    def __init__(self, number: int, values: dict):
        self.number, self.values = number, values
        self.errors: list[RowError] = []
        self.existing = None  # the record the row matches
        self.new = None  # the record the row creates
        self.action = ""
        self.note = ""


class TableResource(resources.ModelResource):
    """A table typed by hand: header found by name, every error at once, a bad file imports nothing."""

    headers: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        report_skipped = True
        use_transactions = True
        import_id_fields = ()
        instance_loader_class = PlanLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.planned: dict[int, _Planned] = {}
        self.report: ImportReport | None = None
        self.by_column = {field.column_name: field for field in self.fields.values()}

    @cached_property
    def cleaners(self) -> dict:
        """Each column's widget `clean`, looked up once (they run for every cell)."""
        return {column: field.widget.clean for column, field in self.by_column.items()}

    # --- the library's hooks --------------------------------------------------------------------

    def get_import_id_fields(self):
        return []

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # before_import is told neither whether this is a dry run nor (in the admin) who acts as `actor`.
        self.dry_run = dry_run
        kwargs.setdefault("actor", kwargs.get("user"))
        with paused_cyclic_gc():
            return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors,
                                       use_transactions=use_transactions, collect_failed_rows=collect_failed_rows,
                                       rollback_on_validation_errors=rollback_on_validation_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        dry_run = self.dry_run
        self.report = ImportReport(headers=[], rows=[], errors=[], dry_run=dry_run)
        try:
            table = self.table_of(dataset)
        except reader.ExcelReadError as exc:
            self.report.errors.append(RowError(0, "", "", str(exc)))
            dataset.wipe()
            return
        self.report.headers = table.headers
        self.report.rows = [PreviewRow(number=number, raw=values, headers=table.headers)
                            for number, values in table.rows]
        self.planned = {number: _Planned(number, values) for number, values in table.rows}
        self.plan(table, **kwargs)
        self._mark_rows()
        if self.report.ok and not dry_run:
            self.write_before_rows(**kwargs)
        if not dataset.headers or dataset.headers[0] != reader.ROW:
            # A script's dataset: the library loops over the table's rows, each carrying its row number.
            dataset.wipe()
            dataset.headers = [reader.ROW, *table.headers]
            dataset.extend([number, *(values.get(h) for h in table.headers)] for number, values in table.rows)

    def init_instance(self, row=None):
        return self.planned[row[reader.ROW]].new

    def import_instance(self, instance, row, **kwargs):
        planned = self.planned[row[reader.ROW]]
        if planned.errors:
            raise ValidationError({self._field_name(e.column): [str(e)] for e in planned.errors})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False  # the library then reports the row invalid
        if not self.report.ok:
            return True  # a file with any bad row imports nothing
        return self.planned[row[reader.ROW]].action in (UNCHANGED, SKIPPED)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.report.ok:
            self.create_instances.clear()
            return
        from exchange.bulk import bulk_insert

        try:
            with self.inserting():
                bulk_insert(self._meta.model, self.create_instances)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

    def inserting(self):
        """Around each batch of inserts: what the database should do differently when rows come in thousands."""
        return nullcontext()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.report.ok:
            self.update_instances.clear()
            return
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    def after_import(self, dataset, result, **kwargs):
        result.report = self.report
        for error in self.report.file_errors:  # so that the library, too, knows the file failed
            result.append_base_error(Error(str(error)))
        if self.report.ok and not self.dry_run and not result.has_errors():
            self.write_after_rows(**kwargs)
            scores_changed()  # issue 17: open years' cached dashboard and bulletin are rendered anew

    # --- for subclasses -------------------------------------------------------------------------

    def table_headers(self) -> tuple[str, ...]:
        return self.headers

    def import_format(self) -> type[ExcelFormat]:
        """The Excel format that finds this table in a workbook (`exchange.formats`)."""
        return ExcelFormat.for_table(self.table_headers(), self.required)

    def table_of(self, dataset: tablib.Dataset) -> reader.Table:
        """The table of a clean dataset: from ExcelFormat (行号 first), or a script's rows (numbered from 2)."""
        self.datemode = getattr(dataset, "datemode", 0)
        if dataset.headers and dataset.headers[0] == reader.ROW:
            names = dataset.headers[1:]
            table = reader.Table(headers=list(names), header_row=1)
            table.rows = [(row[0], dict(zip(names, row[1:], strict=True))) for row in dataset]
            return table
        wanted = {cells.header_key(h): h for h in self.table_headers()}
        names = [wanted.get(cells.header_key(h)) for h in dataset.headers or []]
        table = reader.Table(headers=[n for n in names if n], header_row=1)
        for number, row in enumerate(dataset, start=2):
            values = {n: reader._tidy(v) for n, v in zip(names, row, strict=False) if n}
            if any(v is not None for v in values.values()):
                table.rows.append((number, values))
        missing = [h for h in self.required if h not in table.headers]
        if missing:
            raise reader.ExcelReadError("；".join(reader.MISSING_HEADER_MESSAGE.format(header=h) for h in missing))
        if not table.rows:
            raise reader.ExcelReadError(reader.EMPTY_TABLE_MESSAGE)
        return table

    def plan(self, table: reader.Table, **kwargs) -> None:
        raise NotImplementedError

    def write_before_rows(self, **kwargs) -> None:
        """Writes the rows depend on (manuscripts of new publications)."""

    def write_after_rows(self, **kwargs) -> None:
        """Writes that depend on the rows (quotas of new units) and the audit trail."""

    def error(self, number: int, column: str, value, reason: str) -> None:
        error = RowError(number, column, value if isinstance(value, str) else cells.display(value), reason)
        self.report.errors.append(error)
        if number in self.planned:
            self.planned[number].errors.append(error)

    def parse_row(self, planned: _Planned, columns: Iterable[str]) -> dict | None:
        """Every cell of the row through its field's widget; None when any cell is wrong."""
        parsed, failed = {}, False
        values, required, cleaners = planned.values, self.required, self.cleaners
        for column in columns:
            value = values.get(column)
            if value is None and column in required:
                self.error(planned.number, column, "", cells.REQUIRED_MESSAGE)
                failed = True
                continue
            try:
                parsed[column] = cleaners[column](value)
            except cells.CellError as exc:
                self.error(planned.number, column, value, str(exc))
                failed = True
        return None if failed else parsed

    def _field_name(self, column: str) -> str:
        field = self.by_column.get(column)
        return self.get_field_name(field) if field is not None else "__all__"

    def _mark_rows(self) -> None:
        has_errors = not self.report.ok
        for row in self.report.rows:
            planned = self.planned[row.number]
            row.errors, row.note = planned.errors, planned.note
            row.action = (HAS_ERROR if planned.errors else FINE) if has_errors else planned.action
            if not has_errors:
                self.report.count(planned.action)


def _actor_unit_if_reviewer(actor):
    """The unit of an importing reviewer: rows of that unit are never approved by the import (issue 19)."""
    from core import roles

    if actor is None or not getattr(actor, "is_authenticated", False) or not roles.is_reviewer(actor):
        return None
    return roles.unit_of(actor)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


class ArticleResource(TableResource):
    """附件2 稿件明细表: one row is one publication of a manuscript (一稿多投: one row per outlet).

    A manuscript is identified by its 稿件编号 within the unit — rows sharing it are one manuscript even when
    their titles differ (the manuscript keeps the first row's title, each publication the title it appeared
    under) — else by unit + title compared through `core.text.title_key`. A publication is identified by its
    manuscript + outlet + date. Re-importing a file changes nothing; a new row is approved (a reviewer's tool)
    unless its 审核状态 says otherwise (then it is skipped) or it belongs to the importing reviewer's own unit
    (then it is submitted for another reviewer); a row matching an existing record never changes its status.
    """

    headers = (*ARTICLE_HEADERS, RESEARCH_TOPIC, STATUS)
    required = ARTICLE_REQUIRED

    unit = fields.Field(attribute="manuscript__unit__name", column_name=UNIT, widget=w.UnitWidget())
    title = fields.Field(attribute="shown_title", column_name=TITLE, widget=w.TextWidget(max_length=300))
    authors = fields.Field(attribute="manuscript__authors", column_name=AUTHORS, widget=w.AuthorsWidget())
    outlet = fields.Field(attribute="outlet__name", column_name=OUTLET, widget=w.OutletWidget())
    kind = fields.Field(attribute="manuscript__kind", column_name=KIND, widget=w.kind_widget())
    placement = fields.Field(attribute="placement", column_name=PLACEMENT, widget=w.PlacementWidget())
    char_count = fields.Field(attribute="char_count", column_name=CHARS, widget=w.CountWidget())
    published_on = fields.Field(attribute="published_on", column_name=DATE, widget=w.ExcelDateWidget())
    special_topic = fields.Field(attribute="manuscript__special_topic", column_name=TOPIC, widget=w.topic_widget())
    url = fields.Field(attribute="url", column_name=URL, widget=w.UrlWidget())
    ref = fields.Field(attribute="manuscript__ref", column_name=REF, widget=w.CodeWidget(max_length=50))
    research_topic = fields.Field(attribute="manuscript__research_topic__title", column_name=RESEARCH_TOPIC,
                                  widget=w.TextWidget(max_length=200))
    status = fields.Field(attribute="status", column_name=STATUS, widget=w.status_widget())

    class Meta:
        model = Publication
        fields = ("unit", "title", "authors", "outlet", "kind", "placement", "char_count", "published_on",
                  "special_topic", "url", "ref", "research_topic", "status")

    def get_bulk_update_fields(self):
        return ["title", "front_headline", "page", "char_count", "url", "updated_at"]

    def save_m2m(self, instance, row, **kwargs):
        """A detail row has no many-to-many values (and this runs once per row)."""

    # --- planning -------------------------------------------------------------------------------

    def plan(self, table, *, actor=None, **kwargs):
        from publicity.models import Manuscript, Publication, Status

        self.actor = actor
        self.present = set(table.headers)
        self.by_column[DATE].widget.datemode = getattr(self, "datemode", 0)
        columns = [h for h in self.headers if h in self.present]
        articles = []
        for planned in self.planned.values():
            parsed = self.parse_row(planned, columns)
            if parsed is not None:
                planned.values = parsed
                articles.append(planned)
        groups = self._groups(articles)
        topics = self._research_topics(groups) if RESEARCH_TOPIC in self.present else {}
        if not self.report.ok:
            return
        manuscripts, publications = self._existing(groups)
        own_unit = _actor_unit_if_reviewer(actor)
        now = timezone.now()
        user = _user(actor)
        user_id = getattr(user, "pk", None)
        new_manuscript, self.new_publication = Builder(Manuscript), Builder(Publication)
        self.new_manuscripts: list[Manuscript] = []
        self.changed_manuscripts: list[Manuscript] = []
        self.own_unit_submitted = 0
        by_ref, by_key, by_key_unnumbered = manuscripts
        for (unit_id, how, value), group in groups.items():
            first = group[0].values
            if how == "ref":
                # A numbered manuscript adopts an unnumbered one of the same title (a file numbered later).
                manuscript = by_ref.get((unit_id, value)) or by_key_unnumbered.get((unit_id, first["_key"]))
            else:
                manuscript = by_key_unnumbered.get((unit_id, value)) or by_key.get((unit_id, value))
            wanted = {}
            if AUTHORS in self.present:
                wanted["authors"] = next((a.values[AUTHORS] for a in group if a.values[AUTHORS]), "")
            if KIND in self.present:
                wanted["kind"] = first[KIND]
            if TOPIC in self.present:
                wanted["special_topic"] = first[TOPIC]
            if RESEARCH_TOPIC in self.present:
                wanted["research_topic_id"] = topics.get((unit_id, how, value))
                kind = wanted.get("kind") or (manuscript.kind if manuscript is not None else w.DEFAULT_KIND)
                if wanted["research_topic_id"] is not None and kind != "research":
                    for planned in group:
                        self.error(planned.number, RESEARCH_TOPIC, planned.values[RESEARCH_TOPIC],
                                   RESEARCH_TOPIC_KIND_MESSAGE)
                    continue
            if how == "ref":
                wanted["ref"] = value
            blocked = ""
            if manuscript is None:
                manuscript = new_manuscript(unit=first[UNIT], title=first[TITLE], title_key=first["_key"],
                                            created_by_id=user_id, **wanted)
                self.new_manuscripts.append(manuscript)
                manuscript_changed = True
            elif _differs(manuscript, wanted):
                # The manuscript belongs to all its publications: the import changes it only where every one of
                # them is approved, and never for the importing reviewer's own unit.
                if any(p.status != Status.APPROVED for p in publications.of(manuscript.pk)):
                    blocked = IN_REVIEW_MANUSCRIPT_SKIP_MESSAGE
                elif own_unit is not None and first[UNIT].pk == own_unit.pk:
                    blocked = OWN_UNIT_SKIP_MESSAGE.format(unit=own_unit.name)
                manuscript_changed = not blocked and _assign(manuscript, wanted)
                if manuscript_changed:
                    self.changed_manuscripts.append(manuscript)
            else:
                manuscript_changed = False
            for planned in group:
                self._plan_publication(planned, manuscript, manuscript_changed, publications, own_unit, now, user,
                                       Publication, Status)
                if blocked and planned.action in (UNCHANGED, UPDATED):
                    planned.action, planned.note = SKIPPED, blocked
        self._check_years()
        self.report.extra["新增稿件"] = len(self.new_manuscripts)

    def _research_topics(self, groups) -> dict:
        """Each manuscript's research topic id from its rows' 调研专题 (DOMAIN §11): the unit's topic of that title
        (compared through core.text.title_key), of the row's year where the unit filed it in several (an article
        may also finish last year's topic). One query for the whole file."""
        from publicity.models import ResearchTopic

        unit_ids = sorted({unit_id for unit_id, _how, _value in groups})
        known: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        for chunk in _chunks(unit_ids):
            for pk, unit_id, year, key in (ResearchTopic.objects.filter(unit_id__in=chunk)
                                           .values_list("pk", "unit_id", "year", "title_key")):
                known[(unit_id, key)].append((year, pk))
        found = {}
        for group_key, group in groups.items():
            first = group[0]
            text = first.values.get(RESEARCH_TOPIC)
            if not text:
                continue
            year = first.values[DATE].year
            candidates = known.get((group_key[0], title_key(text)))
            if candidates:
                # The row's year first, then the latest earlier year, then the nearest later one.
                found[group_key] = min(candidates, key=lambda c: (c[0] > year, abs(year - c[0])))[1]
            else:
                for planned in group:
                    self.error(planned.number, RESEARCH_TOPIC, planned.values[RESEARCH_TOPIC],
                               UNKNOWN_RESEARCH_TOPIC_MESSAGE.format(unit=first.values[UNIT].name))
        return found

    def _groups(self, articles) -> dict:
        """Rows of one manuscript, in file order; rows of one manuscript agree on its kind and topic."""
        groups: dict[tuple, list] = defaultdict(list)
        seen: dict[tuple, int] = {}
        for planned in articles:
            v = planned.values
            v["_key"] = title_key(v[TITLE])
            key = (v[UNIT].pk, "ref", v[REF]) if v.get(REF) else (v[UNIT].pk, "title", v["_key"])
            identity = (key, v[OUTLET].pk, v[DATE])
            if identity in seen:
                self.error(planned.number, TITLE, v[TITLE], DUPLICATE_ROW_MESSAGE.format(other=seen[identity]))
                continue
            seen[identity] = planned.number
            group = groups[key]
            if group:
                first = group[0]
                for column in (KIND, TOPIC, RESEARCH_TOPIC):
                    if column in self.present and _group_value(column, first.values) != _group_value(column, v):
                        widget = self.by_column[column].widget
                        self.error(planned.number, column, widget.render(v[column]) or "（空）",
                                   GROUP_FIELD_MESSAGE.format(other=first.number, column=column,
                                                              value=widget.render(first.values[column]) or "无"))
                        break
                else:
                    group.append(planned)
                continue
            group.append(planned)
        return groups

    def _existing(self, groups):
        """The manuscripts the file may name and their publications: a query per chunk of keys, not per row."""
        from publicity.models import Manuscript, Publication

        refs, keys = set(), set()
        for (_unit_id, how, value), group in groups.items():
            if how == "ref":
                refs.add(value)
                keys.add(group[0].values["_key"])
            else:
                keys.add(value)
        unit_ids = sorted({unit_id for unit_id, _how, _value in groups})
        found: dict[int, Manuscript] = {}
        # A key of one unit may match another unit's manuscript here; the look-ups below are by (unit, key).
        for name, values in (("ref", sorted(refs)), ("title_key", sorted(keys))):
            for chunk in _chunks(values):
                manuscripts = (Manuscript.objects.filter(unit_id__in=unit_ids, **{f"{name}__in": chunk})
                               .only(*MANUSCRIPT_FIELDS))
                found.update((m.pk, m) for m in manuscripts)
        by_ref, by_key, by_key_unnumbered = {}, {}, {}
        for m in sorted(found.values(), key=lambda m: m.pk):
            if m.ref:
                by_ref[(m.unit_id, m.ref)] = m
            by_key.setdefault((m.unit_id, m.title_key), m)
            if not m.ref:
                by_key_unnumbered.setdefault((m.unit_id, m.title_key), m)
        publications = _Publications()
        for chunk in _chunks(sorted(found)):
            for p in Publication.objects.filter(manuscript_id__in=chunk).only(*PUBLICATION_FIELDS):
                publications.add(p)
        return (by_ref, by_key, by_key_unnumbered), publications

    def _plan_publication(self, planned, manuscript, manuscript_changed, publications, own_unit, now, user,
                          Publication, Status):
        v = planned.values
        shown = "" if v["_key"] == manuscript.title_key else v[TITLE]
        existing = publications.get((manuscript.pk, v[OUTLET].pk, v[DATE])) if manuscript.pk else None
        wanted = {"title": shown}
        if PLACEMENT in self.present:
            wanted["front_headline"], wanted["page"] = v[PLACEMENT]
        if CHARS in self.present:
            wanted["char_count"] = v[CHARS]
        if URL in self.present:
            wanted["url"] = v[URL]
        unit = v[UNIT]
        if existing is None:
            status = v.get(STATUS)
            if status not in (None, Status.APPROVED):
                planned.action, planned.note = SKIPPED, NOT_APPROVED_SKIP_MESSAGE.format(status=Status(status).label)
                return
            fields_ = {"front_headline": False, "page": "", **wanted}
            user_id = getattr(user, "pk", None)
            if own_unit is not None and unit.pk == own_unit.pk:
                planned.new = self.new_publication(manuscript=manuscript, outlet=v[OUTLET], published_on=v[DATE],
                                                   status=Status.SUBMITTED, submitted_at=now, created_by_id=user_id,
                                                   **fields_)
                planned.note = OWN_UNIT_SUBMITTED_MESSAGE.format(unit=unit.name)
                self.own_unit_submitted += 1
            else:
                planned.new = self.new_publication(manuscript=manuscript, outlet=v[OUTLET], published_on=v[DATE],
                                                   status=Status.APPROVED, reviewer_id=user_id, reviewed_at=now,
                                                   created_by_id=user_id, **fields_)
            planned.action = NEW
            return
        planned.existing = existing
        existing.manuscript, existing.outlet = manuscript, v[OUTLET]  # known already: no query per row
        if not _differs(existing, wanted) and not manuscript_changed:
            planned.action = UNCHANGED
        elif existing.status != Status.APPROVED:
            planned.action, planned.note = SKIPPED, IN_REVIEW_SKIP_MESSAGE.format(status=existing.get_status_display())
        elif own_unit is not None and unit.pk == own_unit.pk:
            planned.action, planned.note = SKIPPED, OWN_UNIT_SKIP_MESSAGE.format(unit=unit.name)
        else:
            _assign(existing, wanted)
            existing.updated_at = now
            planned.action = UPDATED

    def _check_years(self) -> None:
        """A closed year's records change only after the year is reopened (DOMAIN §9): rows that would write
        into one are errors; unchanged rows of a closed year (a round trip of its export) are fine. A changed
        manuscript touches every year in which it has a publication (issue 19)."""
        from core.yearlock import year_lock_check
        from publicity.models import Publication

        writing = [p for p in self.planned.values() if p.action in (NEW, UPDATED)]
        years = {p.values[DATE].year for p in writing}
        changed_ids = [m.pk for m in self.changed_manuscripts]
        manuscript_years = defaultdict(set)
        for chunk in _chunks(changed_ids):
            for manuscript_id, date in (Publication.objects.filter(manuscript_id__in=chunk)
                                        .values_list("manuscript_id", "published_on")):
                manuscript_years[manuscript_id].add(date.year)
        years |= {y for ys in manuscript_years.values() for y in ys}
        try:
            year_lock_check(year=years)
        except ValidationError:
            closed = {y for y in years if _is_closed(y)}
            for planned in writing:
                v = planned.values
                manuscript = planned.new.manuscript if planned.new else planned.existing.manuscript
                touched = {v[DATE].year} | manuscript_years.get(manuscript.pk, set())
                if touched & closed:
                    try:
                        year_lock_check(year=touched & closed)
                    except ValidationError as exc:
                        self.error(planned.number, DATE, v[DATE].isoformat(), exc.messages[0])

    # --- writing --------------------------------------------------------------------------------

    def inserting(self):
        from django.db import connections, router

        from publicity.search_sql import indexed_in_bulk

        return indexed_in_bulk(connections[router.db_for_write(Publication)])

    def write_before_rows(self, **kwargs):
        from exchange.bulk import bulk_insert
        from publicity.models import Manuscript

        bulk_insert(Manuscript, self.new_manuscripts, return_ids=True)
        now = timezone.now()
        for manuscript in self.changed_manuscripts:
            manuscript.updated_at = now
        Manuscript.objects.bulk_update(self.changed_manuscripts, ["authors", "kind", "special_topic", "ref",
                                                                  "research_topic", "updated_at"], batch_size=500)

    def write_after_rows(self, *, actor=None, file_name="", **kwargs):
        from core.audit import audit_record

        report = self.report
        audit_record(actor=actor, action="articles_import", target="publicity.publication",
                     summary=f"导入稿件明细表{file_name and '「' + file_name + '」'}：{report.summary()}",
                     after={"file": file_name, "created": report.created, "updated": report.updated,
                            "unchanged": report.unchanged, "skipped": report.skipped,
                            "manuscripts_created": len(self.new_manuscripts),
                            "submitted_for_review": self.own_unit_submitted})
        if self.own_unit_submitted:
            _notify_other_reviewers(actor, self.own_unit_submitted)

    # --- export ---------------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        """The detail table of `queryset` in exactly the import's layout (plain values, one query, no model
        instances: 50,000 rows in about a second). 审核状态 is written when any record is not approved, so that
        re-importing the file never turns a draft into an approved record."""
        from publicity.models import Publication, Status

        queryset = Publication.objects.all() if queryset is None else queryset
        with_status = queryset.exclude(status=Status.APPROVED).exists()
        names = [name for name in self.get_export_order() if with_status or name != "status"]
        queryset = (queryset.annotate(
            placement=Case(When(front_headline=True, then=Value(w.FRONT_HEADLINE)), default=F("page")),
            shown_title=Coalesce(NullIf(F("title"), Value("")), F("manuscript__title")))
            .order_by("manuscript__unit__kind", "manuscript__unit__sort_order", "manuscript__unit__name",
                      "published_on", "pk"))
        chosen = [self.fields[name] for name in names]
        values = list(queryset.values_list(*(f.attribute for f in chosen)))
        # 调研专题 only when an exported article is linked to a topic (DOMAIN §11), read in the same query:
        # re-importing the file then keeps the links, and a table without any stays the notice's 附件2.
        topic = names.index("research_topic")
        if not any(row[topic] for row in values):
            del chosen[topic]
            values = [row[:topic] + row[topic + 1:] for row in values]
        dataset = tablib.Dataset(headers=[f.column_name for f in chosen], title="稿件明细表")
        renders = [f.widget.render for f in chosen]
        for row in values:
            dataset.append([render(value) for render, value in zip(renders, row, strict=True)])
        return dataset


class _Publications(dict):
    """Existing publications by identity (manuscript, outlet, date), and by manuscript."""

    def __init__(self):
        super().__init__()
        self.by_manuscript: dict[int, list] = defaultdict(list)

    def add(self, publication) -> None:
        self[(publication.manuscript_id, publication.outlet_id, publication.published_on)] = publication
        self.by_manuscript[publication.manuscript_id].append(publication)

    def of(self, manuscript_id: int) -> list:
        return self.by_manuscript.get(manuscript_id, [])


def _group_value(column: str, values: dict):
    """What rows of one manuscript must agree on; a research topic's title as core.text.title_key compares it."""
    value = values.get(column)
    return title_key(value or "") if column == RESEARCH_TOPIC else value


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _assign(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _is_closed(year: int) -> bool:
    from core.yearlock import year_is_closed

    return year_is_closed(year)


def _notify_other_reviewers(actor, count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from core import roles
    from publicity.services import notification_send

    reviewers = (get_user_model().objects.filter(groups__name=roles.REVIEWER, is_active=True)
                 .exclude(pk=getattr(actor, "pk", None)).distinct())
    notification_send(users=reviewers, link=reverse("portal:review_queue"),
                      text=f"{actor}导入了 {count} 条本单位刊发记录，待其他审核员审核")


# --- The allocation table (附件1 任务分解表) -------------------------------------------------------

UNIT_KIND = "单位类型"
LINES_COLUMN = "任务项"
NEW_UNIT_NEEDS_KIND_MESSAGE = "系统中还没有这个单位，新单位须填写单位类型（县区、机关科室 或 局属单位）"
UNIT_KIND_MISMATCH_MESSAGE = "与系统中该单位的类型“{kind}”不一致；如需更改单位类型，请在后台修改"
DUPLICATE_UNIT_MESSAGE = "与第{other}行是同一个单位，每个单位只能占一行"
NO_LINE_COLUMNS_MESSAGE = "表头中没有任何任务项列，任务项列的列名应为：{labels}"
YEAR_COLUMN = "年度"


class AllocationResource(TableResource):
    """附件1 任务分解表 for one year: one row per unit, one column per quota line (headed with its label).

    The line columns present in the file define the unit's lines: an empty cell removes that line for the
    year, a line whose column is absent is left as it is. Unknown units are created (with their 单位类型). D1
    (lines nest or are disjoint) is checked per unit on the lines it ends up with.
    """

    required = (UNIT,)

    unit = fields.Field(attribute="name", column_name=UNIT, widget=w.TextWidget(max_length=100))
    kind = fields.Field(attribute="kind", column_name=UNIT_KIND, widget=w.unit_kind_widget())

    class Meta:
        model = Unit
        fields = ("unit", "kind")

    def __init__(self, **kwargs):
        from scoring.models import QuotaLine

        super().__init__(**kwargs)
        self.lines = list(QuotaLine.objects.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = fields.Field(attribute=None, column_name=line.label,
                                                          widget=w.QuotaCountWidget())
        self.by_column = {field.column_name: field for field in self.fields.values()}

    def table_headers(self):
        return (UNIT, UNIT_KIND, *(line.label for line in self.lines))

    def get_export_order(self):
        return ("unit", "kind", *(f"line_{line.pk}" for line in self.lines))

    def plan(self, table, *, year=None, **kwargs):
        from core.yearlock import year_lock_check
        from publicity.models import Unit
        from scoring.models import Quota
        from scoring.quotas import check_lines_nest

        self.year = year
        by_label = {line.label: line for line in self.lines}
        columns = [by_label[h] for h in table.headers if h in by_label]
        if not columns:
            self.error(0, "", "", NO_LINE_COLUMNS_MESSAGE.format(labels="、".join(by_label)))
        try:
            year_lock_check(year=year)
        except ValidationError as exc:
            self.error(0, "", str(year), exc.messages[0])
        if not self.report.ok:
            return
        units = {normalize_name(unit.name): unit for unit in Unit.objects.all()}
        existing = {(q.unit_id, q.line_id): q for q in Quota.objects.filter(year=year)}
        absent = {line.pk for line in self.lines} - {line.pk for line in columns}
        kept = defaultdict(list)  # lines of columns the file does not have stay as they are
        for unit_id, line_id in existing:
            if line_id in absent:
                kept[unit_id].append(next(line for line in self.lines if line.pk == line_id))
        seen: dict[str, int] = {}
        self.new_units, self.new_quotas, self.changed_quotas, self.gone_quotas = [], [], [], []
        for planned in self.planned.values():
            # A unit named twice is reported even when its rows have other errors too.
            name = cells.plain_text(planned.values.get(UNIT))
            key = normalize_name(name)
            duplicate = key in seen
            if duplicate:
                self.error(planned.number, UNIT, name, DUPLICATE_UNIT_MESSAGE.format(other=seen[key]))
            elif key:
                seen[key] = planned.number
            parsed = self.parse_row(planned, [h for h in table.headers if h in self.by_column and h != UNIT]
                                    if duplicate else [h for h in table.headers if h in self.by_column])
            if parsed is None or duplicate:
                continue
            name = parsed[UNIT]
            unit, kind = units.get(key), parsed.get(UNIT_KIND)
            if unit is None and kind is None:
                self.error(planned.number, UNIT_KIND, planned.values.get(UNIT_KIND) or "", NEW_UNIT_NEEDS_KIND_MESSAGE)
                continue
            if unit is not None and kind is not None and kind != unit.kind:
                self.error(planned.number, UNIT_KIND, planned.values.get(UNIT_KIND),
                           UNIT_KIND_MISMATCH_MESSAGE.format(kind=unit.get_kind_display()))
                continue
            counts = {line: parsed[line.label] for line in columns}
            chosen = [line for line, count in counts.items() if count is not None]
            chosen += kept.get(unit.pk, []) if unit is not None else []
            try:
                check_lines_nest(chosen)
            except ValidationError as exc:
                self.error(planned.number, LINES_COLUMN, "、".join(line.label for line in chosen),
                           exc.messages[0])
                continue
            if unit is None:
                unit = Unit(name=name, kind=kind)
                self.new_units.append(unit)
                planned.new, planned.action = unit, NEW
            else:
                planned.existing = unit
            changed = False
            for line, count in counts.items():
                quota = existing.get((unit.pk, line.pk)) if unit.pk else None
                if quota is None and count is not None:
                    self.new_quotas.append(Quota(unit=unit, line=line, year=year, count=count))
                    changed = True
                elif quota is not None and count is None:
                    self.gone_quotas.append(quota.pk)
                    changed = True
                elif quota is not None and quota.count != count:
                    quota.count = count
                    self.changed_quotas.append(quota)
                    changed = True
            if unit.pk is not None:
                # The unit row itself is unchanged; its quotas are written after the rows (they need new units).
                planned.action = UPDATED if changed else UNCHANGED
        self.report.extra["新增单位"] = len(self.new_units)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if not self.report.ok:
            return True
        return self.planned[row[reader.ROW]].action != NEW  # only new units are rows to save

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.report.ok:
            self.create_instances.clear()
            return
        from publicity.models import Unit

        try:
            Unit.objects.bulk_create(self.create_instances)  # a few units; their keys are needed for quotas
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

    def write_after_rows(self, *, actor=None, file_name="", **kwargs):
        from core.audit import audit_record
        from scoring.models import Quota

        for quota in self.new_quotas:
            quota.unit_id = quota.unit.pk
        Quota.objects.bulk_create(self.new_quotas, batch_size=500)
        Quota.objects.bulk_update(self.changed_quotas, ["count"], batch_size=500)
        if self.gone_quotas:
            Quota.objects.filter(pk__in=self.gone_quotas).delete()
        report = self.report
        audit_record(actor=actor, action="quotas_import", target="scoring.quota",
                     summary=f"导入{self.year}年任务分解表{file_name and '「' + file_name + '」'}：{report.summary()}",
                     after={"file": file_name, "year": self.year, "units_created": [u.name for u in self.new_units],
                            "quotas_created": len(self.new_quotas), "quotas_changed": len(self.changed_quotas),
                            "quotas_removed": len(self.gone_quotas)})

    def export(self, queryset=None, **kwargs):
        """The allocation table of the given quotas: one row per unit (and year, when several are given);
        re-importing it for its year changes nothing."""
        from scoring.models import Quota

        queryset = Quota.objects.all() if queryset is None else queryset
        rows: dict[tuple, dict] = {}
        for year, unit_name, kind, line_id, count in (
                queryset.order_by("-year", "unit__kind", "unit__sort_order", "unit__name")
                .values_list("year", "unit__name", "unit__kind", "line_id", "count")):
            rows.setdefault((year, unit_name), {"kind": kind})[line_id] = count
        years = sorted({year for year, _ in rows}, reverse=True)
        headers = ([YEAR_COLUMN] if len(years) > 1 else []) + [UNIT, UNIT_KIND, *(line.label for line in self.lines)]
        dataset = tablib.Dataset(headers=headers, title=f"{years[0]}年任务分解表" if len(years) == 1 else "任务分解表")
        for (year, unit_name), counts in rows.items():
            dataset.append(([year] if len(years) > 1 else []) + [unit_name, w.UNIT_KIND_LABELS[counts["kind"]],
                                                                 *(counts.get(line.pk) for line in self.lines)])
        return dataset
