"""Deadline-day load (issue 17, item 5): 100 officers for 3 minutes, each submission with a 200 KB proof.

    make load                                   # the two-node cluster on PostgreSQL, then one SQLite node
    .venv/bin/python bench/load.py --only cluster --users 100 --minutes 3

Headless locust (bench/locustfile.py) against servers on loopback only, bounded in time. The cluster is
tests/cluster/cluster.py's: PostgreSQL, Redis, moto's S3, two gunicorn nodes (2 workers each) and a task
worker; the single node is the embedded default (SQLite, memory cache, local files, tasks inline) with
4 gunicorn workers. After each run every acknowledged submission must be in the database exactly once.
Prints p95, failures and requests per second, with the machine, the date and the load average.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cluster.cluster import PASSWORD, Cluster  # noqa: E402

TARGETS = {"p95_ms": 1000, "failures": 0}
# Officers arrive two a second (all 100 within 50 s): each login hashes a password (PBKDF2, ~0.3 s of CPU).
SPAWN_RATE = 2


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "")
    return f"{os.cpu_count()} CPUs · {model} · {datetime.date.today()}"


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_locust(cluster: Cluster, users: int, seconds: int, label: str) -> dict:
    prefix = cluster.tmp / f"locust-{label}"
    titles = cluster.tmp / f"titles-{label}.json"
    env = {**os.environ, "LOAD_NODES": ",".join(n.url for n in cluster.web), "LOAD_PASSWORD": PASSWORD,
           "LOAD_TITLES_FILE": str(titles)}
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(SPAWN_RATE), "-t", f"{seconds}s", "--stop-timeout", "15",
               "--host", cluster.web[0].url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    started = time.monotonic()
    # Bounded: locust stops itself after `seconds`; the timeout only guards against a hang.
    with (cluster.tmp / f"locust-{label}.log").open("wb") as log:
        subprocess.run(command, cwd=ROOT, env=env, timeout=seconds + 120, check=False, stdout=log, stderr=log)
    elapsed = time.monotonic() - started
    rows = {row["Name"]: row for row in csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open())}
    submitted = json.loads(titles.read_text())
    counts = cluster.query(
        "from django.db.models import Count\nfrom publicity.models import Publication\n"
        f"result = dict(Publication.objects.filter(manuscript__title__startswith='截止日{submitted['run']}-')"
        ".values_list('manuscript__title').annotate(n=Count('id')))")
    not_once = [t for t in submitted["acknowledged"] if counts.get(t) != 1]
    return {"rows": rows, "acknowledged": len(submitted["acknowledged"]), "stored": len(counts),
            "not_once": not_once, "elapsed": elapsed}


def show(label: str, result: dict) -> bool:
    total = result["rows"]["Aggregated"]
    p95, failures = float(total["95%"]), int(total["Failure Count"])
    ok = p95 <= TARGETS["p95_ms"] and failures == TARGETS["failures"] and not result["not_once"]
    print(f"\n{label}")
    print(f"  {'request':<16}{'count':>8}{'failed':>8}{'median ms':>11}{'p95 ms':>9}{'req/s':>8}")
    for name, row in result["rows"].items():
        print(f"  {name:<16}{row['Request Count']:>8}{row['Failure Count']:>8}{row['Median Response Time']:>11}"
              f"{row['95%']:>9}{float(row['Requests/s']):>8.1f}")
    print(f"  submissions acknowledged {result['acknowledged']}, stored {result['stored']}, "
          f"not exactly once: {len(result['not_once'])}")
    print(f"  {'met' if ok else 'MISSED'} (targets: 0 failures, p95 ≤ {TARGETS['p95_ms']} ms, every record once)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--only", choices=["cluster", "sqlite"])
    args = parser.parse_args()
    seconds = int(args.minutes * 60)
    print(f"deadline day: {args.users} officers, {seconds} s, 200 KB proofs · {machine()}")
    print(f"load average before: {load_average()}", flush=True)
    ok = True
    setups = [("cluster", "two nodes × 2 gunicorn workers, PostgreSQL, Redis, S3 (moto), db_worker",
               {"database": "postgres", "nodes": 2, "workers_per_node": 2}),
              ("sqlite", "one node × 4 gunicorn workers, SQLite, memory cache, local files, tasks inline",
               {"database": "sqlite", "nodes": 1, "workers_per_node": 4})]
    for label, description, options in setups:
        if args.only and args.only != label:
            continue
        with Cluster(log=lambda line: print(f"== {line}", flush=True), **options) as cluster:
            result = run_locust(cluster, args.users, seconds, label)
            ok &= show(f"{description} (load average after: {load_average()})", result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
