import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from exchange.services import ARTICLE_HEADERS
from publicity.models import Publication, Quota, Status
from tests.exchange.excel_files import xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/publicity/publication/import/"
CONFIRM_URL = "/admin/publicity/publication/process_import/"


@pytest.fixture
def upload_dir(settings):
    """Uploads awaiting confirmation wait in the private storage (never served), under imports/."""
    from pathlib import Path

    from django.core.files.storage import storages

    return Path(storages["private"].location) / "imports"


def upload(content: bytes, name="明细表.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def preview(client, content, url=IMPORT_URL, **data):
    return client.post(url, {"import_file": upload(content), "format": "0", "resource": "0", **data})


def confirm(client, response, url=CONFIRM_URL):
    form = response.context["confirm_form"]
    return client.post(url, {name: form[name].value() for name in form.fields})


def detail(*rows):
    return xlsx_bytes([["2011年度明细表"], list(ARTICLE_HEADERS), *rows])


def good_row(title="招聘会", date="2011-05-03"):
    return ["汉滨区", title, "张三", "《安康日报》", "新闻", "第2版", "800", date, "", "", ""]


def test_a_reviewer_uploads_previews_every_row_and_confirms(client, rita, upload_dir):
    client.force_login(rita)
    response = preview(client, detail(good_row("甲"), good_row("乙")))
    assert response.status_code == 200
    report = response.context["result"].report
    assert report.ok and [row.action for row in report.rows] == ["新增", "新增"]
    assert "确认导入" in response.content.decode()
    assert Publication.objects.count() == 0
    assert len(list(upload_dir.iterdir())) == 1  # waiting for the confirmation, in the private storage
    response = confirm(client, response)
    assert response.status_code == 302
    assert Publication.objects.filter(status=Status.APPROVED).count() == 2
    assert list(upload_dir.iterdir()) == []  # the confirmed upload is removed


def test_a_bad_file_is_previewed_with_its_errors_and_cannot_be_confirmed(client, rita):
    client.force_login(rita)
    response = preview(client, detail(good_row(), good_row("乙", date="五月")))
    page = response.content.decode()
    assert "未导入任何数据" in page and "发表日期：无法识别的日期" in page
    assert "确认导入" not in page and "confirm_form" not in response.context
    assert [(bool(row.errors), row.action) for row in response.context["result"].report.rows] == [
        (False, "无误"), (True, "有错误")]


def test_a_stale_or_forged_token_imports_nothing(client, rita):
    client.force_login(rita)
    for name in ("../../etc/passwd", "0123456789abcdef0123456789abcdef", "db.sqlite3"):
        response = client.post(CONFIRM_URL, {"import_file_name": name, "original_file_name": "a.xlsx", "format": "0",
                                             "resource": "0"})
        assert response.status_code == 302 and Publication.objects.count() == 0
    assert "上传的文件已失效" in client.get(IMPORT_URL).content.decode()


def test_only_reviewers_may_import(client, alice):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get(IMPORT_URL).status_code == 403


def test_the_export_holds_exactly_what_the_filtered_list_shows(client, rita, hanbin, hanyin, make_publication):
    make_publication(hanbin, title="汉滨甲")
    make_publication(hanbin, title="汉滨乙", status=Status.SUBMITTED)
    make_publication(hanyin, title="汉阴甲")
    client.force_login(rita)
    query = f"?manuscript__unit__id__exact={hanbin.pk}&status__exact=approved"
    listed = client.get("/admin/publicity/publication/" + query).context["cl"].queryset
    response = client.get("/admin/publicity/publication/export/" + query)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [p.manuscript.title for p in listed] == ["汉滨甲"]


def test_an_officers_export_holds_only_the_own_unit(client, alice, hanbin, hanyin, make_publication):
    alice.is_staff = True
    alice.save()
    make_publication(hanbin, title="汉滨甲")
    make_publication(hanyin, title="汉阴甲")
    client.force_login(alice)
    response = client.get("/admin/publicity/publication/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["汉滨甲"]


def test_the_change_lists_offer_import_export_and_templates(client, rita):
    client.force_login(rita)
    page = client.get("/admin/publicity/publication/?status__exact=approved").content.decode()
    assert "/admin/publicity/publication/export/?status__exact=approved" in page
    assert "导入明细表" in page and "下载空白明细表" in page
    page = client.get("/admin/publicity/quota/?year=2011").content.decode()
    assert "/admin/publicity/quota/statistics/?year=2011" in page and "导入任务分解表" in page


def test_templates_and_statistics_download_as_excel(client, rita):
    client.force_login(rita)
    for url in ("/admin/publicity/publication/template/", "/admin/publicity/quota/template/",
                "/admin/publicity/quota/statistics/?year=2011"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        load_workbook(io.BytesIO(response.content))


def test_a_reviewer_imports_the_allocation_table_for_a_year(client, rita):
    client.force_login(rita)
    content = xlsx_bytes([["单位", "单位类型", "市级及以上媒体新闻稿件", "专题调研文章"], ["汉滨区", "县区", 41, 4]])
    response = preview(client, content, "/admin/publicity/quota/import/", year="2014")
    assert response.context["result"].report.ok
    response = confirm(client, response, "/admin/publicity/quota/process_import/")
    assert response.status_code == 302
    assert dict(Quota.objects.filter(year=2014).values_list("line__code", "count")) == {"L_MUN_UP": 41, "L_RES": 4}


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def test_every_reference_list_exports_what_its_filters_show_under_chinese_headers(client, rita):
    from publicity.models import AuditEvent

    client.force_login(rita)
    units = _rows(client.get("/admin/publicity/unit/export/?kind__exact=county"))
    assert units[0][:2] == ["单位名称", "单位类型"]
    assert {r[1] for r in units[1:]} == {"县区"} and len(units) == 11  # the ten counties
    query = "?level__exact=provincial&media_class__exact=party_paper"
    outlets = _rows(client.get("/admin/publicity/outlet/export/" + query))
    assert [r[0] for r in outlets[1:]] == ["陕西日报"] and "别名" in outlets[0]
    aliases = _rows(client.get("/admin/publicity/outletalias/export/?q=央视"))
    assert aliases == [["别名", "媒体"], ["央视", "中央电视台"]]
    sheets = _rows(client.get("/admin/rewards/ratesheet/export/?year=2011"))
    assert sheets[0][:5] == ["年度", "发布单位", "奖励标准", "档次", "媒体"]
    assert any("陕西日报" in (r[4] or "") for r in sheets[1:])
    AuditEvent.objects.create(action="test", target_type="x", summary="审计导出测试")
    events = _rows(client.get("/admin/publicity/auditevent/export/?action__exact=test"))
    assert [r[events[0].index("摘要")] for r in events[1:]] == ["审计导出测试"]
    assert AuditEvent.objects.filter(action="auditevent_export").exists()  # the export is audited too


def test_the_quota_list_exports_as_an_allocation_table_that_reimports_unchanged(client, rita):
    from exchange.services import quotas_import

    client.force_login(rita)
    response = client.get("/admin/publicity/quota/export/?year=2011&unit__kind__exact=county")
    rows = _rows(response)
    assert rows[0][:3] == ["单位", "单位类型", "市级及以上媒体新闻稿件"] and len(rows) == 11
    result = quotas_import(actor=rita, year=2011, file=response.content, filename="导出.xlsx")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 10)
