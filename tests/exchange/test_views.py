import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))


def test_the_excel_page_is_in_the_navigation_and_offers_the_template(client, alice):
    client.force_login(alice)
    page = client.get("/excel/").content.decode()
    assert "Excel 表格" in page and "/excel/articles-template.xlsx" in page
    assert "/excel/quotas-template.xlsx" not in page and "导出统计表" not in page
    assert rows_of(client.get("/excel/articles-template.xlsx"))[0][0] == "单位"


def test_an_officer_exports_only_the_own_units_year(client, alice, hanbin, hanyin, make_publication):
    import datetime

    make_publication(hanbin, title="汉滨今年")
    make_publication(hanbin, title="汉滨去年", published_on=datetime.date(2010, 5, 3))
    make_publication(hanyin, title="汉阴今年")
    client.force_login(alice)
    assert [r[1] for r in rows_of(client.get("/excel/articles.xlsx?year=2011"))] == ["汉滨今年"]
    assert client.get("/excel/articles.xlsx?year=abc").status_code == 400


def test_statistics_and_the_allocation_template_are_for_reviewers_and_leaders(client, alice, rita, leo):
    client.force_login(alice)
    assert client.get("/excel/statistics.xlsx?year=2011").status_code == 403
    assert client.get("/excel/quotas-template.xlsx").status_code == 403
    client.force_login(leo)
    assert client.get("/excel/statistics.xlsx?year=2011").status_code == 200
    client.force_login(rita)
    assert client.get("/excel/quotas-template.xlsx").status_code == 200
    assert "导出统计表" in client.get("/excel/").content.decode()
