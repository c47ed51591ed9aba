"""Reading the Excel tables units type by hand (DOMAIN.md §10): .xlsx and legacy .xls.

Nothing here touches the database. `read_table` finds the header row by its column names (title rows
above it and blank rows are skipped, merged cells take the value of their top-left cell, unknown
columns such as 序号 or 备注 are ignored); the `parse_*` functions turn one cell into a value or raise
`CellError` with a Chinese reason that the import reports next to the row, column and value.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# How many rows from the top may hold titles before the header row.
HEADER_SEARCH_ROWS = 30

NOT_EXCEL_MESSAGE = "无法读取文件「{name}」：请上传 Excel 文件（.xlsx 或 .xls）。"
BROKEN_FILE_MESSAGE = "无法读取文件「{name}」：文件已损坏或不是有效的 Excel 文件（{detail}）。"
NO_HEADER_MESSAGE = (
    "未找到表头行：表格前{rows}行中没有同时包含{headers}的行。请检查表头的列名是否与模板一致。"
)
EMPTY_TABLE_MESSAGE = "表格中表头行之下没有数据。"
DATE_MESSAGE = "无法识别的日期，应为 Excel 日期或 2011-05-03、2011/5/3、2011.5.3、2011年5月3日 这样的写法"
INT_MESSAGE = "应为不小于 0 的整数"
REQUIRED_MESSAGE = "此项必填，不能为空"
EMPTY_FILE_MESSAGE = "文件「{name}」是空文件（0 字节），请重新选择要导入的 Excel 文件。"
FILE_TOO_BIG_MESSAGE = "文件「{name}」太大（{size} MB），导入的 Excel 文件不能超过 {limit} MB，请拆分后再导入。"
ZIP_BOMB_MESSAGE = ("文件「{name}」解压后超过 {limit} MB（或内含文件过多），可能已损坏或被恶意构造，"
                    "系统拒绝读取。请用 Excel 重新另存后再导入。")

# Limits checked before any parsing: the upload itself, and an xlsx (a zip) by what it would
# expand to, read from the zip's directory without decompressing anything (a "zip bomb").
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000


class ExcelReadError(Exception):
    """The file as a whole cannot be read (not Excel, no header row)."""


class CellError(ValueError):
    """One cell cannot be understood; the message says what was expected."""


@dataclass
class SheetRow:
    number: int  # as Excel shows it (1-based)
    values: dict[str, object]  # canonical header → raw cell value


@dataclass
class Table:
    headers: list[str]  # canonical headers found in the file, in file order
    rows: list[SheetRow] = field(default_factory=list)
    header_row: int = 0
    datemode: int = 0  # 0 = 1900 date system, 1 = 1904 (Mac Excel)


# --- Header matching ---------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def header_key(value) -> str:
    """A header compared without any space (incl. full-width) and with full-width forms folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", "" if value is None else str(value)))


def _find_header(raw_rows: Sequence[tuple[int, list]], wanted: Sequence[str], required: Sequence[str]):
    keys = {header_key(h): h for h in wanted}
    needed = {header_key(h) for h in required}
    for number, values in raw_rows[:HEADER_SEARCH_ROWS]:
        found = {}
        for index, value in enumerate(values):
            key = header_key(value)
            if key in keys and keys[key] not in found.values():
                found[index] = keys[key]
        if needed <= {header_key(h) for h in found.values()}:
            return number, found
    return None, None


def read_table(source, *, filename: str, headers: Sequence[str], required: Sequence[str]) -> Table:
    """Read the first sheet that has a header row holding every required header."""
    content = source if isinstance(source, bytes) else source.read()
    sheets = _read_sheets(content, filename)
    for raw_rows, datemode in sheets:
        header_row, columns = _find_header(raw_rows, headers, required)
        if header_row is None:
            continue
        table = Table(headers=list(columns.values()), header_row=header_row, datemode=datemode)
        for number, values in raw_rows:
            if number <= header_row:
                continue
            row = {name: _tidy(values[index]) if index < len(values) else None for index, name in columns.items()}
            if all(value is None for value in row.values()):
                continue  # blank rows (and rows holding only unknown columns such as 序号) are normal
            table.rows.append(SheetRow(number=number, values=row))
        return table
    raise ExcelReadError(NO_HEADER_MESSAGE.format(rows=HEADER_SEARCH_ROWS,
                                                  headers="、".join(f"「{h}」" for h in required)))


def _tidy(value):
    if isinstance(value, str):
        value = value.strip().strip("\u3000")
        return value or None
    return value


def zip_is_bomb(content: bytes, *, limit: int | None = None) -> bool:
    """True when a zip would expand beyond `limit` or holds too many members (from its directory).

    A zip whose directory cannot be read is not a bomb; the reader reports it as broken.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    limit = MAX_UNCOMPRESSED_BYTES if limit is None else limit
    return len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > limit


def _read_sheets(content: bytes, filename: str) -> list[tuple[list[tuple[int, list]], int]]:
    name = filename or "上传文件"
    if not content:
        raise ExcelReadError(EMPTY_FILE_MESSAGE.format(name=name))
    if len(content) > MAX_FILE_BYTES:
        raise ExcelReadError(FILE_TOO_BIG_MESSAGE.format(name=name, size=f"{len(content) / 1024 / 1024:.1f}",
                                                         limit=MAX_FILE_BYTES // 1024 // 1024))
    if content[:4] == b"PK\x03\x04":
        if zip_is_bomb(content):
            raise ExcelReadError(ZIP_BOMB_MESSAGE.format(name=name, limit=MAX_UNCOMPRESSED_BYTES // 1024 // 1024))
        return _read_xlsx(content, name)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_xls(content, name)
    raise ExcelReadError(NOT_EXCEL_MESSAGE.format(name=name))


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def _read_xlsx(content: bytes, name: str):
    from openpyxl import load_workbook
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many ways (zip, XML, missing parts)
        raise ExcelReadError(BROKEN_FILE_MESSAGE.format(name=name, detail=_detail(exc))) from exc
    datemode = 1 if workbook.epoch.year == 1904 else 0
    sheets = []
    try:
        for ws in workbook.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            ws.reset_dimensions()  # files written by other tools often carry a wrong dimension
            rows = [(index, list(values)) for index, values in enumerate(ws.iter_rows(values_only=True), start=1)]
            # Read-only sheets do not expose merged ranges: read them from the sheet's XML.
            with ws._get_source() as xml:
                merges = []
                for first, last in _MERGE_REF.findall(xml.read()):
                    (c1, r1), (c2, r2) = (coordinate_from_string(first.decode()),
                                          coordinate_from_string(last.decode()))
                    merges.append((r1, r2, column_index_from_string(c1), column_index_from_string(c2)))
            sheets.append((_fill_merged(rows, merges), datemode))
    except Exception as exc:  # a truncated member shows only when the sheet is read
        raise ExcelReadError(BROKEN_FILE_MESSAGE.format(name=name, detail=_detail(exc))) from exc
    finally:
        workbook.close()
    return sheets


def _detail(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "压缩结构不完整，文件可能只上传了一部分"
    return f"{type(exc).__name__}: {exc}"[:200]


def _read_xls(content: bytes, name: str):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, formatting_info=True)
    except Exception as exc:  # xlrd raises many kinds of errors for broken files
        raise ExcelReadError(BROKEN_FILE_MESSAGE.format(name=name, detail=exc)) from exc
    sheets = []
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0):
            continue
        rows = []
        for r in range(sheet.nrows):
            values = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    values.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append((r + 1, values))
        # xlrd gives (rlo, rhi, clo, chi), zero-based and half-open.
        merges = [(rlo + 1, rhi, clo + 1, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
        sheets.append((_fill_merged(rows, merges), book.datemode))
    return sheets


def _fill_merged(rows: list[tuple[int, list]], merges: Iterable[tuple[int, int, int, int]]):
    """Every cell of a merged range takes the top-left value (a 单位 merged over its rows)."""
    by_number = {number: values for number, values in rows}
    for r1, r2, c1, c2 in merges:
        top = by_number.get(r1)
        if top is None or c1 - 1 >= len(top):
            continue
        value = top[c1 - 1]
        for r in range(r1, r2 + 1):
            values = by_number.get(r)
            if values is None:
                continue
            if len(values) < c2:
                values.extend([None] * (c2 - len(values)))
            for c in range(c1, c2 + 1):
                if values[c - 1] is None:
                    values[c - 1] = value
    return rows


# --- Cell parsers ------------------------------------------------------------------------------


def text(value) -> str:
    """Free text: NFKC (full-width letters and digits, the ideographic space), single spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column (稿件编号 12 → "12")
    if isinstance(value, datetime.datetime):
        value = value.date()
    normalized = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", normalized).strip()


def plain_text(value) -> str:
    """Prose as typed (titles, names): only spaces are tidied; Chinese punctuation such as ，：（） stays
    as it is, so that a title matches the same title entered on the web form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def display(value) -> str:
    """The cell as the user typed it, for error messages."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time() else value.isoformat(" ")
    return str(value)


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_1900 = datetime.date(1899, 12, 30)
_EXCEL_1904 = datetime.date(1904, 1, 1)


def parse_date(value, *, datemode: int = 0) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial date number that lost its date format
            base = _EXCEL_1904 if datemode else _EXCEL_1900
            return base + datetime.timedelta(days=int(value))
        raise CellError(DATE_MESSAGE)
    cleaned = text(value)
    match = _DATE_TEXT.match(cleaned) or _DATE_COMPACT.match(cleaned)
    if not match:
        raise CellError(DATE_MESSAGE)
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError(f"日期不存在（{cleaned}）") from exc


_INT_TEXT = re.compile(r"^(\d[\d,]*)(?:\.0+)?\s*(?:字|篇)?$")


def parse_int(value) -> int:
    if isinstance(value, bool):
        raise CellError(INT_MESSAGE)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(INT_MESSAGE)
        number = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise CellError(INT_MESSAGE)
        number = int(value)
    else:
        match = _INT_TEXT.match(text(value).replace(" ", ""))
        if not match:
            raise CellError(INT_MESSAGE)
        try:
            number = int(Decimal(match.group(1).replace(",", "")))
        except InvalidOperation as exc:
            raise CellError(INT_MESSAGE) from exc
    if number < 0:
        raise CellError(INT_MESSAGE)
    return number
