"""Settings for 宣传工作考核系统: one module, configured from the environment.

Every value that differs between a developer's laptop and the bureau's server is read from an
environment variable with a safe development default, through the small helpers below.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# SQLite is the embedded default: WAL lets readers work while a writer commits, IMMEDIATE
# transactions take the write lock up front (no "database is locked" half-way through a
# transaction), and the busy timeout makes a second writer wait instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
    "PRAGMA foreign_keys=ON;"
)


def database_from_url(url: str) -> dict:
    """Translate DATABASE_URL (sqlite:///path, postgres://user:pass@host:port/name) to Django's form."""
    if not url:
        return sqlite_database(BASE_DIR / "db.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db is relative to the project; sqlite:////abs/path.db is absolute.
        path = unquote(parts.path)[1:]
        return sqlite_database(Path(path) if Path(path).is_absolute() else BASE_DIR / path)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "OPTIONS": options,
        }
    raise ValueError(f"DATABASE_URL 的数据库类型不受支持：{parts.scheme}（可用 sqlite 或 postgres）")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": SQLITE_INIT_COMMAND,
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        },
        # A file (not :memory:) so that tests see WAL and real locking; one per test process, so that two
        # test runs in one checkout never share (and destroy) each other's database.
        "TEST": {"NAME": str(path.with_name(f"{path.stem}_test_{os.getpid()}.sqlite3"))},
    }


def cache_from_url(url: str) -> dict:
    """Translate CACHE_URL (redis://host:6379/0, rediss://…, locmem://) to Django's form; empty → memory."""
    scheme = urlsplit(url).scheme if url else "locmem"
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xcgz",
                "OPTIONS": {"MAX_ENTRIES": 500}}
    if scheme in {"redis", "rediss", "unix"}:
        # Django's own Redis backend (redis-py underneath); a short socket timeout so that a Redis that
        # went away slows a page by at most a second instead of hanging it.
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                "KEY_PREFIX": "xcgz", "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1}}
    raise ValueError(f"CACHE_URL 的缓存类型不受支持：{scheme}（可用 redis 或 locmem）")


def private_storage_from_env() -> dict:
    """Proof files and scans: the local folder PRIVATE_MEDIA_ROOT, or an S3-compatible bucket (S3_BUCKET)."""
    bucket = env_str("S3_BUCKET")
    if not bucket:
        return {"BACKEND": "core.storage.PrivateStorage"}
    return {"BACKEND": "core.storage_s3.PrivateS3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "region_name": env_str("S3_REGION") or None,
        "location": env_str("S3_PREFIX").strip("/"),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
    }}


TASK_BACKENDS = {
    # Inline: the task runs inside the request (after its transaction commits), as before.
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    # Queued in the database and run by `manage.py db_worker` processes.
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_from_env(name: str) -> dict:
    if name not in TASK_BACKENDS:
        raise ValueError(f"TASKS_BACKEND 不受支持：{name}（可用 {' 或 '.join(TASK_BACKENDS)}）")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


# Off unless asked for (issue 19): an installation that forgets the variable shows no traceback and no settings.
# `make run` (the development path) sets DEBUG=true explicitly; the tests run with it off (tests/environment.py).
DEBUG = env_bool("DEBUG", False)
# Without DEBUG there is no default key. Nothing that serves starts without one: the WSGI application
# (config/wsgi.py, so gunicorn) refuses to load, and `check --deploy` (run by the systemd units before the worker
# and the reminders) fails with core.E001. Commands that sign nothing (check, makemigrations, migrate) still run,
# so a fresh checkout can be checked before it is configured; anything that would sign with the empty key stops
# with Django's ImproperlyConfigured instead of signing with a guessable one.
SECRET_KEY_MISSING_MESSAGE = "生产环境必须设置环境变量 SECRET_KEY（在开发机上请用 make run，它会设置 DEBUG=true）。"
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production" if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "core",
    "publicity",
    "scoring",
    "rewards",
    "exchange",
    "reporting",
    "yearend",
    "home",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages and every download are never stored by a browser or proxy (issue 19).
    "config.security.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After auth and messages: an account an administrator gave a password must choose its own first.
    "publicity.accounts.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.current",
            ],
            "builtins": ["core.templatetags.people", "scoring.templatetags.progress"],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache holds the rendered dashboard and bulletin (scoring/pagecache.py) and the version every
# score-changing write bumps. One process needs no server (memory); several application servers share
# Redis (CACHE_URL), so that a write on one node is seen by the pages of every node at once.
CACHES = {"default": cache_from_url(env_str("CACHE_URL"))}
# An open year's pages are cached under the scores version, which must be one number for every process:
# on by default with a shared cache (Redis); with the per-process memory cache several gunicorn workers
# would each keep their own version, so open years are then computed live (closed years are cached anyway).
OPEN_YEAR_PAGE_CACHE = env_bool("OPEN_YEAR_PAGE_CACHE",
                                not CACHES["default"]["BACKEND"].endswith("LocMemCache"))
# Django 6 makes https the default scheme of URL form fields; our officers paste both kinds of links.
FORMS_URLFIELD_ASSUME_HTTPS = True

# Django's four rules with Chinese texts (publicity/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "publicity.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "publicity.password_validation.MinimumLengthValidator"},
    {"NAME": "publicity.password_validation.CommonPasswordValidator"},
    {"NAME": "publicity.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# Proof files (signed scans, screenshots of articles) are never public: they live outside any
# URL the web server serves and are handed out only by a view that checks the user's unit.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
PROOF_MAX_BYTES = int(env_str("PROOF_MAX_BYTES", str(20 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(BASE_DIR / "var" / "media")}},
    "private": private_storage_from_env(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(env_str("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Password reset links (by e-mail, or handed out by an administrator) work once and expire after this.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "宣传工作考核系统 <noreply@localhost>")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend) and the file backend (one file per mail).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
# Links in notification e-mails are made absolute with this address (e.g. http://xcks.ak.gov.cn).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The notice's bureau, shown in page headers and on printed bulletins.
BUREAU_NAME = env_str("BUREAU_NAME", "安康市人力资源和社会保障局")

# Background work (mails, reminders, large exports, the closed-year pages) through Django's Tasks API
# (the django-tasks backport on Django 5.2). Inline by default; TASKS_BACKEND=database queues it for
# `manage.py db_worker`.
TASKS = tasks_from_env(env_str("TASKS_BACKEND", "immediate"))

# Logs go to standard error: plain text on a developer's machine, one JSON object a line in production
# (LOG_FORMAT=json, the default when DEBUG=false), each with the request id (config/observability.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ValueError(f"LOG_FORMAT 不受支持：{LOG_FORMAT}（可用 text 或 json）")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # One line per request (method, path, status, time, user) at INFO: on in production, off by default
    # on a developer's machine where runserver prints its own.
    "loggers": {"config.request": {"level": env_str("REQUEST_LOG_LEVEL", "WARNING" if DEBUG else "INFO")}},
}
# /healthz answers load balancers with a status code only; with this token (header X-Healthz-Token) or
# as a staff user it also says which check failed.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN")
# Tasks waiting longer than this make /healthz report the worker as stuck.
HEALTHZ_MAX_TASK_AGE_SECONDS = env_int("HEALTHZ_MAX_TASK_AGE_SECONDS", 600)


# ---------------------------------------------------------------------------------------------
# BEGIN security (issue 8, item 2): login lock-out, session, CSP, HTTPS and deploy checks
# ---------------------------------------------------------------------------------------------
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES  # noqa: E402

INSTALLED_APPS += ["config.apps.LockoutAppConfig", "csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "config.security.ProjectCSPMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last: turns a locked-out login into the lock-out page

# Login lock-out (django-axes): failures are counted per (user name, client address) pair, so a
# guessed-at account is locked from that address only, and the other officers of an office behind
# one NAT address still log in — up to the higher per-address limit below. The lock lifts by itself
# after the cool-off; an administrator can lift it earlier in 管理后台 › 登录防护 or with
# `manage.py axes_reset_username NAME` (an address: `manage.py axes_reset_ip ADDRESS`).
AUTHENTICATION_BACKENDS = ["config.security.LoginLockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
# A second, higher limit per client address whatever the user names (issue 19): without it one address could
# try LOGIN_FAILURE_LIMIT - 1 passwords on every account. High enough for an office behind one NAT address
# (a few typos each), and reported in the audit trail when reached (config.security.LockoutHandler).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
if LOGIN_ADDRESS_FAILURE_LIMIT <= AXES_FAILURE_LIMIT:
    raise ValueError("LOGIN_ADDRESS_FAILURE_LIMIT（按地址的登录失败上限）"
                     "必须大于 LOGIN_FAILURE_LIMIT（按账号的上限）。")
AXES_HANDLER = "config.security.LockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号已暂时锁定，请稍后再试。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账号已锁定，请联系管理员解锁。"
AXES_VERBOSE = False
LOCALE_PATHS = [BASE_DIR / "locale"]  # Chinese names of axes' records in the admin (locale/zh_Hans)
# The client address is REMOTE_ADDR unless the app runs behind one reverse proxy (BEHIND_PROXY=true)
# which appends the real address to X-Forwarded-For: without a proxy that header is the client's
# own word and would let it dodge the lock-out by inventing addresses (config.security.client_address).
AXES_CLIENT_IP_CALLABLE = "config.security.client_address"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions end after SESSION_COOKIE_AGE (8 h by default, set above) or when the browser closes.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): everything from the app itself, no inline script or style,
# never framed. NONCE is sent only on a page that asks for request.csp_nonce (none does today).
ADMIN_URL_PREFIX = "/admin/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Under /admin/ only: the exact inline fragments of Django's admin and django-import-export, by
# hash (tests/test_security.py finds every inline fragment on the admin pages and checks it is here).
CSP_ADMIN_REPLACE = {
    "script-src": [SELF, NONCE, UNSAFE_HASHES,
                   # import-export's export page: onchange="onSelectToggleChange(event)"
                   "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
    "style-src": [SELF, UNSAFE_HASHES,
                  # change_list.html's <style> when a list has no actions
                  "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='",
                  # import-export's export page: style="padding: 0;" and style="font-weight: bold;"
                  "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",
                  "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='"],
}

# HTTPS: on by default in production (DEBUG=false). An intranet served over plain HTTP sets
# HTTPS=false, which turns off the SSL redirect, secure cookies and HSTS, and silences exactly the
# deploy-check warnings about those four settings (README, "Security and backups").
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe the node itself over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
# Browsers' HSTS preload list is for public domain names; an intranet host name cannot be on it.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or not SECURE_HSTS_SECONDS else ["security.W021"]
if not HTTPS:
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]
# ---------------------------------------------------------------------------------------------
# END security
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# BEGIN integrations (issue 18): directory login, the REST API, PDF documents
# ---------------------------------------------------------------------------------------------
from config.directory import directory_settings  # noqa: E402

# Directory login (LDAP) is off unless LDAP_URL is set; config/directory.py reads the LDAP_* variables
# (README, Configuration) and gives django-auth-ldap's settings. The directory backend sits after the
# lock-out backend (axes sees every attempt first) and before the local accounts' ModelBackend.
DIRECTORY = directory_settings(os.environ)
globals().update(DIRECTORY)
if DIRECTORY:
    AUTHENTICATION_BACKENDS.insert(1, "publicity.directory.DirectoryBackend")

INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api"]
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)  # a person's token (POST /api/v1/token/) lasts this long
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_THROTTLE_RATE", "1200/hour"),
                               "token_obtain": env_str("API_TOKEN_OBTAIN_RATE", "20/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser",
                               "rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "api.errors.Pages",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "宣传工作考核系统 API",
    "DESCRIPTION": "安康市人力资源和社会保障局宣传工作考核系统的接口：单位、任务、年度考核结果、通报、奖励和刊发记录。"
                   "认证：请求头 Authorization: Token <令牌>。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {"UnitKindEnum": "publicity.models.Unit.Kind",
                            "ManuscriptKindEnum": "publicity.models.KIND_CHOICES"},
}

# Documents (PDF): the bulletin's red header takes the bureau's name (BUREAU_NAME above), a document number
# with this prefix (安人社发〔2012〕12号) and, when set, the seal image (a PNG or JPEG file).
DOCUMENT_NUMBER_PREFIX = env_str("DOCUMENT_NUMBER_PREFIX", "安人社发")
DOCUMENT_SEAL_IMAGE = env_str("DOCUMENT_SEAL_IMAGE", "")
# WeasyPrint reports every screen-only rule of app.css it skips (media queries, -webkit- selectors) as a warning;
# those are expected, so only its errors reach the log.
LOGGING["loggers"] = {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}}
# ---------------------------------------------------------------------------------------------
# END integrations
# ---------------------------------------------------------------------------------------------
