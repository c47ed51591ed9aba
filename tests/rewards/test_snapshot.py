"""Reward amounts frozen at the year close (DOMAIN.md §9) and live again after a reopen."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from publicity.models import Outlet
from rewards.models import RewardSnapshot
from rewards.services import rewards_for_year
from yearend.services import year_close, year_reopen

pytestmark = pytest.mark.django_db
AFTER_2011 = datetime.date(2012, 2, 1)


def test_closing_a_year_stores_every_manuscripts_reward(rita, hanbin, make_publication):
    make_publication(hanbin, title="省报稿", outlet="陕西日报", authors="王明、李华")
    make_publication(hanbin, title="集体稿", outlet="安康日报", authors="")
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    rows = {row.title: row for row in RewardSnapshot.objects.filter(year=2011)}
    assert rows["省报稿"].amount == Decimal("100")
    assert rows["省报稿"].outlet_name == "陕西日报"
    assert rows["省报稿"].recipients == [{"name": "王明", "amount": "50.00"}, {"name": "李华", "amount": "50.00"}]
    assert rows["集体稿"].is_collective


def test_later_edits_do_not_change_a_closed_years_rewards(rita, hanbin, make_publication):
    publication = make_publication(hanbin, title="省报稿", outlet="陕西日报", authors="王明")
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    publication.outlet = Outlet.objects.get(name="人民日报")
    publication.save()
    publication.manuscript.authors = "赵六"
    publication.manuscript.save()
    make_publication(hanbin, title="结算后补录", outlet="陕西日报")

    result = rewards_for_year(year=2011)
    (reward,) = result.manuscripts
    assert (reward.title, reward.outlet, reward.amount) == ("省报稿", "陕西日报", Decimal("100"))
    assert [r.name for r in reward.recipients] == ["王明"]
    out = io.StringIO()
    call_command("rewards", year=2011, format="json", stdout=out)
    assert json.loads(out.getvalue())["total"] == 100.0


def test_reopening_a_year_makes_its_rewards_live_again(rita, hanbin, make_publication):
    publication = make_publication(hanbin, title="省报稿", outlet="陕西日报", authors="王明")
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    year_reopen(year=2011, reviewer=rita, reason="补录遗漏稿件")
    assert not RewardSnapshot.objects.filter(year=2011).exists()
    publication.outlet = Outlet.objects.get(name="人民日报")
    publication.save()
    (reward,) = rewards_for_year(year=2011).manuscripts
    assert reward.amount == Decimal("500")


def test_an_open_year_reports_live(hanbin, make_publication):
    make_publication(hanbin, title="省报稿", outlet="陕西日报")
    assert not RewardSnapshot.objects.exists()
    assert rewards_for_year(year=2011).total == Decimal("100")


def test_a_closed_years_rewards_take_a_fixed_number_of_queries(rita, hanbin, make_publication,
                                                                django_assert_max_num_queries):
    for n in (2, 12):
        year_reopen(year=2011, reviewer=rita, reason="再测") if n == 12 else None
        for i in range(n):
            make_publication(hanbin, title=f"稿件{n}-{i}", outlet="陕西日报", authors="王明")
        year_close(year=2011, reviewer=rita, today=AFTER_2011 + datetime.timedelta(days=n))
        with django_assert_max_num_queries(3):
            result = rewards_for_year(year=2011)
        assert len(result.manuscripts) == (2 if n == 2 else 14)
