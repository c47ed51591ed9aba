"""Backup and restore (issue 8, item 6): a backup restored into an empty installation has every record and file."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from config.settings import BASE_DIR
from core.backup import (
    MANIFEST_NAME,
    BackupError,
    backup_restore,
    backup_verify,
    backup_write,
    installation_contents,
    sha256_of,
)
from publicity.models import ProofFile, Status

DUMPED = ["auth.user", "auth.group", "core", "publicity", "scoring", "reporting"]


def add_proof(publication, content: bytes, name: str) -> ProofFile:
    return ProofFile.objects.create(publication=publication, file=ContentFile(content, name=name), original_name=name,
                                    size=len(content), sha256=hashlib.sha256(content).hexdigest())


def demo_like_data(make_publication, hanbin, hanyin) -> list[ProofFile]:
    proofs = []
    for number, (unit, status) in enumerate([(hanbin, Status.APPROVED), (hanbin, Status.SUBMITTED),
                                             (hanyin, Status.REJECTED), (hanyin, Status.DRAFT)]):
        publication = make_publication(unit, title=f"稿件{number}：就业政策宣传", status=status)
        proofs.append(add_proof(publication, f"扫描件{number}".encode() * 100, f"凭证{number}.png"))
    proofs.append(add_proof(publication, b"%PDF-1.4 second proof", "签发单.pdf"))
    return proofs


def records(dump: str) -> set[str]:
    return {json.dumps(item, sort_keys=True, ensure_ascii=False) for item in json.loads(dump)}


def manage(*args: str, database_url: str, private_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "PRIVATE_MEDIA_ROOT": str(private_root)}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the same kind as the test database, outside the test run."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    if connection.vendor != "postgresql" or not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("needs SQLite, or PostgreSQL with pg_dump and pg_restore")
    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    yield f"postgres://{credentials}@{quote(db['HOST'] or '', safe='')}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_installation_with_every_record_and_file(
        reference_data, alice, bob, rita, make_publication, hanbin, hanyin, tmp_path, private_media,
        fresh_database_url):
    proofs = demo_like_data(make_publication, hanbin, hanyin)
    backup_dir = tmp_path / "backup"
    manifest = backup_write(output=backup_dir)
    original = io.StringIO()
    call_command("dumpdata", *DUMPED, stdout=original)

    restored_root = tmp_path / "restored"
    manage("migrate", "--noinput", "-v0", database_url=fresh_database_url, private_root=restored_root)
    manage("restore", str(backup_dir), database_url=fresh_database_url, private_root=restored_root)
    restored = manage("dumpdata", *DUMPED, database_url=fresh_database_url, private_root=restored_root).stdout

    assert records(original.getvalue()) <= records(restored)
    actions = [item["fields"]["action"] for item in json.loads(restored) if item["model"] == "core.auditevent"]
    assert "backup" in actions and "restore" in actions
    for proof in proofs:
        copy = restored_root / proof.file.name
        assert copy.is_file(), proof.file.name
        assert sha256_of(copy) == proof.sha256
    assert manifest["database"]["vendor"] == connection.vendor
    assert len([e for e in manifest["files"] if e["path"].startswith("files/")]) == len(proofs)


def test_the_manifest_lists_every_file_with_its_checksum(tmp_path):
    backup = fake_backup(tmp_path)
    manifest = backup_verify(source=backup)
    assert {entry["path"] for entry in manifest["files"]} == {"database.bin", "files/proofs/a.png"}


def test_a_tampered_backup_is_refused(tmp_path):
    backup = fake_backup(tmp_path)
    (backup / "files" / "proofs" / "a.png").write_bytes(b"changed")
    with pytest.raises(BackupError, match="校验值与清单不符"):
        backup_verify(source=backup)


def test_a_backup_with_a_missing_file_is_refused(tmp_path):
    backup = fake_backup(tmp_path)
    (backup / "database.bin").unlink()
    with pytest.raises(BackupError, match="缺少文件"):
        backup_verify(source=backup)


def test_a_manifest_path_outside_the_backup_is_refused(tmp_path):
    backup = fake_backup(tmp_path, extra={"path": "../outside.txt", "size": 0, "sha256": ""})
    with pytest.raises(BackupError, match="路径不安全"):
        backup_verify(source=backup)


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data_unless_forced(tmp_path, alice):
    backup = fake_backup(tmp_path)
    assert installation_contents()
    with pytest.raises(BackupError, match="--force"):
        backup_restore(source=backup)


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_database_vendor(tmp_path):
    backup = fake_backup(tmp_path)
    manifest = json.loads((backup / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["database"]["vendor"] = "oracle"
    (backup / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="不能直接恢复"):
        backup_restore(source=backup, force=True)


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(BackupError, match="不为空"):
        backup_write(output=tmp_path)


def fake_backup(tmp_path: Path, extra: dict | None = None) -> Path:
    backup = tmp_path / "fake"
    (backup / "files" / "proofs").mkdir(parents=True)
    (backup / "database.bin").write_bytes(b"database")
    (backup / "files" / "proofs" / "a.png").write_bytes(b"proof")
    files = [{"path": path, "size": (backup / path).stat().st_size, "sha256": sha256_of(backup / path)}
             for path in ("database.bin", "files/proofs/a.png")]
    manifest = {"format": 1, "created_at": "2011-12-31T00:00:00+00:00", "files": files + ([extra] if extra else []),
                "database": {"vendor": connection.vendor, "file": "database.bin"}}
    (backup / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    return backup
