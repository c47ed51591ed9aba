"""Small files for proof uploads: real files of each format (they open as what they claim), built in memory."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import sample_pdf
from home.management.commands.demo_data import tiny_png


def png(name="版面.png", seed=1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(seed), content_type="image/png")


def pdf(name="版面.pdf", note="") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(note=note), content_type="application/pdf")


def jpeg_bytes(seed=1) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (seed % 256, 40, 80)).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg(name="照片.jpg", seed=1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(seed), content_type="image/jpeg")


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


def ole2_bytes(stream: str, content: bytes = b"") -> bytes:
    """A real OLE2 compound file (version 3, 512-byte sectors) holding one stream of 4096 bytes, the smallest
    that lives in regular sectors: what olefile opens as a .doc (WordDocument) or .xls (Workbook)."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data = (content + b"\x00" * 4096)[:4096]
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat = [fat_sector, end, *range(3, 10), end]  # sector 0 the FAT, 1 the directory, 2–9 the stream
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", free) * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
                + struct.pack("<III", no_stream, no_stream, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
                + struct.pack("<II", start, size) + b"\x00" * 4)

    directory = (entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, no_stream, 2, 4096)
                 + entry("", 0, no_stream, 0, 0) * 2)
    return header + fat_bytes + directory + data


def ole2(stream: str, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ole2_bytes(stream))


def exe(name="凭证.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
