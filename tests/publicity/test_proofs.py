"""Proof files are accepted by their content, never by their name."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.proofs import proof_check
from tests.publicity import helpers


@pytest.mark.parametrize(("upload", "extension", "content_type"), [
    (helpers.png(), "png", "image/png"),
    (helpers.jpeg("照片.JPG"), "jpg", "image/jpeg"),
    (helpers.pdf(), "pdf", "application/pdf"),
    (helpers.docx(), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (helpers.xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (helpers.ole2("WordDocument", "报道.doc"), "doc", "application/msword"),
    (helpers.ole2("Workbook", "明细.xls"), "xls", "application/vnd.ms-excel"),
    (helpers.ole2("WordDocument", "报道.wps"), "wps", "application/vnd.ms-works"),
])
def test_it_accepts_images_pdfs_and_office_documents(upload, extension, content_type):
    checked = proof_check(upload)
    assert (checked.extension, checked.content_type) == (extension, content_type)
    assert len(checked.sha256) == 64


def test_the_content_decides_not_the_name():
    renamed = helpers.png(name="凭证.pdf")
    assert proof_check(renamed).extension == "png"


@pytest.mark.parametrize(("upload", "code", "words"), [
    (SimpleUploadedFile("空.png", b""), "empty", "空文件"),
    (helpers.exe("凭证.jpg"), "executable", "可执行程序"),
    (SimpleUploadedFile("凭证.png", b"\x7fELF\x02\x01" + b"\x00" * 64), "executable", "可执行程序"),
    (SimpleUploadedFile("说明.txt", "只是文字".encode()), "unknown_type", "不是允许的格式"),
    (SimpleUploadedFile("假的.docx", helpers.office_zip(["a.txt"])), "broken_office", "压缩包"),
    (SimpleUploadedFile("假的.xlsx", helpers.office_zip(["[Content_Types].xml", "other/x.xml"])), "broken_office",
     "压缩包"),
    (SimpleUploadedFile("坏的.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64), "unknown_type",
     "不是允许的格式"),
])
def test_it_refuses_empty_files_executables_and_other_formats_in_chinese(upload, code, words):
    with pytest.raises(ValidationError) as caught:
        proof_check(upload)
    assert caught.value.code == code
    assert words in caught.value.messages[0] and upload.name in caught.value.messages[0]


def test_it_refuses_files_over_the_size_limit(settings):
    settings.PROOF_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="不能超过"):
        proof_check(helpers.png())
