"""django-import-export widgets for the notice's tables: one cell in (`clean`), one value out (`render`).

A widget belongs to one resource instance (the library copies fields per resource), so the look-up tables
(units, outlets) are loaded once per import and each distinct cell text is understood once: a 50,000-row
table repeats the same few units, outlets, kinds and dates thousands of times.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from import_export.widgets import Widget

from core.text import normalize_name, tidy_spaces
from exchange import cells
from scoring import rules

UNKNOWN_UNIT_MESSAGE = "系统中没有这个单位，请使用单位的全称（如“汉滨区”），或请管理员先添加该单位"
UNKNOWN_OUTLET_MESSAGE = "系统中没有这个媒体，请填写媒体名称或常用别名（如“安康日报”），或请审核员先在后台添加该媒体"
UNKNOWN_KIND_MESSAGE = "稿件类型应为 新闻、信息、专题、经验交流 或 调研（留空视为新闻）"
UNKNOWN_TOPIC_MESSAGE = "专项应为 双创、纪检监察 或留空"
UNKNOWN_STATUS_MESSAGE = "审核状态应为 草稿、待审核、已通过 或 已退回（留空视为已通过）"
UNKNOWN_UNIT_KIND_MESSAGE = "单位类型应为 县区、机关科室 或 局属单位"
BAD_URL_MESSAGE = "链接应为以 http:// 或 https:// 开头的网址"
YEAR_RANGE_MESSAGE = "年份超出范围（2000—2100）"

FRONT_HEADLINE = "头版头条"
DEFAULT_KIND = "news"

# What the detail table says (§10) → kind code; the short labels are what exports write.
KIND_EXPORT_LABELS = {"news": "新闻", "info": "信息", "feature": "专题", "experience": "经验交流", "research": "调研"}
KIND_ALIASES = {
    **{label: code for code, label in KIND_EXPORT_LABELS.items()},
    **{label: code for code, label in rules.KIND_LABELS.items()},
    **{code: code for code in rules.KINDS},
    "新闻稿件": "news", "信息稿件": "info", "专题片": "feature", "经验交流材料": "experience",
    "会议经验交流": "experience", "调研报告": "research", "调研文章": "research",
}
TOPIC_ALIASES = {
    **{label: code for code, label in rules.TOPIC_LABELS.items()},
    **{code: code for code in rules.TOPICS},
    "双创报道": "shuangchuang", "纪检": "discipline", "纪检监察信息": "discipline",
    "无": "", "否": "", "-": "", "—": "", "/": "",
}
STATUS_LABELS = {"draft": "草稿", "submitted": "待审核", "approved": "已通过", "rejected": "已退回"}
STATUS_ALIASES = {**{label: code for code, label in STATUS_LABELS.items()}, **{code: code for code in STATUS_LABELS},
                  "通过": "approved", "审核通过": "approved", "已审核": "approved", "待审": "submitted",
                  "退回": "rejected", "未通过": "rejected"}
UNIT_KIND_LABELS = {"county": "县区", "section": "机关科室", "affiliated": "局属单位"}
UNIT_KIND_ALIASES = {
    **{normalize_name(label): code for code, label in UNIT_KIND_LABELS.items()},
    **{code: code for code in UNIT_KIND_LABELS},
    "县(区)": "county", "区县": "county", "县": "county", "科室": "section", "局机关科室": "section",
    "局属": "affiliated", "直属单位": "affiliated", "局直属单位": "affiliated",
}
NO_LINE_MARKS = {"-", "—", "——", "/", "无", "不适用"}  # how clerks write "no such line" in the allocation table

_url_validator = URLValidator(schemes=["http", "https"])


class CellWidget(Widget):
    """A widget whose `parse` understands one cell; `clean` remembers the answer for each distinct cell."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._memo: dict = {}

    def clean(self, value, row=None, **kwargs):
        key = (type(value), value)
        try:
            hit = self._memo[key]
        except KeyError:
            try:
                hit = self._memo[key] = (True, self.parse(value))
            except cells.CellError as exc:
                hit = self._memo[key] = (False, str(exc))
        if not hit[0]:
            raise cells.CellError(hit[1])
        return hit[1]

    def parse(self, value):
        raise NotImplementedError

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class TextWidget(CellWidget):
    """Prose as typed (a title, a unit or person's name): spaces tidied, punctuation kept."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):  # titles are unique per row: remembering them helps nothing
        return cells.limited(cells.plain_text(value), self.max_length)


class CodeWidget(CellWidget):
    """A short code typed by clerks (稿件编号): NFKC, single spaces."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def parse(self, value):
        return cells.limited(cells.text(value), self.max_length)


class AuthorsWidget(CellWidget):
    """Names separated by 、 ， , ; ； or spaces (§10), stored with 、 (D8 splits on them)."""

    def parse(self, value):
        from rewards.rates import parse_authors

        return cells.limited("、".join(parse_authors(cells.plain_text(value))), 200)


class LookupWidget(CellWidget):
    """A name or alias → model instance, from a table loaded once per import."""

    message = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._table = None

    def table(self) -> dict:
        raise NotImplementedError

    def parse(self, value):
        if self._table is None:
            self._table = self.table()
        try:
            return self._table[normalize_name(cells.text(value))]
        except KeyError:
            raise cells.CellError(self.message) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, "name", value)


class UnitWidget(LookupWidget):
    message = UNKNOWN_UNIT_MESSAGE

    def table(self) -> dict:
        from publicity.models import Unit

        return {normalize_name(unit.name): unit for unit in Unit.objects.all()}


class OutletWidget(LookupWidget):
    message = UNKNOWN_OUTLET_MESSAGE

    def table(self) -> dict:
        from publicity.models import Outlet

        return Outlet.objects.lookup_table()


class ChoiceWidget(CellWidget):
    """A label typed in Chinese (or the code) → code; empty → the default."""

    def __init__(self, *, aliases: dict[str, str], labels: dict[str, str], message: str, default: str | None = "",
                 **kwargs):
        super().__init__(**kwargs)
        self.aliases, self.labels, self.message, self.default = aliases, labels, message, default

    def parse(self, value):
        key = normalize_name(cells.text(value))
        if not key:
            return self.default
        try:
            return self.aliases[key]
        except KeyError:
            raise cells.CellError(self.message) from None

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "") if value else ""


def kind_widget() -> ChoiceWidget:
    return ChoiceWidget(aliases=KIND_ALIASES, labels=KIND_EXPORT_LABELS, message=UNKNOWN_KIND_MESSAGE,
                        default=DEFAULT_KIND)


def topic_widget() -> ChoiceWidget:
    return ChoiceWidget(aliases=TOPIC_ALIASES, labels=rules.TOPIC_LABELS, message=UNKNOWN_TOPIC_MESSAGE)


def status_widget() -> ChoiceWidget:
    return ChoiceWidget(aliases=STATUS_ALIASES, labels=STATUS_LABELS, message=UNKNOWN_STATUS_MESSAGE, default=None)


def unit_kind_widget() -> ChoiceWidget:
    return ChoiceWidget(aliases=UNIT_KIND_ALIASES, labels=UNIT_KIND_LABELS, message=UNKNOWN_UNIT_KIND_MESSAGE,
                        default=None)


class PlacementWidget(CellWidget):
    """版面: 头版头条 or free text (第2版) → (front_headline, page)."""

    def parse(self, value):
        page = cells.text(value)
        if normalize_name(page) == FRONT_HEADLINE:
            return True, ""
        return False, cells.limited(page, 50)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CountWidget(CellWidget):
    """A whole number that clerks type as text too (１２００, 1,200, 1200字); empty → None."""

    def parse(self, value):
        return None if cells.is_blank(value) else cells.parse_int(value)


class QuotaCountWidget(CellWidget):
    """An allocation cell: articles per year, or empty / "—" / 无 for "no such line"."""

    def parse(self, value):
        if value is None or cells.text(value) in NO_LINE_MARKS:
            return None
        return cells.parse_int(value)


class ExcelDateWidget(CellWidget):
    """An Excel date, a serial number, or 2011-05-03 / 2011/5/3 / 2011.5.3 / 2011年5月3日 / 20110503."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.datemode = 0

    def parse(self, value):
        date = cells.parse_date(value, datemode=self.datemode)
        if not 2000 <= date.year <= 2100:
            raise cells.CellError(YEAR_RANGE_MESSAGE)
        return date

    def render(self, value, obj=None, **kwargs):
        return value if isinstance(value, datetime.date) else ""


class UrlWidget(CellWidget):
    def parse(self, value):
        url = cells.text(value).replace(" ", "")
        if not url:
            return ""
        if "://" not in url and "." in url:
            url = "http://" + url  # clerks paste www.example.gov.cn
        try:
            _url_validator(url)
        except ValidationError:
            raise cells.CellError(BAD_URL_MESSAGE) from None
        return cells.limited(url, 500)


def unit_name_key(value) -> str:
    return normalize_name(tidy_spaces(cells.text(value)))
