"""django-import-export formats for the exchange: what units send in, and what the system writes out.

- `ExcelFormat` reads .xlsx and .xls alike (told apart by their first bytes, not their name) into the plain grid
  of `exchange.reader`; the resources find the table in it.
- `SafeXLSX` writes a dataset through `core.xlsx_writer.XlsxBook`: user text always as text (never a formula),
  dates formatted, widths set, the header frozen, and fast enough for 50,000 rows.
"""

from __future__ import annotations

import datetime

import tablib
from import_export.formats.base_formats import Format

from core.xlsx_writer import XLSX_CONTENT_TYPE, XlsxBook
from exchange import reader


class ExcelFormat(Format):
    def __init__(self, encoding=None, filename: str = ""):
        self.filename = filename

    def get_title(self):
        return "Excel（.xlsx 或 .xls）"

    def get_extension(self):
        return "xlsx"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        content = in_stream if isinstance(in_stream, bytes) else in_stream.read()
        grid = reader.read_grid(content, filename=self.filename)
        dataset = tablib.Dataset(headers=[reader.SHEET, reader.ROW, *(str(i) for i in range(1, grid.width + 1))])
        width = grid.width
        for sheet, number, cells in grid.rows:
            dataset.append([sheet, number, *cells, *([None] * (width - len(cells)))])
        dataset.datemode = grid.datemode
        return dataset


class SafeXLSX(Format):
    def get_title(self):
        return "xlsx"

    def get_extension(self):
        return "xlsx"

    def get_content_type(self):
        return XLSX_CONTENT_TYPE

    def can_export(self):
        return True

    def export_data(self, dataset, **kwargs):
        return dataset_xlsx(dataset)


def dataset_xlsx(*datasets: tablib.Dataset) -> bytes:
    book = XlsxBook()
    for number, dataset in enumerate(datasets, start=1):
        rows = list(dataset)
        dates = [i for i in range(len(dataset.headers or ())) if _is_date_column(rows, i)]
        book.add_large_sheet((dataset.title or f"Sheet{number}")[:31], dataset.headers or [], rows, date_columns=dates)
    return book.to_bytes()


def _is_date_column(rows, index: int) -> bool:
    for row in rows[:200]:
        value = row[index] if index < len(row) else None
        if value not in (None, ""):
            return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    return False
