"""API personas: the people of tests/conftest.py with tokens, and two system accounts.

Zara is the bureau's overall-assessment system (综合考核系统, read-only assessment scope); Hugo is 汉滨区's
reporting interface (unit scope). Alice, Bob, Hank, Rita and Leo get person tokens when a test asks.
"""

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import api_token_create, system_account_create
from publicity.models import Unit


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_of():
    """token_of(user, scope="person", unit=None) → the key of a new token."""

    def issue(user, scope=ApiToken.Scope.PERSON, unit=None, **extra):
        return api_token_create(user=user, scope=scope, name="测试令牌", actor=None, unit=unit, **extra)[1]

    return issue


@pytest.fixture
def zara(db):
    return system_account_create(username="zara", display_name="综合考核系统", scope=ApiToken.Scope.ASSESSMENT,
                                 actor=None)


@pytest.fixture
def hugo(db):
    return system_account_create(username="hugo", display_name="汉滨区报送接口", scope=ApiToken.Scope.UNIT,
                                 unit=Unit.objects.get(name="汉滨区"), actor=None)


@pytest.fixture
def as_token(api):
    """as_token(key): the API client sends this token from now on."""

    def use(key):
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return use
