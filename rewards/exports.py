"""Text tables and Excel workbooks of rewards and payout batches (Chinese headers, core/xlsx_writer.py)."""

import unicodedata
from collections import defaultdict
from decimal import Decimal

from core.xlsx_writer import XlsxBook
from rewards.rates import ZERO

REWARD_HEADERS = ["序号", "单位", "标题", "最高等次媒体", "奖励金额（元）", "领取人及金额"]
PAYOUT_HEADERS = ["序号", "单位", "领取人", "稿件标题", "最高等次媒体", "应得金额（元）", "此前已发（元）",
                  "本次发放（元）", "签领"]
UNIT_HEADERS = ["序号", "单位", "稿件数", "领取人数", "本次发放（元）", "签领"]


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


def render_table(rows: list[list[str]], *, numeric: set[int]) -> list[str]:
    widths = [max(text_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i], i in numeric and n > 0) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _recipients_text(reward) -> str:
    return "、".join(f"{r.name} {r.amount}" for r in reward.recipients)


def rewards_table(result) -> str:
    rows = [["单位", "标题", "媒体", "金额（元）", "领取人"]]
    for m in result.manuscripts:
        rows.append([m.unit, m.title, m.outlet, f"{m.amount}", _recipients_text(m)])
    rows.append(["合计", f"{len(result.manuscripts)}篇", "", f"{result.total}", ""])
    return "\n".join([f"{result.year}年度宣传稿件奖励（{result.sheet}）", "", *render_table(rows, numeric={3})])


def rewards_workbook(result):
    workbook = XlsxBook()
    rows = [[i, m.unit, m.title, m.outlet, m.amount, _recipients_text(m)]
            for i, m in enumerate(result.manuscripts, start=1)]
    rows.append(["合计", "", f"{len(result.manuscripts)}篇", "", result.total, ""])
    workbook.add_sheet("稿件奖励", REWARD_HEADERS, rows, title=f"{result.year}年度宣传稿件奖励明细")
    return workbook


def payout_title(batch) -> str:
    return f"{batch.year}年度宣传稿件奖励发放表（截至{batch.period_end:%Y年%m月%d日}）"


def unit_summary_title(batch) -> str:
    return f"{batch.year}年度宣传稿件奖励单位汇总（截至{batch.period_end:%Y年%m月%d日}）"


def payout_rows(lines) -> list[list]:
    """The payout sheet's rows (PAYOUT_HEADERS, the last column empty to sign), then the total: one layout for
    the Excel sheet, the print view and the PDF."""
    rows, total = [], ZERO
    for i, line in enumerate(lines, start=1):
        rows.append([i, line.unit.name, line.recipient + ("（集体）" if line.is_collective else ""),
                     line.manuscript.title, line.outlet.name if line.outlet else "", line.amount_due,
                     line.amount_paid_before, line.amount, ""])
        total += line.amount
    rows.append(["合计", "", "", "", "", None, None, total, ""])
    return rows


def unit_summary_rows(lines) -> list[list]:
    """Per unit (UNIT_HEADERS): manuscripts, recipients, amount and a column to sign; then the total."""
    rows = [[i, s["unit"].name, s["manuscripts"], s["recipients"], s["amount"], ""]
            for i, s in enumerate(unit_summaries(lines), start=1)]
    rows.append(["合计", "", None, None, sum((line.amount for line in lines), Decimal("0.00")), ""])
    return rows


def payout_sheet(batch, lines, *, title: str | None = None):
    """The payout sheet (奖励发放表): one row per recipient and manuscript, a 签领 column to sign."""
    workbook = XlsxBook()
    workbook.add_sheet("奖励发放表", PAYOUT_HEADERS, payout_rows(lines), title=title or payout_title(batch))
    _add_unit_sheet(workbook, batch, lines)
    return workbook


def unit_summaries(lines) -> list[dict]:
    """Per unit: manuscripts, recipients and the amount of this batch."""
    by_unit: dict = defaultdict(lambda: {"manuscripts": set(), "recipients": set(), "amount": ZERO})
    order = []
    for line in lines:
        if line.unit not in by_unit:
            order.append(line.unit)
        entry = by_unit[line.unit]
        entry["manuscripts"].add(line.manuscript_id)
        entry["recipients"].add(line.recipient)
        entry["amount"] += line.amount
    return [{"unit": unit, "manuscripts": len(by_unit[unit]["manuscripts"]),
             "recipients": len(by_unit[unit]["recipients"]), "amount": by_unit[unit]["amount"]} for unit in order]


def _add_unit_sheet(workbook, batch, lines) -> None:
    workbook.add_sheet("单位汇总", UNIT_HEADERS, unit_summary_rows(lines), title=unit_summary_title(batch))


def unit_summary_workbook(batch, lines):
    """Per-unit summaries: a totals sheet, then one sheet per unit with its recipients to sign."""
    workbook = XlsxBook()
    _add_unit_sheet(workbook, batch, lines)
    by_unit = defaultdict(list)
    for line in lines:
        by_unit[line.unit].append(line)
    used = set()
    for unit, unit_lines in by_unit.items():
        name = unit.name[:31]
        while name in used:
            name = name[:28] + str(len(used))
        used.add(name)
        rows = [[i, unit.name, line.recipient, line.manuscript.title, line.outlet.name if line.outlet else "",
                 line.amount_due, line.amount_paid_before, line.amount, ""]
                for i, line in enumerate(unit_lines, start=1)]
        rows.append(["合计", "", "", "", "", None, None, sum((x.amount for x in unit_lines), ZERO), ""])
        workbook.add_sheet(name, PAYOUT_HEADERS, rows,
                    title=f"{unit.name} {batch.year}年度宣传稿件奖励发放表")
    return workbook
