"""Report pages: the unit's periods, filing a report, the roster, the reviewers' compliance page."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.uploads import sample_pdf
from publicity.models import Status
from reporting import deadlines
from reporting.models import OfficerRoster, PeriodReport
from reporting.reports import report_submit

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = sample_pdf(note="报送附件")


@pytest.fixture
def on_day(monkeypatch):
    """Pin the pages' today."""

    def pin(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return pin


def test_an_officer_files_the_years_report_with_an_attachment(client, alice, hanbin, make_publication, on_day):
    on_day(D(2011, 12, 20))
    publication = make_publication(hanbin, title="汉滨区稿件")
    client.force_login(alice)
    page = client.get(reverse("reporting:report_new", args=["2011"])).content.decode()
    assert "汉滨区稿件" in page
    response = client.post(reverse("reporting:report_new", args=["2011"]), {
        "note": "全年情况", "attachment": SimpleUploadedFile("明细表.pdf", PDF)})
    report = PeriodReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reporting:report", args=[report.pk])
    assert list(report.publications.all()) == [publication] and not report.is_late
    download = client.get(reverse("reporting:report_attachment", args=[report.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_the_periods_page_offers_the_open_periods_and_shows_the_state(client, alice, hanbin, on_day):
    on_day(D(2011, 12, 26))
    client.force_login(alice)
    page = client.get(reverse("reporting:reports")).content.decode()
    assert "2011年度" in page and "未报送" in page
    assert reverse("reporting:report_new", args=["2011"]) in page
    report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 26))
    page = client.get(reverse("reporting:reports")).content.decode()
    assert "逾期报送" in page and "零报告" in page


def test_a_bad_attachment_keeps_the_note_and_says_why(client, alice, on_day):
    on_day(D(2011, 12, 20))
    client.force_login(alice)
    response = client.post(reverse("reporting:report_new", args=["2011"]), {
        "note": "我的说明", "attachment": SimpleUploadedFile("a.pdf", b"plain text")})
    body = response.content.decode()
    assert response.status_code == 200 and not PeriodReport.objects.exists()
    assert "我的说明" in body and "文件「a.pdf」不是允许的格式" in body and "PDF 文件" in body


def test_an_unknown_period_key_is_not_found(client, alice):
    client.force_login(alice)
    assert client.get(reverse("reporting:report_new", args=["2011-01"])).status_code == 404


def test_bob_reaches_nothing_of_hanbins_reports(client, alice, bob, hanbin, on_day):
    on_day(D(2011, 12, 20))
    report = report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 20))
    client.force_login(bob)
    for name in ("reporting:report", "reporting:report_export", "reporting:report_attachment"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name
    assert "汉滨区" not in client.get(reverse("reporting:reports")).content.decode()
    assert client.get(reverse("reporting:compliance")).status_code == 403
    # Bob's own filing goes to 汉阴县 whatever the form says.
    client.post(reverse("reporting:report_new", args=["2011"]), {"note": "x", "unit": hanbin.pk})
    assert PeriodReport.objects.get(note="x").unit.name == "汉阴县"


def test_the_detail_table_exports_the_reported_publications(client, alice, rita, hanbin, make_publication):
    make_publication(hanbin, title="汉滨区稿件", status=Status.SUBMITTED, authors="王明")
    report = report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 20))
    client.force_login(rita)
    response = client.get(reverse("reporting:report_export", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    # The one detail table of 附件2 (issue 13): its columns, 稿件编号 included, and 审核状态 for the unapproved.
    from exchange.resources import ARTICLE_HEADERS
    assert rows[0] == (*ARTICLE_HEADERS, "审核状态")
    assert rows[1][:4] == ("汉滨区", "汉滨区稿件", "王明", "安康日报") and rows[1][-1] == "待审核"


def test_the_roster_form_files_and_corrects_the_officer(client, alice, on_day):
    on_day(D(2011, 3, 1))
    client.force_login(alice)
    page = client.get(reverse("reporting:roster")).content.decode()
    assert 'value="Alice"' in page
    response = client.post(reverse("reporting:roster"), {"officer_name": "王明", "phone": ""})
    assert response.status_code == 200 and not OfficerRoster.objects.exists()
    client.post(reverse("reporting:roster"), {"officer_name": "王明", "phone": "0915-1234567"})
    roster = OfficerRoster.objects.get()
    assert (roster.unit.name, roster.year, roster.phone, roster.is_late) == ("汉滨区", 2011, "0915-1234567", False)


def test_the_compliance_page_shows_who_has_not_reported(client, rita, alice, hanbin, on_day):
    on_day(D(2011, 12, 26))
    report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 20))
    client.force_login(rita)
    response = client.get(reverse("reporting:compliance") + "?year=2011")
    body = response.content.decode()
    assert response.status_code == 200
    assert "机关科室" in body and "县区" in body and "局属单位" in body
    assert reverse("reporting:report", args=[PeriodReport.objects.get().pk]) in body
    assert "未报送" in body and "按时报送" in body


@pytest.mark.parametrize("reports", [1, 10])
def test_the_compliance_page_takes_a_bounded_number_of_queries(client, rita, reports, on_day,
                                                               django_assert_max_num_queries):
    from publicity.models import Unit
    from tests.conftest import make_user

    on_day(D(2011, 12, 26))
    for unit in Unit.objects.filter(kind="county")[:reports]:
        officer = make_user(f"officer{unit.pk}", "信息宣传员", unit.name)
        report_submit(unit=unit, period=deadlines.annual_period(2011), officer=officer, today=D(2011, 12, 20))
    client.force_login(rita)
    # 10 for the reports, 6 for the duties of DOMAIN §11 (the year's settings and five tables), 1 for the default
    # year (the one the header shows), whatever the units.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("reporting:compliance")).status_code == 200


@pytest.mark.parametrize("months", [1, 11])
def test_the_periods_page_takes_a_bounded_number_of_queries(client, office_officer, months, on_day,
                                                            django_assert_max_num_queries):
    officer, unit = office_officer
    on_day(D(2011, 12, 26))
    for month in range(1, months + 1):
        report_submit(unit=unit, period=deadlines.monthly_period(2011, month), officer=officer,
                      today=D(2011, 12, 20))
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("reporting:reports")).content.decode()
    assert "2011年1月" in body and "2011年12月" in body


@pytest.fixture
def office_officer(db):
    from publicity.models import Unit
    from tests.conftest import make_user

    return make_user("olga", "信息宣传员", "办公室"), Unit.objects.get(name="办公室")


def test_reports_pages_are_in_the_navigation_by_role(client, alice, rita):
    client.force_login(alice)
    assert "定期报送" in client.get("/").content.decode()
    client.force_login(rita)
    body = client.get("/").content.decode()
    assert "报送情况" in body and "定期报送" not in body


def test_the_compliance_table_exports_to_excel_for_reviewers_only(client, rita, alice, hanbin, on_day):
    on_day(D(2011, 12, 26))
    report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 20))
    client.force_login(alice)
    assert client.get(reverse("reporting:compliance_export")).status_code == 403
    client.force_login(rita)
    response = client.get(reverse("reporting:compliance_export") + "?year=2011")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["县区", "机关科室", "局属单位"]
    counties = list(workbook["县区"].values)
    assert counties[1] == ("单位", "2011年度", "信息宣传员名单", "调研专题", "工作计划", "第一责任人", "网站建设",
                           "培训出勤", "逾期事项")
    assert counties[2][:8] == ("汉滨区", "按时报送", "未报送", "未填报", "未报送", "未填报", "已建成", "—")
    assert "填报2011年调研专题" in counties[2][8] and "宣传报道工作计划" in counties[2][8]
    assert list(workbook["机关科室"].values)[1][1:3] == ("2011年1月", "2011年2月")


def test_a_unit_head_reads_the_units_periods_but_cannot_file(client, hank, on_day):
    on_day(D(2011, 12, 20))
    client.force_login(hank)
    page = client.get(reverse("reporting:reports")).content.decode()
    assert "汉滨区" in page and "2011年度" in page
    assert reverse("reporting:report_new", args=["2011"]) not in page
    assert client.post(reverse("reporting:report_new", args=["2011"]), {"note": "x"}).status_code == 403
    assert client.get(reverse("reporting:roster")).status_code == 403
    assert not PeriodReport.objects.exists()
