"""Login lock-out and Content-Security-Policy glue (issue 8, item 2).

django-axes counts failed logins and django-csp writes the policy header; this module holds the few
project-specific pieces: the lock-out page, the backend that leaves programmatic logins alone and the admin's
narrowly widened policy.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

LOCKOUT_TEMPLATE = "axes/lockout.html"
API_URL_PREFIX = "/api/"
LOCKOUT_MESSAGE = "登录失败次数过多，此账号已在本机所在地址暂时锁定，请稍后再试或联系管理员解锁。"
ADDRESS_LOCKOUT_MESSAGE = ("本机所在地址的登录失败次数过多（不论哪个账号），来自该地址的登录已暂时暂停，"
                           "请稍后再试或联系管理员解锁。")


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


def _recent_failures(**where) -> tuple[int, list]:
    """Failed logins within the cool-off (axes' attempt records, one per user name, address and browser):
    their number and the attempts themselves."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(**where)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    attempts = list(attempts.only("username", "ip_address", "failures_since_start"))
    return sum(a.failures_since_start for a in attempts), attempts


def address_is_locked(address: str | None) -> bool:
    """The per-address limit: failures from one address, whatever the user names, reach
    LOGIN_ADDRESS_FAILURE_LIMIT (higher than the per-account AXES_FAILURE_LIMIT)."""
    return bool(address) and _recent_failures(ip_address=address)[0] >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit per client address (issue 19), and the audit
    trail told of repeated failures.

    Axes counts failures per (user name, address) and compares them with one limit; one address could
    thus try AXES_FAILURE_LIMIT - 1 passwords on every account. Here an address whose failures, over all
    user names, reach LOGIN_ADDRESS_FAILURE_LIMIT counts as locked for every user name, through the same
    `get_failures` axes asks before each login and after each failure (so its lock-out page, 429 and
    cool-off apply unchanged).
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_is_locked(getattr(request, "axes_ip_address", None)):
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            login_failures_audit(username=(credentials or {}).get("username") or "",
                                 address=getattr(request, "axes_ip_address", None))


def login_failures_audit(*, username: str, address: str | None) -> None:
    """Repeated failures into the audit trail: each time a user name's failures (from any address) reach
    a multiple of the per-account limit, and when an address reaches the per-address limit."""
    from django.contrib.auth import get_user_model

    from core.audit import audit_record

    limit = settings.AXES_FAILURE_LIMIT
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    if username:
        count, attempts = _recent_failures(username=username)
        if count and count % limit == 0:
            user = get_user_model().objects.filter(username=username).first()
            addresses = sorted({a.ip_address for a in attempts if a.ip_address})
            audit_record(actor=None, action="login.repeated_failures", target=user or "auth.user",
                         summary=(f"账号「{username}」{minutes} 分钟内登录失败 {count} 次"
                                  f"（来自 {'、'.join(addresses)}）"),
                         after={"username": username, "failures": count, "addresses": addresses,
                                "known_user": user is not None})
    if address:
        count, attempts = _recent_failures(ip_address=address)
        if count == settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            names = sorted({a.username for a in attempts if a.username})
            audit_record(actor=None, action="login.address_locked", target="axes.accessattempt",
                         summary=(f"地址 {address} {minutes} 分钟内登录失败 {count} 次（{len(names)} 个账号），"
                                  "已暂停该地址的登录"),
                         after={"address": address, "failures": count, "usernames": names})


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Chinese lock-out page, with the cool-off in minutes (JSON for the API);
    it says whether the account (from this address) or the whole address is locked."""
    cooloff = settings.AXES_COOLOFF_TIME
    by_address = address_is_locked(client_address(request))
    message = ADDRESS_LOCKOUT_MESSAGE if by_address else LOCKOUT_MESSAGE
    if request.path_info.startswith(API_URL_PREFIX):
        return JsonResponse({"detail": message}, status=settings.AXES_HTTP_RESPONSE_CODE)
    context = {
        "message": message,
        "by_address": by_address,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
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
