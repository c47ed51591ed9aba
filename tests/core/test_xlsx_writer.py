import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx_writer import XlsxBook


def _sheet(book: XlsxBook, name: str):
    return load_workbook(io.BytesIO(book.to_bytes()))[name]


def test_a_large_sheet_reads_back_with_its_values_types_and_date_format():
    rows = [["汉滨区", "A & B <c> \x01", 1200, Decimal("1.5"), datetime.date(2011, 5, 3), None, True],
            ["汉阴县", "", None, 7, None, "x", False]]
    book = XlsxBook()
    book.add_large_sheet("明细", ["单位", "标题", "字数", "分", "日期", "备注", "头条"], rows, date_columns=[4])
    ws = _sheet(book, "明细")
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["单位", "标题", "字数", "分", "日期", "备注", "头条"],
        ["汉滨区", "A & B <c> ", 1200, 1.5, datetime.datetime(2011, 5, 3), None, True],
        ["汉阴县", None, None, 7, None, "x", False],
    ]
    assert ws["E2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold


def test_a_large_sheet_without_rows_keeps_only_the_header():
    book = XlsxBook()
    book.add_large_sheet("明细", ["单位"], [])
    ws = _sheet(book, "明细")
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [["单位"]]


def test_a_large_book_leaves_only_whole_so_no_half_built_copy_can_be_saved():
    # Issue 13: a large export handed around as an openpyxl Workbook could be saved with only its sample row.
    book = XlsxBook()
    rows = [[f"稿件{i}", i] for i in range(3000)]
    book.add_large_sheet("明细", ["标题", "序号"], rows)
    assert not hasattr(book, "save")
    ws = _sheet(book, "明细")
    assert ws.max_row == 3001 and ws.cell(row=3001, column=1).value == "稿件2999"


def test_text_that_looks_like_a_formula_stays_text_in_every_kind_of_sheet():
    evil = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
    book = XlsxBook()
    book.add_sheet("小表", ["标题"], [[value] for value in evil], title="=标题行")
    book.add_large_sheet("大表", ["=表头"], [[value] for value in evil])
    workbook = load_workbook(io.BytesIO(book.to_bytes()))
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert [c.value for c in workbook["小表"]["A"]][2:] == evil
    assert [c.value for c in workbook["大表"]["A"]][1:] == evil


def test_the_response_is_an_attachment_with_the_chinese_name_encoded():
    book = XlsxBook()
    book.add_sheet("表", ["单位"], [["汉滨区"]])
    response = book.response("2011年统计表.xlsx")
    encoded = "2011%E5%B9%B4%E7%BB%9F%E8%AE%A1%E8%A1%A8.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{encoded}"
    assert load_workbook(io.BytesIO(response.content))["表"]["A2"].value == "汉滨区"
