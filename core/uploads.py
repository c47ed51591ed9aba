"""The one check of uploaded files, shared by every upload path (proofs, report attachments, contribution scans,
the seal image, the API, the Excel imports): a file is what it claims only when it opens as that.

The first bytes say which format a file claims to be; then it must open as one (issue 19: a JPEG, PNG or PDF
header followed by a web page, or an OLE header with HTML, passed a first-bytes check):
- images are decoded by Pillow (`verify`, then `load` of every pixel);
- PDFs are parsed by pypdf (cross-reference table, at least one page);
- xlsx and docx are zips with their content-type list and main part, both well-formed XML;
- doc, xls and WPS are OLE2 compound files whose directory olefile reads and whose main stream it reads whole;
- anything else, and any of these with web-page markup at its start, is refused.
Messages are Chinese and name the file; each caller says which formats it takes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# An xlsx, docx or similar is a zip: what it would expand to is read from the zip's directory without
# decompressing anything (a "zip bomb" is refused before any parser sees it).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_IMAGE_PIXELS = 80_000_000  # an A3 scan at 600 dpi is some 70 million pixels

EMPTY_MESSAGE = "文件「{name}」是空文件（0 字节），请重新选择。"
TOO_LARGE_MESSAGE = "文件「{name}」太大（{size}），不能超过 {limit}。请压缩图片或拆分后再上传。"
EXECUTABLE_MESSAGE = "文件「{name}」是可执行程序，不能上传。"
UNKNOWN_TYPE_MESSAGE = "文件「{name}」不是允许的格式。只能上传{allowed}；格式按文件内容判断，修改扩展名无效。"
BROKEN_MESSAGE = ("文件「{name}」开头像是{kind}，但无法作为{kind}打开（文件已损坏，或是伪装成{kind}的其他文件），"
                  "请重新扫描、导出或另存后再上传。")
MARKUP_MESSAGE = "文件「{name}」中夹带网页代码，不能上传。请重新扫描、导出或另存后再上传。"
ZIP_BOMB_MESSAGE = "文件「{name}」解压后过大（或内含文件过多），可能已损坏或被恶意构造，不能上传。"
NOT_OFFICE_MESSAGE = "文件「{name}」看起来是压缩包而不是 Word 或 Excel 文档，请另存为 docx 或 xlsx 后再上传。"
ENCRYPTED_PDF_MESSAGE = "文件「{name}」是加密的 PDF，系统无法打开，请去掉密码后再上传。"

# Magic bytes of the formats the app takes.
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls and Kingsoft .wps are OLE2 compound files
EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"#!")

# Zip-based office files: the part that makes a zip a Word document or a workbook.
OOXML_PARTS = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
# OLE2 streams that make a compound file a document or a workbook.
OLE2_STREAMS = {
    "WordDocument": ("doc", "application/msword"),
    "Workbook": ("xls", "application/vnd.ms-excel"),
    "Book": ("xls", "application/vnd.ms-excel"),  # Excel 5/95
}

# What each format is called in a message.
KIND_LABELS = {"jpg": "JPG 图片", "png": "PNG 图片", "pdf": "PDF 文件", "docx": "Word 文档", "doc": "Word 文档",
               "wps": "WPS 文档", "xlsx": "Excel 表格", "xls": "Excel 表格"}
IMAGES = frozenset({"jpg", "png"})
SCANS = IMAGES | {"pdf"}
WORKBOOKS = frozenset({"xlsx", "xls"})
OFFICE = WORKBOOKS | {"docx", "doc", "wps"}
DOCUMENTS = SCANS | OFFICE
INLINE_TYPES = ("image/jpeg", "image/png", "application/pdf")  # shown in the browser (sandboxed), not downloaded

# Web-page markup a browser would act on if it ever took the file for a page. Images and PDFs (shown in the
# browser) are searched whole; office files (always downloaded, their text compressed) at their start, where a
# polyglot puts it and where browsers sniff. The tags are long enough not to occur by chance in binary data.
MARKUP = re.compile(rb"<(?:html|script|body|iframe|object|embed)[\s>/]|<!doctype\s+html|javascript:", re.IGNORECASE)
MARKUP_SCAN_BYTES = 2048


@dataclass(frozen=True)
class CheckedFile:
    extension: str  # without the dot, derived from the content
    content_type: str
    size: int
    sha256: str


class _Broken(Exception):
    """The file claims a format and does not open as it."""


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def allowed_label(accept) -> str:
    """The formats of `accept` in words, e.g. "JPG 图片、PNG 图片或 PDF 文件"."""
    labels = list(dict.fromkeys(KIND_LABELS[kind] for kind in ("jpg", "png", "pdf", "docx", "doc", "wps", "xlsx",
                                                                 "xls") if kind in accept))
    return labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "或" + labels[-1]


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


def claimed_format(data: bytes, name: str = "") -> tuple[str, str] | None:
    """(extension, content type) the first bytes claim, or None for a format the app never takes. A zip or OLE2
    file is looked into (its directory only) for what makes it a document or a workbook."""
    if data.startswith(JPEG_MAGIC):
        return "jpg", "image/jpeg"
    if data.startswith(PNG_MAGIC):
        return "png", "image/png"
    if data.startswith(PDF_MAGIC):
        return "pdf", "application/pdf"
    if data.startswith(ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            for part, found in OOXML_PARTS.items():
                if part in names:
                    return found
        return None
    if data.startswith(OLE2_MAGIC):
        stream = _ole_main_stream(data)
        if stream is None:
            return None
        found = OLE2_STREAMS[stream]
        # A Kingsoft WPS document is a Word-like compound file; it keeps its own extension.
        if found[0] == "doc" and name.lower().endswith(".wps"):
            return "wps", "application/vnd.ms-works"
        return found
    return None


def _ole_main_stream(data: bytes) -> str | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return next((stream for stream in OLE2_STREAMS if ole.exists(stream)), None)
    except Exception:  # olefile raises many kinds on a broken directory; all mean "not OLE2"
        return None


def _open_image(data: bytes, extension: str) -> None:
    from PIL import Image

    expected = {"jpg": "JPEG", "png": "PNG"}[extension]
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected or image.width * image.height > MAX_IMAGE_PIXELS:
                raise _Broken
            image.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: decode it afresh
            image.load()
    except _Broken:
        raise
    except Exception as exc:  # Pillow raises many kinds on a file that is not a real image
        raise _Broken from exc


def _open_pdf(data: bytes) -> bool:
    """Parse the PDF; False when it is encrypted with a password."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about sloppy PDFs are not errors here
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        if len(reader.pages) < 1:
            raise _Broken
        reader.pages[0].mediabox  # noqa: B018 - the first page's dictionary is read, not only counted
    except _Broken:
        raise
    except Exception as exc:  # pypdf raises many kinds on a file that is not a real PDF
        raise _Broken from exc
    return True


def _open_ooxml(data: bytes, extension: str) -> None:
    from xml.etree import ElementTree

    main = next(part for part, found in OOXML_PARTS.items() if found[0] == extension)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in ("[Content_Types].xml", main):
                ElementTree.fromstring(archive.read(part))
    except Exception as exc:  # a bad zip member or XML: the document does not open
        raise _Broken from exc


def _open_ole(data: bytes) -> None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = next(stream for stream in OLE2_STREAMS if ole.exists(stream))
            expected = ole.get_size(stream)
            if not expected or len(ole.openstream(stream).read()) != expected:
                raise _Broken
    except _Broken:
        raise
    except Exception as exc:  # olefile raises many kinds on a broken sector chain
        raise _Broken from exc


def content_check(data: bytes, *, name: str, accept, max_bytes: int | None = None) -> CheckedFile:
    """Check a file's bytes; raise ValidationError (Chinese, naming the file, with a code) or describe it.

    `accept` is the set of extensions the caller takes (IMAGES, SCANS, DOCUMENTS, WORKBOOKS, …)."""
    name = name or "未命名文件"
    size = len(data)
    if not size:
        raise ValidationError(EMPTY_MESSAGE.format(name=name), code="empty")
    if max_bytes is not None and size > max_bytes:
        raise ValidationError(TOO_LARGE_MESSAGE.format(name=name, size=human_size(size), limit=human_size(max_bytes)),
                              code="too_large")
    if data.startswith(EXECUTABLE_MAGICS):
        raise ValidationError(EXECUTABLE_MESSAGE.format(name=name), code="executable")
    if data.startswith(ZIP_MAGIC) and zip_is_bomb(data):
        raise ValidationError(ZIP_BOMB_MESSAGE.format(name=name), code="zip_bomb")
    found = claimed_format(data, name)
    if found is None or found[0] not in accept:
        if data.startswith(ZIP_MAGIC) and accept & {"docx", "xlsx"}:
            raise ValidationError(NOT_OFFICE_MESSAGE.format(name=name), code="broken_office")
        raise ValidationError(UNKNOWN_TYPE_MESSAGE.format(name=name, allowed=allowed_label(accept)),
                              code="unknown_type")
    extension, content_type = found
    if MARKUP.search(data if extension in SCANS else data[:MARKUP_SCAN_BYTES]):
        raise ValidationError(MARKUP_MESSAGE.format(name=name), code="markup")
    kind = KIND_LABELS[extension]
    try:
        if extension in IMAGES:
            _open_image(data, extension)
        elif extension == "pdf":
            if not _open_pdf(data):
                raise ValidationError(ENCRYPTED_PDF_MESSAGE.format(name=name), code="encrypted")
        elif extension in ("docx", "xlsx"):
            _open_ooxml(data, extension)
        else:
            _open_ole(data)
    except _Broken as exc:
        raise ValidationError(BROKEN_MESSAGE.format(name=name, kind=kind), code="broken") from exc
    return CheckedFile(extension=extension, content_type=content_type, size=size,
                       sha256=hashlib.sha256(data).hexdigest())


def upload_check(upload, *, accept, max_bytes: int | None = None) -> CheckedFile:
    """content_check for an uploaded file (read whole, then rewound for whoever stores it)."""
    name = getattr(upload, "name", "") or "未命名文件"
    size = getattr(upload, "size", None)
    if max_bytes is not None and size and size > max_bytes:  # refused before reading a huge file
        raise ValidationError(TOO_LARGE_MESSAGE.format(name=name, size=human_size(size), limit=human_size(max_bytes)),
                              code="too_large")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return content_check(data, name=name, accept=accept, max_bytes=max_bytes)


def sample_pdf(*, note: str = "", size: int = 0) -> bytes:
    """A real one-page PDF (that this checker accepts) for demo data and load tests: `note` makes it differ
    (proofs are compared by content), `size` pads it with random bytes to about that many bytes."""
    import os

    padding = b""
    if size:
        padding = os.urandom(max(0, size - 400)).replace(b"\n", b" ").replace(b"\r", b" ")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n%" + note.encode() + b"\n%" + padding + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
