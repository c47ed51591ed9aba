"""Backup and restore of the database and the proof files (issue 8, item 6).

A backup is one folder:

    manifest.json        time (UTC), database vendor, every file with its size and sha256
    database.sqlite3     SQLite: a consistent snapshot taken with SQLite's online backup API
    database.pgdump      PostgreSQL: `pg_dump --format=custom`
    files/...            the private storage (proof files), same relative paths

The database is copied first and the files after it: proof files are written before the rows that
point to them and never changed in place, so every file a row of the snapshot names is in the copy.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

from core.audit import audit_record

MANIFEST_NAME = "manifest.json"
FILES_DIR = "files"
FORMAT_VERSION = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables whose rows make an installation "not empty": users and everything of the project's apps.
PROJECT_APPS = ("core", "publicity", "scoring", "rewards", "reporting", "api")

OUTPUT_NOT_EMPTY_MESSAGE = "备份目录 {path} 已存在且不为空，请指定一个新的目录。"
VENDOR_UNSUPPORTED_MESSAGE = "不支持备份此类数据库：{vendor}（可用 SQLite 或 PostgreSQL）。"
TOOL_MISSING_MESSAGE = "找不到 {tool}，请安装 PostgreSQL 客户端工具。"
TOOL_FAILED_MESSAGE = "{tool} 执行失败：{detail}"
NO_MANIFEST_MESSAGE = "{path} 中没有 manifest.json，不是本系统的备份目录。"
FORMAT_MESSAGE = "备份格式版本 {version} 不受支持。"
VENDOR_MISMATCH_MESSAGE = "备份来自 {backup} 数据库，而当前数据库是 {current}，不能直接恢复。"
FILE_MISSING_MESSAGE = "备份不完整：缺少文件 {path}。"
CHECKSUM_MESSAGE = "备份已损坏：文件 {path} 的校验值与清单不符。"
UNSAFE_PATH_MESSAGE = "备份清单中的路径不安全：{path}。"
NOT_EMPTY_MESSAGE = "当前数据库已有数据（{what}），恢复会覆盖它们。确认覆盖请加 --force。"


class BackupError(Exception):
    """A backup cannot be written or restored; the message is Chinese and says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def private_root() -> Path | None:
    """The local folder of the private storage; None when it is an object store (S3_BUCKET)."""
    storage = storages["private"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _storage_names(storage, folder: str = ""):
    """Every file name in an object store, walked with the Storage API (listdir)."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _storage_names(storage, f"{folder}/{sub}" if folder else sub)


def _files_from_storage(target: Path) -> None:
    storage = storages["private"]
    for name in _storage_names(storage):
        path = _inside(target, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)


def _file_to_storage(name: str, source: Path) -> None:
    storage = storages["private"]
    if storage.exists(name):  # --force over an installation that has the object already
        storage.delete(name)
    with source.open("rb") as stream:
        saved = storage.save(name, File(stream))
    if saved != name:
        raise BackupError(TOOL_FAILED_MESSAGE.format(tool="storage", detail=f"{name} saved as {saved}"))


def backup_write(*, output: Path) -> dict:
    """Write a backup of the database and the private files into the new or empty folder `output`."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(OUTPUT_NOT_EMPTY_MESSAGE.format(path=output))
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(VENDOR_UNSUPPORTED_MESSAGE.format(vendor=vendor))
    output.mkdir(parents=True, exist_ok=True)
    created_at = datetime.datetime.now(datetime.UTC)
    audit_record(actor=None, action="backup", target="backup", summary=f"写入备份：{output}")

    database_file = output / DATABASE_FILES[vendor]
    if vendor == "sqlite":
        _sqlite_copy(source=connection.settings_dict["NAME"], target=str(database_file))
    else:
        _run_pg_tool("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database_file}")

    files_root = output / FILES_DIR
    source_root = private_root()
    if source_root is None:
        _files_from_storage(files_root)
    elif source_root.is_dir():
        shutil.copytree(source_root, files_root, dirs_exist_ok=True)
    entries = [_entry(output, database_file)]
    entries += [_entry(output, path) for path in sorted(files_root.rglob("*")) if path.is_file()]
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "database": {"vendor": vendor, "file": database_file.name},
        "files": entries,
    }
    (output / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def backup_verify(*, source: Path) -> dict:
    """Read the manifest of a backup and check every file it lists against its sha256."""
    source = Path(source)
    manifest_path = source / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(NO_MANIFEST_MESSAGE.format(path=source))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(FORMAT_MESSAGE.format(version=manifest.get("format")))
    for entry in manifest["files"]:
        path = _inside(source, entry["path"])
        if not path.is_file():
            raise BackupError(FILE_MISSING_MESSAGE.format(path=entry["path"]))
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(CHECKSUM_MESSAGE.format(path=entry["path"]))
    return manifest


def backup_restore(*, source: Path, force: bool = False) -> dict:
    """Restore a verified backup into this installation, which must be empty unless `force`."""
    source = Path(source)
    manifest = backup_verify(source=source)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(VENDOR_MISMATCH_MESSAGE.format(backup=vendor, current=connection.vendor))
    if not force:
        what = installation_contents()
        if what:
            raise BackupError(NOT_EMPTY_MESSAGE.format(what="、".join(what)))

    database_file = _inside(source, manifest["database"]["file"])
    connection.close()
    if vendor == "sqlite":
        _sqlite_copy(source=str(database_file), target=connection.settings_dict["NAME"])
    else:
        _run_pg_tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                     "--single-transaction", str(database_file))
    connection.close()

    files_prefix = FILES_DIR + "/"
    target_root = private_root()
    for entry in manifest["files"]:
        if entry["path"].startswith(files_prefix):
            name = entry["path"][len(files_prefix):]
            if target_root is None:
                _file_to_storage(name, _inside(source, entry["path"]))
                continue
            target = _inside(target_root, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(_inside(source, entry["path"]), target)
    audit_record(actor=None, action="restore", target="backup",
                 summary=f"从备份恢复：{source}（备份时间 {manifest['created_at']}）")
    return manifest


def installation_contents() -> list[str]:
    """What this database already holds (users, project records), in Chinese; empty when it is empty."""
    tables = set(connection.introspection.table_names())
    models = [get_user_model()] + [model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]
    return [f"{model._meta.verbose_name} {count} 条" for model in models
            if model._meta.db_table in tables and (count := model._default_manager.count())]


def _entry(root: Path, path: Path) -> dict:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": sha256_of(path)}


def _inside(root: Path, relative: str) -> Path:
    """`root / relative`, refusing a manifest path that climbs out of `root`."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise BackupError(UNSAFE_PATH_MESSAGE.format(path=relative))
    return path


def _sqlite_copy(*, source: str, target: str) -> None:
    # The online backup API copies a consistent snapshot while other connections keep working.
    source_db, target_db = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with target_db:
            source_db.backup(target_db)
    finally:
        source_db.close()
        target_db.close()


def _run_pg_tool(tool: str, *args: str) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(TOOL_MISSING_MESSAGE.format(tool=tool))
    db = connection.settings_dict
    command = [executable, *args, f"--dbname={db['NAME']}"]
    command += [f"--host={db['HOST']}"] if db.get("HOST") else []
    command += [f"--port={db['PORT']}"] if db.get("PORT") else []
    command += [f"--username={db['USER']}"] if db.get("USER") else []
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(TOOL_FAILED_MESSAGE.format(tool=tool, detail=result.stderr.strip()[-500:]))
