"""`make cluster-test`: the four scenarios of issue 17 through HTTP against a real two-node cluster.

    .venv/bin/python tests/cluster/run.py            (CLUSTER_KEEP_LOGS=1 keeps the processes' logs)

1. a proof uploaded on node A is downloaded on node B, and refused to another unit's officer;
2. a year closed on A is served closed by B (whose open-year page was in the shared cache);
3. a submission on A makes the worker (not the web node) send the reviewer's notification mail;
4. node B killed with SIGKILL under load leaves A serving with 0 failed requests, and every record is
   present once.

Prints one line per scenario and closes with "N passed, N failed"; exits non-zero on any failure.
"""

from __future__ import annotations

import re
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.cluster.cluster import Browser, Cluster, proof_pdf


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def proof_on_a_is_served_by_b(cluster: Cluster) -> str:
    a, b = cluster.web
    alice = Browser()
    alice.login(a.url, "alice")
    content = proof_pdf(64 * 1024)
    record = alice.create_record(a.url, "集群测试A节点上传的凭证", content)
    status, _, page = alice.request(a.url, "GET", f"/records/{record}/")
    proof_id = int(re.search(rb"/proofs/(\d+)/", page).group(1))
    on_b = Browser()
    on_b.login(b.url, "alice")
    status, headers, body = on_b.request(b.url, "GET", f"/proofs/{proof_id}/")
    check(status == 200 and body == content, f"B served the proof as {status}, {len(body)} bytes")
    check(headers.get("X-Request-ID") and "attachment" in headers.get("Content-Disposition", ""),
          "no request id or not an attachment")
    bob = Browser()
    bob.login(b.url, "bob")
    refused, _, _ = bob.request(b.url, "GET", f"/proofs/{proof_id}/")
    check(refused == 404, f"another unit's officer got {refused}")
    anonymous, headers, _ = Browser().request(b.url, "GET", f"/proofs/{proof_id}/")
    check(anonymous == 302 and "/login/" in headers.get("Location", ""), f"anonymous got {anonymous}")
    stored = cluster.query(f"from publicity.models import ProofFile\nresult = ProofFile.objects.get(pk={proof_id})"
                           ".file.storage.__class__.__name__")
    check(stored == "PrivateS3Storage", f"proof stored by {stored}")
    return f"{len(content) // 1024} KB proof uploaded on A, downloaded on B (S3), 404 for bob, login for anonymous"


def close_on_a_is_closed_on_b(cluster: Cluster) -> str:
    a, b = cluster.web
    leo, rita = Browser(), Browser()
    leo.login(b.url, "leo")
    rita.login(a.url, "rita")
    status, _, before = leo.request(b.url, "GET", "/scoring/bulletin/?year=2011")
    check(status == 200 and "预估".encode() in before, "B's open-year bulletin is not the estimate")
    leo.request(b.url, "GET", "/scoring/dashboard/?year=2011")  # both pages now in the shared cache
    status, _headers, _ = rita.request(a.url, "POST", "/year/close/?year=2011", {})
    check(status == 302, f"close on A answered {status}")
    for page in ("bulletin", "dashboard"):
        status, _, after = leo.request(b.url, "GET", f"/scoring/{page}/?year=2011")
        check(status == 200 and "已结算".encode() in after, f"B's {page} is not closed after the close on A")
    return "2011 closed on A; B's bulletin and dashboard (cached while open) show 已结算 at once"


def submission_mail_by_worker(cluster: Cluster) -> str:
    a, _ = cluster.web
    alice = Browser()
    alice.login(a.url, "alice")
    record = alice.create_record(a.url, "集群测试提交审核通知", proof_pdf(8 * 1024), submit=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mails = [m for m in cluster.mails("mail-worker") if "rita@cluster.test" in m["To"]]
        if mails:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the worker sent no mail to the reviewer within 30 s")
    body = mails[0].get_payload(decode=True).decode()
    check(f"/records/{record}/" in body and "集群测试提交审核通知" in body, f"mail body: {body[:200]}")
    check(cluster.mails("mail-web") == [], "a web node sent the mail itself")
    waiting = cluster.query("from django_tasks_db.models import DBTaskResult\n"
                            "result = DBTaskResult.objects.successful().filter(task_path__endswith='mails_send')"
                            ".count()")
    check(waiting >= 1, "no successful mail task in the queue")
    return f"submission on A → the worker mailed rita (link to record {record}); the web nodes sent nothing"


def kill_b_under_load(cluster: Cluster, seconds: float = 12, threads: int = 6) -> str:
    a, b = cluster.web
    results = {"A": [0, 0], "B": [0, 0]}  # node → [ok, failed]
    acknowledged, uncertain, errors = [], [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        browser = Browser(timeout=20)
        node = a if index % 2 == 0 else b
        browser.login(node.url, "alice" if index % 3 else "bob")
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            title = f"集群压测-{index}-{n}"
            name = node.name
            try:
                browser.create_record(node.url, title, proof_pdf(4096))
                status, _, _ = browser.request(node.url, "GET", "/records/")
                if status != 200:
                    raise AssertionError(f"records page {status}")
            except Exception as exc:
                with lock:
                    results[name][1] += 1
                    uncertain.append(title)
                    if name == "A":
                        errors.append(f"A: {exc!r}")
                if name == "B":  # the balancer takes B out: the client goes on with A
                    node = a
                    browser.login(a.url, "alice" if index % 3 else "bob")
                continue
            with lock:
                results[name][0] += 1
                acknowledged.append(title)

    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(seconds / 3)
    cluster.kill(b)
    killed_at = time.monotonic()
    for worker in workers:
        worker.join(timeout=seconds + 60)
    check(b.process.poll() is not None, "B is still running")
    check(results["A"][1] == 0, f"A failed {results['A'][1]} requests: {errors[:3]}")
    check(results["B"][0] > 0 and results["A"][0] > 0, f"no load on both nodes before the kill: {results}")
    status, body = cluster.health(a)
    check(status == 200, f"A unhealthy after B died: {body}")
    counts = cluster.query(
        "from django.db.models import Count\nfrom publicity.models import Publication\n"
        "result = dict(Publication.objects.filter(manuscript__title__startswith='集群压测-')"
        ".values_list('manuscript__title').annotate(n=Count('id')))")
    missing = [t for t in acknowledged if counts.get(t) != 1]
    doubled = [t for t in uncertain if counts.get(t, 0) > 1]
    check(not missing, f"acknowledged records not present exactly once: {missing[:5]}")
    check(not doubled, f"records present twice: {doubled[:5]}")
    proofs = cluster.query(
        "from publicity.models import ProofFile, Publication\n"
        "result = [ProofFile.objects.filter(publication__manuscript__title__startswith='集群压测-').count(),"
        " Publication.objects.filter(manuscript__title__startswith='集群压测-').count()]")
    check(proofs[0] == proofs[1], f"{proofs[1]} records but {proofs[0]} proofs")
    served_after = time.monotonic() - killed_at
    return (f"B SIGKILLed after {seconds / 3:.0f} s; A: {results['A'][0]} requests ok, 0 failed; B: "
            f"{results['B'][0]} ok before the kill, {results['B'][1]} cut off; {len(acknowledged)} acknowledged "
            f"records present once, {len(counts)} in all, each with its proof; A served {served_after:.0f} s on")


SCENARIOS = [proof_on_a_is_served_by_b, close_on_a_is_closed_on_b, submission_mail_by_worker, kill_b_under_load]


def main() -> int:
    passed = failed = 0
    with Cluster(log=lambda line: print(f"== {line}", flush=True)) as cluster:
        for scenario in SCENARIOS:
            started = time.monotonic()
            try:
                detail = scenario(cluster)
            except Exception:
                failed += 1
                print(f"FAILED {scenario.__name__}:\n{traceback.format_exc()}", flush=True)
                for name in ("web-A", "web-B", "worker"):
                    log = cluster.tmp / f"{name}.log"
                    if log.exists():
                        print(f"--- last lines of {name}.log ---\n" + "\n".join(
                            log.read_text(errors="replace").splitlines()[-15:]), flush=True)
            else:
                passed += 1
                print(f"PASSED {scenario.__name__} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
    print(f"cluster: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
