"""Login lock-out and Content-Security-Policy glue (issue 8, item 2).

django-axes counts failed logins and django-csp writes the policy header; this module holds the few
project-specific pieces: the lock-out page, the backend that leaves programmatic logins alone and the admin's
narrowly widened policy.
"""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

LOCKOUT_TEMPLATE = "axes/lockout.html"
API_URL_PREFIX = "/api/"
LOCKOUT_MESSAGE = "登录失败次数过多，此账号已在本机所在地址暂时锁定，请稍后再试或联系管理员解锁。"


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' lock-out check for logins that come over the web.

    A login without a request (the test client's ``login()``, the shell) has no client address to lock
    out; axes would refuse it with an error, so it is passed on to the next backend unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address a lock-out is tied to.

    Behind one reverse proxy (BEHIND_PROXY) the proxy appends the address it saw to X-Forwarded-For, so
    the right-most entry is the one to trust; anything left of it was written by the client.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Chinese lock-out page, with the cool-off in minutes (JSON for the API)."""
    cooloff = settings.AXES_COOLOFF_TIME
    if request.path_info.startswith(API_URL_PREFIX):
        return JsonResponse({"detail": LOCKOUT_MESSAGE}, status=settings.AXES_HTTP_RESPONSE_CODE)
    context = {
        "message": LOCKOUT_MESSAGE,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


class ProjectCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's narrowly widened policy under ADMIN_URL_PREFIX.

    Our own pages have no inline script or style at all. The Django admin and django-import-export
    still carry a few inline fragments (listed with their hashes in settings.CSP_ADMIN_REPLACE);
    they are allowed by hash only under the admin's URL, never by 'unsafe-inline'.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and request.path_info.startswith(settings.ADMIN_URL_PREFIX):
            parts.replace = settings.CSP_ADMIN_REPLACE
        return parts



def no_store(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a response must not be kept by a browser or proxy: every page of a signed-in user (by session
    or by API token, which DRF puts on the request), every file download (workbooks, PDFs, CSV, proofs) and
    every API answer (the token endpoint's answer is a credential)."""
    if "Content-Disposition" in response or request.path_info.startswith(API_URL_PREFIX):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on everything `no_store` names (issue 19): a shared computer's browser cache or
    a proxy must keep no copy of a unit's records, payout sheets or exports. The one place; no view sets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if no_store(request, response):
            add_never_cache_headers(response)
        return response
