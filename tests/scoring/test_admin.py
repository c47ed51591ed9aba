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


def _line_form(line, **changes):
    data = {"code": line.code, "label": line.label, "level_min": line.level_min, "level_max": line.level_max,
            "kinds": list(line.kinds), "topic": line.topic, "default_county": line.default_county or "",
            "default_affiliated": line.default_affiliated or "", "default_section": line.default_section or "",
            "sort_order": line.sort_order}
    data.update(changes)
    return data


def test_a_quota_lines_kinds_are_checkboxes_with_their_chinese_names(client, rita):
    from scoring.models import QuotaLine

    line = QuotaLine.objects.get(code="L_RES")
    client.force_login(rita)
    html = client.get(f"/admin/scoring/quotaline/{line.pk}/change/").content.decode()

    assert 'type="checkbox" name="kinds" value="research"' in html
    assert "调研" in html and "经验交流" in html
    assert '<textarea name="kinds"' not in html  # no raw JSON


def test_ticking_kinds_saves_them_as_codes_and_none_ticked_is_refused_keeping_the_form(client, rita):
    from scoring.models import QuotaLine

    line = QuotaLine.objects.get(code="L_RES")
    client.force_login(rita)
    url = f"/admin/scoring/quotaline/{line.pk}/change/"

    assert client.post(url, _line_form(line, kinds=["research", "experience"])).status_code == 302
    assert sorted(QuotaLine.objects.get(pk=line.pk).kinds) == ["experience", "research"]

    response = client.post(url, _line_form(line, kinds=[], label="改过的名称"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请至少勾选一种稿件类型。" in html and 'value="改过的名称"' in html
    assert QuotaLine.objects.get(pk=line.pk).label == line.label
