"""The permission matrix: every URL pattern of the project, requested by every persona.

ACCESS declares who may open each URL name; a URL missing from it fails `test_every_url_is_declared`,
so a new page cannot slip in without deciding who may see it. Admin URLs are declared per model.

Outcomes: an allowed persona gets a page (status < 400, not sent to a login page); a refused one is
sent to the login page (anonymous, or non-staff in the admin) or gets 403/404/405.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from publicity.models import AuditEvent, Publication, Status

PERSONAS = ("anonymous", "alice", "bob", "hank", "rita", "leo", "superuser")
EVERYONE = frozenset(PERSONAS)
LOGGED_IN = EVERYONE - {"anonymous"}
REVIEWERS = frozenset({"rita", "superuser"})
SUPERUSER = frozenset({"superuser"})
REVIEWERS_LEADERS = frozenset({"rita", "leo", "superuser"})
UNIT_A = frozenset({"alice", "hank"})          # officer and head of 汉滨区, which owns the world's records

# URL name → who may open it. Object URLs are filled from the `world` fixture (records of 汉滨区).
ACCESS: dict[str, frozenset[str]] = {
    "home": LOGGED_IN,
    "login": EVERYONE,
    "logout": frozenset(),  # POST only: GET is refused for everybody
    "admin:auth_user_password_change": SUPERUSER,
}

# Admin: who may open the pages of each model (the reviewer's work place; users and groups are the
# administrator's). Officers, heads and leaders are not staff and never reach the admin.
ADMIN_MODEL_ACCESS: dict[str, frozenset[str]] = {
    "auth.user": SUPERUSER,
    "auth.group": SUPERUSER,
}
ADMIN_DEFAULT = REVIEWERS
# Single actions that differ from their model's line: reviewers see who belongs to which unit, but only
# the administrator assigns users to units.
ADMIN_ACTION_ACCESS: dict[tuple[str, str], frozenset[str]] = {
    ("publicity.membership", "add"): SUPERUSER,
    ("publicity.membership", "delete"): SUPERUSER,
}
# Admin pages that only read (the audit trail) or refuse adding/changing for everybody.
ADMIN_READ_ONLY_MODELS = {"publicity.auditevent"}
ADMIN_NO_ADD_MODELS = {"publicity.auditevent", "publicity.prooffile"}

# Names that are not pages somebody opens by a link (handled by Django itself).
NOT_PAGES = {"admin:view_on_site", "admin:jsi18n", "admin:autocomplete", "admin:login", "admin:logout",
             "admin:password_change", "admin:password_change_done", "admin:app_list", "admin:index"}


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def project_url_names() -> set[str]:
    return {name for name, _ in walk(get_resolver().url_patterns)}


def admin_url_names() -> dict[str, tuple[str, str]]:
    """admin URL name → (model label, action) for every registered model."""
    names = {}
    for model in admin.site._registry:
        opts = model._meta
        for action in ("changelist", "add", "change", "delete", "history"):
            names[f"admin:{opts.app_label}_{opts.model_name}_{action}"] = (opts.label_lower, action)
    return names


def test_every_url_is_declared():
    admin_names = admin_url_names()
    undeclared = sorted(name for name in project_url_names()
                        if name not in ACCESS and name not in admin_names and name not in NOT_PAGES)
    assert undeclared == [], f"URLs without a line in the permission matrix: {undeclared}"


@pytest.fixture
def world(make_publication, hanbin):
    """One record of every kind, owned by 汉滨区 (Alice's and Hank's unit; not Bob's)."""
    publication = make_publication(hanbin, title="矩阵测试稿件", status=Status.SUBMITTED)
    AuditEvent.objects.create(action="test", target_type="publicity.publication", target_id=str(publication.pk),
                              summary="矩阵测试")
    from django.contrib.auth.models import User

    return {"publication": publication, "user": User.objects.create_user("matrix-user")}


def url_for(name: str, world) -> str:
    from tests.permission_urls import kwargs_for

    return reverse(name, kwargs=kwargs_for(name, world))


def assert_outcome(response, allowed: bool, persona: str, url: str):
    location = response.get("Location", "")
    sent_to_login = response.status_code in (301, 302) and "login" in location
    if allowed:
        assert response.status_code < 400 and not sent_to_login, (
            f"{persona} should reach {url}, got {response.status_code} {location}")
    else:
        assert sent_to_login or response.status_code in (403, 404, 405), (
            f"{persona} must not reach {url}, got {response.status_code} {location}")


def login_as(client, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_project_pages_follow_the_matrix(persona, client, request, world):
    login_as(client, persona, request)
    for name in sorted(project_url_names() & set(ACCESS)):
        url = url_for(name, world)
        assert_outcome(client.get(url), persona in ACCESS[name], persona, url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_pages_follow_the_matrix(persona, client, request, world):
    login_as(client, persona, request)
    for name, (label, action) in sorted(admin_url_names().items()):
        model = next(m for m in admin.site._registry if m._meta.label_lower == label)
        allowed = persona in ADMIN_ACTION_ACCESS.get((label, action), ADMIN_MODEL_ACCESS.get(label, ADMIN_DEFAULT))
        if action == "add" and label in ADMIN_NO_ADD_MODELS:
            allowed = False
        if action == "delete" and label in ADMIN_READ_ONLY_MODELS:
            allowed = False
        if action in ("change", "delete", "history"):
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                continue
            url = reverse(name, args=[obj.pk])
        else:
            url = reverse(name)
        assert_outcome(client.get(url), allowed, persona, url)


@pytest.mark.django_db
def test_an_officer_of_another_unit_cannot_open_the_admin_record(client, bob, world):
    bob.is_staff = True  # even a misconfigured staff flag does not reveal another unit's records
    bob.save()
    client.force_login(bob)
    publication = world["publication"]
    response = client.get(reverse("admin:publicity_publication_change", args=[publication.pk]))
    assert response.status_code in (302, 403, 404)
    assert Publication.objects.visible_to(bob).count() == 0
