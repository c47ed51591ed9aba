"""Payout batch pages: who sees what, opening and confirming, and the Excel exports."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.models import AuditEvent
from publicity.models import Outlet, Publication
from rewards.models import PayoutBatch, RewardBudget
from rewards.services import payout_batch_confirm, payout_batch_open

pytestmark = pytest.mark.django_db
DEC = datetime.date(2011, 12, 31)


@pytest.fixture
def batch(rita, hanbin, hanyin, make_publication):
    make_publication(hanbin, title="汉滨区稿件", outlet="陕西日报", authors="张三、李四",
                     front_headline=True, char_count=900)
    make_publication(hanyin, title="汉阴县稿件", outlet="安康日报", authors="王五")
    return payout_batch_open(year=2011, period_end=DEC, reviewer=rita)


def confirmed(batch, rita):
    return payout_batch_confirm(batch=batch, reviewer=rita)


def test_the_navigation_shows_payouts(client, alice):
    client.force_login(alice)
    assert "奖励发放" in client.get("/").content.decode()


def test_anonymous_users_are_sent_to_login(client, batch):
    assert client.get(f"/rewards/{batch.pk}/").status_code == 302


def test_a_reviewer_sees_every_unit_and_the_budget(client, rita, batch):
    RewardBudget.objects.create(year=2011, amount=Decimal("3000"))
    client.force_login(rita)
    body = client.get(f"/rewards/{batch.pk}/").content.decode()
    assert "汉滨区稿件" in body and "汉阴县稿件" in body
    assert "奖励预算" in body and "1520.00" in body  # 1500 + 20 this batch
    assert "确认本批次" in body


def test_a_batch_over_the_budget_shows_by_how_much(client, rita, batch):
    RewardBudget.objects.create(year=2011, amount=Decimal("1000"))
    client.force_login(rita)
    body = client.get(f"/rewards/{batch.pk}/").content.decode()
    assert "超出预算（元）" in body and '<span class="num">520.00</span>' in body


def test_the_page_shows_the_publications_behind_each_amount(client, rita, batch):
    client.force_login(rita)
    body = client.get(f"/rewards/{batch.pk}/").content.decode()
    assert "头版头条，900字" in body and "标准 1500.00 元" in body


def test_an_officer_sees_only_the_own_units_people_and_amounts(client, alice, rita, batch):
    confirmed(batch, rita)
    client.force_login(alice)
    body = client.get(f"/rewards/{batch.pk}/").content.decode()
    assert "汉滨区稿件" in body and "张三" in body
    assert "汉阴县稿件" not in body and "王五" not in body
    assert "奖励预算" not in body and "确认本批次" not in body
    listing = client.get("/rewards/").content.decode()
    assert "1500.00" in listing and "1520.00" not in listing


def test_a_unit_head_sees_the_own_unit(client, hank, rita, batch):
    confirmed(batch, rita)
    client.force_login(hank)
    body = client.get(f"/rewards/{batch.pk}/").content.decode()
    assert "汉滨区稿件" in body and "汉阴县稿件" not in body


def test_officers_do_not_see_drafts(client, alice, batch):
    client.force_login(alice)
    assert client.get(f"/rewards/{batch.pk}/").status_code == 404
    assert "至" not in client.get("/rewards/").content.decode().split("发放批次</h2>")[1]


def test_a_leader_sees_all_but_cannot_confirm(client, leo, rita, batch):
    client.force_login(leo)
    body = client.get(f"/rewards/{batch.pk}/").content.decode()
    assert "汉阴县稿件" in body and "确认本批次" not in body
    assert client.post(f"/rewards/{batch.pk}/confirm/").status_code == 403
    assert not PayoutBatch.objects.get(pk=batch.pk).is_confirmed


def test_a_reviewer_opens_a_batch_from_the_list(client, rita, hanbin, make_publication):
    make_publication(hanbin, title="新稿件", outlet="陕西日报")
    client.force_login(rita)
    form = client.get("/rewards/").content.decode()
    assert "生成草稿" in form and 'value="2011-12-31"' in form
    response = client.post("/rewards/open/", {"year": "2011", "period_end": "2011-12-31"})
    batch = PayoutBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rewards/{batch.pk}/"


def test_a_bad_open_form_keeps_the_input_and_says_why(client, rita):
    client.force_login(rita)
    response = client.post("/rewards/open/", {"year": "2011", "period_end": "2012-01-05"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "统计截止日期必须在2011年内" in body and 'value="2012-01-05"' in body
    response = client.post("/rewards/open/", {"year": "2011", "period_end": "2011-12-31"})
    assert "没有需要发放的奖励" in response.content.decode()


def test_an_officer_cannot_open_a_batch(client, alice):
    client.force_login(alice)
    assert client.post("/rewards/open/", {"year": "2011", "period_end": "2011-12-31"}).status_code == 403


def test_confirming_over_budget_asks_for_a_reason(client, rita, batch):
    RewardBudget.objects.create(year=2011, amount=Decimal("100"))
    client.force_login(rita)
    response = client.post(f"/rewards/{batch.pk}/confirm/", {"override_reason": ""})
    assert response.status_code == 200 and "请填写超预算说明" in response.content.decode()
    assert not PayoutBatch.objects.get(pk=batch.pk).is_confirmed
    response = client.post(f"/rewards/{batch.pk}/confirm/", {"override_reason": "局长办公会同意"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.is_confirmed and batch.budget_override_reason == "局长办公会同意"
    assert AuditEvent.objects.filter(action="payout_batch_confirm", reason="局长办公会同意").exists()


def test_a_confirmed_batch_cannot_be_discarded_from_the_page(client, rita, batch):
    confirmed(batch, rita)
    client.force_login(rita)
    client.post(f"/rewards/{batch.pk}/discard/")
    assert PayoutBatch.objects.filter(pk=batch.pk).exists()


def test_a_draft_can_be_discarded_from_the_page(client, rita, batch):
    client.force_login(rita)
    assert client.post(f"/rewards/{batch.pk}/discard/").status_code == 302
    assert not PayoutBatch.objects.exists()


def xlsx_rows(response, sheet=None):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                        else response.content))
    ws = workbook[sheet] if sheet else workbook.worksheets[0]
    return list(ws.iter_rows(values_only=True)), workbook


def test_the_payout_sheet_has_chinese_headers_and_a_signature_column(client, rita, batch):
    client.force_login(rita)
    response = client.get(f"/rewards/{batch.pk}/payout.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, workbook = xlsx_rows(response)
    assert rows[1] == ("序号", "单位", "领取人", "稿件标题", "最高等次媒体", "应得金额（元）", "此前已发（元）",
                       "本次发放（元）", "签领")
    assert [r[2] for r in rows[2:-1]] == ["张三", "李四", "王五"]
    assert rows[-1][7] == 1520
    assert "单位汇总" in workbook.sheetnames


def test_an_officers_payout_sheet_has_only_the_own_unit(client, alice, rita, batch):
    confirmed(batch, rita)
    client.force_login(alice)
    rows, _ = xlsx_rows(client.get(f"/rewards/{batch.pk}/payout.xlsx"))
    assert {r[1] for r in rows[2:-1]} == {"汉滨区"}


def test_the_unit_summary_has_a_sheet_per_unit(client, rita, batch):
    client.force_login(rita)
    rows, workbook = xlsx_rows(client.get(f"/rewards/{batch.pk}/units.xlsx"))
    assert workbook.sheetnames == ["单位汇总", "汉滨区", "汉阴县"]
    assert rows[1] == ("序号", "单位", "稿件数", "领取人数", "本次发放（元）", "签领")
    assert [(r[1], r[4]) for r in rows[2:-1]] == [("汉滨区", 1500), ("汉阴县", 20)]


@pytest.mark.parametrize("n", [2, 15])
def test_the_batch_page_takes_a_bounded_number_of_queries(client, rita, hanbin, make_publication,
                                                           django_assert_max_num_queries, n):
    for i in range(n):
        pub = make_publication(hanbin, title=f"稿件{i}", outlet="安康日报", authors=f"作者{i}、作者{i + 1}")
        Publication.objects.create(manuscript=pub.manuscript, outlet=Outlet.objects.get(name="陕西日报"),
                                   published_on=datetime.date(2011, 8, 1), status="approved")
    batch = payout_batch_open(year=2011, period_end=DEC, reviewer=rita)
    client.force_login(rita)
    with django_assert_max_num_queries(22):
        assert client.get(f"/rewards/{batch.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/rewards/").status_code == 200


def test_a_reviewer_opens_a_batch_on_a_units_own_sheet(client, rita, hanbin, hanyin, make_publication):
    from rewards.models import RateSheet, RateTier

    make_publication(hanbin, title="汉滨区稿件", outlet="安康日报")
    make_publication(hanyin, title="汉阴县稿件", outlet="安康日报")
    own = RateSheet.objects.create(issuer=hanbin, year=2011, title="汉滨区自筹奖励标准")
    RateTier.objects.create(sheet=own, name="市级媒体", rate_news=Decimal("30")).outlets.add(
        Outlet.objects.get(name="安康日报"))
    client.force_login(rita)
    assert "汉滨区自筹奖励标准" in client.get("/rewards/").content.decode()
    response = client.post("/rewards/open/", {"year": "2011", "period_end": "2011-12-31", "sheet": own.pk})
    assert response.status_code == 302
    batch = PayoutBatch.objects.get()
    assert batch.sheet == own
    assert [(line.unit.name, line.amount) for line in batch.lines.all()] == [("汉滨区", Decimal("30.00"))]
