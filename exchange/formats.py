"""django-import-export formats for the exchange: what units send in, and what the system writes out.

- `ExcelFormat` reads .xlsx and .xls alike (told apart by their first bytes, not their name) and normalises the
  messy sheet into a clean dataset before the resource sees it: the header row found by its column names, title
  rows, blank rows and unknown columns dropped, merged cells filled, cells trimmed; each row keeps its Excel row
  number (first column, 行号) so that every error can name it. A format is bound to one table's columns
  (`ExcelFormat.for_table`): each resource has its own.
- `SafeXLSX` writes a dataset through `core.xlsx_writer.XlsxBook`: user text always as text (never a formula),
  dates formatted, widths set, the header frozen, and fast enough for 50,000 rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import tablib
from import_export.formats.base_formats import Format

from core.xlsx_writer import XLSX_CONTENT_TYPE, XlsxBook
from exchange import reader


class ExcelFormat(Format):
    headers: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    def __init__(self, encoding=None, filename: str = ""):
        self.filename = filename

    @classmethod
    def for_table(cls, headers: Sequence[str], required: Sequence[str]) -> type[ExcelFormat]:
        return type("TableExcelFormat", (cls,), {"headers": tuple(headers), "required": tuple(required)})

    def get_title(self):
        return "Excel（.xlsx 或 .xls）"

    def get_extension(self):
        return "xlsx"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        content = in_stream if isinstance(in_stream, bytes) else in_stream.read()
        grid = reader.read_grid(content, filename=self.filename)
        table = reader.find_table(grid, headers=self.headers, required=self.required)
        missing = [h for h in self.required if h not in table.headers]
        if missing:
            raise reader.ExcelReadError("；".join(reader.MISSING_HEADER_MESSAGE.format(header=h) for h in missing))
        if not table.rows:
            raise reader.ExcelReadError(reader.EMPTY_TABLE_MESSAGE)
        dataset = tablib.Dataset(*([number, *(values[h] for h in table.headers)] for number, values in table.rows),
                                 headers=[reader.ROW, *table.headers])
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
