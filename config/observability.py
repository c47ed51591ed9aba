"""Logs a machine can read: one JSON object a line, each tagged with the id of the request that wrote it.

Behind a load balancer the same user's requests land on different nodes; the request id (taken from
the proxy's `X-Request-ID` when the app runs behind one, else made here) is sent back in the response
header and put on every log line written while the request runs, so one request's lines can be found
across the nodes' logs.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from django.conf import settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_logger = logging.getLogger("config.request")

HEADER = "X-Request-ID"
# A proxy's id is trusted only when it looks like one: no spaces or control characters in our logs.
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# The standard attributes of a LogRecord; anything else given through `extra=` goes into the JSON.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (also on records of libraries and of tasks: "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _RECORD_FIELDS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _incoming_id(request) -> str | None:
    if not settings.BEHIND_PROXY:  # without a proxy the header is the client's own word
        return None
    value = request.headers.get(HEADER, "")
    return value if VALID_ID.match(value) else None


class RequestIdMiddleware:
    """First in the chain: sets the request id, answers with it, and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_id(request) or uuid.uuid4().hex
        # Not reset at the end: Django logs 4xx/5xx responses ("django.request") after the middleware
        # chain returns. Each request (thread) sets its own id first thing, so no id outlives its request
        # into another one's lines.
        request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        if request_logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                       "user_id": user.pk if user is not None and user.is_authenticated else None})
        return response
