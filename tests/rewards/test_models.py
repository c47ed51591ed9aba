"""Rate sheets as data (DOMAIN.md §7): the 2011 fixture, uniqueness, tiers a reviewer extends."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from publicity.models import Outlet, Unit
from rewards import rates
from rewards.models import HeadlineRate, RateSheet, RateTier

pytestmark = pytest.mark.django_db


def bureau_2011() -> RateSheet:
    return RateSheet.objects.with_rates().get(issuer=None, year=2011)


def as_plain(sheet: rates.RateSheet):
    tiers = {tier.name: (tier.outlets, dict(tier.rates)) for tier in sheet.tiers}
    return tiers, dict(sheet.headlines)


def test_the_2011_fixture_is_the_notices_sheet():
    assert as_plain(bureau_2011().to_rates()) == as_plain(rates.BUREAU_2011)


def test_the_2011_fixture_pays_like_the_notice_for_every_outlet_and_kind():
    sheet = bureau_2011().to_rates()
    for outlet in Outlet.objects.all():
        for kind in rates.KINDS:
            for headline, chars in ((False, None), (True, 799), (True, 800), (True, 1000)):
                args = dict(outlet=outlet.name, level=outlet.level, kind=kind, front_headline=headline,
                            char_count=chars)
                assert sheet.rate_for(**args) == rates.BUREAU_2011.rate_for(**args), args


def test_to_rates_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        RateSheet.objects.with_rates().get(issuer=None, year=2011).to_rates()


def test_the_bureau_has_one_sheet_per_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        RateSheet.objects.create(issuer=None, year=2011)


def test_a_unit_has_one_sheet_per_year_beside_the_bureaus():
    hanbin = Unit.objects.get(name="汉滨区")
    RateSheet.objects.create(issuer=hanbin, year=2011)
    with pytest.raises(IntegrityError), transaction.atomic():
        RateSheet.objects.create(issuer=hanbin, year=2011)


def test_a_tier_refuses_a_negative_rate():
    with pytest.raises(IntegrityError), transaction.atomic():
        RateTier.objects.create(sheet=bureau_2011(), name="错误档次", rate_news=Decimal("-1"))


def test_a_headline_rule_is_one_per_outlet_and_sheet():
    with pytest.raises(IntegrityError), transaction.atomic():
        HeadlineRate.objects.create(sheet=bureau_2011(), outlet=Outlet.objects.get(name="人民日报"),
                                    amount=Decimal("1"), min_chars=1)


def test_a_tier_without_rates_pays_nothing():
    tier = RateTier.objects.create(sheet=bureau_2011(), name="空档次")
    assert tier.to_rates().ordinary_rate("news") == Decimal("0")


def test_a_reviewer_adds_an_outlet_to_an_existing_tier_in_the_admin(client, rita):
    portal = Outlet.objects.create(name="网易", level="national", media_class="portal")
    tier = RateTier.objects.get(sheet=bureau_2011(), name="商业门户网站")
    client.force_login(rita)
    url = f"/admin/rewards/ratetier/{tier.pk}/change/"
    assert client.get(url).status_code == 200
    outlets = [o.pk for o in tier.outlets.all()] + [portal.pk]
    response = client.post(url, {"sheet": tier.sheet_id, "name": tier.name, "outlets": outlets,
                                 "rate_news": "50", "sort_order": tier.sort_order})
    assert response.status_code == 302
    sheet = bureau_2011().to_rates()
    assert sheet.rate_for(outlet="网易", level="national", kind="news", front_headline=False,
                          char_count=None) == Decimal("50.00")


def test_the_admin_refuses_an_outlet_in_two_tiers_of_a_sheet(client, rita):
    tier = RateTier.objects.get(sheet=bureau_2011(), name="商业门户网站")
    client.force_login(rita)
    outlets = [o.pk for o in tier.outlets.all()] + [Outlet.objects.get(name="人民日报").pk]
    response = client.post(f"/admin/rewards/ratetier/{tier.pk}/change/",
                           {"sheet": tier.sheet_id, "name": tier.name, "outlets": outlets, "rate_news": "50",
                            "sort_order": tier.sort_order})
    assert response.status_code == 200
    assert "同时列在" in response.content.decode()
    assert not tier.outlets.filter(name="人民日报").exists()


def test_the_sheet_page_shows_its_tiers_inline(client, rita):
    client.force_login(rita)
    response = client.get(f"/admin/rewards/ratesheet/{bureau_2011().pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "省级党报党刊" in body and "头版头条" in body
