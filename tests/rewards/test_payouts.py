"""Payout batches (D7): confirmed batches never change; a later batch pays only what they have not."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from publicity.models import Outlet, Publication, Status
from rewards.models import PayoutBatch, PayoutLine, RewardBudget
from rewards.services import payout_batch_budget, payout_batch_confirm, payout_batch_discard, payout_batch_open

pytestmark = pytest.mark.django_db
D = Decimal
JUNE = datetime.date(2011, 6, 30)
DEC = datetime.date(2011, 12, 31)


def reprint(publication, outlet, published_on, status=Status.APPROVED):
    return Publication.objects.create(manuscript=publication.manuscript, outlet=Outlet.objects.get(name=outlet),
                                      published_on=published_on, status=status)


def lines_of(batch):
    return [(line.manuscript.title, line.recipient, line.amount_due, line.amount_paid_before, line.amount)
            for line in batch.lines.select_related("manuscript").order_by("manuscript__title", "id")]


@pytest.fixture
def two_authors(hanbin, make_publication):
    return make_publication(hanbin, title="两人稿件", outlet="安康日报", authors="张三、李四",
                            published_on=datetime.date(2011, 3, 1))


def test_a_batch_has_a_line_per_manuscript_and_recipient(rita, two_authors, hanyin, make_publication):
    make_publication(hanyin, title="集体稿件", outlet="陕西日报", published_on=datetime.date(2011, 4, 1))
    batch = payout_batch_open(year=2011, period_end=JUNE, reviewer=rita)
    assert batch.status == PayoutBatch.State.DRAFT
    assert (batch.period_start, batch.period_end) == (datetime.date(2011, 1, 1), JUNE)
    assert lines_of(batch) == [
        ("两人稿件", "张三", D("10.00"), D("0.00"), D("10.00")),
        ("两人稿件", "李四", D("10.00"), D("0.00"), D("10.00")),
        ("集体稿件", "汉阴县", D("100.00"), D("0.00"), D("100.00")),
    ]
    assert batch.lines.get(recipient="汉阴县").is_collective
    assert AuditEvent.objects.filter(action="payout_batch_open", target_id=str(batch.pk)).exists()


def test_confirming_records_who_and_when_and_audits(rita, two_authors):
    batch = payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.State.CONFIRMED
    assert batch.confirmed_by == rita and batch.confirmed_at is not None
    event = AuditEvent.objects.get(action="payout_batch_confirm")
    assert event.actor == rita and event.target_id == str(batch.pk)
    assert event.before == {"status": "draft"} and event.after["total"] == "20.00"


def test_a_confirmed_batch_never_changes(rita, two_authors):
    batch = payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    batch.refresh_from_db()
    batch.period_end = DEC
    with pytest.raises(ValidationError):
        batch.save()
    with pytest.raises(ValidationError):
        batch.delete()
    line = batch.lines.first()
    line.amount = D("999")
    with pytest.raises(ValidationError):
        line.save()
    with pytest.raises(ValidationError):
        line.delete()
    with pytest.raises(ValidationError):
        PayoutLine.objects.create(batch=batch, manuscript=line.manuscript, unit=line.unit, recipient="王五",
                                  amount_due=D("1"), amount=D("1"))
    with pytest.raises(ValidationError):
        payout_batch_confirm(batch=batch, reviewer=rita)
    with pytest.raises(ValidationError):
        payout_batch_discard(batch=batch, reviewer=rita)
    batch.refresh_from_db()
    assert batch.period_end == JUNE
    assert [x[4] for x in lines_of(batch)] == [D("10.00"), D("10.00")]


def test_a_late_higher_tier_reprint_pays_exactly_the_difference(rita, two_authors):
    first = payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    reprint(two_authors, "陕西日报", datetime.date(2011, 9, 1))
    second = payout_batch_open(year=2011, period_end=DEC, reviewer=rita)
    assert second.period_start == datetime.date(2011, 7, 1)
    assert lines_of(second) == [
        ("两人稿件", "张三", D("50.00"), D("10.00"), D("40.00")),
        ("两人稿件", "李四", D("50.00"), D("10.00"), D("40.00")),
    ]
    payout_batch_confirm(batch=second, reviewer=rita)
    paid = sum(line.amount for batch in (first, second) for line in batch.lines.all())
    assert paid == D("100.00")  # the 陕西日报 rate, paid once


def test_a_reprint_in_the_next_year_is_paid_by_that_years_batch(rita, two_authors):
    payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=DEC, reviewer=rita), reviewer=rita)
    reprint(two_authors, "陕西日报", datetime.date(2012, 2, 1))
    batch = payout_batch_open(year=2012, period_end=datetime.date(2012, 12, 31), reviewer=rita)
    assert [x[4] for x in lines_of(batch)] == [D("40.00"), D("40.00")]


def test_nothing_is_paid_twice(rita, two_authors):
    payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    with pytest.raises(ValidationError, match="没有需要发放的奖励"):
        payout_batch_open(year=2011, period_end=DEC, reviewer=rita)


def test_a_publication_approved_after_a_batch_is_paid_by_the_next(rita, two_authors, hanbin, make_publication):
    payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    late = make_publication(hanbin, title="迟审稿件", outlet="陕西日报", published_on=datetime.date(2011, 5, 1),
                            status=Status.SUBMITTED)
    late.status = Status.APPROVED
    late.save()
    batch = payout_batch_open(year=2011, period_end=DEC, reviewer=rita)
    assert lines_of(batch) == [("迟审稿件", "汉滨区", D("100.00"), D("0.00"), D("100.00"))]


def test_authors_changed_after_payment_never_overpay_the_manuscript(rita, two_authors):
    payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    reprint(two_authors, "陕西日报", datetime.date(2011, 9, 1))
    manuscript = two_authors.manuscript
    manuscript.authors = "王五、赵六"
    manuscript.save()
    batch = payout_batch_open(year=2011, period_end=DEC, reviewer=rita)
    assert sum(line.amount for line in batch.lines.all()) == D("80.00")


def test_one_draft_at_a_time(rita, two_authors):
    payout_batch_open(year=2011, period_end=JUNE, reviewer=rita)
    with pytest.raises(ValidationError, match="未确认"):
        payout_batch_open(year=2011, period_end=DEC, reviewer=rita)


def test_a_draft_can_be_discarded_and_opened_again(rita, two_authors):
    draft = payout_batch_open(year=2011, period_end=JUNE, reviewer=rita)
    payout_batch_discard(batch=draft, reviewer=rita)
    assert not PayoutBatch.objects.exists()
    assert AuditEvent.objects.filter(action="payout_batch_discard").exists()
    assert payout_batch_open(year=2011, period_end=DEC, reviewer=rita).lines.count() == 2


def test_the_period_ends_in_the_year_and_after_the_last_batch(rita, two_authors, hanbin, make_publication):
    with pytest.raises(ValidationError, match="2011年内"):
        payout_batch_open(year=2011, period_end=datetime.date(2012, 1, 5), reviewer=rita)
    payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    make_publication(hanbin, title="新稿件", outlet="陕西日报", published_on=datetime.date(2011, 5, 1))
    with pytest.raises(ValidationError, match="不能早于上一批次"):
        payout_batch_open(year=2011, period_end=datetime.date(2011, 5, 31), reviewer=rita)


def test_a_batch_shows_its_total_against_the_budget(rita, two_authors):
    RewardBudget.objects.create(year=2011, amount=D("50"))
    first = payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita)
    reprint(two_authors, "陕西日报", datetime.date(2011, 9, 1))
    second = payout_batch_open(year=2011, period_end=DEC, reviewer=rita)
    state = payout_batch_budget(batch=second)
    assert (state.budget, state.confirmed_before, state.this_batch) == (D("50"), D("20"), D("80"))
    assert state.over and state.remaining == D("-50")
    assert not payout_batch_budget(batch=first).over


def test_over_budget_needs_a_recorded_override_reason(rita, two_authors):
    RewardBudget.objects.create(year=2011, amount=D("15"))
    batch = payout_batch_open(year=2011, period_end=JUNE, reviewer=rita)
    with pytest.raises(ValidationError, match="超出2011年奖励预算"):
        payout_batch_confirm(batch=batch, reviewer=rita, override_reason="   ")
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.State.DRAFT
    payout_batch_confirm(batch=batch, reviewer=rita, override_reason="经局务会研究同意超支")
    batch.refresh_from_db()
    assert batch.is_confirmed and batch.budget_override_reason == "经局务会研究同意超支"
    assert AuditEvent.objects.get(action="payout_batch_confirm").reason == "经局务会研究同意超支"


def test_within_budget_needs_no_reason(rita, two_authors):
    RewardBudget.objects.create(year=2011, amount=D("20"))
    batch = payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=JUNE, reviewer=rita), reviewer=rita,
                                 override_reason="不需要")
    assert batch.is_confirmed and batch.budget_override_reason == ""


@pytest.mark.parametrize("n", [2, 20])
def test_opening_a_batch_takes_a_bounded_number_of_queries(rita, hanbin, make_publication,
                                                          django_assert_max_num_queries, n):
    for i in range(n):
        pub = make_publication(hanbin, title=f"稿件{i}", outlet="安康日报", authors="张三、李四")
        reprint(pub, "陕西日报", datetime.date(2011, 8, 1))
    with django_assert_max_num_queries(20):
        batch = payout_batch_open(year=2011, period_end=DEC, reviewer=rita)
    assert batch.lines.count() == 2 * n


def test_a_units_own_sheet_is_a_separate_pay_stream(rita, hanbin, hanyin, two_authors, make_publication):
    from rewards.models import RateSheet, RateTier

    make_publication(hanyin, title="汉阴县稿件", outlet="安康日报", published_on=datetime.date(2011, 3, 1))
    payout_batch_confirm(batch=payout_batch_open(year=2011, period_end=DEC, reviewer=rita), reviewer=rita)
    own = RateSheet.objects.create(issuer=hanbin, year=2011, title="汉滨区自筹奖励标准")
    RateTier.objects.create(sheet=own, name="市级媒体", rate_news=D("30")).outlets.add(
        Outlet.objects.get(name="安康日报"))
    batch = payout_batch_open(year=2011, period_end=DEC, reviewer=rita, sheet=own)
    assert lines_of(batch) == [("两人稿件", "张三", D("15.00"), D("0.00"), D("15.00")),
                               ("两人稿件", "李四", D("15.00"), D("0.00"), D("15.00"))]


def test_a_sheet_of_a_later_year_is_refused(rita, hanbin, two_authors):
    from rewards.models import RateSheet

    later = RateSheet.objects.create(issuer=hanbin, year=2012)
    with pytest.raises(ValidationError, match="晚于2011年"):
        payout_batch_open(year=2011, period_end=DEC, reviewer=rita, sheet=later)
