"""Tokens: obtained with a password (lock-out applies), issued to system accounts, revoked, throttled."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from api.authentication import INACTIVE_MESSAGE, INVALID_MESSAGE, UNIT_CHANGED_MESSAGE
from api.models import ApiToken
from api.throttling import PerTokenThrottle
from api.views import LOGIN_FAILED_MESSAGE
from config.security import LOCKOUT_MESSAGE
from core import roles
from core.models import AuditEvent
from publicity.models import Unit

pytestmark = pytest.mark.django_db


def obtain(api, username, password, **extra):
    return api.post(reverse("api:token"), {"username": username, "password": password, **extra}, format="json")


def test_a_person_obtains_a_token_with_the_password_and_it_acts_as_them(api, alice, as_token):
    response = obtain(api, "alice", "pw-alice", name="我的脚本")
    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == "person" and body["name"] == "我的脚本" and body["token"].startswith("xcgz_")
    token = ApiToken.objects.get(user=alice)
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    assert body["token"] not in (token.key_hash, token.prefix)  # only its hash is kept
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.pk), actor=alice).exists()
    units = as_token(body["token"]).get(reverse("api:units")).json()
    assert [u["name"] for u in units] == ["汉滨区"]  # Alice's own view of the data


def test_a_wrong_password_is_refused_and_five_lock_the_name_out(api, alice):
    for _ in range(4):
        response = obtain(api, "alice", "wrong")
        assert response.status_code == 400 and response.json() == {"detail": LOGIN_FAILED_MESSAGE}
    assert obtain(api, "alice", "wrong").status_code == 429  # the fifth failure locks, as on the login page
    locked = obtain(api, "alice", "pw-alice")
    assert locked.status_code == 429
    assert locked.json() == {"detail": LOCKOUT_MESSAGE}
    assert not ApiToken.objects.exists()


def test_a_revoked_or_expired_token_no_longer_works(api, alice, token_of, as_token):
    key = token_of(alice)
    client = as_token(key)
    assert client.post(reverse("api:token_revoke")).json() == {"detail": "令牌已撤销。"}
    response = client.get(reverse("api:units"))
    assert response.status_code == 401 and response.json() == {"detail": INVALID_MESSAGE}
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1

    expired = token_of(alice, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert as_token(expired).get(reverse("api:units")).status_code == 401


def test_a_deactivated_account_and_a_made_up_key_get_401(api, alice, token_of, as_token):
    key = token_of(alice)
    alice.is_active = False
    alice.save()
    response = as_token(key).get(reverse("api:units"))
    assert response.status_code == 401 and response.json() == {"detail": INACTIVE_MESSAGE}
    assert as_token("xcgz_made-up").get(reverse("api:units")).status_code == 401
    assert as_token("").get(reverse("api:units")).status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_a_unit_token_ends_when_its_account_leaves_the_unit(api, hugo, hanbin, hanyin, token_of, as_token):
    key = token_of(hugo, scope="unit", unit=hanbin)
    assert as_token(key).get(reverse("api:records")).status_code == 200
    hugo.membership.unit = hanyin
    hugo.membership.save()
    response = as_token(key).get(reverse("api:records"))
    assert response.status_code == 401 and response.json() == {"detail": UNIT_CHANGED_MESSAGE.format(unit="汉滨区")}


def test_a_unit_token_needs_an_officer_of_that_unit(alice, hanyin, token_of):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="汉阴县"):
        token_of(alice, scope="unit", unit=hanyin)
    with pytest.raises(ValidationError, match="必须指定单位"):
        token_of(alice, scope="unit")


def test_throttling_counts_per_token(api, alice, bob, token_of, as_token, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "3/min"})
    first, second = token_of(alice), token_of(bob)
    for _ in range(3):
        assert as_token(first).get(reverse("api:units")).status_code == 200
    throttled = as_token(first).get(reverse("api:units"))
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("请求已被限流。")
    assert "Retry-After" in throttled
    assert as_token(second).get(reverse("api:units")).status_code == 200  # another token has its own count


def test_the_command_creates_a_system_account_that_cannot_log_in(api, client, as_token):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "system", "zhkh", "--name", "综合考核系统", "--scope", "assessment",
                 stdout=out, stderr=err)
    key = re.search(r"xcgz_\S+", out.getvalue()).group(0)
    account = User.objects.get(username="zhkh")
    assert not account.has_usable_password() and roles.has_role(account, roles.LEADER)
    assert not client.login(username="zhkh", password="")
    assert as_token(key).get(reverse("api:assessment"), {"year": 2011}).status_code == 200
    assert AuditEvent.objects.filter(action="user.add", target_id=str(account.pk)).exists()

    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "综合考核系统" in listing.getvalue() and key not in listing.getvalue()
    token = ApiToken.objects.get(user=account)
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert as_token(key).get(reverse("api:assessment")).status_code == 401


def test_the_command_issues_a_unit_token_to_a_new_unit_account(hanbin):
    out = io.StringIO()
    call_command("api_token", "system", "hanbin-api", "--name", "汉滨区报送接口", "--scope", "unit",
                 "--unit", "汉滨区", stdout=out, stderr=io.StringIO())
    account = User.objects.get(username="hanbin-api")
    assert roles.has_role(account, roles.OFFICER) and roles.unit_of(account) == hanbin
    assert ApiToken.objects.get(user=account).unit == hanbin
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="已被占用"):
        call_command("api_token", "system", "hanbin-api", "--name", "重复", stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有名为「火星区」的单位"):
        call_command("api_token", "system", "x-api", "--name", "x", "--scope", "unit", "--unit", "火星区")


def test_an_administrator_issues_a_token_in_the_admin_and_sees_the_key_once(client, superuser, hanbin, as_token):
    client.force_login(superuser)
    url = reverse("admin:api_apitoken_add")
    missing = client.post(url, {"name": "汉滨区报送", "system_username": "hb-api", "scope": "unit", "unit": ""})
    assert missing.status_code == 200 and "必须指定单位" in missing.content.decode()
    assert not User.objects.filter(username="hb-api").exists()

    response = client.post(url, {"name": "汉滨区报送", "system_username": "hb-api", "scope": "unit",
                                 "unit": hanbin.pk})
    assert response.status_code == 200
    page = response.content.decode()
    key = re.search(r"xcgz_[\w-]+", page).group(0)
    assert "只显示这一次" in page
    token = ApiToken.objects.get(user__username="hb-api")
    assert as_token(key).get(reverse("api:records")).status_code == 200
    detail = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert key not in detail and token.prefix in detail

    client.post(reverse("admin:api_apitoken_changelist"),
                {"action": "revoke_selected", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert as_token(key).get(reverse("api:records")).status_code == 401


def test_an_administrators_role_may_issue_tokens_and_a_reviewers_may_not(client, rita, hanbin):
    administrator = User.objects.create_user("admin2", password="pw", is_staff=True)
    from django.contrib.auth.models import Group

    administrator.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    client.force_login(administrator)
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 200
    client.force_login(rita)
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403


@override_settings(API_TOKEN_DAYS=3)
def test_a_persons_token_lasts_api_token_days(api, alice):
    obtain(api, "alice", "pw-alice")
    token = ApiToken.objects.get(user=alice)
    assert datetime.timedelta(days=2) < token.expires_at - timezone.now() <= datetime.timedelta(days=3)


def test_unit_is_required_for_unit_scoped_system_accounts():
    from django.core.exceptions import ValidationError

    from api.tokens import system_account_create

    with pytest.raises(ValidationError):
        system_account_create(username="x", display_name="x", scope="unit", actor=None)
    assert not Unit.objects.filter(name="x").exists() and not User.objects.filter(username="x").exists()
