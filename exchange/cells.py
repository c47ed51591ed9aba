"""Understanding one cell of a table typed by hand (DOMAIN §10): pure functions, no database.

Each `parse_*` turns a cell into a value or raises `CellError` with a Chinese reason that the import reports
next to the row, column and value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

DATE_MESSAGE = "无法识别的日期，应为 Excel 日期或 2011-05-03、2011/5/3、2011.5.3、2011年5月3日 这样的写法"
INT_MESSAGE = "应为不小于 0 的整数"
REQUIRED_MESSAGE = "此项必填，不能为空"
TOO_LONG_MESSAGE = "内容过长，最多 {limit} 个字"

_SPACES = re.compile(r"\s+")


class CellError(ValueError):
    """One cell cannot be understood; the message says what was expected."""


def header_key(value) -> str:
    """A header compared without any space (incl. full-width) and with full-width forms folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", "" if value is None else str(value)))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
    as it is (DOMAIN §10: the stored title keeps what the person typed)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def display(value) -> str:
    """The cell as the user typed it, for error messages and the preview."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def limited(value: str, limit: int) -> str:
    if len(value) > limit:
        raise CellError(TOO_LONG_MESSAGE.format(limit=limit))
    return value


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
