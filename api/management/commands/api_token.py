"""`manage.py api_token`: issue, list and revoke API tokens; create system accounts for other systems.

    manage.py api_token system zhkh-system --name 综合考核系统 --scope assessment
    manage.py api_token system hanbin-api --name 汉滨区报送接口 --scope unit --unit 汉滨区
    manage.py api_token issue shenhe --name 审核统计脚本 --days 90
    manage.py api_token list
    manage.py api_token revoke 12
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_create, api_token_revoke, system_account_create
from publicity.models import Unit

SCOPES = [choice for choice, _ in ApiToken.Scope.choices]
UNKNOWN_USER_MESSAGE = "没有用户名为「{username}」的账号。"
UNKNOWN_UNIT_MESSAGE = "没有名为「{name}」的单位。"
UNKNOWN_TOKEN_MESSAGE = "没有编号为 {id} 的令牌。"
SHOWN_ONCE_MESSAGE = "令牌（只显示这一次，请妥善保存）：\n{key}"


class Command(BaseCommand):
    help = "签发、列出、撤销接口令牌；为其他系统创建系统账号（不能登录网页）。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        system = commands.add_parser("system", help="新建系统账号并签发令牌")
        system.add_argument("username")
        issue = commands.add_parser("issue", help="给已有账号签发令牌")
        issue.add_argument("username")
        for sub in (system, issue):
            sub.add_argument("--name", required=True, help="令牌用途，如：综合考核系统")
            sub.add_argument("--scope", choices=SCOPES, default="assessment" if sub is system else "person",
                             help="person 个人 / assessment 只读考核 / unit 单位报送")
            sub.add_argument("--unit", help="“单位报送”令牌的单位名称")
            sub.add_argument("--days", type=int, help="有效天数；不填为长期有效")
        listing = commands.add_parser("list", help="列出令牌")
        listing.add_argument("--user", help="只列出这个账号的令牌")
        revoke = commands.add_parser("revoke", help="撤销令牌")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _unit(self, name):
        if not name:
            return None
        unit = Unit.objects.filter(name=name.strip()).first()
        if unit is None:
            raise CommandError(UNKNOWN_UNIT_MESSAGE.format(name=name))
        return unit

    def _expires(self, days):
        return timezone.now() + datetime.timedelta(days=days) if days else None

    def _system(self, *, username, name, scope, unit, days, **_):
        unit = self._unit(unit)
        user = system_account_create(username=username, display_name=name, scope=scope, unit=unit, actor=None)
        self._issue_for(user, name=name, scope=scope, unit=unit, days=days)

    def _issue(self, *, username, name, scope, unit, days, **_):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(UNKNOWN_USER_MESSAGE.format(username=username))
        self._issue_for(user, name=name, scope=scope, unit=self._unit(unit), days=days)

    def _issue_for(self, user, *, name, scope, unit, days):
        token, key = api_token_create(user=user, scope=scope, name=name, unit=unit,
                                      expires_at=self._expires(days), actor=None)
        self.stderr.write(f"已签发令牌 {token.pk}：{token.name}（{user.username}，{token.get_scope_display()}）")
        self.stdout.write(SHOWN_ONCE_MESSAGE.format(key=key))

    def _list(self, *, user, **_):
        tokens = ApiToken.objects.select_related("user", "unit")
        if user:
            tokens = tokens.filter(user__username=user)
        for token in tokens:
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "长期"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "未使用"
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.state_label}\t{token.user.username}\t"
                              f"{token.scope}\t{token.unit or ''}\t{token.name}\t至{expires}\t{used}")

    def _revoke(self, *, id, **_):
        token = ApiToken.objects.filter(pk=id).first()
        if token is None:
            raise CommandError(UNKNOWN_TOKEN_MESSAGE.format(id=id))
        api_token_revoke(token=token, actor=None)
        self.stdout.write(f"已撤销令牌 {token.pk}：{token.name}")
