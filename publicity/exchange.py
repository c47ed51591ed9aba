"""Excel exchange with the units (DOMAIN.md §10): importing and exporting the detail table (附件2)
and the allocation table (附件1).

Imports validate the whole file first: any row that cannot be understood means nothing is written,
and every error of the file is reported at once (row as Excel numbers it, column, value, reason).
Look-ups are cached and writes batched, so the number of queries does not grow with the rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from publicity import excel
from publicity.audit import audit_record
from publicity.models import Manuscript, Outlet, Publication, Quota, QuotaLine, Status, Unit
from publicity.quotas import check_lines_nest
from publicity.text import normalize_name
from rewards.rates import parse_authors
from scoring import rules
from scoring.pagecache import scores_changed
from scoring.services import year_lock_check

BATCH_SIZE = 500

# --- The detail table (附件2 稿件明细表) --------------------------------------------------------

UNIT, TITLE, AUTHORS, OUTLET, KIND, PLACEMENT, CHARS, DATE, TOPIC, URL, REF = (
    "单位", "标题", "作者", "媒体", "稿件类型", "版面", "字数", "发表日期", "专项", "链接", "稿件编号")
ARTICLE_HEADERS = (UNIT, TITLE, AUTHORS, OUTLET, KIND, PLACEMENT, CHARS, DATE, TOPIC, URL, REF)
ARTICLE_REQUIRED = (UNIT, TITLE, OUTLET, DATE)

# What the table says (§10) → kind code; the short labels are what exports write.
KIND_EXPORT_LABELS = {"news": "新闻", "info": "信息", "feature": "专题", "experience": "经验交流",
                      "research": "调研"}
KIND_ALIASES = {
    **{label: code for code, label in KIND_EXPORT_LABELS.items()},
    **{label: code for code, label in rules.KIND_LABELS.items()},
    **{code: code for code in rules.KINDS},
    "新闻稿件": "news", "信息稿件": "info", "专题片": "feature", "经验交流材料": "experience",
    "会议经验交流": "experience", "调研报告": "research",
}
DEFAULT_KIND = "news"
TOPIC_ALIASES = {
    **{label: code for code, label in rules.TOPIC_LABELS.items()},
    **{code: code for code in rules.TOPICS},
    "双创报道": "shuangchuang", "纪检": "discipline", "纪检监察信息": "discipline",
    "无": "", "否": "", "-": "", "—": "", "/": "",
}
FRONT_HEADLINE = "头版头条"

UNKNOWN_UNIT_MESSAGE = "系统中没有这个单位，请使用单位的全称（如“汉滨区”），或请管理员先添加该单位"
UNKNOWN_OUTLET_MESSAGE = "系统中没有这个媒体，请填写媒体名称或常用别名（如“安康日报”），或请审核员先在后台添加该媒体"
UNKNOWN_KIND_MESSAGE = "稿件类型应为 新闻、信息、专题、经验交流 或 调研（留空视为新闻）"
UNKNOWN_TOPIC_MESSAGE = "专项应为 双创、纪检监察 或留空"
BAD_URL_MESSAGE = "链接应为以 http:// 或 https:// 开头的网址"
TOO_LONG_MESSAGE = "内容过长，最多 {limit} 个字"
YEAR_RANGE_MESSAGE = "年份超出范围（2000—2100）"
DUPLICATE_ROW_MESSAGE = "与第{other}行是同一条刊发记录（单位、标题、媒体、发表日期都相同），请删除重复的一行"
GROUP_TITLE_MESSAGE = "与第{other}行稿件编号相同（同一篇稿件），但标题不同（第{other}行为“{value}”）"
GROUP_FIELD_MESSAGE = "与第{other}行属于同一篇稿件，但{column}不同（第{other}行为“{value}”）"
MISSING_HEADER_MESSAGE = "缺少必需的列"

_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class RowError:
    row: int  # as Excel numbers it; 0 = the file as a whole
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        if not self.row:
            return f"{self.reason}。" if not self.reason.endswith("。") else self.reason
        value = f"“{self.value}”" if self.value != "" else "（空）"
        return f"第{self.row}行，{self.column}：{value}，{self.reason}。"


@dataclass
class PreviewRow:
    number: int
    cells: list[str]  # the row as typed, in the table's header order
    errors: list[RowError] = field(default_factory=list)
    action: str = ""  # 新增 / 更新 / 不变


@dataclass
class ImportResult:
    headers: list[str]
    rows: list[PreviewRow]
    errors: list[RowError]
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: dict = field(default_factory=dict)  # e.g. manuscripts or units created

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        if not self.ok:
            return f"文件中有 {len(self.errors)} 处错误，未导入任何数据。"
        verb = "预检通过，将" if self.dry_run else "已"
        parts = [f"新增 {self.created} 条", f"更新 {self.updated} 条", f"不变 {self.unchanged} 条"]
        parts += [f"{label} {count} 个" for label, count in self.extra.items() if count]
        return f"{verb}{'，'.join(parts)}。"


def _read(file, filename, rows, headers, required) -> excel.Table:
    if rows is not None:
        table = excel.Table(headers=[h for h in headers if any(h in row for row in rows)], header_row=1)
        for number, row in enumerate(rows, start=2):
            values = {h: excel._tidy(row.get(h)) for h in table.headers}
            if any(v is not None for v in values.values()):
                table.rows.append(excel.SheetRow(number=number, values=values))
        return table
    content = file if isinstance(file, bytes) else file.read()
    return excel.read_table(content, filename=filename or getattr(file, "name", ""), headers=headers,
                            required=required)


def _file_error(exc: Exception, headers: Sequence[str], dry_run: bool) -> ImportResult:
    return ImportResult(headers=list(headers), rows=[], errors=[RowError(0, "", "", str(exc))], dry_run=dry_run)


@dataclass
class _Article:
    number: int
    unit: Unit
    title: str
    authors: str
    outlet: Outlet
    kind: str
    front_headline: bool
    page: str
    char_count: int | None
    published_on: datetime.date
    topic: str
    url: str
    ref: str


def _limited(value: str, limit: int) -> str:
    if len(value) > limit:
        raise excel.CellError(TOO_LONG_MESSAGE.format(limit=limit))
    return value


def parse_kind(value) -> str:
    key = normalize_name(excel.text(value))
    if not key:
        return DEFAULT_KIND
    try:
        return KIND_ALIASES[key]
    except KeyError:
        raise excel.CellError(UNKNOWN_KIND_MESSAGE) from None


def parse_topic(value) -> str:
    key = normalize_name(excel.text(value))
    if not key:
        return ""
    try:
        return TOPIC_ALIASES[key]
    except KeyError:
        raise excel.CellError(UNKNOWN_TOPIC_MESSAGE) from None


def parse_placement(value) -> tuple[bool, str]:
    page = excel.text(value)
    if normalize_name(page) == FRONT_HEADLINE:
        return True, ""
    return False, _limited(page, 50)


def parse_url(value) -> str:
    url = excel.text(value).replace(" ", "")
    if not url:
        return ""
    if "://" not in url and "." in url:
        url = "http://" + url  # clerks paste www.example.gov.cn
    try:
        _url_validator(url)
    except ValidationError:
        raise excel.CellError(BAD_URL_MESSAGE) from None
    return _limited(url, 500)


def _parse_date_cell(value, datemode) -> datetime.date:
    date = excel.parse_date(value, datemode=datemode)
    if not 2000 <= date.year <= 2100:
        raise excel.CellError(YEAR_RANGE_MESSAGE)
    return date


class _Lookups:
    """Unit and outlet look-ups, loaded once per import."""

    def __init__(self):
        self.units = {normalize_name(unit.name): unit for unit in Unit.objects.all()}
        self.outlets = Outlet.objects.lookup_table()

    def unit(self, value) -> Unit:
        try:
            return self.units[normalize_name(excel.text(value))]
        except KeyError:
            raise excel.CellError(UNKNOWN_UNIT_MESSAGE) from None

    def outlet(self, value) -> Outlet:
        try:
            return self.outlets[normalize_name(excel.text(value))]
        except KeyError:
            raise excel.CellError(UNKNOWN_OUTLET_MESSAGE) from None


def _parse_article(row: excel.SheetRow, lookups: _Lookups, datemode: int, errors: list[RowError]):
    values = row.values
    parsed = {}
    parsers = {
        UNIT: lookups.unit,
        TITLE: lambda v: _limited(excel.plain_text(v), 300),
        AUTHORS: lambda v: _limited("、".join(parse_authors(excel.plain_text(v))), 200),
        OUTLET: lookups.outlet,
        KIND: parse_kind,
        PLACEMENT: parse_placement,
        CHARS: lambda v: None if v is None else excel.parse_int(v),
        DATE: lambda v: _parse_date_cell(v, datemode),
        TOPIC: parse_topic,
        URL: parse_url,
        REF: lambda v: _limited(excel.text(v), 50),
    }
    failed = False
    for header in ARTICLE_HEADERS:
        value = values.get(header)
        if header in ARTICLE_REQUIRED and (value is None or excel.text(value) == ""):
            errors.append(RowError(row.number, header, "", excel.REQUIRED_MESSAGE))
            failed = True
            continue
        try:
            parsed[header] = parsers[header](value)
        except excel.CellError as exc:
            errors.append(RowError(row.number, header, excel.display(value), str(exc)))
            failed = True
    if failed:
        return None
    front_headline, page = parsed[PLACEMENT]
    return _Article(number=row.number, unit=parsed[UNIT], title=parsed[TITLE], authors=parsed[AUTHORS],
                    outlet=parsed[OUTLET], kind=parsed[KIND], front_headline=front_headline, page=page,
                    char_count=parsed[CHARS], published_on=parsed[DATE], topic=parsed[TOPIC], url=parsed[URL],
                    ref=parsed[REF])


def _group_key(article: _Article):
    return (article.unit.pk, "ref", article.ref) if article.ref else (article.unit.pk, "title", article.title)


def _check_groups(articles: list[_Article], errors: list[RowError]) -> dict:
    """Rows of one manuscript must agree on what belongs to the manuscript; no row may repeat."""
    groups: dict[tuple, list[_Article]] = defaultdict(list)
    seen: dict[tuple, int] = {}
    for article in articles:
        identity = (article.unit.pk, article.title, article.outlet.pk, article.published_on)
        if identity in seen:
            errors.append(RowError(article.number, TITLE, article.title,
                                   DUPLICATE_ROW_MESSAGE.format(other=seen[identity])))
            continue
        seen[identity] = article.number
        group = groups[_group_key(article)]
        if group:
            first = group[0]
            if first.title != article.title:
                errors.append(RowError(article.number, TITLE, article.title,
                                       GROUP_TITLE_MESSAGE.format(other=first.number, value=first.title)))
                continue
            if first.kind != article.kind:
                errors.append(RowError(article.number, KIND, KIND_EXPORT_LABELS[article.kind],
                                       GROUP_FIELD_MESSAGE.format(other=first.number, column=KIND,
                                                                  value=KIND_EXPORT_LABELS[first.kind])))
                continue
            if first.topic != article.topic:
                errors.append(RowError(article.number, TOPIC, rules.TOPIC_LABELS.get(article.topic, ""),
                                       GROUP_FIELD_MESSAGE.format(other=first.number, column=TOPIC,
                                                                  value=rules.TOPIC_LABELS.get(first.topic, "无"))))
                continue
        group.append(article)
    return groups


def articles_import(*, actor, file=None, filename: str = "", rows: Sequence[Mapping] | None = None,
                    dry_run: bool = False) -> ImportResult:
    """Import the detail table (附件2): imported publications are approved (a reviewer's tool).

    A publication is identified by unit + title + outlet + publication date; a manuscript by its
    稿件编号 within the unit, else by unit + title. Importing the same file twice adds nothing; a
    corrected file updates the records it names. A column missing from the file is left untouched.
    """
    try:
        table = _read(file, filename, rows, ARTICLE_HEADERS, ARTICLE_REQUIRED)
    except excel.ExcelReadError as exc:
        return _file_error(exc, ARTICLE_HEADERS, dry_run)
    errors: list[RowError] = []
    missing = [h for h in ARTICLE_REQUIRED if h not in table.headers]
    errors += [RowError(0, h, "", f"{MISSING_HEADER_MESSAGE}「{h}」") for h in missing]
    preview = [PreviewRow(number=row.number, cells=[excel.display(row.values.get(h)) for h in table.headers])
               for row in table.rows]
    result = ImportResult(headers=table.headers, rows=preview, errors=errors, dry_run=dry_run)
    if missing:
        return result
    if not table.rows:
        errors.append(RowError(0, "", "", excel.EMPTY_TABLE_MESSAGE))
        return result

    lookups = _Lookups()
    articles = [a for a in (_parse_article(row, lookups, table.datemode, errors) for row in table.rows) if a]
    groups = _check_groups(articles, errors)
    _check_years_open(articles, errors)
    if not errors:
        _plan_and_write(result, groups, set(table.headers), actor=actor, filename=filename)
        scores_changed()  # issue 17: open years' cached dashboard and bulletin are rendered anew
    _mark_rows(preview, errors)
    return result


def _check_years_open(articles: list[_Article], errors: list[RowError]) -> None:
    """A closed year's publications cannot be added or changed by an import either (DOMAIN §9)."""
    try:
        year_lock_check(year={a.published_on.year for a in articles})
    except ValidationError:
        for article in articles:
            try:
                year_lock_check(year=article.published_on.year)
            except ValidationError as exc:
                errors.append(RowError(article.number, DATE, str(article.published_on), exc.messages[0]))


def _plan_and_write(result: ImportResult, groups: dict, present: set[str], *, actor, filename: str) -> None:
    unit_ids = {key[0] for key in groups}
    dates = [a.published_on for group in groups.values() for a in group]
    existing = list(Manuscript.objects.filter(unit_id__in=unit_ids).order_by("pk"))
    by_ref = {(m.unit_id, m.ref): m for m in existing if m.ref}
    by_title: dict[tuple, Manuscript] = {}
    by_title_without_ref: dict[tuple, Manuscript] = {}
    for m in existing:
        by_title.setdefault((m.unit_id, m.title), m)
        if not m.ref:
            by_title_without_ref.setdefault((m.unit_id, m.title), m)
    publications = {
        (p.manuscript_id, p.outlet_id, p.published_on): p
        for p in Publication.objects.filter(manuscript__unit_id__in=unit_ids, published_on__gte=min(dates),
                                            published_on__lte=max(dates))
    }
    now = timezone.now()
    new_manuscripts, changed_manuscripts = [], {}
    new_publications, changed_publications = [], {}
    row_action = {}
    for (unit_id, how, _value), group in groups.items():
        first = group[0]
        manuscript = by_ref.get((unit_id, first.ref)) if how == "ref" else None
        if manuscript is None:
            # A numbered manuscript adopts an unnumbered one of the same title; an unnumbered row
            # prefers an unnumbered manuscript, so that mixing both in one file stays idempotent.
            key = (unit_id, first.title)
            manuscript = by_title_without_ref.get(key) or (by_title.get(key) if how == "title" else None)
        wanted = {}
        if AUTHORS in present:
            wanted["authors"] = next((a.authors for a in group if a.authors), "")
        if KIND in present:
            wanted["kind"] = first.kind
        if TOPIC in present:
            wanted["special_topic"] = first.topic
        if how == "ref":
            wanted.update(title=first.title, ref=first.ref)
        if manuscript is None:
            manuscript = Manuscript(unit=first.unit, created_by=_user(actor), **{"title": first.title, **wanted})
            new_manuscripts.append(manuscript)
            manuscript_changed = True
        else:
            manuscript_changed = _assign(manuscript, wanted)
            if manuscript_changed:
                manuscript.updated_at = now
                changed_manuscripts[manuscript.pk] = manuscript
        for article in group:
            wanted = {"status": Status.APPROVED}
            if PLACEMENT in present:
                wanted.update(front_headline=article.front_headline, page=article.page)
            if CHARS in present:
                wanted["char_count"] = article.char_count
            if URL in present:
                wanted["url"] = article.url
            publication = None
            if manuscript.pk is not None:
                publication = publications.get((manuscript.pk, article.outlet.pk, article.published_on))
            if publication is None:
                publication = Publication(manuscript=manuscript, outlet=article.outlet,
                                          published_on=article.published_on, created_by=_user(actor),
                                          reviewer=_user(actor), reviewed_at=now, **wanted)
                new_publications.append(publication)
                row_action[article.number] = "新增"
                result.created += 1
            elif _assign(publication, wanted):
                publication.reviewer, publication.reviewed_at, publication.updated_at = _user(actor), now, now
                publication.reject_reason = ""
                changed_publications[publication.pk] = publication
                row_action[article.number] = "更新"
                result.updated += 1
            elif manuscript_changed:
                row_action[article.number] = "更新"
                result.updated += 1
            else:
                row_action[article.number] = "不变"
                result.unchanged += 1
    result.extra["新增稿件"] = len(new_manuscripts)
    for row in result.rows:
        row.action = row_action.get(row.number, "")
    if result.dry_run:
        return
    with transaction.atomic():
        Manuscript.objects.bulk_create(new_manuscripts, batch_size=BATCH_SIZE)
        Manuscript.objects.bulk_update(changed_manuscripts.values(),
                                       ["title", "ref", "authors", "kind", "special_topic", "updated_at"],
                                       batch_size=BATCH_SIZE)
        for publication in new_publications:
            publication.manuscript_id = publication.manuscript.pk
        Publication.objects.bulk_create(new_publications, batch_size=BATCH_SIZE)
        Publication.objects.bulk_update(changed_publications.values(),
                                        ["status", "front_headline", "page", "char_count", "url", "reviewer",
                                         "reviewed_at", "reject_reason", "updated_at"], batch_size=BATCH_SIZE)
        audit_record(actor=actor, action="articles_import", target="publicity.publication",
                     summary=f"导入稿件明细表{filename and '「' + filename + '」'}：{result.summary()}",
                     after={"file": filename, "created": result.created, "updated": result.updated,
                            "unchanged": result.unchanged, "manuscripts_created": len(new_manuscripts)})


def _mark_rows(preview: list[PreviewRow], errors: list[RowError]) -> None:
    """Attach each row's errors; in a file with errors, say which rows were fine."""
    by_row = defaultdict(list)
    for error in errors:
        by_row[error.row].append(error)
    for row in preview:
        row.errors = by_row.get(row.number, [])
        if errors:
            row.action = "有错误" if row.errors else "无误"


def _assign(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- The allocation table (附件1 任务分解表) -------------------------------------------------------

UNIT_KIND = "单位类型"
QUOTA_REQUIRED = (UNIT,)
UNIT_KIND_ALIASES = {
    **{normalize_name(label): code for code, label in Unit.Kind.choices},
    **{code: code for code in Unit.Kind.values},
    "县(区)": "county", "区县": "county", "县": "county", "科室": "section", "局机关科室": "section",
    "局属": "affiliated", "直属单位": "affiliated", "局直属单位": "affiliated",
}
NO_LINE_MARKS = {"-", "—", "——", "/", "无", "不适用"}  # how clerks write "no such line"

UNKNOWN_UNIT_KIND_MESSAGE = "单位类型应为 县区、机关科室 或 局属单位"
NEW_UNIT_NEEDS_KIND_MESSAGE = "系统中还没有这个单位，新单位须填写单位类型（县区、机关科室 或 局属单位）"
UNIT_KIND_MISMATCH_MESSAGE = "与系统中该单位的类型“{kind}”不一致；如需更改单位类型，请在后台修改"
DUPLICATE_UNIT_MESSAGE = "与第{other}行是同一个单位，每个单位只能占一行"
NO_LINE_COLUMNS_MESSAGE = "表头中没有任何任务项列，任务项列的列名应为：{labels}"
LINES_COLUMN = "任务项"


def parse_unit_kind(value) -> str:
    key = normalize_name(excel.text(value))
    try:
        return UNIT_KIND_ALIASES[key]
    except KeyError:
        raise excel.CellError(UNKNOWN_UNIT_KIND_MESSAGE) from None


def parse_quota_count(value) -> int | None:
    if value is None or excel.text(value) in NO_LINE_MARKS:
        return None
    return excel.parse_int(value)


def quotas_import(*, actor, year: int, file=None, filename: str = "", rows: Sequence[Mapping] | None = None,
                  dry_run: bool = False) -> ImportResult:
    """Import the allocation table (附件1) for one year: each unit's count per quota line.

    The line columns present in the file define the unit's lines: an empty cell removes that line
    for the year, a line whose column is absent is left as it is. Unknown units are created. The D1
    check (lines nest or are disjoint) runs per unit on the lines the unit ends up with.
    """
    lines = list(QuotaLine.objects.all())
    by_label = {line.label: line for line in lines}
    headers = (UNIT, UNIT_KIND, *by_label)
    try:
        table = _read(file, filename, rows, headers, QUOTA_REQUIRED)
    except excel.ExcelReadError as exc:
        return _file_error(exc, headers, dry_run)
    errors: list[RowError] = []
    preview = [PreviewRow(number=row.number, cells=[excel.display(row.values.get(h)) for h in table.headers])
               for row in table.rows]
    result = ImportResult(headers=table.headers, rows=preview, errors=errors, dry_run=dry_run)
    columns = [by_label[h] for h in table.headers if h in by_label]
    if UNIT not in table.headers:
        errors.append(RowError(0, UNIT, "", f"{MISSING_HEADER_MESSAGE}「{UNIT}」"))
    if not columns:
        errors.append(RowError(0, "", "", NO_LINE_COLUMNS_MESSAGE.format(labels="、".join(by_label))))
    if not table.rows:
        errors.append(RowError(0, "", "", excel.EMPTY_TABLE_MESSAGE))
    try:
        year_lock_check(year=year)
    except ValidationError as exc:
        errors.append(RowError(0, "", str(year), exc.messages[0]))
    if errors:
        return result

    units = {normalize_name(unit.name): unit for unit in Unit.objects.all()}
    existing: dict[tuple[int, int], Quota] = {
        (q.unit_id, q.line_id): q for q in Quota.objects.filter(year=year)}
    kept_lines: dict[int, list[QuotaLine]] = defaultdict(list)  # lines of columns the file does not have
    absent = {line.pk for line in lines} - {line.pk for line in columns}
    for (unit_id, line_id), _quota in existing.items():
        if line_id in absent:
            kept_lines[unit_id].append(next(line for line in lines if line.pk == line_id))
    seen: dict[str, int] = {}
    planned = []  # (row number, unit or name+kind, {line: count or None})
    for row in table.rows:
        failed = False
        raw_unit = row.values.get(UNIT)
        name = excel.text(raw_unit)
        unit = units.get(normalize_name(name))
        kind = None
        if not name:
            errors.append(RowError(row.number, UNIT, "", excel.REQUIRED_MESSAGE))
            failed = True
        elif normalize_name(name) in seen:
            errors.append(RowError(row.number, UNIT, name,
                                   DUPLICATE_UNIT_MESSAGE.format(other=seen[normalize_name(name)])))
            failed = True
        else:
            seen[normalize_name(name)] = row.number
        raw_kind = row.values.get(UNIT_KIND)
        if raw_kind is not None:
            try:
                kind = parse_unit_kind(raw_kind)
            except excel.CellError as exc:
                errors.append(RowError(row.number, UNIT_KIND, excel.display(raw_kind), str(exc)))
                failed = True
        if name and unit is None and kind is None and raw_kind is None:
            errors.append(RowError(row.number, UNIT_KIND, "", NEW_UNIT_NEEDS_KIND_MESSAGE))
            failed = True
        elif unit is not None and kind is not None and kind != unit.kind:
            errors.append(RowError(row.number, UNIT_KIND, excel.display(raw_kind),
                                   UNIT_KIND_MISMATCH_MESSAGE.format(kind=unit.get_kind_display())))
            failed = True
        counts = {}
        for line in columns:
            value = row.values.get(line.label)
            try:
                counts[line] = parse_quota_count(value)
            except excel.CellError as exc:
                errors.append(RowError(row.number, line.label, excel.display(value), str(exc)))
                failed = True
        if failed:
            continue
        chosen = [line for line, count in counts.items() if count is not None]
        chosen += kept_lines.get(unit.pk, []) if unit is not None else []
        try:
            check_lines_nest(chosen)
        except ValidationError as exc:
            errors.append(RowError(row.number, LINES_COLUMN, "、".join(line.label for line in chosen),
                                   exc.messages[0].rstrip("。")))
            continue
        planned.append((row.number, unit, (name, kind), counts))

    _mark_rows(preview, errors)
    if errors:
        return result

    new_units, new_quotas, changed_quotas, gone_quotas = [], [], [], []
    row_action = {}
    for number, unit, (name, kind), counts in planned:
        if unit is None:
            unit = Unit(name=name, kind=kind)
            new_units.append(unit)
        changed = unit.pk is None
        for line, count in counts.items():
            quota = existing.get((unit.pk, line.pk)) if unit.pk else None
            if quota is None and count is not None:
                new_quotas.append(Quota(unit=unit, line=line, year=year, count=count))
                changed = True
            elif quota is not None and count is None:
                gone_quotas.append(quota.pk)
                changed = True
            elif quota is not None and quota.count != count:
                quota.count = count
                changed_quotas.append(quota)
                changed = True
        action = "新增" if unit.pk is None else ("更新" if changed else "不变")
        row_action[number] = action
        result.created += action == "新增"
        result.updated += action == "更新"
        result.unchanged += action == "不变"
    for preview_row in preview:
        preview_row.action = row_action.get(preview_row.number, "")
    result.extra["新增单位"] = len(new_units)
    if dry_run:
        return result
    with transaction.atomic():
        Unit.objects.bulk_create(new_units, batch_size=BATCH_SIZE)
        for quota in new_quotas:
            quota.unit_id = quota.unit.pk
        Quota.objects.bulk_create(new_quotas, batch_size=BATCH_SIZE)
        Quota.objects.bulk_update(changed_quotas, ["count"], batch_size=BATCH_SIZE)
        if gone_quotas:
            Quota.objects.filter(pk__in=gone_quotas).delete()
        audit_record(actor=actor, action="quotas_import", target="publicity.quota",
                     summary=f"导入{year}年任务分解表{filename and '「' + filename + '」'}：{result.summary()}",
                     after={"file": filename, "year": year, "units_created": [u.name for u in new_units],
                            "quotas_created": len(new_quotas), "quotas_changed": len(changed_quotas),
                            "quotas_removed": len(gone_quotas)})
        scores_changed()  # issue 17: open years' cached dashboard and bulletin are rendered anew
    return result


# --- Exports and blank templates -------------------------------------------------------------

DATE_FORMAT = "yyyy-mm-dd"
TEMPLATE_ROWS = 1000  # rows of a blank template that carry the drop-down lists
OPTIONS_SHEET = "选项"
ARTICLES_INSTRUCTION = (
    "填表说明：每行一条刊发记录（一稿多投的每个媒体各占一行，可填相同的稿件编号）。单位、标题、媒体、发表日期必填；"
    "媒体请从下拉列表选择或填写常用名称；发表日期写成 2011-05-03；稿件类型留空视为新闻；"
    "版面是头版头条的请填“头版头条”；"
    "作者之间用顿号分隔。请勿修改表头。"
)
QUOTAS_INSTRUCTION = (
    "填表说明：每行一个单位。单位类型从下拉列表选择；各任务项填写篇数，该单位没有此项任务的留空。"
    "系统中没有的单位会在导入时新建。请勿修改表头。"
)


ARTICLE_EXPORT_FIELDS = ("manuscript__unit__name", "manuscript__title", "manuscript__authors", "outlet__name",
                         "manuscript__kind", "front_headline", "page", "char_count", "published_on",
                         "manuscript__special_topic", "url", "manuscript__ref")


def _article_cells(unit, title, authors, outlet, kind, front_headline, page, char_count, published_on, topic, url,
                   ref) -> list:
    return [unit, title, authors, outlet, KIND_EXPORT_LABELS[kind], FRONT_HEADLINE if front_headline else page,
            char_count, published_on, rules.TOPIC_LABELS.get(topic, ""), url, ref]


def articles_export(*, publications, actor, description: str = "") -> Workbook:
    """The detail table (附件2) of the given publications, in exactly the import's layout.

    One query of plain values (no model instances), rows serialised directly (`write_large_sheet`):
    50,000 rows in a few seconds and well under 500 MB (issue 9, bench/run.py). Save it with
    `workbook_bytes` or `xlsx_response`.
    """
    from publicity.xlsx import new_workbook, write_large_sheet

    workbook = new_workbook()
    queryset = publications.order_by(
        "manuscript__unit__kind", "manuscript__unit__sort_order", "manuscript__unit__name", "published_on", "pk")
    rows = [_article_cells(*values) for values in queryset.values_list(*ARTICLE_EXPORT_FIELDS)]
    write_large_sheet(workbook, "稿件明细表", ARTICLE_HEADERS, rows, date_column=ARTICLE_HEADERS.index(DATE),
                      date_format=DATE_FORMAT)
    audit_record(actor=actor, action="articles_export", target="publicity.publication",
                 summary=f"导出稿件明细表 {len(rows)} 条{description and '（' + description + '）'}",
                 after={"rows": len(rows), "filter": description})
    return workbook


def _format_dates(ws, *, column: int, first_row: int, last_row: int | None = None) -> None:
    for (cell,) in ws.iter_rows(min_row=first_row, max_row=last_row or ws.max_row, min_col=column, max_col=column):
        cell.number_format = DATE_FORMAT


def statistics_export(*, year: int, actor) -> Workbook:
    """The statistics table of a year: per unit, per quota line (task / done, D2 counting), and per
    outlet level and manuscript kind. Only approved publications count."""
    from django.db.models import Count

    from publicity.xlsx import new_workbook, write_sheet

    cells = defaultdict(int)  # (unit id, level, kind, topic) → approved publications
    for entry in (Publication.objects.approved().in_year(year)
                  .values("manuscript__unit_id", "outlet__level", "manuscript__kind", "manuscript__special_topic")
                  .annotate(n=Count("id")).order_by()):
        cells[(entry["manuscript__unit_id"], entry["outlet__level"], entry["manuscript__kind"],
               entry["manuscript__special_topic"])] += entry["n"]
    quotas = defaultdict(dict)
    for quota in Quota.objects.for_year(year):
        quotas[quota.unit_id][quota.line_id] = quota.count
    lines = [line for line in QuotaLine.objects.all() if any(line.pk in q for q in quotas.values())]
    unit_ids = set(quotas) | {key[0] for key in cells}
    units = [unit for unit in Unit.objects.all() if unit.pk in unit_ids]

    workbook = new_workbook()
    ws = workbook.create_sheet("任务完成情况")
    headers = [UNIT, UNIT_KIND]
    for line in lines:
        headers += [f"{line.label}·任务", f"{line.label}·完成"]
    headers += ["已通过刊发篇次"]
    rows = []
    for unit in units:
        unit_cells = {key[1:]: n for key, n in cells.items() if key[0] == unit.pk}
        row = [unit.name, unit.get_kind_display()]
        for line in lines:
            count = quotas[unit.pk].get(line.pk)
            scope = line.scope
            have = sum(n for (level, kind, topic), n in unit_cells.items()
                       if scope.holds(level=level, kind=kind, topic=topic))
            row += [count, have if count is not None else None]
        rows.append([*row, sum(unit_cells.values())])
    write_sheet(ws, headers, rows, title=f"{year}年度宣传任务完成情况统计表（只计已审核通过的刊发记录）")

    ws = workbook.create_sheet("按级别和类型")
    headers = [UNIT, UNIT_KIND, *(rules.LEVEL_LABELS[lv] for lv in rules.LEVELS),
               *(rules.KIND_LABELS[k] for k in rules.KINDS), *(rules.TOPIC_LABELS[t] for t in rules.TOPICS), "合计"]
    rows = []
    for unit in units:
        unit_cells = {key[1:]: n for key, n in cells.items() if key[0] == unit.pk}
        rows.append([
            unit.name, unit.get_kind_display(),
            *(sum(n for (lv, _k, _t), n in unit_cells.items() if lv == level) for level in rules.LEVELS),
            *(sum(n for (_lv, k, _t), n in unit_cells.items() if k == kind) for kind in rules.KINDS),
            *(sum(n for (_lv, _k, t), n in unit_cells.items() if t == topic) for topic in rules.TOPICS),
            sum(unit_cells.values()),
        ])
    write_sheet(ws, headers, rows, title=f"{year}年度已通过刊发篇次（按媒体级别、稿件类型和专项）")
    audit_record(actor=actor, action="statistics_export", target="publicity.quota",
                 summary=f"导出{year}年度统计表（{len(units)}个单位）", after={"year": year, "units": len(units)})
    return workbook


def _instruction(ws, text: str, columns: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    cell = ws.cell(row=1, column=1)
    cell.font = Font(color="C00000")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 60


def _options(workbook, title: str, values: Sequence[str]) -> str:
    """Put a drop-down's choices in a column of the hidden options sheet; return its range."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    sheet = workbook[OPTIONS_SHEET] if OPTIONS_SHEET in workbook.sheetnames else workbook.create_sheet(OPTIONS_SHEET)
    sheet.sheet_state = "hidden"
    column = sheet.max_column + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value else 1
    sheet.cell(row=1, column=column, value=title)
    for i, value in enumerate(values, start=2):
        sheet.cell(row=i, column=column, value=value)
    letter = get_column_letter(column)
    return f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"


def _drop_down(ws, *, column: int, source: str, prompt: str, strict: bool = True) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=strict,
                                errorTitle="输入有误", error=f"请从下拉列表中选择{prompt}。",
                                promptTitle=prompt, prompt=f"请从下拉列表中选择{prompt}。", showInputMessage=True)
    letter = get_column_letter(column)
    validation.add(f"{letter}3:{letter}{TEMPLATE_ROWS + 2}")
    ws.add_data_validation(validation)


def articles_template() -> Workbook:
    """A blank detail table: instruction row, header row, drop-downs for units, outlets, kinds, topics."""
    from publicity.xlsx import new_workbook, write_sheet

    workbook = new_workbook()
    ws = workbook.create_sheet("稿件明细表")
    write_sheet(ws, ARTICLE_HEADERS, [], title=ARTICLES_INSTRUCTION, min_width=10)
    _instruction(ws, ARTICLES_INSTRUCTION, len(ARTICLE_HEADERS))
    column = {h: i for i, h in enumerate(ARTICLE_HEADERS, start=1)}
    units = list(Unit.objects.filter(is_active=True).values_list("name", flat=True))
    outlets = list(Outlet.objects.filter(is_active=True).order_by("level", "name").values_list("name", flat=True))
    _drop_down(ws, column=column[UNIT], source=_options(workbook, UNIT, units), prompt="单位")
    # Outlets: a clerk may type an alias (《安康日报》), so the list helps without refusing other text.
    _drop_down(ws, column=column[OUTLET], source=_options(workbook, OUTLET, outlets), prompt="媒体", strict=False)
    _drop_down(ws, column=column[KIND], source=_options(workbook, KIND, list(KIND_EXPORT_LABELS.values())),
               prompt="稿件类型")
    _drop_down(ws, column=column[TOPIC], source=_options(workbook, TOPIC, list(rules.TOPIC_LABELS.values())),
               prompt="专项")
    _drop_down(ws, column=column[PLACEMENT], source=_options(workbook, PLACEMENT, [FRONT_HEADLINE]),
               prompt="版面（其他版面可直接填写，如“第2版”）", strict=False)
    _format_dates(ws, column=column[DATE], first_row=3, last_row=TEMPLATE_ROWS + 2)
    workbook.active = 0
    return workbook


def quotas_template() -> Workbook:
    """A blank allocation table: instruction row, header row with every quota line, unit kind drop-down."""
    from publicity.xlsx import new_workbook, write_sheet

    workbook = new_workbook()
    ws = workbook.create_sheet("任务分解表")
    headers = [UNIT, UNIT_KIND, *QuotaLine.objects.values_list("label", flat=True)]
    write_sheet(ws, headers, [], title=QUOTAS_INSTRUCTION, min_width=12, max_width=24)
    _instruction(ws, QUOTAS_INSTRUCTION, len(headers))
    units = list(Unit.objects.filter(is_active=True).values_list("name", flat=True))
    _drop_down(ws, column=1, source=_options(workbook, UNIT, units), prompt="单位", strict=False)
    _drop_down(ws, column=2, source=_options(workbook, UNIT_KIND, [label for _c, label in Unit.Kind.choices]),
               prompt="单位类型")
    workbook.active = 0
    return workbook
