"""Issue 8 item 7: malformed uploads get a clear Chinese message and import nothing."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from exchange import reader
from exchange.services import ARTICLE_HEADERS, articles_import, quotas_import
from publicity import proofs
from publicity.models import AuditEvent, Publication, Quota
from tests.exchange.excel_files import xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = xlsx_bytes([list(ARTICLE_HEADERS), ["汉滨区", "稿一", "张三", "安康日报", "新闻", "", 800, "2011-05-03",
                                           "", "", ""]])


def bomb(expanded: int) -> bytes:
    """A small xlsx-looking zip whose one member expands to `expanded` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<xml/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture
def small_limit(monkeypatch):
    """A 2 MB expansion limit, so the bomb stays small; the reader must never be reached."""
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_filelike", never)


BAD_FILES = {
    "truncated": (lambda: GOOD[: len(GOOD) // 2], "文件已损坏"),
    "empty": (lambda: b"", "0 字节"),
    "executable": (lambda: b"MZ\x90\x00" + b"\x00" * 500, "请上传 Excel 文件"),
    "text": (lambda: "单位,标题\n汉滨区,稿".encode(), "请上传 Excel 文件"),
    "huge": (lambda: b"PK\x03\x04" + b"\x00" * (reader.MAX_FILE_BYTES + 1), "太大"),
    "zip of junk": (lambda: b"PK\x03\x04" + b"\x01" * 300, "文件已损坏"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_malformed_detail_table_is_refused_with_a_chinese_message(kind, rita):
    make, phrase = BAD_FILES[kind]
    result = articles_import(actor=rita, file=make(), filename="明细表.xlsx")
    assert not result.ok
    assert phrase in str(result.errors[0])
    assert not Publication.objects.exists()
    assert not AuditEvent.objects.filter(action="articles_import").exists()


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_malformed_allocation_table_changes_no_quota(kind, rita):
    make, phrase = BAD_FILES[kind]
    before = Quota.objects.count()
    result = quotas_import(actor=rita, year=2012, file=make(), filename="任务表.xlsx")
    assert not result.ok and phrase in str(result.errors[0])
    assert Quota.objects.count() == before


def test_a_zip_bomb_is_refused_by_its_expanded_size_before_reading(small_limit, rita):
    content = bomb(8 * 1024 * 1024)
    assert len(content) < 64 * 1024
    result = articles_import(actor=rita, file=content, filename="明细表.xlsx")
    assert "解压后超过 2 MB" in str(result.errors[0])
    assert not Publication.objects.exists()


def test_the_admin_import_page_shows_the_message_for_a_broken_file(client, rita):
    client.force_login(rita)
    for content, phrase in [(GOOD[:300], "文件已损坏"), (b"MZ\x90\x00" + b"\x00" * 99, "请上传 Excel 文件")]:
        response = client.post("/admin/publicity/publication/import/",
                               {"import_file": SimpleUploadedFile("明细表.xlsx", content), "format": "0"})
        assert response.status_code == 200 and phrase in response.content.decode()
    response = client.post("/admin/publicity/publication/import/",
                           {"import_file": SimpleUploadedFile("明细表.xlsx", b""), "format": "0"})
    assert response.status_code == 200 and "空" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_zip_bomb_is_refused_as_a_proof(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    upload = SimpleUploadedFile("凭证.docx", bomb(8 * 1024 * 1024))
    with pytest.raises(ValidationError) as info:
        proofs.proof_check(upload)
    assert info.value.code == "zip_bomb" and "解压后过大" in info.value.messages[0]


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (b"MZ\x90\x00" + b"\x00" * 100, "executable"),
    (b"PK\x03\x04" + b"\x00" * 100, "broken_office"),
    (b"\x89PNG\r\n\x1a\n"[:5], "unknown_type"),
])
def test_a_malformed_proof_gets_a_chinese_message(content, code):
    with pytest.raises(ValidationError) as info:
        proofs.proof_check(SimpleUploadedFile("凭证.jpg", content))
    assert info.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.messages[0])


def test_a_proof_over_the_limit_is_refused(settings):
    settings.PROOF_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        proofs.proof_check(SimpleUploadedFile("凭证.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048))
    assert info.value.code == "too_large" and "不能超过" in info.value.messages[0]
