"""Per-unit scoping: one method, visible_to(user), decides what each role sees."""

import pytest
from django.contrib.auth.models import Group, User

from core import roles
from publicity.models import Manuscript, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(make_publication, hanbin, hanyin):
    return make_publication(hanbin, title="汉滨稿"), make_publication(hanyin, title="汉阴稿")


def test_officers_see_only_their_own_unit(alice, bob, two_units):
    ours, theirs = two_units
    assert list(Publication.objects.visible_to(alice)) == [ours]
    assert list(Publication.objects.visible_to(bob)) == [theirs]
    assert list(Manuscript.objects.visible_to(alice)) == [ours.manuscript]


def test_a_unit_head_sees_the_own_unit(hank, two_units):
    assert list(Publication.objects.visible_to(hank)) == [two_units[0]]


@pytest.mark.parametrize("persona", ["rita", "leo", "superuser"])
def test_reviewers_leaders_and_administrators_see_every_unit(persona, request, two_units):
    user = request.getfixturevalue(persona)
    assert set(Publication.objects.visible_to(user)) == set(two_units)


def test_a_user_without_a_role_or_unit_sees_nothing(two_units):
    nobody = User.objects.create_user("nobody", password="x")
    assert not Publication.objects.visible_to(nobody).exists()
    officer_without_unit = User.objects.create_user("lost", password="x")
    officer_without_unit.groups.add(Group.objects.get(name=roles.OFFICER))
    assert not Publication.objects.visible_to(officer_without_unit).exists()


def test_anonymous_users_see_nothing(two_units):
    from django.contrib.auth.models import AnonymousUser

    assert not Publication.objects.visible_to(AnonymousUser()).exists()


def test_every_role_is_a_group_with_permissions():
    for role in (roles.OFFICER, roles.REVIEWER, roles.LEADER, roles.UNIT_HEAD, roles.ADMINISTRATOR):
        assert Group.objects.get(name=role).permissions.exists(), role
    officer = Group.objects.get(name=roles.OFFICER)
    assert officer.permissions.filter(codename="add_publication").exists()
    assert not officer.permissions.filter(codename="change_quota").exists()
    assert not Group.objects.get(name=roles.LEADER).permissions.filter(codename__startswith="change_").exists()
