"""gunicorn's configuration for production: `gunicorn -c config/gunicorn.py config.wsgi`.

Every value can be changed through the environment (deploy/xcgz.env), so that the systemd unit and the
cluster test use this one file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is CPU- and database-bound, and nginx in front buffers slow clients and uploads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A province dashboard after a write takes well under a second; uploads are buffered by nginx. A worker
# stuck longer than this is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do not all restart at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Our own middleware writes one JSON line per request with its request id (config/observability.py);
# gunicorn's access log would repeat it without the id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx on the same machine; X-Forwarded-* from anyone else is ignored.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "xcgz-web"
# gunicorn ≥ 27's control socket would sit at one path per user, shared by every instance on the machine;
# systemd's signals (reload: HUP) are all we use.
control_socket_disable = True
