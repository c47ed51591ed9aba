"""Writing the Excel files the bureau and units exchange: Chinese headers, sensible widths, frozen header.

Every export (assessment statistics, detail table, bulletins, payout sheets) goes through these helpers so
that the files look alike and open cleanly in Excel and WPS.
"""

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TITLE_FONT = Font(bold=True, size=14)


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    # CJK characters take two columns in Excel's width unit.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_sheet(ws, headers: Sequence[str], rows: Iterable[Sequence], *, title: str | None = None,
                min_width: int = 6, max_width: int = 60) -> None:
    """Write an optional title row, the header row and the rows; freeze below the header."""
    if title:
        ws.append([title])
        ws.cell(row=1, column=1).font = TITLE_FONT
    ws.append(list(headers))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [_display_width(h) for h in headers]
    for row in rows:
        values = [float(v) if isinstance(v, Decimal) else v for v in row]
        ws.append(values)
        for i, value in enumerate(values[: len(widths)]):
            widths[i] = max(widths[i], _display_width(value))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(min_width, min(max_width, width + 2))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """An attachment download; the Chinese file name is sent RFC 5987-encoded."""
    from urllib.parse import quote

    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
