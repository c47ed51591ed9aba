"""The exchange's entry points for the commands, the pages and the tests: import a file, export a table,
download a blank template. Each import or export goes through the resources (exchange/resources.py) and is
audited; nothing else in the system reads or writes the detail or allocation layout."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import tablib
from django.db.models import Count

from core.xlsx_writer import XlsxBook
from exchange import widgets as w
from exchange.report import ImportReport, RowError
from exchange.resources import (
    ARTICLE_HEADERS,
    DATE,
    KIND,
    OUTLET,
    PLACEMENT,
    TOPIC,
    UNIT,
    UNIT_KIND,
    AllocationResource,
    ArticleResource,
    paused_cyclic_gc,
)
from publicity.audit import audit_record
from publicity.models import Outlet, Publication, QuotaLine, Unit
from scoring import rules

TEMPLATE_ROWS = 1000  # rows of a blank template that carry the drop-down lists
OPTIONS_SHEET = "选项"
ARTICLES_INSTRUCTION = (
    "填表说明：每行一条刊发记录（一稿多投的每个媒体各占一行，可填相同的稿件编号；"
    "编号相同的行即使标题不同也是同一篇稿件）。单位、标题、媒体、发表日期必填；媒体请从下拉列表选择或填写常用名称；"
    "发表日期写成 2011-05-03；稿件类型留空视为新闻；版面是头版头条的请填“头版头条”；作者之间用顿号分隔。请勿修改表头。"
)
QUOTAS_INSTRUCTION = (
    "填表说明：每行一个单位。单位类型从下拉列表选择；各任务项填写篇数，该单位没有此项任务的留空。"
    "系统中没有的单位会在导入时新建。请勿修改表头。"
)


def _dataset(resource, file, filename: str, rows: Sequence[Mapping] | None) -> tablib.Dataset:
    if rows is not None:  # a script's rows (header → value)
        headers = list(dict.fromkeys(key for row in rows for key in row))
        return tablib.Dataset(*([row.get(h) for h in headers] for row in rows), headers=headers)
    content = file if isinstance(file, bytes) else file.read()
    return resource.import_format()(filename=filename).create_dataset(content)


def _run(resource, *, file, filename: str, rows, dry_run: bool, **kwargs) -> ImportReport:
    from exchange.reader import ExcelReadError

    try:
        with paused_cyclic_gc():
            dataset = _dataset(resource, file, filename, rows)
    except ExcelReadError as exc:
        return ImportReport(headers=[], rows=[], errors=[RowError(0, "", "", str(exc))], dry_run=dry_run)
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, file_name=filename, **kwargs)
    report = resource.report
    known = {str(e) for e in report.file_errors}
    for error in result.base_errors:  # a fault the plan did not foresee (the database refused a write)
        if str(error.error) not in known:
            report.errors.append(RowError(0, "", "", f"导入失败，未写入任何数据：{error.error}"))
    return report


def articles_import(*, actor, file=None, filename: str = "", rows: Sequence[Mapping] | None = None,
                    dry_run: bool = False) -> ImportReport:
    """The detail table (附件2): new rows are approved (a reviewer's tool), see ArticleResource."""
    return _run(ArticleResource(), file=file, filename=filename, rows=rows, dry_run=dry_run, actor=actor)


def quotas_import(*, actor, year: int, file=None, filename: str = "", rows: Sequence[Mapping] | None = None,
                  dry_run: bool = False) -> ImportReport:
    """The allocation table (附件1) of one year, see AllocationResource."""
    return _run(AllocationResource(), file=file, filename=filename, rows=rows, dry_run=dry_run, actor=actor,
                year=year)


# --- Exports -------------------------------------------------------------------------------------


def articles_export(*, publications, actor, description: str = "", title: str = "", action: str = "articles_export",
                    target="publicity.publication", unit=None) -> XlsxBook:
    """The detail table (附件2) of the given publications, in exactly the import's layout, audited.

    Every detail table the system writes is this one (the admin's list export, the Excel page, a period
    report's 明细表), so that each re-imports without changing anything."""
    dataset = ArticleResource().export(publications)
    book = XlsxBook()
    headers = list(dataset.headers)
    book.add_large_sheet("稿件明细表", headers, list(dataset), date_columns=[headers.index(DATE)])
    audit_record(actor=actor, action=action, target=target, unit=unit,
                 summary=f"导出{title or '稿件明细表'} {len(dataset)} 条{description and '（' + description + '）'}",
                 after={"rows": len(dataset), "filter": description})
    return book


def allocation_export(*, quotas, actor, description: str = "") -> XlsxBook:
    """The allocation table (附件1) of the given quotas; re-importing it for its year changes nothing."""
    dataset = AllocationResource().export(quotas)
    book = XlsxBook()
    book.add_sheet(dataset.title[:31], dataset.headers, list(dataset), min_width=12, max_width=24)
    audit_record(actor=actor, action="quotas_export", target="publicity.quota",
                 summary=f"导出任务分解表 {len(dataset)} 行{description and '（' + description + '）'}",
                 after={"rows": len(dataset), "filter": description})
    return book


def statistics_export(*, year: int, actor) -> XlsxBook:
    """The statistics table of a year. Its first sheet is the assessment itself (each quota line's task and
    approved publications, D2, from scoring.services.assess_year); the second counts approved publications per
    outlet level, manuscript kind and special topic."""
    from scoring.services import assess_year

    results = assess_year(year=year)
    cells = defaultdict(int)  # (unit id, level, kind, topic) → approved publications
    units = {r.unit_id: (r.kind, r.sort_order, r.unit_name) for r in results}  # id → how the admin orders units
    for entry in (Publication.objects.approved().in_year(year)
                  .values("manuscript__unit_id", "manuscript__unit__kind", "manuscript__unit__sort_order",
                          "manuscript__unit__name", "outlet__level", "manuscript__kind", "manuscript__special_topic")
                  .annotate(n=Count("id")).order_by()):
        unit_id = entry["manuscript__unit_id"]
        units.setdefault(unit_id, (entry["manuscript__unit__kind"], entry["manuscript__unit__sort_order"],
                                   entry["manuscript__unit__name"]))
        cells[(unit_id, entry["outlet__level"], entry["manuscript__kind"], entry["manuscript__special_topic"])] += (
            entry["n"])
    per_unit = defaultdict(dict)
    for (unit_id, *cell), n in cells.items():
        per_unit[unit_id][tuple(cell)] = n
    codes = {row.code for r in results for row in r.lines}
    lines = [line for line in QuotaLine.objects.all() if line.code in codes]
    order = sorted(units, key=lambda unit_id: units[unit_id])
    by_unit = {r.unit_id: r for r in results}

    book = XlsxBook()
    headers = [UNIT, UNIT_KIND]
    for line in lines:
        headers += [f"{line.label}·任务", f"{line.label}·完成"]
    headers += ["已通过刊发篇次"]
    rows = []
    for unit_id in order:
        kind, _sort_order, name = units[unit_id]
        result = by_unit.get(unit_id)
        row_lines = {row.code: row for row in result.lines} if result else {}
        row = [name, Unit.Kind(kind).label]
        for line in lines:
            found = row_lines.get(line.code)
            row += [found.count, found.have] if found else [None, None]
        rows.append([*row, sum(per_unit[unit_id].values())])
    book.add_sheet("任务完成情况", headers, rows, title=f"{year}年度宣传任务完成情况统计表（只计已审核通过的刊发记录）")

    headers = [UNIT, UNIT_KIND, *(rules.LEVEL_LABELS[lv] for lv in rules.LEVELS),
               *(rules.KIND_LABELS[k] for k in rules.KINDS), *(rules.TOPIC_LABELS[t] for t in rules.TOPICS), "合计"]
    rows = []
    for unit_id in order:
        kind, _sort_order, name = units[unit_id]
        unit_cells = per_unit[unit_id]
        rows.append([
            name, Unit.Kind(kind).label,
            *(sum(n for (lv, _k, _t), n in unit_cells.items() if lv == level) for level in rules.LEVELS),
            *(sum(n for (_lv, k, _t), n in unit_cells.items() if k == kind) for kind in rules.KINDS),
            *(sum(n for (_lv, _k, t), n in unit_cells.items() if t == topic) for topic in rules.TOPICS),
            sum(unit_cells.values()),
        ])
    book.add_sheet("按级别和类型", headers, rows, title=f"{year}年度已通过刊发篇次（按媒体级别、稿件类型和专项）")
    audit_record(actor=actor, action="statistics_export", target="publicity.quota",
                 summary=f"导出{year}年度统计表（{len(units)}个单位）", after={"year": year, "units": len(units)})
    return book


# --- Blank templates -----------------------------------------------------------------------------


def _instruction(ws, columns: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    cell = ws.cell(row=1, column=1)
    cell.font = Font(color="C00000")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 60


def _options(book: XlsxBook, title: str, values: Sequence[str]) -> str:
    """Put a drop-down's choices in a column of the hidden options sheet; return its range."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    from core.xlsx_writer import as_text

    sheet = (book.worksheet(OPTIONS_SHEET) if OPTIONS_SHEET in book.sheetnames
             else book.create_plain_sheet(OPTIONS_SHEET))
    sheet.sheet_state = "hidden"
    column = sheet.max_column + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value else 1
    sheet.cell(row=1, column=column, value=title)
    for i, value in enumerate(values, start=2):
        as_text(sheet.cell(row=i, column=column, value=value))  # unit and outlet names are typed by people
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


def articles_template() -> XlsxBook:
    """A blank detail table: instruction row, header row, drop-downs for units, outlets, kinds, topics."""
    from core.xlsx_writer import DATE_FORMAT

    book = XlsxBook()
    ws = book.add_sheet("稿件明细表", ARTICLE_HEADERS, [], title=ARTICLES_INSTRUCTION, min_width=10)
    _instruction(ws, len(ARTICLE_HEADERS))
    column = {h: i for i, h in enumerate(ARTICLE_HEADERS, start=1)}
    units = list(Unit.objects.filter(is_active=True).values_list("name", flat=True))
    outlets = list(Outlet.objects.filter(is_active=True).order_by("level", "name").values_list("name", flat=True))
    _drop_down(ws, column=column[UNIT], source=_options(book, UNIT, units), prompt="单位")
    # Outlets: a clerk may type an alias (《安康日报》), so the list helps without refusing other text.
    _drop_down(ws, column=column[OUTLET], source=_options(book, OUTLET, outlets), prompt="媒体", strict=False)
    _drop_down(ws, column=column[KIND], source=_options(book, KIND, list(w.KIND_EXPORT_LABELS.values())),
               prompt="稿件类型")
    _drop_down(ws, column=column[TOPIC], source=_options(book, TOPIC, list(rules.TOPIC_LABELS.values())),
               prompt="专项")
    _drop_down(ws, column=column[PLACEMENT], source=_options(book, PLACEMENT, [w.FRONT_HEADLINE]),
               prompt="版面（其他版面可直接填写，如“第2版”）", strict=False)
    for (cell,) in ws.iter_rows(min_row=3, max_row=TEMPLATE_ROWS + 2, min_col=column[DATE], max_col=column[DATE]):
        cell.number_format = DATE_FORMAT
    book.set_active(0)
    return book


def quotas_template() -> XlsxBook:
    """A blank allocation table: instruction row, header row with every quota line, unit kind drop-down."""
    book = XlsxBook()
    headers = [UNIT, UNIT_KIND, *QuotaLine.objects.values_list("label", flat=True)]
    ws = book.add_sheet("任务分解表", headers, [], title=QUOTAS_INSTRUCTION, min_width=12, max_width=24)
    _instruction(ws, len(headers))
    units = list(Unit.objects.filter(is_active=True).values_list("name", flat=True))
    _drop_down(ws, column=1, source=_options(book, UNIT, units), prompt="单位", strict=False)
    _drop_down(ws, column=2, source=_options(book, UNIT_KIND, list(w.UNIT_KIND_LABELS.values())),
               prompt="单位类型")
    book.set_active(0)
    return book
