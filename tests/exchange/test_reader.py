import datetime

import pytest

from exchange import cells, reader
from tests.exchange.excel_files import FILES, xlsx_bytes

HEADERS = ("单位", "标题", "媒体", "发表日期", "字数")
REQUIRED = ("单位", "标题", "媒体", "发表日期")


def read_table(content, *, filename, headers, required):
    return reader.find_table(reader.read_grid(content, filename=filename), headers=headers, required=required)


@pytest.mark.parametrize("value, expected", [
    (datetime.datetime(2011, 5, 3, 0, 0), datetime.date(2011, 5, 3)),
    (datetime.date(2011, 5, 3), datetime.date(2011, 5, 3)),
    (40666, datetime.date(2011, 5, 3)),  # an Excel serial number that lost its date format
    (40666.0, datetime.date(2011, 5, 3)),
    ("2011-05-03", datetime.date(2011, 5, 3)),
    ("2011/5/3", datetime.date(2011, 5, 3)),
    ("2011.5.3", datetime.date(2011, 5, 3)),
    ("2011年5月3日", datetime.date(2011, 5, 3)),
    ("２０１１年５月３日", datetime.date(2011, 5, 3)),
    (" 2011 - 5 - 3 ", datetime.date(2011, 5, 3)),
    ("20110503", datetime.date(2011, 5, 3)),
])
def test_it_understands_every_date_form_of_the_table(value, expected):
    assert cells.parse_date(value) == expected


def test_it_reads_serial_dates_of_the_1904_system():
    assert cells.parse_date(39204, datemode=1) == datetime.date(2011, 5, 3)


@pytest.mark.parametrize("value", ["5月3日", "2011-13-01", "2011-02-30", "昨天", -3, True])
def test_it_rejects_what_is_not_a_date(value):
    with pytest.raises(cells.CellError):
        cells.parse_date(value)


@pytest.mark.parametrize("value, expected", [
    (1200, 1200), (1200.0, 1200), ("1200", 1200), ("１２００", 1200), (" 1,200 ", 1200), ("1200字", 1200),
    ("0", 0),
])
def test_it_reads_integers_stored_as_text_or_full_width(value, expected):
    assert cells.parse_int(value) == expected


@pytest.mark.parametrize("value", ["一千二", "12.5", 12.5, -1, "-1", "约1000"])
def test_it_rejects_what_is_not_a_whole_number(value):
    with pytest.raises(cells.CellError):
        cells.parse_int(value)


def test_header_keys_ignore_every_kind_of_space_and_full_width_forms():
    assert cells.header_key(" 单\u3000位 ") == "单位"
    assert cells.header_key("市级媒体（含局网站）稿件") == cells.header_key("市级媒体(含局网站)稿件")


def test_it_finds_the_header_below_title_rows_and_skips_blank_rows_and_unknown_columns():
    content = xlsx_bytes([
        ["安康市人社局2011年度宣传稿件明细表"],
        ["填报单位：汉滨区", None, None, "填报日期：2011年12月20日"],
        [],
        ["序号", "单 位", "标　题", "媒体", "发表日期", "备注"],
        [1, "汉滨区", "甲", "安康日报", "2011-05-03", "无"],
        [None, None, None, None, None, None],
        [2, "汉滨区", "乙", "陕西日报", "2011-06-01", None],
        [3, None, None, None, None, "只有备注"],
    ], merges=["A1:F1"])
    table = read_table(content, filename="a.xlsx", headers=HEADERS, required=REQUIRED)
    assert table.header_row == 4
    assert table.headers == ["单位", "标题", "媒体", "发表日期"]
    assert [number for number, _values in table.rows] == [5, 7]
    assert table.rows[1][1] == {"单位": "汉滨区", "标题": "乙", "媒体": "陕西日报", "发表日期": "2011-06-01"}


def test_a_unit_merged_over_several_rows_belongs_to_each_of_them():
    content = xlsx_bytes([
        ["单位", "标题", "媒体", "发表日期"],
        ["汉滨区", "甲", "安康日报", "2011-05-03"],
        [None, "乙", "安康日报", "2011-05-04"],
        [None, "丙", "安康日报", "2011-05-05"],
    ], merges=["A2:A4"])
    table = read_table(content, filename="a.xlsx", headers=HEADERS, required=REQUIRED)
    assert [values["单位"] for _number, values in table.rows] == ["汉滨区", "汉滨区", "汉滨区"]


def test_it_reads_a_legacy_xls_file_with_title_rows_and_merged_cells():
    content = (FILES / "articles_dirty.xls").read_bytes()
    table = read_table(content, filename="articles_dirty.xls", headers=HEADERS, required=REQUIRED)
    assert table.header_row == 3
    assert [number for number, _values in table.rows] == [4, 5, 6]
    assert [values["单位"] for _number, values in table.rows] == ["汉滨区", "汉滨区", "汉阴县"]
    assert table.rows[0][1]["发表日期"] == datetime.date(2011, 5, 3)
    assert table.rows[0][1]["字数"] == "１２００"


def test_a_file_without_the_header_row_is_refused_in_chinese():
    content = xlsx_bytes([["名称", "日期"], ["甲", "2011-05-03"]])
    with pytest.raises(reader.ExcelReadError, match="未找到表头行"):
        read_table(content, filename="a.xlsx", headers=HEADERS, required=REQUIRED)


def test_a_file_that_is_not_excel_is_refused_in_chinese():
    with pytest.raises(reader.ExcelReadError, match="请上传 Excel 文件"):
        read_table(b"name,date\n", filename="a.csv", headers=HEADERS, required=REQUIRED)


def test_it_reads_the_first_sheet_that_has_the_header_and_skips_hidden_ones():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["填表说明：请在第二个工作表填写"])
    hidden = workbook.create_sheet("隐藏")
    hidden.append(list(REQUIRED))
    hidden.append(["隐藏单位", "甲", "安康日报", "2011-05-03"])
    hidden.sheet_state = "hidden"
    data = workbook.create_sheet("明细")
    data.append(list(REQUIRED))
    data.append(["汉滨区", "乙", "安康日报", "2011-05-03"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), filename="a.xlsx", headers=HEADERS, required=REQUIRED)
    assert [values["单位"] for _number, values in table.rows] == ["汉滨区"]


def test_a_workbook_of_the_1904_date_system_is_recognised_for_serial_numbers_typed_as_numbers():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.epoch = __import__("openpyxl").utils.datetime.MAC_EPOCH
    workbook.active.append(list(REQUIRED))
    workbook.active.append(["汉滨区", "甲", "安康日报", 39204])
    buffer = io.BytesIO()
    workbook.save(buffer)
    grid = reader.read_grid(buffer.getvalue(), filename="mac.xlsx")
    assert grid.datemode == 1
    assert cells.parse_date(39204, datemode=grid.datemode) == datetime.date(2011, 5, 3)


def test_full_width_spaces_around_a_cell_are_trimmed_and_blank_cells_are_none():
    content = xlsx_bytes([list(REQUIRED), ["\u3000汉滨区 ", "  ", "安康日报", "2011-05-03"]])
    table = read_table(content, filename="a.xlsx", headers=HEADERS, required=REQUIRED)
    assert table.rows[0][1]["单位"] == "汉滨区" and table.rows[0][1]["标题"] is None
