"""Issue 19 point 6: a lock-out per client address as well as per (user name, address), higher than the
per-account one, and repeated failures of a user name in the audit trail."""

import pytest
from django.conf import settings
from django.test import Client

from config.security import ADDRESS_LOCKOUT_MESSAGE, LOCKOUT_MESSAGE
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

GUESSER = "10.9.9.9"
OFFICE = "10.8.1.20"


def attempt_login(client, username, password, address=GUESSER):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def spray(client, address=GUESSER, per_account=None, total=None):
    """Wrong passwords on many accounts from one address, each account staying below its own limit."""
    per_account = per_account or settings.AXES_FAILURE_LIMIT - 1
    total = total or settings.LOGIN_ADDRESS_FAILURE_LIMIT
    for number in range(total):
        attempt_login(client, f"officer{number // per_account}", "guess", address)


def test_the_address_limit_is_higher_than_the_account_limit():
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT


def test_one_address_trying_a_few_passwords_on_every_account_is_stopped(client, alice):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    per_account = settings.AXES_FAILURE_LIMIT - 1
    for number in range(limit - 1):
        assert attempt_login(client, f"officer{number // per_account}", "guess").status_code == 200
    assert attempt_login(client, "someone-new", "guess").status_code == 429
    response = attempt_login(client, "alice", "pw-alice")  # even the right password of a fresh account
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    page = response.content.decode()
    assert ADDRESS_LOCKOUT_MESSAGE in page and "登录已暂停" in page and str(limit) in page


def test_other_addresses_still_log_in(alice):
    spray(Client())
    response = attempt_login(Client(), "alice", "pw-alice", address=OFFICE)
    assert response.status_code == 302


def test_below_the_address_limit_an_office_behind_one_address_logs_in(client, alice):
    spray(client, total=settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1)
    assert attempt_login(client, "alice", "pw-alice").status_code == 302


def test_the_account_lock_out_keeps_its_own_message(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt_login(client, "alice", "wrong")
    assert response.status_code == 429 and LOCKOUT_MESSAGE in response.content.decode()


def test_the_api_token_login_is_stopped_by_the_address_limit_too(alice):
    spray(Client())
    response = Client().post("/api/v1/token/", {"username": "alice", "password": "pw-alice"},
                             content_type="application/json", REMOTE_ADDR=GUESSER)
    assert response.status_code == 429 and response.json()["detail"] == ADDRESS_LOCKOUT_MESSAGE
    ok = Client().post("/api/v1/token/", {"username": "alice", "password": "pw-alice"},
                       content_type="application/json", REMOTE_ADDR=OFFICE)
    assert ok.status_code == 201


def test_repeated_failures_of_one_user_name_from_many_addresses_are_audited(alice):
    limit = settings.AXES_FAILURE_LIMIT
    for number in range(limit - 1):
        attempt_login(Client(), "alice", "wrong", address=f"10.7.0.{number + 1}")
    assert not AuditEvent.objects.filter(action="login.repeated_failures").exists()
    attempt_login(Client(), "alice", "wrong", address=f"10.7.0.{limit}")
    event = AuditEvent.objects.get(action="login.repeated_failures")
    assert event.target_type == "auth.user" and event.target_id == str(alice.pk)
    assert event.after["failures"] == limit and len(event.after["addresses"]) == limit
    assert "alice" in event.summary and f"登录失败 {limit} 次" in event.summary
    assert attempt_login(Client(), "alice", "pw-alice", address="10.7.1.1").status_code == 302


def test_an_unknown_user_name_is_audited_too_and_the_address_lock_once(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt_login(client, "no-such-user", "guess", address=OFFICE)
    event = AuditEvent.objects.get(action="login.repeated_failures")
    assert event.after == {**event.after, "username": "no-such-user", "known_user": False}
    spray(client)
    spray(client, total=3)  # further failures while locked add no second address event
    locked = AuditEvent.objects.filter(action="login.address_locked")
    assert locked.count() == 1 and locked.get().after["address"] == GUESSER
