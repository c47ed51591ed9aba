"""Small files for proof uploads: real magic bytes, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from home.management.commands.demo_data import tiny_png


def png(name="版面.png", seed=1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(seed), content_type="image/png")


def pdf(name="版面.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_zip(parts: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<xml/>")
    return buffer.getvalue()


def docx(name="报道.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, office_zip(["[Content_Types].xml", "word/document.xml"]))


def xlsx(name="明细.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, office_zip(["[Content_Types].xml", "xl/workbook.xml"]))


def ole2(stream: str, name: str) -> SimpleUploadedFile:
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le") + b"\x00" * 100
    return SimpleUploadedFile(name, body)


def exe(name="凭证.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
