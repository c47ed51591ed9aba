"""Issue 19 point 7: files are what they claim. One checker (core.uploads) opens every upload as the format its
first bytes claim — images decoded, PDFs parsed, office files opened — and every upload path uses it: proofs
(pages and API), report attachments, contribution scans, the seal image and the Excel imports."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import pdf
from core.uploads import DOCUMENTS, IMAGES, SCANS, WORKBOOKS, content_check, sample_pdf
from home.management.commands.demo_data import tiny_png
from publicity.proofs import proof_check
from reporting.contributions import upload_content_type
from tests.publicity import helpers

HTML = b"<html><body><script>fetch('/api/v1/records/').then(r=>r.text()).then(alert)</script></body></html>"
TEXT = b"just some words, no markup at all, pretending to be the rest of the file " * 8

POLYGLOTS = {
    "JPEG header, then HTML": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML,
    "JPEG header, then text": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + TEXT,
    "PNG header, then HTML": b"\x89PNG\r\n\x1a\n" + HTML,
    "PNG header, then text": b"\x89PNG\r\n\x1a\n" + TEXT,
    "PDF header, then HTML": b"%PDF-1.4\n" + HTML,
    "PDF header, then text": b"%PDF-1.4\n" + TEXT,
    "OLE header, then HTML": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + HTML,
    "OLE header, then text": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le"),
    "a real PNG with a page after it": tiny_png(1) + HTML,
    "a real PDF with a script in it": sample_pdf(note="<script>alert(1)</script>"),
    "a real JPEG with a page after it": helpers.jpeg_bytes() + HTML,
}


def docx_with(document: bytes, *, stored_first: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(zipfile.ZipInfo("index.html"), stored_first)  # stored: readable at the start
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


@pytest.mark.parametrize("name", list(POLYGLOTS))
def test_a_polyglot_is_refused_as_a_proof_in_chinese_naming_the_file(name):
    upload = SimpleUploadedFile("凭证文件.pdf", POLYGLOTS[name])
    with pytest.raises(ValidationError) as refused:
        proof_check(upload)
    message = refused.value.messages[0]
    assert "文件「凭证文件.pdf」" in message
    assert refused.value.code in {"markup", "broken", "unknown_type"}


@pytest.mark.parametrize("name", [n for n in POLYGLOTS if "OLE" not in n])
def test_a_polyglot_is_refused_as_a_scan_or_attachment(name):
    with pytest.raises(ValidationError) as refused:
        upload_content_type(SimpleUploadedFile("签批单.png", POLYGLOTS[name]))
    assert "签批单.png" in refused.value.messages[0]


def test_a_header_followed_by_text_is_refused_because_it_does_not_open():
    for name in ("JPEG header, then text", "PNG header, then text", "PDF header, then text"):
        with pytest.raises(ValidationError) as refused:
            content_check(POLYGLOTS[name], name="扫描.jpg", accept=SCANS)
        assert refused.value.code == "broken", name
        assert "无法作为" in refused.value.messages[0] and "扫描.jpg" in refused.value.messages[0]


def test_office_files_must_open_as_office_files():
    with pytest.raises(ValidationError) as broken:
        content_check(docx_with(b"<not xml"), name="报道.docx", accept=DOCUMENTS)
    assert broken.value.code == "broken" and "Word 文档" in broken.value.messages[0]
    with pytest.raises(ValidationError) as page:
        content_check(docx_with(b"<document/>", stored_first=HTML), name="报道.docx", accept=DOCUMENTS)
    assert page.value.code == "markup" and "网页代码" in page.value.messages[0]
    assert content_check(docx_with(b"<document/>"), name="报道.docx", accept=DOCUMENTS).extension == "docx"


@pytest.mark.parametrize(("make", "extension"), [
    (lambda: tiny_png(5), "png"), (lambda: helpers.jpeg_bytes(9), "jpg"), (lambda: sample_pdf(note="a"), "pdf"),
    (lambda: helpers.docx().read(), "docx"), (lambda: helpers.xlsx().read(), "xlsx"),
    (lambda: helpers.ole2_bytes("WordDocument"), "doc"), (lambda: helpers.ole2_bytes("Workbook"), "xls"),
])
def test_real_small_files_are_accepted(make, extension):
    assert content_check(make(), name="文件", accept=DOCUMENTS).extension == extension


def test_each_caller_takes_only_its_formats():
    with pytest.raises(ValidationError) as refused:
        content_check(helpers.docx().read(), name="扫描.docx", accept=SCANS)
    assert refused.value.code == "broken_office" or "不是允许的格式" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        content_check(sample_pdf(), name="印章.pdf", accept=IMAGES)
    assert "只能上传JPG 图片或PNG 图片" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        content_check(helpers.ole2_bytes("WordDocument"), name="明细.xls", accept=WORKBOOKS)


def test_an_image_too_large_to_decode_safely_is_refused(monkeypatch):
    monkeypatch.setattr("core.uploads.MAX_IMAGE_PIXELS", 10)
    with pytest.raises(ValidationError) as refused:
        content_check(tiny_png(1), name="巨图.png", accept=IMAGES)
    assert refused.value.code == "broken"


def test_the_seal_image_is_checked_the_same_way(settings, tmp_path, caplog):
    seal = tmp_path / "seal.png"
    seal.write_bytes(tiny_png(4))
    settings.DOCUMENT_SEAL_IMAGE = str(seal)
    assert pdf.seal_data_uri().startswith("data:image/png;base64,")
    seal.write_bytes(POLYGLOTS["PNG header, then HTML"])
    assert pdf.seal_data_uri() == ""
    svg = tmp_path / "seal.svg"
    svg.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    settings.DOCUMENT_SEAL_IMAGE = str(svg)
    assert pdf.seal_data_uri() == ""
    assert "印章图片" in caplog.text and "不能使用" in caplog.text


@pytest.mark.django_db
def test_the_api_refuses_a_polyglot_proof(alice, hanbin, make_publication):
    from rest_framework.test import APIClient

    from publicity.models import ProofFile, Status

    draft = make_publication(hanbin, status=Status.DRAFT)
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post(reverse("api:record_proofs", args=[draft.pk]),
                        {"file": SimpleUploadedFile("版面.jpg", POLYGLOTS["JPEG header, then HTML"])},
                        format="multipart")
    assert response.status_code == 400 and "版面.jpg" in str(response.json())
    assert not ProofFile.objects.exists()
    ok = api.post(reverse("api:record_proofs", args=[draft.pk]),
                  {"file": SimpleUploadedFile("版面.jpg", helpers.jpeg_bytes())}, format="multipart")
    assert ok.status_code in (200, 201), ok.json()


@pytest.mark.django_db
def test_the_officers_page_refuses_a_polyglot_proof(client, alice):
    from publicity.models import Publication

    client.force_login(alice)
    response = client.post(reverse("portal:record_create"), {
        "title": "稿件", "authors": "", "kind": "news", "special_topic": "", "outlet": "安康日报",
        "published_on": "2011-05-03", "page": "第2版", "char_count": "800", "url": "",
        "proofs": SimpleUploadedFile("版面.pdf", POLYGLOTS["PDF header, then HTML"])})
    assert response.status_code == 200 and "版面.pdf" in response.content.decode()
    assert not Publication.objects.exists()


@pytest.mark.django_db
def test_the_excel_import_refuses_a_workbook_that_does_not_open(rita):
    from exchange.services import articles_import

    for content in (POLYGLOTS["OLE header, then HTML"], POLYGLOTS["OLE header, then text"],
                    helpers.ole2_bytes("WordDocument"), docx_with(b"<document/>")):
        report = articles_import(actor=rita, file=content, filename="明细表.xls")
        assert not report.ok and "明细表.xls" in str(report.errors[0]), str(report.errors[0])
        assert "文件已损坏或不是有效的 Excel 文件" in str(report.errors[0])
