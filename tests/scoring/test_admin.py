import datetime
from decimal import Decimal

import pytest

from core.models import AuditEvent
from scoring.models import AssessmentPolicy
from yearend.services import year_close

pytestmark = pytest.mark.django_db

FIELDS = {"year": "2011", "base": "5", "bonus_per_article": "0.1", "bonus_cap_ratio": "0.3",
          "penalty_per_article": "0.1", "floor": "0", "note": ""}


def test_a_reviewer_edits_the_years_policy_in_the_admin_and_it_is_audited(client, rita):
    policy = AssessmentPolicy.objects.get(year=2011)
    client.force_login(rita)
    response = client.post(f"/admin/scoring/assessmentpolicy/{policy.pk}/change/", FIELDS)
    assert response.status_code == 302
    assert AssessmentPolicy.objects.get(year=2011).base == Decimal("5")
    assert AuditEvent.objects.get(action="policy_save").before["base"] == "4.00"


def test_a_closed_years_policy_is_read_only_in_the_admin(client, rita):
    year_close(year=2011, reviewer=rita, today=datetime.date(2012, 1, 5))
    policy = AssessmentPolicy.objects.get(year=2011)
    client.force_login(rita)
    response = client.post(f"/admin/scoring/assessmentpolicy/{policy.pk}/change/", FIELDS)
    assert response.status_code == 403
    assert AssessmentPolicy.objects.get(year=2011).base == Decimal("4")
    assert client.get(f"/admin/scoring/assessmentpolicy/{policy.pk}/change/").status_code == 200
