import datetime
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import YearClose
from publicity.models import Publication, Status, Unit
from scoring.models import Objection
from tests.scoring import worked_examples
from yearend.services import year_close, year_publicize

pytestmark = pytest.mark.django_db

AFTER_2011 = datetime.date(2012, 1, 10)


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


# --- Dashboard ---------------------------------------------------------------------------------------


def test_leaders_and_reviewers_see_the_dashboard(client, leo, rita, make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    for user in (leo, rita):
        html = page(client, user, reverse("scoring:dashboard") + "?year=2011")
        assert "2011年度宣传工作考核看板" in html
        assert "县区排名" in html and "机关科室排名" in html and "局属单位排名" in html
        assert "<svg" in html and "月度刊发趋势" in html
        assert reverse("scoring:unit", args=[2011, hanbin.pk]) in html
        assert "预估" in html


@pytest.mark.parametrize("user", ["alice", "hank"])
def test_officers_and_unit_heads_cannot_open_the_dashboard(client, request, user):
    page(client, request.getfixturevalue(user), reverse("scoring:dashboard"), status=403)


def test_the_dashboard_has_no_inline_styles_or_scripts(client, leo, make_publication, hanbin):
    make_publication(hanbin)
    html = page(client, leo, reverse("scoring:dashboard"))
    # Scripts only from the app's own files (static/scoring/ranking.js folds the rankings on phones).
    assert "style=" not in html and re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "http://" not in html.replace("http://www.w3", "")


def _bulk(make_publication, n):
    for unit in Unit.objects.all()[:6]:
        for i in range(n):
            make_publication(unit, title=f"{unit.name}-{i}", outlet=("安康日报", "局网站", "陕西日报")[i % 3],
                             published_on=datetime.date(2011, 1 + i % 12, 5))


@pytest.mark.parametrize("n", [1, 10])
def test_the_dashboard_needs_a_bounded_number_of_queries(client, leo, make_publication, n,
                                                          django_assert_max_num_queries):
    _bulk(make_publication, n)
    client.force_login(leo)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("scoring:dashboard")).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_dashboard_of_a_closed_year_reads_the_snapshot_in_bounded_queries(client, leo, rita, make_publication,
                                                                            n, monkeypatch,
                                                                            django_assert_max_num_queries):
    from scoring import services

    _bulk(make_publication, n)
    year_close(year=2011, reviewer=rita, today=datetime.date(2012, 1, 20))

    def no_live_assessment(**kwargs):
        raise AssertionError("a closed year is not assessed again")

    monkeypatch.setattr(services, "assess_year", no_live_assessment)
    client.force_login(leo)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("scoring:dashboard"), {"year": 2011}).status_code == 200


# --- Unit page ---------------------------------------------------------------------------------------


def test_the_unit_page_shows_lines_bonus_and_what_is_missing(client, leo, make_publication):
    office = Unit.objects.get(name="办公室")
    worked_examples.section_9(make_publication, office)
    html = page(client, leo, reverse("scoring:unit", args=[2011, office.pk]))
    assert "还差 2 篇省级及以上媒体稿件(含会议经验交流材料)" in html
    assert "市级媒体(含局网站)稿件" in html
    assert "3.8" in html


def test_the_unit_page_marks_the_surplus_that_earns_the_bonus(client, leo, make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    html = page(client, leo, reverse("scoring:unit", args=[2011, hanbin.pk]))
    assert html.count(">超额加分<") == 1
    assert "4.1" in html


def test_an_officer_sees_the_own_unit_as_an_estimate(client, alice, hanbin):
    html = page(client, alice, reverse("scoring:unit", args=[2011, hanbin.pk]))
    assert "预估" in html and "汉滨区" in html


@pytest.mark.parametrize("user", ["alice", "hank"])
def test_another_units_page_is_not_found(client, request, user, hanyin):
    page(client, request.getfixturevalue(user), reverse("scoring:unit", args=[2011, hanyin.pk]), status=404)


def test_my_unit_leads_to_the_own_unit(client, hank, hanbin):
    client.force_login(hank)
    response = client.get(reverse("scoring:mine") + "?year=2011")
    assert response.url == reverse("scoring:unit", args=[2011, hanbin.pk])


@pytest.mark.parametrize("n", [1, 10])
def test_the_unit_page_needs_a_bounded_number_of_queries(client, alice, hanbin, make_publication, n,
                                                          django_assert_max_num_queries):
    _bulk(make_publication, n)
    client.force_login(alice)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("scoring:unit", args=[2011, hanbin.pk])).status_code == 200


# --- Bulletin ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["alice", "bob", "hank", "leo", "rita"])
def test_every_logged_in_user_sees_the_bulletin(client, request, user):
    html = page(client, request.getfixturevalue(user), reverse("scoring:bulletin") + "?year=2011")
    assert "2011年度人力资源和社会保障宣传工作考核通报" in html and "汉阴县" in html


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(reverse("scoring:bulletin")).status_code == 302


def test_the_bulletin_of_a_closed_year_ranks_from_the_snapshot(client, leo, rita, make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    Publication.objects.filter(manuscript__unit=hanbin).update(status=Status.REJECTED, reject_reason="核查")
    html = page(client, leo, reverse("scoring:bulletin") + "?year=2011")
    assert "已结算" in html and "（预估）" not in html
    assert "4.1" in html


def test_the_bulletin_of_an_open_year_is_labelled_an_estimate(client, leo):
    html = page(client, leo, reverse("scoring:bulletin") + "?year=2011")
    assert "考核通报（预估）" in html


def test_the_bulletin_downloads_as_xlsx(client, leo, make_publication, hanbin):
    worked_examples.county_41(make_publication, hanbin)
    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_xlsx") + "?year=2011")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["县区"].iter_rows(values_only=True))
    assert rows[0][0] == "2011年度宣传工作考核通报（预估）"
    assert rows[2][:2] == (1, "汉滨区")


def test_the_bulletin_prints_on_a4():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert "size: A4" in css and ".bulletin-table" in css


@pytest.mark.parametrize("n", [1, 10])
def test_the_bulletin_needs_a_bounded_number_of_queries(client, bob, make_publication, n,
                                                         django_assert_max_num_queries):
    _bulk(make_publication, n)
    client.force_login(bob)
    # 12 for the ranking, 7 for reporting's 工作落实情况 table (units, the year's settings, five tables of duties)
    # and 3 for the scores beside its first responsible persons (computed live: no shared cache in the tests).
    with django_assert_max_num_queries(12 + 7 + 3):
        assert client.get(reverse("scoring:bulletin")).status_code == 200


def test_a_reviewer_closes_and_reopens_the_year_from_the_bulletin(client, rita, monkeypatch):
    import scoring.views

    monkeypatch.setattr(scoring.views.timezone, "localdate", lambda: AFTER_2011)
    client.force_login(rita)
    response = client.post(reverse("yearend:close") + "?year=2011")
    assert response.status_code == 302
    assert YearClose.objects.get(year=2011).is_closed
    response = client.post(reverse("yearend:reopen") + "?year=2011", {"reason": ""})
    assert response.status_code == 400
    assert "必须填写原因" in response.content.decode()
    client.post(reverse("yearend:reopen") + "?year=2011", {"reason": "补录凭证"})
    assert YearClose.objects.get(year=2011).state == "reopened"


def test_officers_cannot_close_a_year(client, alice):
    client.force_login(alice)
    assert client.post(reverse("yearend:close") + "?year=2011").status_code == 403


# --- 公示 ----------------------------------------------------------------------------------------------


def test_an_officer_lodges_an_objection_during_the_notice(client, alice, rita, hanbin, monkeypatch):
    import scoring.views

    monkeypatch.setattr(scoring.views.timezone, "localdate", lambda: AFTER_2011)
    year_publicize(year=2011, reviewer=rita, today=AFTER_2011)
    html = page(client, alice, reverse("scoring:unit", args=[2011, hanbin.pk]))
    assert "提出异议" in html and "公示中" in html
    response = client.post(reverse("scoring:objection_lodge", args=[2011, hanbin.pk]), {"text": ""})
    assert "请写明异议的内容和理由" in response.content.decode()
    client.post(reverse("scoring:objection_lodge", args=[2011, hanbin.pk]), {"text": "漏计两篇"})
    objection = Objection.objects.get()
    client.force_login(rita)
    assert "漏计两篇" in client.get(reverse("scoring:objections") + "?year=2011").content.decode()
    client.post(reverse("scoring:objection_answer", args=[objection.pk]), {"answer": "已补录"})
    objection.refresh_from_db()
    assert objection.answer == "已补录"


# --- Periodic bulletin ----------------------------------------------------------------------------------


def test_the_periodic_bulletin_shows_adoption_rate(client, bob, make_publication, hanyin):
    make_publication(hanyin, title="一", published_on=datetime.date(2011, 2, 2))
    make_publication(hanyin, title="二", published_on=datetime.date(2011, 2, 3), status=Status.REJECTED)
    html = page(client, bob, reverse("scoring:periodic") + "?year=2011&period=month&number=2")
    assert "2011年2月宣传工作通报" in html and "50.0%" in html


def test_a_quarter_beyond_four_is_refused(client, bob):
    html = page(client, bob, reverse("scoring:periodic") + "?year=2011&period=quarter&number=7")
    assert "季度只能是1至4" in html


def test_the_navigation_lists_the_scoring_pages(client, leo, alice):
    html = page(client, leo, reverse("home"))
    assert reverse("scoring:dashboard") in html and reverse("scoring:bulletin") in html
    html = page(client, alice, reverse("home"))
    assert reverse("scoring:mine") in html and f'href="{reverse("scoring:dashboard")}"' not in html


def test_the_periodic_bulletin_downloads_as_xlsx(client, bob, make_publication, hanyin):
    import io

    make_publication(hanyin, title="一", published_on=datetime.date(2011, 2, 2))
    make_publication(hanyin, title="二", published_on=datetime.date(2011, 2, 3), status=Status.SUBMITTED)
    client.force_login(bob)
    response = client.get(reverse("scoring:periodic_xlsx") + "?year=2011&period=month&number=2")
    rows = list(load_workbook(io.BytesIO(response.content))["县区"].iter_rows(values_only=True))
    assert rows[0][0] == "2011年2月宣传工作通报（县区）"
    hanyin_row = next(row for row in rows[2:] if row[1] == "汉阴县")
    assert hanyin_row[2:5] == (2, 1, 50.0)


@pytest.mark.parametrize("n", [1, 10])
def test_the_periodic_bulletin_needs_a_bounded_number_of_queries(client, bob, make_publication, n,
                                                                  django_assert_max_num_queries):
    _bulk(make_publication, n)
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("scoring:periodic") + "?year=2011&period=quarter&number=1").status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_the_objections_page_needs_a_bounded_number_of_queries(client, rita, alice, n,
                                                                django_assert_max_num_queries):
    for i, unit in enumerate(Unit.objects.all()[:n]):
        Objection.objects.create(year=2011, unit=unit, text=f"异议{i}", raised_by=alice)
    client.force_login(rita)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("scoring:objections") + "?year=2011").content.decode()
    assert html.count("<textarea") == n


def test_closing_an_unfinished_year_says_why(client, rita, monkeypatch):
    import scoring.views

    monkeypatch.setattr(scoring.views.timezone, "localdate", lambda: datetime.date(2011, 11, 30))
    client.force_login(rita)
    response = client.post(reverse("yearend:close") + "?year=2011")
    assert response.status_code == 400
    assert "2011年度尚未结束" in response.content.decode()
    assert not YearClose.objects.exists()


def test_a_bad_notice_period_keeps_what_the_reviewer_typed(client, rita, monkeypatch):
    import scoring.views

    monkeypatch.setattr(scoring.views.timezone, "localdate", lambda: AFTER_2011)
    client.force_login(rita)
    response = client.post(reverse("yearend:publicize") + "?year=2011", {"notice_days": "99"})
    html = response.content.decode()
    assert response.status_code == 400 and 'value="99"' in html
    client.post(reverse("yearend:publicize") + "?year=2011", {"notice_days": "5"})
    assert YearClose.objects.get(year=2011).notice_until == AFTER_2011 + datetime.timedelta(days=4)
