"""Accounts people manage themselves (issue 15): own password, reset links, first-login change, hand-over.

Django's own views change and reset passwords (publicity/views_accounts.py wraps them); this module holds
what the project adds around them, each write audited by publicity.audit:

- the "must change password" flag on the user's Membership, set when an administrator creates an account or
  gives it a password, cleared when the user chooses one (PasswordChangeRequiredMiddleware enforces it);
- a one-time reset link an administrator hands to a user without e-mail (Django's token: it expires after
  PASSWORD_RESET_TIMEOUT and stops working once the password is changed);
- the officer hand-over: the old officer's account is deactivated and a new account joins the unit.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import roles
from core.audit import audit_record
from publicity.models import Membership, Unit

MUST_CHANGE_MESSAGE = "您的密码由管理员设置，请先修改为只有您自己知道的新密码，再继续使用系统。"
HANDOVER_NO_NEW_MESSAGE = "请选择新的信息宣传员的已有账号，或填写新账号的用户名。"
HANDOVER_BOTH_MESSAGE = "请只选择已有账号或只填写新账号，不要同时填写。"
HANDOVER_SAME_MESSAGE = "新旧信息宣传员不能是同一个账号。"
HANDOVER_USERNAME_TAKEN_MESSAGE = "用户名“{username}”已被占用，请换一个，或在“已有账号”中选择该账号。"
HANDOVER_OTHER_UNIT_MESSAGE = "账号“{user}”属于{unit}，不能同时作为{target}的信息宣传员。请先在用户管理中调整其单位。"
HANDOVER_INACTIVE_MESSAGE = "账号“{user}”已停用，不能接任。"
HANDOVER_OLD_NOT_OFFICER_MESSAGE = "“{user}”不是{unit}的信息宣传员。"


def _membership(user: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user)
    return membership


def must_change_password(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    try:  # the same cached relation the header reads (roles.unit_of): no extra query on most pages
        membership = user.membership
    except Membership.DoesNotExist:
        return False
    return bool(membership and membership.must_change_password)


def account_require_password_change(*, user: User, actor, reason: str) -> None:
    """An administrator created the account or chose its password: the user must replace it at next login."""
    if actor is not None and actor.pk == user.pk:
        return  # an administrator changing the own password chose it personally
    membership = _membership(user)
    if not membership.must_change_password:
        membership.must_change_password = True
        membership.save(update_fields=["must_change_password"])
    audit_record(actor=actor, action="user.must_change_password", target=user, unit=membership.unit,
                 summary=f"要求用户{user.username}下次登录修改密码（{reason}）",
                 after={"username": user.username, "must_change_password": True})


def account_password_changed(*, user: User, how: str) -> None:
    """The user chose a new password (own change page, or a reset link): audited, the first-login flag cleared,
    and a login lock-out of the account lifted (the user proved to own it)."""
    membership = Membership.objects.filter(user=user).first()
    if membership and membership.must_change_password:
        membership.must_change_password = False
        membership.save(update_fields=["must_change_password"])
    from axes.utils import reset as axes_reset

    axes_reset(username=user.username)
    label = {"change": "修改了自己的密码", "reset": "通过重设链接设置了新密码"}[how]
    audit_record(actor=user, action=f"user.password_{how}", target=user, unit=membership.unit if membership else None,
                 summary=f"用户{user.username}{label}", after={"username": user.username})


def account_reset_requested(*, email: str, users: list[User]) -> None:
    """A reset e-mail was asked for; audited per account it went to (never whether an address is unknown)."""
    for user in users:
        audit_record(actor=None, action="user.password_reset_request", target=user,
                     summary=f"向用户{user.username}的邮箱发送了密码重设链接", after={"username": user.username})


def reset_link(user: User) -> str:
    """The absolute one-time link to Django's reset-confirm page for the user."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return settings.SITE_URL + path


def account_reset_link_issue(*, user: User, actor) -> str:
    """An administrator issues a one-time link for a user without e-mail (handed over by phone or in person).

    The link works once (Django's token depends on the password hash and last login) and expires after
    PASSWORD_RESET_TIMEOUT; the user then chooses the password, so it needs no first-login change."""
    link = reset_link(user)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    audit_record(actor=actor, action="user.reset_link", target=user, unit=roles.unit_of(user),
                 summary=f"为用户{user.username}生成一次性密码重设链接（{hours}小时内有效）",
                 after={"username": user.username, "valid_hours": hours})
    return link


def account_invite_mail(*, user: User, actor) -> None:
    """A new account with an e-mail address gets the one-time link by mail (the text of 找回密码)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    context = {"user": user, "uid": urlsafe_base64_encode(force_bytes(user.pk)),
               "token": default_token_generator.make_token(user), "site_url": settings.SITE_URL,
               "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    send_mail(subject, render_to_string("registration/password_reset_email.txt", context), None, [user.email])
    audit_record(actor=actor, action="user.reset_link", target=user, unit=roles.unit_of(user),
                 summary=f"向用户{user.username}的邮箱发送设置密码的链接", after={"username": user.username,
                                                                    "email": user.email})


@transaction.atomic
def unit_officer_handover(*, unit: Unit, old_officer: User | None, new_officer: User | None = None,
                          new_username: str = "", new_name: str = "", new_email: str = "", actor) -> User:
    """信息宣传员交接: the old officer's account is deactivated (it can no longer log in; its records keep it as
    their submitter) and the new officer's account joins the unit with the officer role. The new officer sees
    the unit's whole history, because everything is scoped by unit, never by person."""
    new_username = (new_username or "").strip()
    if new_officer is None and not new_username:
        raise ValidationError(HANDOVER_NO_NEW_MESSAGE)
    if new_officer is not None and new_username:
        raise ValidationError(HANDOVER_BOTH_MESSAGE)
    officer_group = Group.objects.get(name=roles.OFFICER)
    if old_officer is not None:
        old_membership = Membership.objects.filter(user=old_officer).first()
        if old_membership is None or old_membership.unit_id != unit.pk or not old_officer.groups.filter(
                pk=officer_group.pk).exists():
            raise ValidationError(HANDOVER_OLD_NOT_OFFICER_MESSAGE.format(user=old_officer.username, unit=unit))
    created = False
    if new_officer is None:
        if User.objects.filter(username__iexact=new_username).exists():
            raise ValidationError(HANDOVER_USERNAME_TAKEN_MESSAGE.format(username=new_username))
        new_officer = User(username=new_username, first_name=(new_name or "").strip(),
                           email=(new_email or "").strip())
        new_officer.set_unusable_password()  # the new officer chooses it through the reset link or e-mail
        new_officer.save()
        created = True
    else:
        if old_officer is not None and new_officer.pk == old_officer.pk:
            raise ValidationError(HANDOVER_SAME_MESSAGE)
        if not new_officer.is_active:
            raise ValidationError(HANDOVER_INACTIVE_MESSAGE.format(user=new_officer.username))
        other = Membership.objects.filter(user=new_officer).exclude(unit=None).exclude(unit=unit).first()
        if other is not None:
            raise ValidationError(HANDOVER_OTHER_UNIT_MESSAGE.format(user=new_officer.username, unit=other.unit,
                                                              target=unit))
    Membership.objects.update_or_create(user=new_officer, defaults={"unit": unit})
    new_officer.groups.add(officer_group)
    before = None
    if old_officer is not None:
        before = {"officer": old_officer.username, "active": old_officer.is_active}
        old_officer.is_active = False
        old_officer.save(update_fields=["is_active"])
        audit_record(actor=actor, action="user.deactivate", target=old_officer, unit=unit,
                     summary=f"停用{unit}原信息宣传员账号{old_officer.username}（交接）",
                     before={"is_active": True}, after={"is_active": False})
    audit_record(actor=actor, action="unit.handover", target=unit, unit=unit,
                 summary=f"{unit}信息宣传员交接：{old_officer.username if old_officer else '（无）'} → "
                         f"{new_officer.username}{'（新建账号）' if created else ''}",
                 before=before, after={"officer": new_officer.username, "created": created})
    return new_officer


# --- first-login password change ------------------------------------------------------------------------

_ALLOWED_URL_NAMES = ("password_change", "password_change_done", "logout")


class PasswordChangeRequiredMiddleware:
    """Until a user flagged by an administrator has chosen a password, every page leads to 修改密码."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and must_change_password(user):
            allowed = {reverse(name) for name in _ALLOWED_URL_NAMES}
            if request.path_info not in allowed and not request.path_info.startswith(settings.STATIC_URL):
                messages.warning(request, MUST_CHANGE_MESSAGE)
                return redirect("password_change")
        return self.get_response(request)
