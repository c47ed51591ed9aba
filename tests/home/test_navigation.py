"""The main menu offers each user only pages that open for them (issue 14.5)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from core import roles
from home.navigation import nav_items
from tests.conftest import make_user


def menu(client, user) -> dict[str, str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {item["label"]: item["url"] for item in response.context["nav_items"]}


@pytest.fixture
def people(db, alice, hank, rita, leo, superuser):
    admin = make_user("adam", roles.ADMINISTRATOR, is_staff=True)
    return {"officer": alice, "unit head": hank, "reviewer": rita, "leader": leo, "administrator": admin,
            "superuser": superuser}


@pytest.mark.parametrize("who", ["officer", "unit head", "reviewer", "leader", "administrator", "superuser"])
def test_every_menu_entry_opens_for_the_user_it_is_shown_to(client, people, who):
    for label, url in menu(client, people[who]).items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{who}: {label} {url} → {response.status_code}"


def test_a_superuser_without_a_unit_is_not_offered_the_unit_pages(client, superuser):
    entries = menu(client, superuser)

    assert "本单位考核" not in entries and "录入稿件" not in entries and "定期报送" not in entries
    assert {"考核看板", "审核队列", "报送情况", "公示异议"} <= set(entries)


def test_an_officer_is_offered_the_unit_pages_and_not_the_review_queue(client, alice):
    entries = menu(client, alice)

    assert {"本单位考核", "录入稿件", "定期报送"} <= set(entries)
    assert "审核队列" not in entries and "考核看板" not in entries


def test_an_anonymous_visitor_gets_no_menu(rf):
    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert nav_items(request) == []


def test_a_superuser_acts_as_reviewer_leader_and_administrator(db):
    root = User.objects.create_superuser("boss", "boss@example.com", "pw")
    assert roles.roles_of(root) == {roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR}
