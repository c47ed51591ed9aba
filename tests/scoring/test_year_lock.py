"""DOMAIN §9: a closed year's publications, quotas, policy and rate sheet are frozen until reopened."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent, YearClose
from core.yearlock import YEAR_LOCKED_MESSAGE, year_lock_check
from exchange.services import ARTICLE_HEADERS, articles_import, quotas_import
from publicity import services
from publicity.models import Outlet, Publication, Status
from reporting.contributions import contribution_publish, contribution_submit
from rewards.models import HeadlineRate, RateSheet, RateTier
from scoring.models import AssessmentPolicy, Quota
from scoring.services import assessment_policy_save
from tests.admin_forms import admin_change_data
from tests.exchange.excel_files import xlsx_bytes
from tests.publicity.helpers import png
from yearend.services import year_reopen

pytestmark = pytest.mark.django_db

LOCKED = YEAR_LOCKED_MESSAGE.format(year=2011)
DAY = datetime.date(2011, 5, 3)


@pytest.fixture
def closed():
    return YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)


def publication_data(**overrides):
    data = {"outlet": Outlet.objects.get(name="安康日报"), "published_on": DAY, "front_headline": False,
            "page": "", "char_count": 800, "url": ""}
    data.update(overrides)
    return data


MANUSCRIPT = {"title": "就业招聘会", "authors": "张三", "kind": "news", "special_topic": ""}


def test_the_message_names_the_year_and_the_way_out():
    assert LOCKED == "2011年度已结算，如需修改请先由审核员重新开放该年度并说明原因。"


def test_an_open_or_reopened_year_passes_and_a_closed_one_is_refused(closed, rita):
    year_lock_check(year=2012)
    year_lock_check(year=None)
    with pytest.raises(ValidationError) as info:
        year_lock_check(year=[2010, 2011])
    assert info.value.messages == [LOCKED]
    year_reopen(year=2011, reviewer=rita, reason="补录漏报稿件")
    year_lock_check(year=2011)


def test_an_officer_cannot_enter_a_closed_years_publication(closed, alice, hanbin):
    with pytest.raises(services.WorkflowError, match=LOCKED):
        services.publication_create(officer=alice, publication_data=publication_data(), manuscript_data=MANUSCRIPT)
    assert not Publication.objects.exists()
    services.publication_create(officer=alice, publication_data=publication_data(
        published_on=datetime.date(2012, 1, 3)), manuscript_data=MANUSCRIPT)


def test_a_draft_cannot_be_moved_into_or_out_of_a_closed_year(closed, alice, hanbin, make_publication):
    draft = make_publication(hanbin, status=Status.DRAFT, published_on=datetime.date(2012, 2, 1))
    with pytest.raises(services.WorkflowError, match=LOCKED):
        services.publication_update(publication=draft, officer=alice, publication_data=publication_data())
    old = make_publication(hanbin, title="旧稿", status=Status.DRAFT)
    with pytest.raises(services.WorkflowError, match=LOCKED):
        services.publication_update(publication=old, officer=alice,
                                    publication_data=publication_data(published_on=datetime.date(2012, 2, 1)))
    assert Publication.objects.get(pk=old.pk).published_on == DAY


@pytest.mark.parametrize("action", ["submit", "approve", "reject"])
def test_no_transition_happens_in_a_closed_year(closed, action, alice, rita, hanbin, make_publication):
    status = Status.DRAFT if action == "submit" else Status.SUBMITTED
    publication = make_publication(hanbin, status=status)
    call = {
        "submit": lambda: services.publication_submit(publication=publication, officer=alice),
        "approve": lambda: services.publication_approve(publication=publication, reviewer=rita),
        "reject": lambda: services.publication_reject(publication=publication, reviewer=rita, reason="凭证不清"),
    }[action]
    with pytest.raises(services.WorkflowError, match=LOCKED):
        call()
    assert Publication.objects.get(pk=publication.pk).status == status
    year_reopen(year=2011, reviewer=rita, reason="审核遗漏")
    call()
    assert Publication.objects.get(pk=publication.pk).status != status


def test_reopening_is_audited_with_its_reason(closed, rita):
    year_reopen(year=2011, reviewer=rita, reason="补录漏报稿件")
    event = AuditEvent.objects.get(action="year_reopen")
    assert event.reason == "补录漏报稿件" and event.actor == rita


def test_an_article_import_into_a_closed_year_imports_nothing_and_names_the_rows(closed, rita):
    rows = [list(ARTICLE_HEADERS),
            ["汉滨区", "稿一", "张三", "安康日报", "新闻", "", 800, "2011-05-03", "", "", ""],
            ["汉滨区", "稿二", "张三", "安康日报", "新闻", "", 800, "2012-01-03", "", "", ""]]
    result = articles_import(actor=rita, file=xlsx_bytes(rows), filename="a.xlsx")
    assert not result.ok
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(2, "发表日期", LOCKED)]
    assert not Publication.objects.exists()


def test_a_quota_import_for_a_closed_year_changes_nothing(closed, rita):
    before = list(Quota.objects.filter(year=2011).values_list("pk", "count"))
    result = quotas_import(actor=rita, year=2011,
                           rows=[{"单位": "汉滨区", "单位类型": "县区", "市级及以上媒体新闻稿件": "99"}])
    assert [e.reason for e in result.errors] == [LOCKED]
    assert list(Quota.objects.filter(year=2011).values_list("pk", "count")) == before


def test_a_contribution_cannot_be_published_into_a_closed_year(closed, alice, rita, hanbin):
    contribution = contribution_submit(officer=alice, unit=hanbin, title="标题", body="正文。", signed_by="张科长",
                                       scan=png(), first_published_url="https://hb.example.gov.cn/1.html")
    with pytest.raises(ValidationError) as info:
        contribution_publish(contribution=contribution, reviewer=rita, title="标题", body="正文",
                             published_on=DAY)
    assert info.value.message_dict == {"published_on": [LOCKED]}
    assert not Publication.objects.exists()


def test_a_closed_years_policy_cannot_be_saved(closed, rita):
    policy = AssessmentPolicy.objects.get(year=2011)
    policy.base = 5
    with pytest.raises(ValidationError, match=LOCKED):
        assessment_policy_save(policy=policy, actor=rita)


# --- the admin shows the message next to the form --------------------------------------------------


def test_the_admin_refuses_a_closed_years_publication_with_the_message(closed, client, rita, hanyin,
                                                                       make_publication):
    publication = make_publication(hanyin, status=Status.APPROVED)
    client.force_login(rita)
    url = f"/admin/publicity/publication/{publication.pk}/change/"
    response = client.post(url, admin_change_data(client, url, char_count="1234"))
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).char_count is None
    year_reopen(year=2011, reviewer=rita, reason="更正字数")
    response = client.post(url, admin_change_data(client, url, char_count="1234"))
    assert response.status_code == 302
    assert Publication.objects.get(pk=publication.pk).char_count == 1234


def test_the_admin_refuses_a_closed_years_manuscript(closed, client, rita, hanyin, make_publication):
    publication = make_publication(hanyin)
    client.force_login(rita)
    url = f"/admin/publicity/manuscript/{publication.manuscript_id}/change/"
    response = client.post(url, admin_change_data(client, url, title="改过的标题"))
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).manuscript.title == "测试稿件"


def test_the_admin_refuses_a_closed_years_quota(closed, client, superuser):
    quota = Quota.objects.filter(year=2011).first()
    client.force_login(superuser)
    url = f"/admin/scoring/quota/{quota.pk}/change/"
    response = client.post(url, admin_change_data(client, url, count=str(quota.count + 5)))
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Quota.objects.get(pk=quota.pk).count == quota.count


def test_the_unit_admin_refuses_a_closed_years_quota_row(closed, client, superuser, hanbin):
    client.force_login(superuser)
    url = f"/admin/publicity/unit/{hanbin.pk}/change/"
    data = admin_change_data(client, url)
    prefix = next(k for k in data if k.endswith("-0-count")).removesuffix("-0-count")
    quota = Quota.objects.get(pk=data[f"{prefix}-0-id"])
    data[f"{prefix}-0-count"] = str(quota.count + 7)
    response = client.post(url, data)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Quota.objects.get(pk=quota.pk).count == quota.count


def test_the_admin_refuses_a_closed_years_rate_sheet_and_its_rows(closed, client, superuser):
    sheet = RateSheet.objects.get(issuer=None, year=2011)
    client.force_login(superuser)
    url = f"/admin/rewards/ratesheet/{sheet.pk}/change/"
    response = client.post(url, admin_change_data(client, url, title="改名"))
    assert response.status_code == 200 and LOCKED in response.content.decode()
    tier = RateTier.objects.filter(sheet=sheet).first()
    url = f"/admin/rewards/ratetier/{tier.pk}/change/"
    response = client.post(url, admin_change_data(client, url, rate_news="999"))
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert RateTier.objects.get(pk=tier.pk).rate_news == tier.rate_news
    headline = HeadlineRate.objects.filter(sheet=sheet).first()
    if headline is not None:
        url = f"/admin/rewards/headlinerate/{headline.pk}/change/"
        response = client.post(url, admin_change_data(client, url, amount="999"))
        assert response.status_code == 200 and LOCKED in response.content.decode()


def test_a_closed_years_publication_cannot_be_deleted_in_the_admin(closed, client, rita, hanyin, make_publication):
    publication = make_publication(hanyin)
    client.force_login(rita)
    response = client.post(f"/admin/publicity/publication/{publication.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Publication.objects.filter(pk=publication.pk).exists()
