"""Roles (DOMAIN §1) as groups with permissions, and the one place where unit scoping is decided.

Every view, export, API endpoint and admin queryset asks `unit_scope(user)` through one queryset method,
`ScopedQuerySet.visible_to(user)`: officers and unit heads see their own unit, reviewers, leaders and
administrators see every unit, anybody else sees nothing. Each model only says how its rows reach their unit.
"""

from __future__ import annotations

from django.db import models


class _AllUnits:
    """Sentinel returned by unit_scope for users who see every unit."""

    def __repr__(self):
        return "ALL_UNITS"


ALL_UNITS = _AllUnits()

OFFICER = "信息宣传员"
REVIEWER = "审核员"
LEADER = "领导"
UNIT_HEAD = "单位负责人"
ADMINISTRATOR = "管理员"

ROLES = (OFFICER, REVIEWER, LEADER, UNIT_HEAD, ADMINISTRATOR)

_VIEW = ("view",)
_ALL = ("add", "change", "delete", "view")
# DOMAIN §11: the notice's other duties are filed on their pages; the admin only shows them.
_DUTIES_VIEW = dict.fromkeys(("publicity.researchtopic", "reporting.unitplan", "reporting.unitleader",
                              "reporting.responsibleperson", "reporting.websitestatus", "reporting.trainingcourse",
                              "reporting.trainingattendance", "reporting.yearsettings", "reporting.bureauleader"),
                             _VIEW)

# Model permissions of each group (app_label.model → actions). Object-level rules (own unit,
# status) are enforced by the services and visible_to(), not by these.
PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    OFFICER: {
        "publicity.manuscript": ("add", "change", "view"),
        "publicity.publication": ("add", "change", "view"),
        "publicity.prooffile": ("add", "view"),
        "publicity.outlet": _VIEW,
        "publicity.unit": _VIEW,
        "scoring.quota": _VIEW,
        "reporting.websitecontribution": ("add", "view"),
        "reporting.periodreport": ("add", "view"),
        "reporting.officerroster": ("add", "change", "view"),
        **_DUTIES_VIEW,
    },
    UNIT_HEAD: {
        "publicity.manuscript": _VIEW,
        "publicity.publication": _VIEW,
        "publicity.prooffile": _VIEW,
        "publicity.unit": _VIEW,
        "scoring.quota": _VIEW,
        **_DUTIES_VIEW,
    },
    LEADER: {
        "publicity.manuscript": _VIEW,
        "publicity.publication": _VIEW,
        "publicity.prooffile": _VIEW,
        "publicity.unit": _VIEW,
        "publicity.outlet": _VIEW,
        "scoring.quota": _VIEW,
        "scoring.quotaline": _VIEW,
        "scoring.assessmentpolicy": _VIEW,
        "core.yearclose": _VIEW,
        "scoring.unitresultsnapshot": _VIEW,
        "rewards.ratesheet": _VIEW,
        "rewards.ratetier": _VIEW,
        "rewards.headlinerate": _VIEW,
        "rewards.rewardbudget": _VIEW,
        "rewards.payoutbatch": _VIEW,
        "rewards.payoutline": _VIEW,
        "rewards.rewardsnapshot": _VIEW,
        "rewards.commendation": _VIEW,
        **_DUTIES_VIEW,
    },
    REVIEWER: {
        "publicity.unit": _ALL,
        "publicity.outlet": _ALL,
        "publicity.outletalias": _ALL,
        "publicity.keytopic": _ALL,
        "publicity.manuscript": _ALL,
        "publicity.publication": _ALL,
        "publicity.prooffile": _ALL,
        "scoring.quotaline": _ALL,
        "scoring.quota": _ALL,
        "publicity.membership": _VIEW,
        "core.auditevent": _VIEW,
        # scoring: the year's points are data reviewers edit; close/reopen/objections go through pages.
        "scoring.assessmentpolicy": ("add", "change", "view"),
        "core.yearclose": _VIEW,
        "scoring.unitresultsnapshot": _VIEW,
        "scoring.objection": _VIEW,
        # Rate sheets and budgets are reviewer data; payout batches change only through their pages.
        "rewards.ratesheet": _ALL,
        "rewards.ratetier": _ALL,
        "rewards.headlinerate": _ALL,
        "rewards.rewardbudget": _ALL,
        "rewards.payoutbatch": _VIEW,
        "rewards.payoutline": _VIEW,
        "rewards.rewardsnapshot": _VIEW,
        "rewards.commendation": _VIEW,  # proposed and confirmed on their pages
        "reporting.websitecontribution": _VIEW,
        "reporting.periodreport": _VIEW,
        "reporting.officerroster": _VIEW,
        "reporting.reminderlog": _VIEW,
        **_DUTIES_VIEW,
        # the year's contact, due dates and the bureau's leading group are reference data reviewers keep
        "reporting.yearsettings": _ALL,
        "reporting.bureauleader": _ALL,
    },
    ADMINISTRATOR: {
        "auth.user": _ALL,
        "auth.group": _VIEW,
        "publicity.membership": _ALL,
        "publicity.unit": _ALL,
        "core.auditevent": _VIEW,
        "api.apitoken": ("add", "view"),  # issued and revoked through the services; never edited
    },
}


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names = cache
    return role in cache


# A superuser acts as a reviewer, a leader and an administrator; the unit roles need a unit and a group.
SUPERUSER_ROLES = frozenset({REVIEWER, LEADER, ADMINISTRATOR})


def roles_of(user) -> frozenset[str]:
    """The roles a user acts in: their groups; a superuser's are SUPERUSER_ROLES, never officer or unit head
    (officer_unit gives a superuser no unit, so the officer's pages would only refuse them)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return SUPERUSER_ROLES
    return frozenset(role for role in ROLES if has_role(user, role))


def is_reviewer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, REVIEWER))


def is_leader(user) -> bool:
    return has_role(user, LEADER)


def sees_all_units(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or has_role(user, REVIEWER) or has_role(user, LEADER) or has_role(user, ADMINISTRATOR)
    )


def unit_of(user):
    """The user's unit (publicity.Unit, through the user's membership), or None."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.unit if membership else None


def unit_scope(user):
    """ALL_UNITS, or a list with the user's own unit (empty when the user has none)."""
    if sees_all_units(user):
        return ALL_UNITS
    if has_role(user, OFFICER) or has_role(user, UNIT_HEAD):
        unit = unit_of(user)
        return [unit] if unit else []
    return []


NOT_OFFICER_MESSAGE = "只有本单位的信息宣传员可以办理本单位的记录、投稿和报送。"
NO_UNIT_MESSAGE = "您的账号还没有所属单位，请联系管理员设置后再办理。"
NOT_OWN_UNIT_MESSAGE = "只能办理本单位（{unit}）的事项。"


def officer_unit(user, unit=None):
    """The one rule of who files for a unit (DOMAIN §1): its information officer. Returns the officer's unit,
    or raises PermissionDenied with the reason in Chinese — also when `unit` is given and is another unit.

    A superuser is not an officer: an administrator has no unit of their own (the pages say so with
    `role_required(OFFICER, superuser=False)`), so records, contributions and reports always have a unit's
    officer behind them."""
    from django.core.exceptions import PermissionDenied

    if not has_role(user, OFFICER):
        raise PermissionDenied(NOT_OFFICER_MESSAGE)
    own = unit_of(user)
    if own is None:
        raise PermissionDenied(NO_UNIT_MESSAGE)
    if unit is not None and own.pk != unit.pk:
        raise PermissionDenied(NOT_OWN_UNIT_MESSAGE.format(unit=own.name))
    return own


class ScopedQuerySet(models.QuerySet):
    """`visible_to(user)`: the rows of the units the user may see (unit_scope). `unit_path` is the lookup from
    a row to its unit ("unit", "manuscript__unit", …).

    A model whose rows are first written privately by their unit (a draft record) says which in
    `private_rows()`: those rows are seen only by their own unit's officers and head until handed in —
    reviewers, leaders and administrators, who see every unit, do not see them (issue 19). Every page, search,
    API, export and admin list asks this one method, so all of them follow."""

    unit_path = "unit"

    def private_rows(self) -> models.Q | None:
        """The rows still private to their unit (None: the model has none)."""
        return None

    def visible_to(self, user):
        scope = unit_scope(user)
        if scope is not ALL_UNITS:
            return self.filter(**{f"{self.unit_path}__in": [unit.pk for unit in scope]})
        private = self.private_rows()
        if private is None:
            return self
        own = unit_of(user) if has_role(user, OFFICER) or has_role(user, UNIT_HEAD) else None
        if own is not None:  # somebody who sees every unit and also writes for one keeps that unit's drafts
            private &= ~models.Q(**{self.unit_path: own.pk})
        return self.exclude(private)


def role_label(user) -> str:
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return ADMINISTRATOR
    for role in (REVIEWER, LEADER, UNIT_HEAD, OFFICER, ADMINISTRATOR):
        if has_role(user, role):
            return role
    return "未分配角色"


def ensure_groups(**kwargs) -> None:
    """Create the role groups with their permissions (run after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for model_label, actions in grants.items():
            app_label, model = model_label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        group.permissions.set(wanted)


def role_required(*allowed: str, superuser: bool = True):
    """View decorator: the user must be logged in and hold one of the roles (superusers pass).

    Anonymous users are sent to the login page; logged-in users without the role get a 403 page
    that says in Chinese which role the page needs.
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if (superuser and user.is_superuser) or any(has_role(user, role) for role in allowed):
                return view(request, *args, **kwargs)
            raise PermissionDenied(f"此页面仅限{'、'.join(allowed)}使用。")

        return wrapper

    return decorator
