"""Personas shared by the whole suite.

Alice is the information officer of 汉滨区 and Bob of 汉阴县; Hank heads 汉滨区; Rita is a
reviewer in 政策法规与信息化管理科; Leo is a leader. The Ankang 2011 reference data is loaded
once per session into the test database.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from core import roles
from publicity.models import Manuscript, Membership, Outlet, Publication, Status, Unit


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loaddata", "ankang_2011", verbosity=0)


@pytest.fixture
def reference_data(db):
    """For transactional tests, whose flush removes the session's reference data."""
    if not Unit.objects.exists():
        call_command("loaddata", "ankang_2011", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Closed years' pages are cached (scoring/pagecache.py); no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Proof files of each test go to a temporary folder, never to the developer's var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def make_user(username: str, role: str, unit_name: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, first_name=username.title(),
                                    **extra)
    user.groups.add(Group.objects.get(name=role))
    Membership.objects.create(user=user, unit=Unit.objects.get(name=unit_name) if unit_name else None)
    return user


@pytest.fixture
def hanbin(db):
    return Unit.objects.get(name="汉滨区")


@pytest.fixture
def hanyin(db):
    return Unit.objects.get(name="汉阴县")


@pytest.fixture
def alice(db):
    return make_user("alice", roles.OFFICER, "汉滨区", email="alice@example.com")


@pytest.fixture
def bob(db):
    return make_user("bob", roles.OFFICER, "汉阴县")


@pytest.fixture
def hank(db):
    return make_user("hank", roles.UNIT_HEAD, "汉滨区")


@pytest.fixture
def rita(db):
    return make_user("rita", roles.REVIEWER, "政策法规与信息化管理科", is_staff=True, email="rita@example.com")


@pytest.fixture
def leo(db):
    return make_user("leo", roles.LEADER)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root")


@pytest.fixture
def make_publication(db):
    """Build a manuscript with one publication; keyword arguments override the defaults."""

    def build(unit, *, title="测试稿件", outlet="安康日报", kind="news", topic="", status=Status.APPROVED,
              published_on=datetime.date(2011, 5, 3), authors="", **fields) -> Publication:
        manuscript = Manuscript.objects.create(unit=unit, title=title, kind=kind, special_topic=topic,
                                               authors=authors)
        if status == Status.REJECTED:
            fields.setdefault("reject_reason", "凭证缺失")
        return Publication.objects.create(manuscript=manuscript, outlet=Outlet.objects.get(name=outlet),
                                          published_on=published_on, status=status, **fields)

    return build
