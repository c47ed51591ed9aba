"""D1: a unit's quota lines of a year nest by scope or are disjoint; overlaps are refused."""

import pytest
from django.core.exceptions import ValidationError

from publicity.models import Unit
from scoring.models import Quota, QuotaLine
from scoring.quotas import check_lines_nest, quotas_apply_defaults

pytestmark = pytest.mark.django_db


def lines(*codes):
    by_code = {line.code: line for line in QuotaLine.objects.all()}
    return [by_code[code] for code in codes]


def test_affiliated_lines_nest_special_topics_in_municipal_in_municipal_or_higher():
    parents = check_lines_nest(lines("L_MUN_UP", "L_MUN", "L_SC", "L_JJ", "L_RES"))
    assert parents == {"L_MUN_UP": None, "L_MUN": "L_MUN_UP", "L_SC": "L_MUN", "L_JJ": "L_MUN", "L_RES": None}


def test_section_lines_are_disjoint_roots():
    assert check_lines_nest(lines("L_PROV_UP", "L_MUN", "L_RES")) == {
        "L_PROV_UP": None, "L_MUN": None, "L_RES": None}


def test_overlapping_lines_are_refused_with_a_chinese_message():
    with pytest.raises(ValidationError) as error:
        check_lines_nest(lines("L_MUN_UP", "L_PROV_UP"))
    message = error.value.messages[0]
    assert "市级及以上媒体新闻稿件" in message and "省级及以上媒体稿件(含会议经验交流材料)" in message


def test_saving_an_overlapping_quota_is_refused():
    county = Unit.objects.get(name="汉滨区")  # has L_MUN_UP
    quota = Quota(unit=county, line=QuotaLine.objects.get(code="L_PROV_UP"), year=2011, count=2)
    with pytest.raises(ValidationError, match="重叠"):
        quota.full_clean()


def test_saving_a_nested_quota_is_accepted():
    county = Unit.objects.get(name="汉滨区")
    Quota(unit=county, line=QuotaLine.objects.get(code="L_MUN"), year=2011, count=10).full_clean()


def test_defaults_give_each_unit_its_kinds_lines_once():
    created = quotas_apply_defaults(year=2012)
    assert created == Quota.objects.filter(year=2011).count()
    assert quotas_apply_defaults(year=2012) == 0
    section = Unit.objects.get(name="办公室")
    assert dict(Quota.objects.filter(unit=section, year=2012).values_list("line__code", "count")) == {
        "L_MUN": 5, "L_PROV_UP": 2, "L_RES": 1}


def test_the_admin_refuses_an_overlapping_set_of_lines(client, superuser):
    client.force_login(superuser)
    county = Unit.objects.get(name="汉滨区")
    existing = list(Quota.objects.filter(unit=county).order_by("pk"))
    data = {
        "name": county.name, "kind": county.kind, "website_url": "", "sort_order": county.sort_order,
        "is_active": "on",
        "quotas-TOTAL_FORMS": str(len(existing) + 1), "quotas-INITIAL_FORMS": str(len(existing)),
        "quotas-MIN_NUM_FORMS": "0", "quotas-MAX_NUM_FORMS": "1000",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    }
    for i, quota in enumerate(existing):
        data.update({f"quotas-{i}-id": quota.pk, f"quotas-{i}-unit": county.pk, f"quotas-{i}-year": quota.year,
                     f"quotas-{i}-line": quota.line_id, f"quotas-{i}-count": quota.count})
    n = len(existing)
    data.update({f"quotas-{n}-unit": county.pk, f"quotas-{n}-year": 2011,
                 f"quotas-{n}-line": QuotaLine.objects.get(code="L_PROV_UP").pk, f"quotas-{n}-count": 2})
    response = client.post(f"/admin/publicity/unit/{county.pk}/change/", data)
    assert response.status_code == 200
    assert "部分重叠" in response.content.decode()
    assert not Quota.objects.filter(unit=county, line__code="L_PROV_UP").exists()
