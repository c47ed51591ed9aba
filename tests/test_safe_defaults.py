"""Issue 19 point 5: safe defaults. DEBUG is off unless the development path turns it on; signed-in pages and
every download are never stored by a browser or proxy; every private file is served sandboxed.

Every page and export of every persona is checked for `no-store` by the permission matrix
(tests/test_permission_matrix.py, assert_not_stored); the API's token downloads here."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from config.settings import BASE_DIR
from core.storage import PRIVATE_FILE_POLICY
from tests.test_permission_matrix import world  # noqa: F401 (the matrix's records, files included)

WITHOUT = {"DEBUG", "HTTPS", "ALLOWED_HOSTS"}


def settings_of(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in WITHOUT} | env
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_debug_is_off_when_the_variable_is_forgotten():
    assert settings_of("from django.conf import settings; print(settings.DEBUG)", SECRET_KEY="x" * 50) == "False"


def test_without_debug_nor_a_secret_key_the_server_refuses_to_start_and_says_how_to_develop():
    environment = {k: v for k, v in os.environ.items() if k not in WITHOUT | {"SECRET_KEY"}}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=BASE_DIR, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr and "make run" in result.stderr


def test_without_a_secret_key_offline_commands_run_and_nothing_signs_with_an_empty_key():
    """A fresh checkout is checked before it is configured; but no session, token or signature is ever made
    with an empty key."""
    environment = {k: v for k, v in os.environ.items() if k not in WITHOUT | {"SECRET_KEY"}}
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=environment,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    signing = subprocess.run([sys.executable, "manage.py", "shell", "-c",
                              "from django.core import signing; print(signing.dumps(1))"],
                             cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120)
    assert signing.returncode != 0 and "SECRET_KEY" in signing.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is part of the two commands (README)")
def test_make_run_and_only_it_turns_debug_on():
    dry = subprocess.run(["make", "-n", "run"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    commands = [line for line in dry.stdout.splitlines() if "manage.py" in line]
    assert commands and all(line.startswith("DEBUG=true ") for line in commands), commands
    makefile = (BASE_DIR / "Makefile").read_text()
    assert makefile.count("DEBUG=true") == len(commands), "only the run target turns DEBUG on"


def test_the_suite_itself_runs_with_debug_off():
    assert settings.DEBUG is False and os.environ["DEBUG"] == "false"


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",")}


@pytest.mark.django_db
def test_api_responses_and_downloads_by_token_are_not_stored(alice, world):  # noqa: F811
    from rest_framework.test import APIClient

    from api.models import ApiToken
    from api.tokens import api_token_create

    api = APIClient()
    key = api_token_create(user=alice, scope=ApiToken.Scope.PERSON, name="测试令牌", actor=None)[1]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for url in (reverse("api:records"), reverse("api:record", args=[world["publication"].pk]),
                reverse("api:proof", args=[world["proof"].pk])):
        response = api.get(url)
        assert response.status_code == 200, url
        assert "no-store" in directives(response), (url, response.get("Cache-Control"))


@pytest.mark.django_db
@pytest.mark.parametrize("name, key", [("portal:proof", "proof"), ("reporting:report_attachment", "report"),
                                       ("reporting:contribution_scan", "contribution")])
def test_every_private_file_is_served_sandboxed_and_unstored(client, alice, world, name, key):  # noqa: F811
    client.force_login(alice)
    response = client.get(reverse(name, args=[world[key].pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == PRIVATE_FILE_POLICY
    assert PRIVATE_FILE_POLICY.startswith("sandbox;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in directives(response)
