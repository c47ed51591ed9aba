"""The API's permission matrix for tokens: every API URL, requested with every kind of token.

The session personas walk the same URLs in tests/test_permission_matrix.py. Here:
zara — the assessment system (scope 只读考核, role 领导); hugo — 汉滨区's reporting interface (scope 单位报送,
officer of 汉滨区, which owns the world's records); yuki — 汉阴县's reporting interface; alice_token — Alice's
own person token (must behave exactly like Alice's session).
"""

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.tokens import system_account_create
from publicity.models import Unit
from tests.permission_urls import kwargs_for
from tests.test_permission_matrix import assert_outcome, project_url_names, world  # noqa: F401

TOKENS = ("zara", "hugo", "yuki", "alice_token")
ALL = frozenset(TOKENS)
NONE = frozenset()
READ_ASSESSMENT = frozenset({"zara", "alice_token"})
REPORTERS = frozenset({"hugo", "yuki", "alice_token"})
HANBIN = frozenset({"zara", "hugo", "alice_token"})     # may read 汉滨区's unit
HANBIN_RECORDS = frozenset({"hugo", "alice_token"})     # may read and act on 汉滨区's records

# URL name → (who may GET, who may POST; None = GET only).
TOKEN_ACCESS: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {
    "api:root": (ALL, None),
    "api:units": (ALL, None),
    "api:unit": (HANBIN, None),
    "api:quotas": (ALL, None),
    "api:outlets": (ALL, None),
    "api:assessment": (READ_ASSESSMENT, None),
    "api:bulletin": (READ_ASSESSMENT, None),
    "api:rewards": (frozenset({"zara"}), None),  # Alice's role may not read rewards
    "api:records": (REPORTERS, REPORTERS),
    "api:record": (HANBIN_RECORDS, None),
    "api:record_submit": (NONE, HANBIN_RECORDS),
    "api:record_proofs": (NONE, HANBIN_RECORDS),
    "api:record_approve": (NONE, NONE),
    "api:record_reject": (NONE, NONE),
    "api:proof": (HANBIN_RECORDS, None),
    "api:token": (NONE, ALL),  # user name and password in the body; the token is not used
    "api:schema": (ALL, None),
    "api:docs": (NONE, None),  # a page for people logged in; tokens do not open pages
    "api:token_revoke": (NONE, ALL),  # revokes the token itself: walked last
}


def api_url_names() -> set[str]:
    return {name for name in project_url_names() if name.startswith("api:")}


def test_every_api_url_is_declared_for_tokens():
    assert sorted(api_url_names() - set(TOKEN_ACCESS)) == []


@pytest.fixture
def token_keys(alice, token_of):
    hanbin, hanyin = Unit.objects.get(name="汉滨区"), Unit.objects.get(name="汉阴县")
    zara = system_account_create(username="zara", display_name="综合考核系统", scope="assessment", actor=None)
    hugo = system_account_create(username="hugo", display_name="汉滨区接口", scope="unit", unit=hanbin, actor=None)
    yuki = system_account_create(username="yuki", display_name="汉阴县接口", scope="unit", unit=hanyin, actor=None)
    return {"zara": token_of(zara, scope=ApiToken.Scope.ASSESSMENT),
            "hugo": token_of(hugo, scope=ApiToken.Scope.UNIT, unit=hanbin),
            "yuki": token_of(yuki, scope=ApiToken.Scope.UNIT, unit=hanyin),
            "alice_token": token_of(alice)}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", TOKENS)
def test_api_urls_follow_the_token_matrix(persona, api, token_keys, world):  # noqa: F811
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_keys[persona]}")
    for name, (get_allowed, post_allowed) in TOKEN_ACCESS.items():  # in order: token_revoke last
        url = reverse(name, kwargs=kwargs_for(name, world))
        assert_outcome(api.get(url), persona in get_allowed, persona, url)
        if post_allowed is not None:
            assert_outcome(api.post(url, {}, format="json"), persona in post_allowed, persona, "POST " + url)


@pytest.mark.django_db
def test_an_assessment_token_cannot_write_even_where_its_role_could_read(api, token_keys, world):  # noqa: F811
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_keys['zara']}")
    response = api.post(reverse("api:records"), {}, format="json")
    assert response.status_code == 403
    scope = ApiToken.Scope.ASSESSMENT.label
    assert response.json()["detail"] == f"此令牌的权限范围（{scope}）不包括这个接口。"
