"""Text and Excel renderings of an assessment: the terminal table and the statistics table (考核统计表)."""

import unicodedata

from core.xlsx_writer import XlsxBook
from publicity.background_exports import ExportBuilt
from scoring.services import KIND_LABELS, bulletin_for_year, periodic_bulletin


def text_width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


def render_table(rows: list[list[str]], *, numeric_from: int) -> list[str]:
    widths = [max(text_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [pad(cell, widths[i], right=i >= numeric_from and n > 0) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def table_text(*, year: int, results) -> str:
    """One block per unit kind; a line cell reads have/count, with the deficit in brackets."""
    out = [f"{year}年度宣传工作考核", ""]
    for kind in dict.fromkeys(r.kind for r in results):
        group = [r for r in results if r.kind == kind]
        codes = list(dict.fromkeys(line.code for r in group for line in r.lines))
        labels = {line.code: line.label for r in group for line in r.lines}
        header = ["排名", "单位", *[labels[code] for code in codes], "缺稿", "加分篇数", "得分"]
        rows = [header]
        for r in group:
            by_code = {line.code: line for line in r.lines}
            cells = []
            for code in codes:
                line = by_code.get(code)
                if line is None:
                    cells.append("—")
                else:
                    cells.append(f"{line.have}/{line.count}" + (f"(差{line.deficit})" if line.deficit else ""))
            rows.append([str(r.rank), r.unit_name, *cells, str(r.missing), str(r.bonus_articles),
                         f"{r.shown_score}"])
        out.append(f"【{KIND_LABELS.get(kind, kind)}】")
        out += render_table(rows, numeric_from=2)
        out.append("")
    return "\n".join(out)


def statistics_workbook(*, year: int, results, title: str | None = None, previous: dict | None = None):
    """The statistics table (考核统计表): one sheet per unit kind, per line 任务/完成/差额.

    With `previous` (unit id → last year's result) the bulletin's copy has last year's score beside this
    year's, and the change."""
    workbook = XlsxBook()
    for kind in dict.fromkeys(r.kind for r in results):
        group = [r for r in results if r.kind == kind]
        codes = list(dict.fromkeys(line.code for r in group for line in r.lines))
        labels = {line.code: line.label for r in group for line in r.lines}
        headers = ["排名", "单位"]
        for code in codes:
            headers += [f"{labels[code]}·任务", f"{labels[code]}·完成", f"{labels[code]}·差额"]
        headers += ["缺稿篇数", "加分篇数", "得分"]
        if previous is not None:
            headers += [f"{year - 1}年得分", "得分增减"]
        rows = []
        for r in group:
            by_code = {line.code: line for line in r.lines}
            row = [r.rank, r.unit_name]
            for code in codes:
                line = by_code.get(code)
                row += [line.count, line.have, line.deficit] if line else [None, None, None]
            row += [r.missing, r.bonus_articles, r.shown_score]
            if previous is not None:
                old = previous.get(r.unit_id)
                row += [old.shown_score, r.shown_score - old.shown_score] if old else [None, None]
            rows.append(row)
        kind_label = KIND_LABELS.get(kind, kind)
        workbook.add_sheet(kind_label, headers, rows,
                           title=title or f"{year}年度宣传工作考核统计表（{kind_label}）")
    if not workbook.sheetnames:
        workbook.add_sheet("考核统计", ["单位"], [], title=f"{year}年度无考核任务")
    return workbook


def periodic_workbook(report):
    """A monthly or quarterly 通报 as Excel: per kind, the period's figures and the progress to its end."""
    workbook = XlsxBook()
    for kind_label, rows in report.by_kind:
        codes = list(dict.fromkeys(line.code for row in rows for line in row.result.lines))
        labels = {line.code: line.label for row in rows for line in row.result.lines}
        headers = ["名次", "单位", "本期报送", "本期采用", "采用率(%)", *[f"{labels[c]}·完成/任务" for c in codes],
                   "缺稿篇数", "预估得分"]
        table = []
        for row in rows:
            by_code = {line.code: line for line in row.result.lines}
            table.append([row.result.rank, row.result.unit_name, row.submitted, row.approved, row.adoption_rate,
                          *[f"{by_code[c].have}/{by_code[c].count}" if c in by_code else None for c in codes],
                          row.result.missing, row.result.shown_score])
        workbook.add_sheet(kind_label, headers, table, title=f"{report.title}（{kind_label}）")
    if not workbook.sheetnames:
        workbook.add_sheet("通报", ["单位"], [], title=f"{report.title}：无考核任务")
    return workbook


# --- Builders of the background exports (publicity/background_exports.py) ------------------------------


def bulletin_workbook(*, year: int):
    """考核通报 of the year as a workbook, with the bulletin it shows: the snapshot once published or closed, else
    the estimate. An app above may add sheets before it is written (reporting adds 工作落实情况)."""
    bulletin = bulletin_for_year(year=year)
    suffix = "（预估）" if bulletin.estimate else ""
    # issue 15: last year's score beside this year's, as the bulletin of that year shows it.
    previous = {r.unit_id: r for r in bulletin_for_year(year=year - 1).results}
    workbook = statistics_workbook(year=year, results=bulletin.results, title=f"{year}年度宣传工作考核通报{suffix}",
                                   previous=previous)
    return workbook, bulletin


def bulletin_built(*, year: int, workbook, bulletin) -> ExportBuilt:
    suffix = "（预估）" if bulletin.estimate else ""
    return ExportBuilt(filename=f"{year}年度宣传工作考核通报{suffix}.xlsx", content=workbook.to_bytes(),
                       action="bulletin_export", target="scoring.yearclose", rows=len(bulletin.results),
                       details={"year": year})


def bulletin_export(*, user, year: int):
    """考核通报 of the year as Excel (the scores alone; the background export names reporting's builder, which adds
    the 工作落实情况 sheet)."""
    workbook, bulletin = bulletin_workbook(year=year)
    return bulletin_built(year=year, workbook=workbook, bulletin=bulletin)


def periodic_export(*, user, year: int, period: str, number: int):
    """定期通报 of a month or quarter as Excel."""
    report = periodic_bulletin(year=year, period=period, number=number)
    return ExportBuilt(filename=f"{report.title}.xlsx", content=periodic_workbook(report).to_bytes(),
                       action="periodic_export", target="publicity.publication")
