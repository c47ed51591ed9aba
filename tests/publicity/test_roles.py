"""Per-unit scoping: one method, visible_to(user), decides what each role sees."""

import pytest
from django.contrib.auth.models import Group, User

from core import roles
from core.uploads import sample_pdf
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


# --- Who files for a unit: one rule (core.roles.officer_unit), the same answer on every path (issue 14) ------


def _file_everything(user, unit):
    """The ways a unit's work is filed: a record, a website contribution, a period report, and the duties of
    DOMAIN §11 (a research topic, the plan, the first responsible person, the website's status)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from publicity import services
    from publicity.models import Outlet
    from publicity.research import research_topic_create
    from reporting import deadlines, duties
    from reporting.contributions import contribution_submit
    from reporting.reports import report_submit

    attempts = {
        "record": lambda: services.publication_create(
            officer=user, manuscript_data={"title": "稿", "authors": "", "kind": "news", "special_topic": ""},
            publication_data={"outlet": Outlet.objects.get(name="安康日报"), "published_on": datetime.date(2011, 5, 3),
                              "front_headline": False, "page": "", "char_count": None, "url": ""}),
        "contribution": lambda: contribution_submit(
            officer=user, unit=unit, title="投稿", body="正文", signed_by="科长",
            first_published_url="http://www.hanbin.gov.cn/a.html",
            scan=SimpleUploadedFile("签批.pdf", sample_pdf(note="签批"))),
        "report": lambda: report_submit(unit=unit, period=deadlines.annual_period(2011), officer=user,
                                        today=datetime.date(2011, 12, 20)),
        "topic": lambda: research_topic_create(officer=user, unit=unit, year=2011, title="专题", lead="王明",
                                               planned_completion=datetime.date(2011, 10, 1)),
        "plan": lambda: duties.plan_file(
            unit=unit, year=2011, officer=user, today=datetime.date(2011, 3, 20), summary="计划", staff="王明",
            staff_count=1, budget=1000, leaders=[{"role": "leader", "name": "张局长", "post": "局长"}],
            document=SimpleUploadedFile("计划.pdf", sample_pdf(note="计划"))),
        "responsible": lambda: duties.responsible_set(unit=unit, year=2011, officer=user, name="张局长", post="局长"),
        "website": lambda: duties.website_status_report(unit=unit, officer=user, today=datetime.date(2011, 5, 1),
                                                        state="building"),
    }
    outcomes = {}
    for name, attempt in attempts.items():
        try:
            attempt()
            outcomes[name] = "filed"
        except Exception as exc:
            outcomes[name] = str(exc)
    return outcomes


@pytest.mark.parametrize("persona", ["superuser", "rita"])
def test_who_is_not_an_officer_files_nothing_on_any_path(persona, request, hanbin):
    # Refused on every path with the one rule's words: a superuser has no unit, so is no officer either.
    outcomes = _file_everything(request.getfixturevalue(persona), hanbin)
    assert set(outcomes.values()) == {roles.NOT_OFFICER_MESSAGE}, outcomes


def test_an_officer_files_nothing_for_another_unit(bob, hanbin):
    outcomes = _file_everything(bob, hanbin)
    assert outcomes["contribution"] == outcomes["report"] == roles.NOT_OWN_UNIT_MESSAGE.format(unit="汉阴县")
    assert {outcomes[key] for key in ("topic", "plan", "responsible", "website")} == {
        roles.NOT_OWN_UNIT_MESSAGE.format(unit="汉阴县")}


def test_the_units_officer_files_on_every_path(alice, hanbin):
    assert set(_file_everything(alice, hanbin).values()) == {"filed"}
