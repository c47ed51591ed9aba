from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.settings import BASE_DIR, database_from_url


def test_default_database_is_sqlite_file_in_project():
    config = database_from_url("")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]).parent == BASE_DIR
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_is_parsed():
    config = database_from_url("postgres://app:s%40cret@db.example:5433/publicity")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "publicity", "app", "s@cret", "db.example", "5433")


def test_sqlite_url_relative_and_absolute():
    assert database_from_url("sqlite:///data/x.sqlite3")["NAME"] == str(BASE_DIR / "data" / "x.sqlite3")
    assert database_from_url("sqlite:////srv/x.sqlite3")["NAME"] == "/srv/x.sqlite3"


def test_unknown_database_scheme_is_refused_in_chinese():
    with pytest.raises(ValueError, match="数据库类型不受支持"):
        database_from_url("mysql://x@y/z")


@pytest.mark.django_db
def test_sqlite_pragmas_are_in_force():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite PRAGMAs apply only to the SQLite database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 10_000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_ui_speaks_chinese_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_proof_files_are_outside_every_public_url():
    from django.core.files.storage import storages

    with pytest.raises(ValueError, match="没有公开地址"):
        storages["private"].url("proofs/x.png")
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
