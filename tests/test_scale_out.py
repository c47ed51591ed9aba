"""Beyond one server (issue 17): configuration by environment, proof files in an S3-compatible bucket,
background tasks, /healthz, JSON logs with request ids. The real engines together are tested by
`make cluster-test` (tests/cluster/)."""

import io
import json
import logging
import os
import subprocess
import sys

import boto3
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from config import settings as project_settings
from config.observability import HEADER, JsonFormatter, RequestIdFilter
from publicity.models import ProofFile
from publicity.services import proof_file_add, publication_submit
from tests.publicity import helpers

BASE_DIR = project_settings.BASE_DIR


# --- configuration -----------------------------------------------------------------------------------


def test_the_cache_is_the_process_memory_unless_a_redis_url_is_given():
    assert project_settings.cache_from_url("")["BACKEND"].endswith("LocMemCache")
    redis = project_settings.cache_from_url("redis://:pw@10.0.0.5:6380/2")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://:pw@10.0.0.5:6380/2"
    with pytest.raises(ValueError, match="缓存类型不受支持"):
        project_settings.cache_from_url("memcached://x")


def test_private_files_are_local_unless_a_bucket_is_given(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert project_settings.private_storage_from_env() == {"BACKEND": "core.storage.PrivateStorage"}
    monkeypatch.setenv("S3_BUCKET", "proofs")
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("S3_REGION", "cn-north-1")
    config = project_settings.private_storage_from_env()
    assert config["BACKEND"] == "core.storage_s3.PrivateS3Storage"
    assert (config["OPTIONS"]["bucket_name"], config["OPTIONS"]["endpoint_url"],
            config["OPTIONS"]["region_name"]) == ("proofs", "http://127.0.0.1:9000", "cn-north-1")


def test_tasks_run_inline_unless_the_database_queue_is_chosen():
    assert project_settings.tasks_from_env("immediate")["default"]["BACKEND"].endswith("ImmediateBackend")
    assert project_settings.tasks_from_env("database")["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    with pytest.raises(ValueError, match="TASKS_BACKEND 不受支持"):
        project_settings.tasks_from_env("celery")


def test_a_newcomers_settings_need_no_server():
    """`make run` and `make test`: memory cache, local files, inline tasks, whatever the machine has."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"CACHE_URL", "S3_BUCKET", "TASKS_BACKEND", "DATABASE_URL", "LOG_FORMAT"}}
    code = ("from django.conf import settings as s; import django; django.setup();"
            "print(s.CACHES['default']['BACKEND'], s.STORAGES['private']['BACKEND'],"
            " s.TASKS['default']['BACKEND'], s.LOG_FORMAT, s.OPEN_YEAR_PAGE_CACHE)")
    # `make run` sets DEBUG=true (plain-text logs); the tests run with it off (tests/environment.py: JSON logs).
    for debug, log_format in (("true", "text"), ("false", "json")):
        out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, check=True,
                             env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": debug}).stdout.split()
        assert out == ["django.core.cache.backends.locmem.LocMemCache", "core.storage.PrivateStorage",
                       "django_tasks.backends.immediate.ImmediateBackend", log_format, "False"]


# --- proof files in an S3-compatible bucket ----------------------------------------------------------


@pytest.fixture
def s3_proofs(monkeypatch):
    """The private storage as a bucket of moto's in-process S3; every FileField that uses it follows."""
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="proofs")
        from core.storage_s3 import PrivateS3Storage

        storage = PrivateS3Storage(bucket_name="proofs", region_name="us-east-1", access_key="test",
                                   secret_key="test")
        monkeypatch.setattr(ProofFile._meta.get_field("file"), "storage", storage)
        yield storage


@pytest.mark.django_db
def test_a_proof_in_the_bucket_is_private_and_streamed_only_to_its_unit(s3_proofs, client, alice, bob,
                                                                          make_publication, hanbin):
    publication = make_publication(hanbin, status="draft")
    content = helpers.png().read()
    proof = proof_file_add(publication=publication, upload=helpers.png(), uploaded_by=alice)
    s3 = boto3.client("s3", region_name="us-east-1")
    key = proof.file.name
    assert s3.get_object(Bucket="proofs", Key=key)["Body"].read() == content
    grants = s3.get_object_acl(Bucket="proofs", Key=key)["Grants"]
    assert not any("AllUsers" in str(grant.get("Grantee")) for grant in grants)  # no public read
    with pytest.raises(ValueError, match="没有公开地址"):
        proof.file.url  # noqa: B018 (no URL, signed or not)

    client.force_login(alice)
    response = client.get(reverse("portal:proof", args=[proof.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    client.force_login(bob)
    assert client.get(reverse("portal:proof", args=[proof.pk])).status_code == 404


# --- background tasks --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_worker_the_reviewers_mail_is_sent_inline_after_commit(alice, rita, make_publication, hanbin,
                                                                         django_capture_on_commit_callbacks):
    publication = make_publication(hanbin, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        publication_submit(publication=publication, officer=alice, duplicates_confirmed=True)
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its database connection
def test_with_the_database_queue_the_mail_waits_for_the_worker(reference_data, database_queue, alice, rita,
                                                                make_publication, hanbin):
    from django_tasks_db.models import DBTaskResult

    publication = make_publication(hanbin, status="draft")
    publication_submit(publication=publication, officer=alice, duplicates_confirmed=True)
    assert mail.outbox == [] and DBTaskResult.objects.ready().count() == 1
    run_worker()
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]
    assert DBTaskResult.objects.successful().count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_reminders_are_sent_by_the_worker(reference_data, database_queue, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_reminders", "--today", "2011-12-23", stdout=out)
    assert "已交给后台任务执行" in out.getvalue() and mail.outbox == []
    run_worker()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]] and "2011年度年报" in mail.outbox[0].body


@pytest.mark.django_db
def test_closing_a_year_renders_its_pages_into_the_cache_at_once(rita, leo, client, make_publication, hanbin,
                                                                  django_capture_on_commit_callbacks, monkeypatch):
    import datetime

    from scoring import pages
    from yearend import services as yearend_services

    make_publication(hanbin)
    with django_capture_on_commit_callbacks(execute=True):
        yearend_services.year_close(year=2011, reviewer=rita, today=datetime.date(2012, 1, 20))

    def refuse(year, state):
        raise AssertionError("rendered on request instead of at the close")

    monkeypatch.setattr(pages, "RENDERERS", dict.fromkeys(pages.RENDERERS, refuse))
    client.force_login(leo)
    for name in ("scoring:dashboard", "scoring:bulletin"):
        assert "已结算" in client.get(reverse(name), {"year": 2011}).content.decode()


# --- /healthz ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_tells_anonymous_callers_only_the_status(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_details_for_staff_and_for_the_token(client, rita, alice, settings):
    client.force_login(alice)  # not staff
    assert client.get("/healthz").content == b"ok"
    client.force_login(rita)
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "cache", "storage", "tasks"}
    client.logout()
    settings.HEALTHZ_TOKEN = "s3cret-token"
    assert client.get("/healthz", headers={"X-Healthz-Token": "wrong"}).content == b"ok"
    assert client.get("/healthz", headers={"X-Healthz-Token": "s3cret-token"}).json()["status"] == "ok"


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:9/0",
                                       "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}})
def test_healthz_is_503_when_the_cache_is_down_and_says_why_only_to_staff(client, rita):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable"
    client.force_login(rita)
    body = client.get("/healthz").json()
    assert body["checks"]["cache"]["state"].startswith("error") and body["checks"]["database"]["state"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_stuck_task_queue(client, rita, settings):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="publicity.tasks.mails_send",
                                backend_name="default", run_after=timezone.now())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(rita)
    response = client.get("/healthz")
    assert response.status_code == 503 and "后台任务等待超过" in response.json()["checks"]["tasks"]["state"]


# --- logs --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_its_log_line_has_it(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("config.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = client.get("/login/")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert len(response[HEADER]) == 32 and line["request_id"] == response[HEADER]
    assert (line["path"], line["status"], line["method"], line["level"]) == ("/login/", 200, "GET", "INFO")
    assert line["duration_ms"] >= 0


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_only_behind_a_proxy(client, settings):
    assert client.get("/login/", headers={HEADER: "lb-1234567890"})[HEADER] != "lb-1234567890"
    settings.BEHIND_PROXY = True
    assert client.get("/login/", headers={HEADER: "lb-1234567890"})[HEADER] == "lb-1234567890"
    assert client.get("/login/", headers={HEADER: "bad id\nwith newline"})[HEADER] != "bad id\nwith newline"


def test_log_lines_are_json_with_the_request_id():
    from config.observability import request_id_var

    token = request_id_var.set("abc123")
    try:
        record = logging.LogRecord("publicity", logging.ERROR, __file__, 1, "凭证 %s 丢失", ("x.png",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "abc123" and line["message"] == "凭证 x.png 丢失" and line["level"] == "ERROR"


def test_open_year_pages_are_cached_by_default_only_with_a_shared_cache():
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "OPEN_YEAR_PAGE_CACHE"}}
    code = "from django.conf import settings as s; import django; django.setup(); print(s.OPEN_YEAR_PAGE_CACHE)"

    def shown(**extra):
        return subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, check=True,
                              env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}).stdout.strip()

    assert shown() == "False"
    assert shown(CACHE_URL="redis://127.0.0.1:6379/0") == "True"
    assert shown(CACHE_URL="redis://127.0.0.1:6379/0", OPEN_YEAR_PAGE_CACHE="false") == "False"


def test_a_backup_copies_the_bucket_and_a_restore_puts_every_object_back(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from core import backup

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="proofs")
        settings.STORAGES = {**settings.STORAGES, "private": {
            "BACKEND": "core.storage_s3.PrivateS3Storage",
            "OPTIONS": {"bucket_name": "proofs", "region_name": "us-east-1", "access_key": "t", "secret_key": "t"}}}
        storage = storages["private"]
        assert backup.private_root() is None  # never the working directory as a "folder"
        names = [storage.save("proofs/2011/05/a.pdf", ContentFile(b"%PDF-a")),
                 storage.save("scans/b.png", ContentFile(b"png-b"))]
        backup._files_from_storage(tmp_path / "files")
        assert sorted(p.relative_to(tmp_path / "files").as_posix() for p in (tmp_path / "files").rglob("*")
                      if p.is_file()) == sorted(names)
        for name in names:
            storage.delete(name)
        storage.save("scans/b.png", ContentFile(b"stale"))  # --force over an object that is there
        for name in names:
            backup._file_to_storage(name, tmp_path / "files" / name)
        assert storage.open("proofs/2011/05/a.pdf").read() == b"%PDF-a"
        assert storage.open("scans/b.png").read() == b"png-b"
        assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket="proofs")["Contents"]) == sorted(names)


# --- exports in the background -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_a_large_export_is_built_in_the_background_for_its_user_only(reference_data, database_queue,
                                                                                   client, leo, alice):
    from openpyxl import load_workbook

    from core.models import AuditEvent
    from publicity.models import ExportFile, Notification

    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_xlsx"), {"year": 2011})
    export = ExportFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:export", args=[export.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert "正在后台生成" in waiting and 'http-equiv="refresh"' in waiting
    assert not AuditEvent.objects.filter(action="bulletin_export").exists()
    run_worker()
    export.refresh_from_db()
    assert export.state == ExportFile.State.DONE and export.filename == "2011年度宣传工作考核通报（预估）.xlsx"
    assert Notification.objects.get(user=leo).link == reverse("portal:export", args=[export.pk])
    assert AuditEvent.objects.get(action="bulletin_export").actor == leo
    download = client.get(reverse("portal:export", args=[export.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert "考核通报" in load_workbook(io.BytesIO(download.content)).worksheets[0]["A1"].value
    assert export.filename in client.get(reverse("portal:exports")).content.decode()
    client.force_login(alice)
    assert client.get(reverse("portal:export", args=[export.pk])).status_code == 404
    assert export.filename not in client.get(reverse("portal:exports")).content.decode()


@pytest.mark.django_db
def test_a_failed_export_says_so_in_chinese(client, leo, monkeypatch):
    from publicity import background_exports

    monkeypatch.setitem(background_exports.BUILDERS, "bulletin", "tests.test_scale_out.broken_builder")
    client.force_login(leo)
    response = client.get(reverse("scoring:bulletin_xlsx"), {"year": 2011})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "导出失败" in page and "refresh" not in page


def broken_builder(**params):
    raise RuntimeError("磁盘已满")


@pytest.mark.django_db
def test_a_users_exports_older_than_a_week_are_removed_with_their_files(client, leo):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from publicity.models import ExportFile

    old = ExportFile.objects.create(user=leo, kind="bulletin", params={"year": 2011}, state=ExportFile.State.DONE,
                                    filename="旧.xlsx")
    old.file.save("old.xlsx", ContentFile(b"x"))
    ExportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    storage, name = old.file.storage, old.file.name
    client.force_login(leo)
    assert client.get(reverse("scoring:bulletin_xlsx"), {"year": 2011}).status_code == 200
    assert list(ExportFile.objects.values_list("state", flat=True)) == [ExportFile.State.DONE]
    assert not storage.exists(name)


@pytest.mark.django_db
def test_a_mail_server_that_fails_never_fails_the_submission(alice, rita, make_publication, hanbin, monkeypatch,
                                                             django_capture_on_commit_callbacks, caplog):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")

    monkeypatch.setattr("publicity.tasks.send_mass_mail", broken)
    publication = make_publication(hanbin, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        publication_submit(publication=publication, officer=alice, duplicates_confirmed=True)
    publication.refresh_from_db()
    assert publication.status == "submitted" and mail.outbox == []
    assert "ConnectionRefusedError" in caplog.text  # the task's failure is in the log (and, with a worker, the admin)
