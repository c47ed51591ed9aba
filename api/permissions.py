"""Which endpoints a token's scope reaches. What the account then sees and may do is its role's business
(core.roles, visible_to and the services), exactly as on the pages."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.models import ApiToken
from core import roles

# Each view names its area (api_area); a scope reaches these areas, read-only where it says so.
SCOPE_AREAS = {
    ApiToken.Scope.ASSESSMENT: {"reference", "assessment", "rewards"},
    ApiToken.Scope.UNIT: {"reference", "records"},
}
READ_ONLY_SCOPES = {ApiToken.Scope.ASSESSMENT}
OUT_OF_SCOPE_MESSAGE = "此令牌的权限范围（{scope}）不包括这个接口。"
ROLE_REQUIRED_MESSAGE = "此接口仅限{roles}使用。"


class TokenScope(BasePermission):
    def has_permission(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is None or token.scope == ApiToken.Scope.PERSON:
            return True
        area = getattr(view, "api_area", None)
        if area == "own_token":
            return True  # any token may revoke itself
        allowed = area in SCOPE_AREAS[token.scope] and (
            request.method in SAFE_METHODS or token.scope not in READ_ONLY_SCOPES)
        if not allowed:
            self.message = OUT_OF_SCOPE_MESSAGE.format(scope=token.get_scope_display())
        return allowed


def role_check(user, *allowed: str, superuser: bool = True) -> None:
    """The API's form of core.roles.role_required: a 403 naming the roles, in Chinese."""
    from rest_framework.exceptions import PermissionDenied

    if (superuser and user.is_superuser) or any(roles.has_role(user, role) for role in allowed):
        return
    raise PermissionDenied(ROLE_REQUIRED_MESSAGE.format(roles="、".join(allowed)))
