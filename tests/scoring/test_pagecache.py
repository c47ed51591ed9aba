"""A closed year's dashboard and bulletin are rendered once per close (scoring/pagecache.py)."""

import datetime

import pytest
from django.urls import reverse

from core.models import YearClose
from publicity.models import Publication, Status
from scoring import pagecache, services
from tests.scoring import worked_examples
from yearend.services import year_close, year_publicize, year_reopen

pytestmark = pytest.mark.django_db

AFTER_2011 = datetime.date(2012, 1, 20)


def html_of(client, url):
    response = client.get(url, {"year": 2011})
    assert response.status_code == 200
    return response.content.decode()


def refuse_live_work(monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("the closed year's page was rendered again")

    monkeypatch.setattr(services, "bulletin_for_year", refuse)
    monkeypatch.setattr(services, "monthly_approved", refuse)


@pytest.mark.parametrize("name", ["scoring:dashboard", "scoring:bulletin"])
def test_a_closed_years_page_is_rendered_once_and_then_served_as_it_was(client, leo, rita, make_publication,
                                                                         hanbin, name, monkeypatch):
    worked_examples.county_41(make_publication, hanbin)
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    client.force_login(leo)
    first = html_of(client, reverse(name))
    assert "4.1" in first and "已结算" in first
    refuse_live_work(monkeypatch)
    client.force_login(rita)  # another user, another role: the cached part holds nothing personal
    again = html_of(client, reverse(name))
    assert again.count("4.1") == first.count("4.1")
    assert "年度结算（审核员）" in again or name == "scoring:dashboard"  # the reviewer's own section is not cached


@pytest.mark.parametrize("name", ["scoring:dashboard", "scoring:bulletin"])
def test_reopening_and_closing_again_shows_the_new_result(client, leo, rita, make_publication, hanbin, name):
    worked_examples.county_41(make_publication, hanbin)
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    client.force_login(leo)
    assert "4.1" in html_of(client, reverse(name))
    year_reopen(year=2011, reviewer=rita, reason="核查发现三篇不符合要求")
    Publication.objects.filter(manuscript__unit=hanbin, outlet__name="陕西日报").update(
        status=Status.REJECTED, reject_reason="核查")
    reopened = html_of(client, reverse(name))
    assert "4.1" not in reopened  # live again at once: the reopened year is never served from the cache
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    closed_again = html_of(client, reverse(name))
    assert "4.1" not in closed_again and "已结算" in closed_again


def test_open_published_and_reopened_years_are_never_cached(rita):
    assert pagecache.closed_year_key(None, "dashboard") is None
    notice = year_publicize(year=2011, reviewer=rita, today=AFTER_2011)
    assert pagecache.closed_year_key(notice, "dashboard") is None
    year_reopen(year=2011, reviewer=rita, reason="重算")
    assert pagecache.closed_year_key(YearClose.objects.get(year=2011), "dashboard") is None


def test_each_close_has_its_own_key_and_each_page_its_own(rita):
    first = year_close(year=2011, reviewer=rita, today=AFTER_2011)
    key = pagecache.closed_year_key(first, "dashboard")
    assert key is not None and key != pagecache.closed_year_key(first, "bulletin")
    year_reopen(year=2011, reviewer=rita, reason="重算")
    second = year_close(year=2011, reviewer=rita, today=AFTER_2011)
    assert pagecache.closed_year_key(second, "dashboard") not in (None, key)


def test_a_cached_closed_year_needs_fewer_queries(client, leo, rita, make_publication, hanbin,
                                                   django_assert_max_num_queries):
    worked_examples.county_41(make_publication, hanbin)
    year_close(year=2011, reviewer=rita, today=AFTER_2011)
    client.force_login(leo)
    html_of(client, reverse("scoring:dashboard"))
    with django_assert_max_num_queries(8):
        html_of(client, reverse("scoring:dashboard"))
