"""PDF documents (issue 18): the red-header bulletin, the unit's score statement, the certificates and the payout
sheet carry the right Chinese text (pdftotext) on the right number of pages (pdfinfo); where WeasyPrint's
system libraries are missing, the links and the PDF URLs say so in Chinese instead of failing."""

import datetime
import os
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from core import pdf
from core.models import AuditEvent
from home.management.commands.demo_data import tiny_png
from publicity.models import Unit
from rewards.models import Commendation
from rewards.services import payout_batch_confirm, payout_batch_open
from yearend.services import year_close

pytestmark = pytest.mark.django_db

POPPLER = ("pdftotext", "pdfinfo", "pdfimages")


@pytest.fixture(autouse=True)
def pdf_tools():
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    reason = pdf.pdf_unavailable_reason()
    if missing or reason:
        why = f"缺少 {'、'.join(missing)}（apt-get install poppler-utils）" if missing else reason
        if os.environ.get("CI"):
            pytest.fail(f"CI 中必须能生成并检查PDF：{why}")
        pytest.skip(why)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def pdf_images(content: bytes, tmp_path) -> int:
    path = tmp_path / "images.pdf"
    path.write_bytes(content)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    return len(listing.strip().splitlines()) - 2  # two header lines


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def year_2011(hanbin, hanyin, make_publication):
    for n in range(41):
        make_publication(hanbin, title=f"汉滨新闻{n}", outlet="安康日报" if n % 2 else "陕西日报",
                         authors="王明")
    for n in range(4):
        make_publication(hanbin, title=f"汉滨调研{n}", kind="research")
    make_publication(hanyin, title="汉阴新闻", authors="李红")


def test_the_bulletin_is_a_red_header_document_with_number_date_tables_and_seal(client, leo, year_2011, settings,
                                                                               tmp_path):
    seal = tmp_path / "seal.png"
    seal.write_bytes(tiny_png(5))
    settings.DOCUMENT_SEAL_IMAGE = str(seal)
    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_pdf"), {"year": 2011, "number": 12, "issued_on": "2012-01-10"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "2011%E5%B9%B4%E5%BA%A6" in response["Content-Disposition"]  # 2011年度…, RFC 5987-encoded
    text = squeeze(pdf_text(response.content, tmp_path))
    for expected in ("安康市人力资源和社会保障局文件", "安人社发〔2012〕12号",
                     "关于2011年度人力资源和社会保障宣传工作考核结果的通报", "预估稿", "县区", "局属单位",
                     "汉滨区", "4.1", "汉阴县", "2012年1月10日", "安康市人力资源和社会保障局办公室"):
        assert expected in text, expected
    assert text.index("汉滨区") < text.index("汉阴县")  # ranked: 汉滨区 (4.1) first
    assert 2 <= pdf_pages(response.content, tmp_path) <= 4
    assert pdf_images(response.content, tmp_path) == 1  # the seal
    assert AuditEvent.objects.filter(action="bulletin_pdf", actor=leo).exists()


def test_a_closed_years_bulletin_is_the_frozen_result_dated_at_the_close(client, rita, year_2011, tmp_path,
                                                                        make_publication, hanyin):
    year_close(year=2011, reviewer=rita, today=datetime.date(2012, 1, 15))
    make_publication(hanyin, title="结算后写入的记录", kind="research")
    client.force_login(rita)
    response = client.get(reverse("scoring:bulletin_pdf"), {"year": 2011})
    text = squeeze(pdf_text(response.content, tmp_path))
    assert "预估" not in text and "已结算" in text
    assert "安人社发〔2012〕号" in text  # no number given: left blank to be written in
    assert "2012年1月15日" in text
    assert pdf_images(response.content, tmp_path) == 0  # no seal configured


def test_a_bad_document_number_returns_to_the_bulletin_with_a_chinese_message(client, leo):
    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_pdf"), {"year": 2011, "number": "十二"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('scoring:bulletin')}?year=2011"
    assert "文号请填1至9999的整数，如 12。" in response.content.decode()
    response = client.get(reverse("scoring:bulletin_pdf"), {"year": 2011, "issued_on": "2012-13-40"}, follow=True)
    assert "成文日期格式不对" in response.content.decode()


def test_the_unit_statement_explains_the_score_of_the_own_unit_only(client, alice, bob, hanbin, year_2011,
                                                                   tmp_path):
    client.force_login(alice)
    response = client.get(reverse("scoring:unit_pdf", args=[2011, hanbin.pk]))
    text = squeeze(pdf_text(response.content, tmp_path))
    for expected in ("汉滨区2011年度宣传工作考核得分说明", "4.1", "任务完成情况", "市级及以上媒体新闻稿件",
                     "专题调研文章", "汉滨调研", "超额加分"):
        assert expected in text, expected
    assert pdf_pages(response.content, tmp_path) >= 2  # 46 publications listed
    client.force_login(bob)
    assert client.get(reverse("scoring:unit_pdf", args=[2011, hanbin.pk])).status_code == 404


def test_certificates_are_one_page_each(client, rita, hanbin, hanyin, tmp_path):
    client.force_login(rita)
    none = client.get(reverse("rewards:commendation_certificates_pdf"), {"year": 2011}, follow=True)
    assert "2011年度还没有已确认的表彰，没有可下载的证书。" in none.content.decode()
    for unit, person in ((hanbin, ""), (hanyin, ""), (hanbin, "王明")):
        Commendation.objects.create(year=2011, unit=unit, person_name=person, reason="测试",
                                    kind=Commendation.Kind.INDIVIDUAL if person else Commendation.Kind.COLLECTIVE,
                                    status=Commendation.State.CONFIRMED, confirmed_at=timezone.now())
    Commendation.objects.create(year=2011, unit=hanyin, kind=Commendation.Kind.INDIVIDUAL, person_name="未确认",
                                reason="测试")
    page = client.get(reverse("rewards:commendation_certificates"), {"year": 2011}).content.decode()
    assert "下载证书（PDF）" in page
    response = client.get(reverse("rewards:commendation_certificates_pdf"), {"year": 2011})
    assert pdf_pages(response.content, tmp_path) == 3
    text = squeeze(pdf_text(response.content, tmp_path))
    assert text.count("荣誉证书") == 3 and "王明同志" in text and "未确认" not in text
    assert "2011年度人力资源和社会保障宣传工作先进集体" in text


def test_the_payout_sheet_has_a_column_to_sign_and_officers_see_their_own_unit(client, rita, alice, year_2011,
                                                                              tmp_path):
    batch = payout_batch_open(year=2011, period_end=datetime.date(2011, 12, 31), reviewer=rita)
    payout_batch_confirm(batch=batch, reviewer=rita)
    client.force_login(rita)
    sheet = client.get(reverse("rewards:batch_sheet", args=[batch.pk])).content.decode()
    assert "<th scope=\"col\">签领</th>" in sheet and "李红" in sheet
    response = client.get(reverse("rewards:batch_pdf", args=[batch.pk]))
    text = squeeze(pdf_text(response.content, tmp_path))
    assert "2011年度宣传稿件奖励发放表" in text and "签领" in text and "合计" in text
    assert "王明" in text and "李红" in text and "汉阴县" in text

    client.force_login(alice)  # 汉滨区's officer: only 汉滨区's people
    text = squeeze(pdf_text(client.get(reverse("rewards:batch_pdf", args=[batch.pk])).content, tmp_path))
    assert "王明" in text and "李红" not in text


def test_without_weasyprint_the_links_say_so_and_the_pdf_urls_explain(client, rita, hanbin, monkeypatch):
    monkeypatch.setattr(pdf, "_weasyprint", lambda: None)
    client.force_login(rita)
    bulletin = client.get(reverse("scoring:bulletin"), {"year": 2011}).content.decode()
    assert pdf.PDF_UNAVAILABLE_MESSAGE in bulletin and "下载红头文件（PDF）" not in bulletin
    unit_page = client.get(reverse("scoring:unit", args=[2011, hanbin.pk])).content.decode()
    assert f"下载得分说明（PDF）：{pdf.PDF_UNAVAILABLE_MESSAGE}" in unit_page
    for url in (reverse("scoring:bulletin_pdf") + "?year=2011", reverse("scoring:unit_pdf", args=[2011, hanbin.pk])):
        response = client.get(url)
        assert response.status_code == 503 and pdf.PDF_UNAVAILABLE_MESSAGE in response.content.decode()
    assert not AuditEvent.objects.filter(action__endswith="_pdf").exists()


def test_a_document_reads_only_the_apps_own_static_files():
    fetcher = pdf._fetcher()
    assert fetcher.fetch(pdf.BASE_URL + "static/css/pdf.css").read().startswith(b"/* PDF documents")
    for url in ("http://127.0.0.1:1/secret", "file:///etc/passwd", pdf.BASE_URL + "static/../../config/settings.py",
                pdf.BASE_URL + "admin/", "https://example.com/static/css/app.css"):
        with pytest.raises(ValueError, match="PDF只能引用本系统的静态文件"):
            fetcher.fetch(url)


def test_a_missing_seal_file_leaves_the_seal_out(settings, tmp_path):
    settings.DOCUMENT_SEAL_IMAGE = str(tmp_path / "none.png")
    assert pdf.seal_data_uri() == ""
    settings.DOCUMENT_SEAL_IMAGE = ""
    assert pdf.seal_data_uri() == ""
    units = Unit.objects.count()
    assert units > 0


def test_the_bulletin_pdf_has_the_duties_table_with_each_units_first_responsible_person(client, leo, alice, hanbin,
                                                                                        year_2011, tmp_path):
    # issue 16 item 4 (DOMAIN §11): 工作落实情况 beside the scores, naming the first responsible person; the
    # bureau's publishing contact at the foot.
    from reporting import duties

    duties.responsible_set(unit=hanbin, year=2011, officer=alice, name="张建国", post="区人社局局长")
    client.force_login(leo)
    text = squeeze(pdf_text(client.get(reverse("scoring:bulletin_pdf"), {"year": 2011}).content, tmp_path))
    assert text.index("汉滨区") < text.index("工作落实情况")  # after the scores
    duties_part = text[text.index("工作落实情况"):]
    for expected in ("第一责任人", "汉滨区", "张建国", "区人社局局长", "汉阴县", "未填报", "不计入考核得分"):
        assert expected in duties_part, expected
    assert "杨一帆" in text and "3181322" in text
