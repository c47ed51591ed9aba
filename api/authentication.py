"""`Authorization: Token <key>` (or `Bearer <key>`): the account and the token's scope (request.auth)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.tokens import api_token_lookup, api_token_touch
from core import roles

MALFORMED_MESSAGE = "认证请求头格式不对，应为：Authorization: Token <令牌>。"
INVALID_MESSAGE = "令牌无效、已过期或已被撤销。"
INACTIVE_MESSAGE = "该令牌的账号已停用。"
UNIT_CHANGED_MESSAGE = "该“单位报送”令牌的账号已不是{unit}的信息宣传员，令牌不能再使用。"
KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None  # not ours: the session may still authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_MESSAGE)
        token = api_token_lookup(parts[1].decode("latin-1"))
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_MESSAGE)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_MESSAGE)
        if token.scope == ApiToken.Scope.UNIT:
            # The scope's unit is checked against the account at every request: moving the account to another
            # unit (or taking its role) ends the token, instead of letting it report for the new unit.
            own = roles.unit_of(token.user)
            if not roles.has_role(token.user, roles.OFFICER) or own is None or own.pk != token.unit_id:
                raise exceptions.AuthenticationFailed(UNIT_CHANGED_MESSAGE.format(unit=token.unit.name))
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular finds this class by its target)."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "请求头 Authorization: Token <令牌>（个人令牌或系统账号令牌）。"}
