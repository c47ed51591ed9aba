"""A two-node cluster on loopback, with real engines: PostgreSQL, Redis (redis-server), an S3-compatible
store (moto's server mode), two gunicorn nodes on different ports and one task worker (db_worker).

Used by `make cluster-test` (tests/cluster/run.py) and the deadline-day load test (bench/load.py). Every
process is started in its own process group and stopped (with its group) when the `Cluster` context ends,
also on SIGTERM, SIGINT or SIGHUP; nothing is left running and the temporary folder is removed.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PASSWORD = "Cluster-pw-2011"
HEALTHZ_TOKEN = "cluster-healthz-token"
# Settings a developer's shell may have that must not leak into the cluster.
CLEARED = {"DATABASE_URL", "CACHE_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
           "S3_REGION", "S3_PREFIX", "TASKS_BACKEND", "EMAIL_BACKEND", "EMAIL_FILE_PATH", "DEBUG", "PRIVATE_MEDIA_ROOT"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float, process: subprocess.Popen | None = None, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s")


class _Stop(BaseException):  # not caught by a scenario's `except Exception`
    pass


def _raise_stop(signum, frame):
    raise _Stop(f"signal {signum}")


@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """`with Cluster() as cluster:` — the whole cluster, migrated, with reference data and test users."""

    nodes: int = 2
    workers_per_node: int = 2
    database: str = "postgres"  # or "sqlite": one node, no Redis/S3/worker (the embedded default)
    log: callable = print
    tmp: Path = field(init=False)
    processes: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    web: list[Node] = field(default_factory=list)
    worker: subprocess.Popen | None = None
    _pg: tuple | None = None

    # --- lifecycle ----------------------------------------------------------------------------------

    def __enter__(self) -> Cluster:
        self._previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        self.tmp = Path(tempfile.mkdtemp(prefix="xcgz-cluster-"))
        self.tmp.chmod(0o755)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start(self) -> None:
        started = time.monotonic()
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update({
            "DEBUG": "false", "SECRET_KEY": "cluster-" + uuid.uuid4().hex * 2, "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
            "REQUEST_LOG_LEVEL": "WARNING", "STATIC_ROOT": str(self.tmp / "static"),
            "HEALTHZ_TOKEN": HEALTHZ_TOKEN, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.tmp / "mail-web"), "SITE_URL": "http://127.0.0.1",
            "PRIVATE_MEDIA_ROOT": str(self.tmp / "private"), "LOGIN_FAILURE_LIMIT": "1000",
            "LOGIN_ADDRESS_FAILURE_LIMIT": "100000",  # every simulated user logs in from 127.0.0.1
            "PYTHONUNBUFFERED": "1",
        })
        if self.database == "postgres":
            env["DATABASE_URL"] = self._start_postgres()
            env["CACHE_URL"] = self._start_redis()
            env.update(self._start_s3())
            env["TASKS_BACKEND"] = "database"
        else:
            env["DATABASE_URL"] = f"sqlite:///{self.tmp / 'cluster.sqlite3'}"
        self.env = env
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("loaddata", "ankang_2011", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("shell", "-c", USERS_SCRIPT)
        for index in range(self.nodes):
            self.web.append(self._start_web("AB"[index] if index < 2 else str(index)))
        if self.database == "postgres":
            worker_env = {**env, "EMAIL_FILE_PATH": str(self.tmp / "mail-worker")}
            self.worker = self._spawn("worker", [PYTHON, "manage.py", "db_worker", "--queue-name", "*",
                                                 "--interval", "0.2", "--no-reload", "--no-startup-delay"],
                                      env=worker_env)
        for node in self.web:
            self.wait_healthy(node)
        self.log(f"cluster up in {time.monotonic() - started:.0f} s: "
                 + ", ".join(f"{n.name}={n.url}" for n in self.web) + f" ({self.database})")

    def _spawn(self, name: str, command: list[str], env: dict | None = None, **kwargs) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, **kwargs)
        self.processes.append((name, process))
        return process

    def _start_web(self, name: str) -> Node:
        node = Node(name=name, port=free_port())
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{node.port}", "WEB_CONCURRENCY": str(self.workers_per_node)}
        node.process = self._spawn(f"web-{name}", [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py",
                                                   "config.wsgi"], env=env)
        wait_for_port(node.port, 60, node.process, f"gunicorn {name}")
        return node

    def _start_postgres(self) -> str:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        pgbin, data, port = bins[-1], self.tmp / "pg", free_port()
        as_root = os.geteuid() == 0
        if as_root:
            shutil.chown(self.tmp, "postgres")

        def pg(*args: str) -> None:
            command = " ".join(str(a) for a in args)
            run = ["su", "postgres", "-s", "/bin/sh", "-c", command] if as_root else ["sh", "-c", command]
            subprocess.run(run, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        pg(pgbin / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8")
        options = (f"-p {port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        pg(pgbin / "pg_ctl", "-D", data, "-l", self.tmp / "pg.log", "-w", "-o", f"'{options}'", "start")
        self._pg = (pg, pgbin, data)
        pg(pgbin / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "xcgz")
        return f"postgres://postgres@127.0.0.1:{port}/xcgz"

    def _start_redis(self) -> str:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found (apt-get install redis-server)")
        port = free_port()
        process = self._spawn("redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                        "--appendonly", "no", "--daemonize", "no"])
        wait_for_port(port, 20, process, "redis-server")
        return f"redis://127.0.0.1:{port}/0"

    def _start_s3(self) -> dict:
        port = free_port()
        process = self._spawn("s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
        wait_for_port(port, 60, process, "moto server")
        endpoint = f"http://127.0.0.1:{port}"
        import boto3

        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="cluster",
                     aws_secret_access_key="cluster").create_bucket(Bucket="xcgz-proofs")
        return {"S3_BUCKET": "xcgz-proofs", "S3_ENDPOINT_URL": endpoint, "S3_ACCESS_KEY_ID": "cluster",
                "S3_SECRET_ACCESS_KEY": "cluster", "S3_REGION": "us-east-1"}

    def stop(self) -> None:
        """Stop every process this cluster started (each with its process group), then PostgreSQL."""
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            # Children of a group whose leader already exited (gunicorn workers after the master).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
        if self._pg is not None:
            pg, pgbin, data = self._pg
            with contextlib.suppress(subprocess.CalledProcessError):
                pg(pgbin / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
            self._pg = None
        if getattr(self, "tmp", None) is not None and self.tmp.exists():
            if os.environ.get("CLUSTER_KEEP_LOGS"):
                self.log(f"logs kept in {self.tmp}")
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        for signum, handler in getattr(self, "_previous", {}).items():
            signal.signal(signum, handler)
        self._previous = {}

    # --- helpers ------------------------------------------------------------------------------------

    def manage(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env or self.env, capture_output=True,
                                text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def query(self, code: str):
        """Run `code` (which sets `result`) in a Django shell against the cluster's database; JSON back."""
        out = self.manage("shell", "-c", code + "\nimport json; print('RESULT=' + json.dumps(result))")
        return json.loads(out.rsplit("RESULT=", 1)[1])

    def health(self, node: Node) -> tuple[int, dict | str]:
        browser = Browser()
        status, _, body = browser.request(node.url, "GET", "/healthz", headers={"X-Healthz-Token": HEALTHZ_TOKEN})
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body.decode(errors="replace")

    def wait_healthy(self, node: Node, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                last = self.health(node)
                if last[0] == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"node {node.name} not healthy: {last}")

    def kill(self, node: Node) -> None:
        """SIGKILL the node's gunicorn master and workers at once (a machine that died)."""
        os.killpg(node.process.pid, signal.SIGKILL)
        node.process.wait(timeout=10)

    def mails(self, folder: str) -> list:
        import email

        path = self.tmp / folder
        if not path.is_dir():
            return []
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(path.iterdir())]


# Test users of the cluster: officers alice (汉滨区) and bob (汉阴县), reviewer rita, leader leo, and load
# officers officer1…officer100 over the counties and affiliated units (for the load test).
USERS_SCRIPT = f"""
from django.contrib.auth.models import Group, User
from publicity.models import Membership, Unit
from core import roles
def user(name, role, unit=None, email=""):
    u = User.objects.create_user(name, email=email, password={PASSWORD!r})
    u.groups.add(Group.objects.get(name=role))
    Membership.objects.create(user=u, unit=Unit.objects.get(name=unit) if unit else None)
user("alice", roles.OFFICER, "汉滨区", "alice@cluster.test")
user("bob", roles.OFFICER, "汉阴县", "bob@cluster.test")
user("rita", roles.REVIEWER, "政策法规与信息化管理科", "rita@cluster.test")
user("leo", roles.LEADER)
units = list(Unit.objects.filter(kind__in=["county", "affiliated"]).order_by("pk"))
for i in range(1, 101):
    user(f"officer{{i}}", roles.OFFICER, units[i % len(units)].name)
"""


# --- HTTP, as a browser does it ----------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One user's browser: cookies (shared by every node: cookies do not depend on the port), CSRF."""

    def __init__(self, timeout: float = 30):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.timeout = timeout

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, base: str, method: str, path: str, data: dict | None = None,
                files: dict | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        headers = dict(headers or {})
        body = None
        if method == "POST":
            headers["X-CSRFToken"] = self.csrf()
            headers["Referer"] = base + path
            if files:
                body, headers["Content-Type"] = multipart(data or {}, files)
            else:
                body = urllib.parse.urlencode(data or {}, doseq=True).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read()

    def login(self, base: str, username: str, password: str = PASSWORD) -> None:
        self.request(base, "GET", "/login/")
        status, _headers, _ = self.request(base, "POST", "/login/", {"username": username, "password": password})
        if status != 302:
            raise AssertionError(f"login of {username} on {base} failed: {status}")

    def create_record(self, base: str, title: str, proof: bytes, *, submit: bool = False,
                      day: str | None = None) -> int:
        """稿件录入: a new record with one proof file; returns its id (from the redirect)."""
        import datetime

        data = {"title": title, "authors": "集群测试", "kind": "news", "outlet": "安康日报",
                "published_on": day or (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
                "page": "第2版", "char_count": "800"}
        if submit:
            data["submit"] = "1"
        status, headers, body = self.request(base, "POST", "/records/new/", data,
                                             files={"proofs": ("版面.pdf", proof, "application/pdf")})
        location = headers.get("Location", "")
        match = re.search(r"/records/(\d+)/", location)
        if status != 302 or not match:
            raise AssertionError(f"record not created on {base}: {status} {body[:300]!r}")
        return int(match.group(1))


def multipart(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        quoted = urllib.parse.quote(filename)
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{quoted}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def proof_pdf(size: int) -> bytes:
    """A real PDF proof of about `size` bytes, different every time (proofs are compared by content)."""
    from core.uploads import sample_pdf

    return sample_pdf(note="xcgz cluster test", size=size)
