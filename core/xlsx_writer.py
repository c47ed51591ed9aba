"""Writing the Excel files the bureau and units exchange: Chinese headers, sensible widths, frozen header.

Every workbook the system writes (detail and statistics tables, bulletins, payout sheets, reports, templates,
the admin's list exports) is an `XlsxBook`, so that the files look alike, open cleanly in Excel and WPS, and:

- **user text is always text** (OWASP formula injection): a title typed as `=HYPERLINK(…)` is written as a
  string cell, never as a formula, whatever it starts with (openpyxl alone turns any string beginning with
  "=" into a formula);
- **a workbook is only ever saved whole**: `to_bytes()` / `response()` are the only ways out. Large sheets
  (tens of thousands of rows) are serialised straight to sheet XML when the book is saved, and there is no
  half-built openpyxl `Workbook` that a caller could `save()` with only its sample row in it.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TITLE_FONT = Font(bold=True, size=14)
DATE_FORMAT = "yyyy-mm-dd"
WIDTH_SAMPLE_ROWS = 2000
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def display_width(value) -> int:
    text = "" if value is None else str(value)
    # CJK characters take two columns in Excel's width unit.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def as_text(cell: Cell) -> Cell:
    """Keep a string cell a string: openpyxl makes "=…" a formula, which Excel would run on opening."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


class XlsxBook:
    """A workbook under construction. Sheets are added whole; the book leaves only as bytes."""

    def __init__(self):
        self._workbook = Workbook()
        self._workbook.remove(self._workbook.active)
        self._large: dict[int, tuple[Sequence[Sequence], frozenset[int]]] = {}

    @property
    def sheetnames(self) -> list[str]:
        return self._workbook.sheetnames

    def add_sheet(self, name: str, headers: Sequence[str], rows: Iterable[Sequence], *, title: str | None = None,
                  min_width: int = 6, max_width: int = 60, date_columns: Iterable[int] = ()):
        """An optional title row, the header row and the rows; frozen below the header.

        Returns the openpyxl worksheet for extras such as drop-downs (templates); its cells are text-safe.
        """
        ws = self._workbook.create_sheet(name)
        if title:
            ws.append([title])
            ws.cell(row=1, column=1).font = TITLE_FONT
        ws.append([_plain(h) for h in headers])
        header_row = ws.max_row
        for cell in ws[header_row]:
            as_text(cell)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        widths = [display_width(h) for h in headers]
        dates = frozenset(date_columns)
        for row in rows:
            values = [_plain(v) for v in row]
            ws.append(values)
            for i, cell in enumerate(ws[ws.max_row]):
                as_text(cell)
                if i in dates and cell.value is not None:
                    cell.number_format = DATE_FORMAT
            for i, value in enumerate(values[: len(widths)]):
                widths[i] = max(widths[i], display_width(value))
        if title:
            as_text(ws.cell(row=1, column=1))
        self._set_widths(ws, widths, min_width, max_width)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        return ws

    def add_large_sheet(self, name: str, headers: Sequence[str], rows: Sequence[Sequence], *,
                        date_columns: Iterable[int] = (), min_width: int = 6, max_width: int = 60) -> None:
        """`add_sheet` for tens of thousands of rows: a 50,000-row detail table in about a second.

        openpyxl spends some 200 µs per cell building and serialising cell objects; here it writes the sheet
        with its header and one sample row (which registers the date style), and `to_bytes` replaces the
        sample with the rows serialised directly as XML (inline strings — always text —, numbers, dates as
        serial numbers in the registered date style). Column widths come from the first WIDTH_SAMPLE_ROWS rows.
        """
        dates = frozenset(date_columns)
        self.add_sheet(name, headers, list(rows[:1]), min_width=min_width, max_width=max_width, date_columns=dates)
        ws = self._workbook[name]
        widths = [display_width(h) for h in headers]
        for row in rows[:WIDTH_SAMPLE_ROWS]:
            for i, value in enumerate(row[: len(widths)]):
                widths[i] = max(widths[i], display_width(value))
        self._set_widths(ws, widths, min_width, max_width)
        if rows:
            for column in dates:  # the sample row registers the date style even where its own cell is empty
                ws.cell(row=2, column=column + 1).number_format = DATE_FORMAT
            self._large[self._workbook.index(ws)] = (rows, dates)

    def worksheet(self, name: str):
        return self._workbook[name]

    def create_plain_sheet(self, name: str):
        """An empty worksheet for small helper tables (the hidden drop-down options of a template)."""
        return self._workbook.create_sheet(name)

    def set_active(self, index: int) -> None:
        self._workbook.active = index

    @staticmethod
    def _set_widths(ws, widths: list[int], min_width: int, max_width: int) -> None:
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(min_width, min(max_width, width + 2))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return _splice_large_rows(buffer.getvalue(), self._large) if self._large else buffer.getvalue()

    def response(self, filename: str) -> HttpResponse:
        """An attachment download; the Chinese file name is sent RFC 5987-encoded."""
        response = HttpResponse(self.to_bytes(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


def _rows_xml(rows: Sequence[Sequence], dates: frozenset[int], date_style: str, first_row: int) -> str:
    letters = [get_column_letter(i) for i in range(1, max((len(r) for r in rows), default=0) + 1)]
    parts = []
    for number, row in enumerate(rows, start=first_row):
        parts.append(f'<row r="{number}">')
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            ref = f"{letters[i]}{number}"
            if isinstance(value, bool):
                parts.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | Decimal):
                parts.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
            elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                style = f' s="{date_style}"' if i in dates and date_style else ""
                parts.append(f'<c r="{ref}"{style} t="n"><v>{(value - _EXCEL_EPOCH).days}</v></c>')
            else:
                text = xml_escape(_ILLEGAL_XML.sub("", str(value)))
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        parts.append("</row>")
    return "".join(parts)


def _splice_large_rows(content: bytes, large: dict) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if match and int(match.group(1)) - 1 in large:
                rows, dates = large[int(match.group(1)) - 1]
                xml = data.decode()
                sample = re.search(r'<row r="2"[^>]*>.*?</row>', xml, re.S)
                if sample is None:  # an empty sample row is not written: the rows go at the end
                    sample = re.search(r"(?=</sheetData>)", xml)
                date_style = ""
                for column in sorted(dates):
                    cell = re.search(rf'<c r="{get_column_letter(column + 1)}2"[^>]*?s="(\d+)"', sample.group(0))
                    if cell:
                        date_style = cell.group(1)
                        break
                xml = xml[:sample.start()] + _rows_xml(rows, dates, date_style, 2) + xml[sample.end():]
                last = get_column_letter(max(len(r) for r in rows))
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}{len(rows) + 1}"/>', xml,
                             count=1)
                data = xml.encode()
            target.writestr(item, data)
    return out.getvalue()
