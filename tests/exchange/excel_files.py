"""Building the dirty Excel files the exchange tests feed to the imports."""

import io

from openpyxl import Workbook

FILES = __import__("pathlib").Path(__file__).parent / "files"


def xlsx_bytes(rows, *, merges=(), sheet_title="Sheet1", date_format=None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    if date_format:
        for row in ws.iter_rows():
            for cell in row:
                if hasattr(cell.value, "year"):
                    cell.number_format = date_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
