"""/healthz for load balancers: is this node able to serve?

Checks the database, the cache, the private storage and the task backlog. Anonymous callers get the
status code and one word (200 "ok" / 503 "unavailable"), nothing about the installation; a staff user,
or a caller sending the configured HEALTHZ_TOKEN in the `X-Healthz-Token` header, also gets which check
failed and why, as JSON.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

PROBE_PREFIX = "healthz/"
TASK_BACKLOG_STALE_MESSAGE = "有 {n} 个后台任务等待超过 {seconds} 秒，任务进程可能未运行"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("缓存写入后读不回")
    cache.delete(key)
    return "ok"


def check_storage() -> str:
    """Writes, reads back and deletes a small object in the private storage (local folder or bucket)."""
    storage = storages["private"]
    name = storage.save(f"{PROBE_PREFIX}{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("存储写入后读不回")
    finally:
        storage.delete(name)
    return "ok"


def check_tasks() -> str:
    """With a database task queue: the oldest task still waiting must be younger than the limit."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return "inline"
    from django_tasks_db.models import DBTaskResult

    limit = settings.HEALTHZ_MAX_TASK_AGE_SECONDS
    waiting = DBTaskResult.objects.ready()
    stale = waiting.filter(enqueued_at__lt=timezone.now() - datetime.timedelta(seconds=limit)).count()
    if stale:
        raise RuntimeError(TASK_BACKLOG_STALE_MESSAGE.format(n=stale, seconds=limit))
    return f"ok ({waiting.count()} waiting)"


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage, "tasks": check_tasks}


def run_checks() -> tuple[bool, dict]:
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            state = check()
        except Exception as exc:  # any failure is "unhealthy", never a 500
            healthy = False
            state = f"error: {type(exc).__name__}: {exc}"[:300]
            logger.error("healthz check %s failed", name, extra={"check": name, "error": state})
        results[name] = {"state": state, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return healthy, results


def _may_see_details(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("X-Healthz-Token", "")
    if token and given and hmac.compare_digest(token.encode(), given.encode()):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


@never_cache
@require_GET
def healthz(request):
    healthy, results = run_checks()
    status = 200 if healthy else 503
    if _may_see_details(request):
        return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": results}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return HttpResponse("ok" if healthy else "unavailable", status=status, content_type="text/plain")
