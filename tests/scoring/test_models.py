from decimal import Decimal

import pytest
from django.db import IntegrityError

from scoring import rules
from scoring.models import AssessmentPolicy, policy_for_year

pytestmark = pytest.mark.django_db


def test_the_2011_policy_of_the_notice_is_in_the_reference_data():
    policy = AssessmentPolicy.objects.get(year=2011)
    assert policy.as_rules() == rules.Policy(base=Decimal("4"), bonus_per_article=Decimal("0.1"),
                                             bonus_cap_ratio=Decimal("0.3"), penalty_per_article=Decimal("0.1"),
                                             floor=Decimal("0"))


def test_a_year_without_a_policy_uses_the_2011_values():
    assert policy_for_year(2031) == rules.POLICY_2011


def test_a_year_with_its_own_policy_uses_it():
    AssessmentPolicy.objects.create(year=2012, base=Decimal("5"), bonus_per_article=Decimal("0.2"))
    assert policy_for_year(2012).base == Decimal("5")
    assert policy_for_year(2012).bonus_per_article == Decimal("0.2")


def test_the_database_refuses_negative_points():
    with pytest.raises(IntegrityError):
        AssessmentPolicy.objects.create(year=2013, penalty_per_article=Decimal("-0.1"))
