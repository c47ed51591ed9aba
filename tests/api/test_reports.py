"""The assessment, bulletin, rewards and reference data through the API."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from publicity.models import Quota, Status
from scoring.services import year_close

pytestmark = pytest.mark.django_db


def command_json(name: str, year: int) -> dict:
    out = io.StringIO()
    call_command(name, year=year, format="json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def year_2011(hanbin, hanyin, make_publication):
    for n in range(12):
        make_publication(hanbin, title=f"汉滨新闻{n}", outlet="安康日报", authors="王明、李红")
    make_publication(hanbin, title="汉滨调研", outlet="陕西日报", kind="research")
    make_publication(hanyin, title="汉阴新闻", outlet="陕西电视台", authors="赵六")
    make_publication(hanyin, title="汉阴草稿", status=Status.DRAFT)


def test_the_assessment_is_exactly_the_assess_commands_json(api, leo, year_2011):
    api.force_authenticate(leo)
    response = api.get(reverse("api:assessment"), {"year": 2011})
    assert response.status_code == 200
    assert response.json() == command_json("assess", 2011)
    hanbin = next(u for u in response.json()["units"] if u["unit"] == "汉滨区")
    assert hanbin["lines"][0] == {"code": "L_MUN_UP", "label": "市级及以上媒体新闻稿件", "count": 40, "have": 12,
                                  "deficit": 28}


def test_rewards_are_exactly_the_rewards_commands_json(api, rita, year_2011):
    api.force_authenticate(rita)
    response = api.get(reverse("api:rewards"), {"year": 2011})
    assert response.status_code == 200
    assert response.json() == command_json("rewards", 2011)
    assert response.json()["total"] == 12 * 20 + 200 + 200


def test_rewards_are_for_reviewers_and_leaders(api, alice, hank, year_2011):
    for user in (alice, hank):
        api.force_authenticate(user)
        response = api.get(reverse("api:rewards"), {"year": 2011})
        assert response.status_code == 403 and response.json()["detail"] == "此接口仅限审核员、领导使用。"


def test_a_year_without_a_rate_sheet_is_a_clear_400(api, rita):
    api.force_authenticate(rita)
    response = api.get(reverse("api:rewards"), {"year": 2003})
    assert response.status_code == 400 and "2003" in response.json()["detail"]


def test_the_bulletin_is_the_live_estimate_then_the_frozen_close(api, alice, rita, hanbin, make_publication,
                                                                year_2011):
    api.force_authenticate(alice)
    live = api.get(reverse("api:bulletin"), {"year": 2011}).json()
    assert live["state"] == "estimate" and live["closed_on"] is None
    county = next(g for g in live["groups"] if g["kind"] == "county")
    assert county["label"] == "县区" and [u["rank"] for u in county["units"]][:1] == [1]
    assessed = {u["unit"]: u for u in command_json("assess", 2011)["units"]}
    for unit in county["units"]:
        assert {k: v for k, v in unit.items() if k != "rank"} == assessed[unit["unit"]]

    year_close(year=2011, reviewer=rita, today=datetime.date(2012, 1, 10))
    make_publication(hanbin, title="结算后补录")  # written directly: the bulletin must not move
    closed = api.get(reverse("api:bulletin"), {"year": 2011}).json()
    assert closed["state"] == "closed" and closed["closed_on"] == "2012-01-10"
    assert closed["groups"] == live["groups"]


@pytest.mark.parametrize("year", ["abc", "1999", "2011.5", "-2011"])
def test_a_bad_year_is_a_chinese_400_never_a_server_error(api, leo, year):
    api.force_authenticate(leo)
    for name in ("assessment", "bulletin", "rewards", "quotas"):
        response = api.get(reverse(f"api:{name}"), {"year": year})
        assert response.status_code == 400
        assert response.json() == {"detail": "年度应为2000至2100之间的整数，如 ?year=2011。"}


def test_without_a_year_the_pages_default_year_is_used(api, leo, year_2011):
    api.force_authenticate(leo)
    assert api.get(reverse("api:assessment")).json()["year"] == 2011


def test_officers_see_their_own_units_and_quotas_reviewers_all(api, alice, rita, hanbin):
    api.force_authenticate(alice)
    assert [u["name"] for u in api.get(reverse("api:units")).json()] == ["汉滨区"]
    quotas = api.get(reverse("api:quotas"), {"year": 2011}).json()
    assert {q["unit"]["name"] for q in quotas} == {"汉滨区"}
    assert {(q["code"], q["count"]) for q in quotas} == {("L_MUN_UP", 40), ("L_RES", 4)}

    api.force_authenticate(rita)
    assert len(api.get(reverse("api:units")).json()) > 10
    all_quotas = api.get(reverse("api:quotas"), {"year": 2011}).json()
    assert len(all_quotas) == Quota.objects.filter(year=2011).count()
    one = api.get(reverse("api:quotas"), {"year": 2011, "unit": hanbin.pk}).json()
    assert {q["unit"]["id"] for q in one} == {hanbin.pk}
    assert api.get(reverse("api:quotas"), {"unit": "x"}).status_code == 400


def test_outlets_list_their_aliases(api, alice):
    api.force_authenticate(alice)
    outlets = {o["name"]: o for o in api.get(reverse("api:outlets")).json()}
    assert "CCTV" in outlets["中央电视台"]["aliases"]
    assert outlets["安康日报"]["is_bonus_eligible"] is True and outlets["安康日报"]["level"] == "municipal"


def test_the_assessment_needs_a_fixed_number_of_queries(api, leo, django_assert_max_num_queries, year_2011):
    api.force_authenticate(leo)
    with django_assert_max_num_queries(8):
        api.get(reverse("api:assessment"), {"year": 2011})

