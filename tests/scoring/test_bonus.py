"""DOMAIN §3: 计入加分 = party papers and TV at municipal level or higher, defined once in scoring.rules."""

import pytest

from publicity.models import Outlet
from scoring import rules
from scoring.services import outlet_is_bonus_eligible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "level", "media_class", "eligible"), [
    ("人民日报", "national", "party_paper", True),
    ("陕西电视台", "provincial", "tv", True),
    ("安康日报", "municipal", "party_paper", True),
    ("安康电视台", "municipal", "tv", True),
    ("当代陕西", "provincial", "party_periodical", False),
    ("安康广播电台", "municipal", "radio", False),
    ("局网站", "municipal", "website", False),
])
def test_bonus_eligibility_is_party_papers_and_tv_at_municipal_or_higher(name, level, media_class, eligible):
    outlet = Outlet.objects.get(name=name)
    assert (outlet.level, outlet.media_class, outlet_is_bonus_eligible(outlet)) == (level, media_class, eligible)
    # The assessment's aggregate query decides by the same three names of scoring.rules.
    assert Outlet.objects.filter(pk=outlet.pk, media_class__in=rules.BONUS_OUTLET_CLASSES,
                                 level__in=rules.BONUS_LEVELS).exists() is eligible


def test_a_county_party_paper_earns_no_bonus():
    outlet = Outlet.objects.create(name="汉滨报", level="county", media_class="party_paper")
    assert not outlet_is_bonus_eligible(outlet)
