"""Production settings (issue 8, item 2): `check --deploy` is clean, plain HTTP is an explicit choice."""

import json
import os
import subprocess
import sys

from config.settings import BASE_DIR

PRODUCTION = {"DEBUG": "false", "ALLOWED_HOSTS": "kaohe.example",
              "SECRET_KEY": "k7#Qm2vXr9!pLw4sTz8@Nf3hJd6yBc1uGe5aRi0oKx-VbM+nYt"}
SHOWN = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
         "SILENCED_SYSTEM_CHECKS"]
RELAXABLE = {"HTTPS", "HSTS_SECONDS", "HSTS_INCLUDE_SUBDOMAINS", "HSTS_PRELOAD", "BEHIND_PROXY"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in RELAXABLE | set(PRODUCTION)}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=120)


def production_settings(**env: str) -> dict:
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {SHOWN}}}))")
    result = manage("shell", "-c", code, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_to_https_with_hsts_and_secure_cookies():
    production = production_settings()
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600


def test_plain_http_intranet_is_an_explicit_setting_that_silences_only_its_own_warnings():
    intranet = production_settings(HTTPS="false")
    assert intranet["SECURE_SSL_REDIRECT"] is False
    assert intranet["SESSION_COOKIE_SECURE"] is False
    assert intranet["CSRF_COOKIE_SECURE"] is False
    assert intranet["SECURE_HSTS_SECONDS"] == 0
    assert sorted(intranet["SILENCED_SYSTEM_CHECKS"]) == [
        "security.W004", "security.W008", "security.W012", "security.W016"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, HTTPS="false")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    # `check --deploy` runs before the worker and the reminders (deploy/systemd); the web server is config/wsgi.py
    result = manage("check", "--deploy", "--fail-level", "ERROR", DEBUG="false", ALLOWED_HOSTS="kaohe.example")
    assert result.returncode != 0
    assert "core.E001" in result.stderr and "SECRET_KEY" in result.stderr
    for unit in ("xcgz-worker.service", "xcgz-reminders.service"):
        text = (BASE_DIR / "deploy" / "systemd" / unit).read_text()
        assert "ExecStartPre=/srv/xcgz/app/.venv/bin/python manage.py check --deploy --fail-level ERROR" in text
