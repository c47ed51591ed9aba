"""Issuing, checking and revoking API tokens; system accounts for other systems. Every write is audited.

A person gets a token with the own user name and password (POST /api/v1/token/, through authenticate(): the
lock-out and the directory apply); an administrator issues tokens to system accounts in 管理后台 or with
`manage.py api_token`. A system account has no password (it never logs in to the pages) and one role:
领导 for the read-only assessment (it sees every unit, changes nothing), 信息宣传员 of one unit for that
unit's submissions. So the API needs no rule of its own: the role decides what the account sees and may do
(visible_to, the services), the token's scope narrows which endpoints it may call at all.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from core import roles
from core.audit import audit_record
from publicity.admin import account_snapshot
from publicity.models import Membership, Unit

KEY_PREFIX = "xcgz_"
TOUCH_EVERY = datetime.timedelta(minutes=1)  # last_used_at is written at most this often

UNIT_REQUIRED_MESSAGE = "“单位报送”令牌必须指定单位。"
UNIT_MISMATCH_MESSAGE = "“单位报送”令牌的账号必须是该单位（{unit}）的信息宣传员。"
UNIT_NOT_ALLOWED_MESSAGE = "只有“单位报送”令牌指定单位。"
USERNAME_TAKEN_MESSAGE = "用户名「{username}」已被占用，请换一个系统账号名。"
SYSTEM_SCOPE_ONLY_MESSAGE = "系统账号的权限范围只能是“只读考核”或“单位报送”。"
NAME_REQUIRED_MESSAGE = "请填写令牌的用途，如：综合考核系统。"
SYSTEM_SCOPES = (ApiToken.Scope.ASSESSMENT, ApiToken.Scope.UNIT)
SYSTEM_ROLE = {ApiToken.Scope.ASSESSMENT: roles.LEADER, ApiToken.Scope.UNIT: roles.OFFICER}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_token_check(*, user, scope: str, unit: Unit | None) -> None:
    """A "单位报送" token needs the unit, and an account that is that unit's officer; no other scope has a unit."""
    if scope == ApiToken.Scope.UNIT:
        if unit is None:
            raise ValidationError({"unit": UNIT_REQUIRED_MESSAGE})
        own = roles.unit_of(user)
        if not roles.has_role(user, roles.OFFICER) or own is None or own.pk != unit.pk:
            raise ValidationError({"unit": UNIT_MISMATCH_MESSAGE.format(unit=unit.name)})
    elif unit is not None:
        raise ValidationError({"unit": UNIT_NOT_ALLOWED_MESSAGE})


@transaction.atomic
def api_token_create(*, user, scope: str, name: str, actor, unit: Unit | None = None,
                     expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token; returns it with its key, which is shown this once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED_MESSAGE})
    api_token_check(user=user, scope=scope, unit=unit)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name[:100], user=user, scope=scope, unit=unit, expires_at=expires_at,
                                    prefix=key[:len(KEY_PREFIX) + 6], key_hash=_digest(key),
                                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="api_token.create", target=token, unit=unit,
                 summary=f"签发接口令牌「{token.name}」：{user}，{token.get_scope_display()}",
                 after={"user": user.username, "scope": scope, "unit": unit.name if unit else None,
                        "prefix": token.prefix, "expires_at": expires_at.isoformat() if expires_at else None})
    return token, key


def api_token_for_person(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A person's own token (POST /api/v1/token/): their web permissions, for API_TOKEN_DAYS."""
    expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    return api_token_create(user=user, scope=ApiToken.Scope.PERSON, name=name or "个人令牌", actor=user,
                            expires_at=expires_at)


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
        audit_record(actor=actor, action="api_token.revoke", target=token, unit=token.unit,
                     summary=f"撤销接口令牌「{token.name}」：{token.user}", before={"state": "有效"},
                     after={"state": "已撤销", "prefix": token.prefix})
    return token


def api_token_lookup(key: str) -> ApiToken | None:
    """The usable token with this key, else None (unknown, revoked or expired alike)."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = (ApiToken.objects.select_related("user", "user__membership__unit", "unit")
             .filter(key_hash=_digest(key)).first())
    return token if token is not None and token.is_usable() else None


def api_token_touch(token: ApiToken) -> None:
    """Remember when a token was last used (bookkeeping, not audited; at most once a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def system_account_check(*, username: str, scope: str, unit: Unit | None) -> None:
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN_MESSAGE.format(username=username)})
    if scope not in SYSTEM_SCOPES:
        raise ValidationError({"scope": SYSTEM_SCOPE_ONLY_MESSAGE})
    if scope == ApiToken.Scope.UNIT and unit is None:
        raise ValidationError({"unit": UNIT_REQUIRED_MESSAGE})
    if scope != ApiToken.Scope.UNIT and unit is not None:
        raise ValidationError({"unit": UNIT_NOT_ALLOWED_MESSAGE})


@transaction.atomic
def system_account_create(*, username: str, display_name: str, scope: str, actor, unit: Unit | None = None):
    """An account for another system: no password, the role its scope needs (SYSTEM_ROLE), audited."""
    system_account_check(username=username, scope=scope, unit=unit)
    User = get_user_model()
    user = User(username=username, first_name=display_name or username, is_active=True)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=SYSTEM_ROLE[scope]))
    Membership.objects.create(user=user, unit=unit if scope == ApiToken.Scope.UNIT else None)
    audit_record(actor=actor, action="user.add", target=user, unit=unit,
                 summary=f"新增系统账号（接口专用，不能登录网页）：{user}", after=account_snapshot(user))
    return user
