"""Directory login (issue 18): government staff log in with their directory (LDAP) account.

django-auth-ldap checks the password against the directory; this backend adds the project's rules:

- a directory group is one of our roles (LDAP_ROLE_GROUPS; by default the group named like the role,
  cn=信息宣传员,<LDAP_GROUP_SEARCH_BASE>), and only members of a role group may log in at all;
- a directory attribute (LDAP_UNIT_ATTR, default ou) names the user's unit (publicity.Membership);
- roles, unit and the staff flag are synchronised at every login, and the first login (user.add) and every
  change (user.change) is in the audit trail with before and after, like an administrator's change;
- a disabled directory account (in LDAP_DISABLED_GROUP) cannot log in, nor can a user whose account an
  administrator deactivated here;
- local accounts keep working: a user name that has a local password here is never handled by the
  directory, so a directory entry cannot take an existing local account over;
- the lock-out (axes) still applies: its backend runs before this one and counts every failure.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import checks
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import LDAPGroupQuery

from core import roles
from core.audit import audit_record
from core.text import normalize_name
from publicity.admin import account_snapshot
from publicity.models import Membership, Unit

logger = logging.getLogger(__name__)

UNKNOWN_ROLE_MESSAGE = "LDAP_ROLE_GROUPS 中的「{role}」不是本系统的角色；角色为：{roles}。"
BAD_PAIR_MESSAGE = ("LDAP_ROLE_GROUPS 的「{pair}」应写成 角色=组，"
                    "如 审核员=cn=reviewers,ou=groups,dc=ankang,dc=gov,dc=cn。")
CREATED_MESSAGE = "目录账号首次登录，新增用户：{user}"
SYNCED_MESSAGE = "按目录同步用户：{user}"
UNKNOWN_UNIT_MESSAGE = "（目录中的单位「{value}」在本系统中不存在，未分配单位）"
STAFF_ROLES = (roles.REVIEWER, roles.ADMINISTRATOR)  # they work in 管理后台


def _dn_key(dn: str) -> str:
    """DNs compare without case and without the spaces some directories put after commas."""
    return ",".join(part.strip() for part in dn.split(",")).lower()


def role_group_dns(spec: str, group_base: str) -> dict[str, str]:
    """role → group DN from "角色=组;角色=组": a group is a full DN or a bare name (cn=<name>,<group base>).

    Roles left out keep the default group, named like the role: cn=信息宣传员,<group base>.
    """
    mapping = {role: f"cn={role},{group_base}" for role in roles.ROLES}
    for pair in filter(None, (p.strip() for p in (spec or "").split(";"))):
        role, sep, group = (s.strip() for s in pair.partition("="))
        if not sep or not group:
            raise ValueError(BAD_PAIR_MESSAGE.format(pair=pair))
        if role not in roles.ROLES:
            raise ValueError(UNKNOWN_ROLE_MESSAGE.format(role=role, roles="、".join(roles.ROLES)))
        mapping[role] = group if "=" in group else f"cn={group},{group_base}"
    return mapping


def roles_for(group_dns: Iterable[str], mapping: dict[str, str]) -> set[str]:
    member_of = {_dn_key(dn) for dn in group_dns}
    return {role for role, dn in mapping.items() if _dn_key(dn) in member_of}


def _mapping() -> dict[str, str]:
    return role_group_dns(settings.LDAP_ROLE_GROUPS, settings.LDAP_GROUP_SEARCH_BASE)


def _attribute(attrs, name: str) -> str:
    for key, values in (attrs or {}).items():
        if key.lower() == name.lower() and values:
            return str(values[0]).strip()
    return ""


def directory_user_sync(*, user, role_names: set[str], unit_value: str, before: dict | None) -> None:
    """Give a directory user the roles, staff flag and unit the directory says; audit what changed."""
    current = set(user.groups.filter(name__in=roles.ROLES).values_list("name", flat=True))
    if current != role_names:
        user.groups.remove(*Group.objects.filter(name__in=current - role_names))
        user.groups.add(*Group.objects.filter(name__in=role_names - current))
        user.__dict__.pop("_role_names", None)  # roles.has_role's per-request cache
    staff = bool(role_names & set(STAFF_ROLES))
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    units = {normalize_name(unit.name): unit for unit in Unit.objects.all()}
    unit = units.get(normalize_name(unit_value)) if unit_value else None
    membership, _ = Membership.objects.get_or_create(user=user)
    if membership.unit_id != (unit.pk if unit else None):
        membership.unit = unit
        membership.save(update_fields=["unit"])
        user.membership = membership
    note = UNKNOWN_UNIT_MESSAGE.format(value=unit_value) if unit_value and unit is None else ""
    if note:
        logger.warning("Directory user %s: unit %r not found", user.username, unit_value)
    after = account_snapshot(user)
    if before is None:
        audit_record(actor=None, action="user.add", target=user, summary=CREATED_MESSAGE.format(user=user) + note,
                     after=after)
    elif after != before:
        audit_record(actor=None, action="user.change", target=user, summary=SYNCED_MESSAGE.format(user=user) + note,
                     before=before, after=after)


class DirectoryBackend(LDAPBackend):
    @property
    def settings(self):
        if self._settings is None:
            ldap_settings = super().settings
            # Only members of one of our role groups may log in (the directory holds every civil servant).
            query = None
            for dn in _mapping().values():
                query = LDAPGroupQuery(dn) if query is None else query | LDAPGroupQuery(dn)
            ldap_settings.REQUIRE_GROUP = query
        return self._settings

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username:
            return None
        existing = get_user_model().objects.filter(username__iexact=username.strip()).first()
        if existing is not None and existing.password and existing.has_usable_password():
            return None  # a local account (it has a password here): ModelBackend's business
        self._before = account_snapshot(existing) if existing else None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        directory_user_sync(user=user, role_names=roles_for(ldap_user.group_dns, _mapping()),
                            unit_value=_attribute(ldap_user.attrs, settings.LDAP_UNIT_ATTR),
                            before=getattr(self, "_before", None))
        return user if user.is_active else None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


@checks.register(checks.Tags.security)
def check_role_groups(app_configs=None, **kwargs):
    """`manage.py check` (and every start) reports a mistyped LDAP_ROLE_GROUPS in Chinese."""
    if not getattr(settings, "AUTH_LDAP_SERVER_URI", None):
        return []
    try:
        _mapping()
    except ValueError as exc:
        return [checks.Error(str(exc), id="publicity.E018")]
    return []
