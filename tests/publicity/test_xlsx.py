import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from publicity.xlsx import new_workbook, workbook_bytes, write_large_sheet


def test_a_large_sheet_reads_back_with_its_values_types_and_date_format():
    rows = [["汉滨区", "A & B <c> \x01", 1200, Decimal("1.5"), datetime.date(2011, 5, 3), None, True],
            ["汉阴县", "", None, 7, None, "x", False]]
    workbook = new_workbook()
    write_large_sheet(workbook, "明细", ["单位", "标题", "字数", "分", "日期", "备注", "头条"], rows, date_column=4)
    ws = load_workbook(io.BytesIO(workbook_bytes(workbook)))["明细"]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["单位", "标题", "字数", "分", "日期", "备注", "头条"],
        ["汉滨区", "A & B <c> ", 1200, 1.5, datetime.datetime(2011, 5, 3), None, True],
        ["汉阴县", None, None, 7, None, "x", False],
    ]
    assert ws["E2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold


def test_a_large_sheet_without_rows_keeps_only_the_header():
    workbook = new_workbook()
    write_large_sheet(workbook, "明细", ["单位"], [], date_column=None)
    ws = load_workbook(io.BytesIO(workbook_bytes(workbook)))["明细"]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [["单位"]]
