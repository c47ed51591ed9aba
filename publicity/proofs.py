"""Proof files (发表凭证): which uploads are accepted, decided by content, never by the file name.

Officers attach a scan, a screenshot, a PDF of the page or an office document. A renamed
executable or an empty file must be refused with a message a part-time clerk understands.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from core.uploads import zip_is_bomb

EMPTY_MESSAGE = "文件「{name}」是空文件（0 字节），请重新选择正确的凭证文件。"
TOO_LARGE_MESSAGE = "文件「{name}」太大（{size}），凭证文件不能超过 {limit}。请压缩图片或拆分后再上传。"
EXECUTABLE_MESSAGE = "文件「{name}」是可执行程序，不能作为凭证上传。"
UNKNOWN_TYPE_MESSAGE = (
    "文件「{name}」不是允许的凭证格式。只能上传 JPG、PNG 图片、PDF 文件和 Office 文档（docx、xlsx、doc、xls、wps）；"
    "格式按文件内容判断，修改扩展名无效。"
)
ZIP_BOMB_MESSAGE = "文件「{name}」解压后过大（或内含文件过多），可能已损坏或被恶意构造，不能作为凭证上传。"
BROKEN_OFFICE_MESSAGE = "文件「{name}」看起来是压缩包而不是 Word 或 Excel 文档，请另存为 docx 或 xlsx 后再上传。"

# Magic bytes of the accepted formats.
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
# OLE2 stream names (UTF-16LE in the directory) that make a compound file a document or a workbook.
OLE2_STREAMS = {
    "WordDocument".encode("utf-16-le"): ("doc", "application/msword"),
    "Workbook".encode("utf-16-le"): ("xls", "application/vnd.ms-excel"),
    "Book".encode("utf-16-le"): ("xls", "application/vnd.ms-excel"),
}
OLE2_SCAN_BYTES = 4 * 1024 * 1024

IMAGE_TYPES = ("image/jpeg", "image/png")
INLINE_TYPES = (*IMAGE_TYPES, "application/pdf")


@dataclass(frozen=True)
class CheckedProof:
    extension: str  # without the dot, derived from the content
    content_type: str
    size: int
    sha256: str


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def sniff(data: bytes, name: str = "") -> tuple[str, str] | None:
    """(extension, content type) of the content, or None when it is not an accepted format."""
    if data.startswith(JPEG_MAGIC):
        return "jpg", "image/jpeg"
    if data.startswith(PNG_MAGIC):
        return "png", "image/png"
    if data.startswith(PDF_MAGIC):
        return "pdf", "application/pdf"
    if data.startswith(ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for part, found in OOXML_PARTS.items():
            if part in names:
                return found
        return None
    if data.startswith(OLE2_MAGIC):
        head = data[:OLE2_SCAN_BYTES]
        for stream, found in OLE2_STREAMS.items():
            if stream in head:
                # A Kingsoft WPS document is a Word-like compound file; keep its own extension.
                if found[0] == "doc" and name.lower().endswith(".wps"):
                    return "wps", "application/vnd.ms-works"
                return found
        return None
    return None


def proof_check(upload) -> CheckedProof:
    """Validate one uploaded file; raise ValidationError with a Chinese message, or describe it."""
    name = getattr(upload, "name", "") or "未命名文件"
    size = upload.size
    if not size:
        raise ValidationError(EMPTY_MESSAGE.format(name=name), code="empty")
    limit = settings.PROOF_MAX_BYTES
    if size > limit:
        raise ValidationError(TOO_LARGE_MESSAGE.format(name=name, size=_human_size(size), limit=_human_size(limit)),
                              code="too_large")
    data = _read_all(upload)
    if data.startswith(EXECUTABLE_MAGICS):
        raise ValidationError(EXECUTABLE_MESSAGE.format(name=name), code="executable")
    if data.startswith(ZIP_MAGIC) and zip_is_bomb(data):
        raise ValidationError(ZIP_BOMB_MESSAGE.format(name=name), code="zip_bomb")
    found = sniff(data, name)
    if found is None:
        code = "broken_office" if data.startswith(ZIP_MAGIC) else "unknown_type"
        message = BROKEN_OFFICE_MESSAGE if code == "broken_office" else UNKNOWN_TYPE_MESSAGE
        raise ValidationError(message.format(name=name), code=code)
    extension, content_type = found
    return CheckedProof(extension=extension, content_type=content_type, size=size,
                        sha256=hashlib.sha256(data).hexdigest())
