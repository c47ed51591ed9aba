"""Throttling per token (API_THROTTLE_RATE): one busy system cannot starve the others, nor the pages.

The count lives in Django's cache: per server process with the default memory cache, shared by every
process once CACHES points at Redis.
"""

from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from config.security import client_address


class PerTokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"  # a logged-in page using the API with its session
        else:
            ident = f"addr-{client_address(request._request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenObtainThrottle(SimpleRateThrottle):
    """Asking for a token with a password, per client address (the lock-out counts wrong passwords too)."""

    scope = "token_obtain"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request._request)}
