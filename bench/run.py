"""Benchmarks side by side (issue 9): assessment, pages, throughput, exports, import, memory.

    make bench                                   # city scale (40 units, 3,000 a year, 3 years)
    .venv/bin/python bench/run.py --scale province   # 400 units, 50,000 a year, 15 years = 750,000

The data set lives in its own SQLite file (/tmp/bench-<scale>.sqlite3, or --db / DATABASE_URL); it
is generated with `manage.py generate_data` the first time and reused afterwards (migrations are
applied on every run, so new indexes reach an existing data set). Never point it at the project's
database. Every section is measured in the same run and printed with ratios, since the machines are
noisy: compare ratios between runs, not absolute times.

Sections (each can be skipped with --skip NAME):
- assess:     `scoring.services.assess_year` of all units vs a per-unit, per-line ORM count
              implementation written here (one COUNT per unit × quota line, as one would write it
              first) vs the bare aggregate SQL query of the service alone (the floor).
- pages:      dashboard, bulletin and the officer's records page through the Django test client:
              median server time of --repeat runs and the number of queries.
- load:       throughput against gunicorn on 127.0.0.1 (the `bench` extra), --load-seconds per page,
              --threads client threads. Skipped when gunicorn is not installed.
- openyear:   the open year's dashboard computed on every request vs from the shared cache (warm) vs
              the first request after a score-changing write, and the throughput of two gunicorn workers
              both ways. Starts a throwaway redis-server (Debian's package) as CACHE_URL when none is set.
- exports:    statistics export of the year and detail export of the data set's first 50,000 rows (at city
              scale the data set has 9,000; the import section exports 50,000).
- import:     bench/import_bench.py: 10,000 rows, ours vs a default django-import-export resource, then
              50,000 rows (ours) imported, imported again and exported, each in a subprocess on a throwaway
              SQLite database.
- search:     the header's search box (issue 15) through publicity.search for a leader (every unit and year)
              and an officer (own unit): the substring index (SQLite FTS5 trigram / PostgreSQL pg_trgm) vs a
              plain icontains scan of the same fields, first page and count, as the results page asks.
- memory:     peak memory (VmHWM, the peak resident set) of a 50,000-row detail import and of the export of
              those 50,000 rows, each in its own subprocess.
- documents:  (issue 18) the bulletin as a page and as the red-header PDF (WeasyPrint), the API's assessment
              JSON against the same two calls made directly (what the `assess` command runs), the API bulletin.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALES = {
    "city": {"units": 40, "per_year": 3000, "years": 3},
    "province": {"units": 400, "per_year": 50000, "years": 15},
}
START_YEAR = 2011
EXPORT_ROWS = 50_000
TARGETS = {
    "assess_vs_floor": 2.0, "assess_vs_naive": 20.0, "dashboard_queries": 15, "dashboard_ms": 150,
    "officer_queries": 10, "import_ratio": 5.0, "export_s": 3.0, "import_50k_s": 5.0, "memory_mb": 500,
    "open_warm_ms": 100, "open_after_write_ms": 300, "open_rps": 50, "search_ms": 200,
}

SECTIONS = ["assess", "pages", "load", "openyear", "exports", "import", "memory", "documents", "search"]
rows_out: list[tuple[str, str, str]] = []  # (measure, figure, target/verdict)


def report(measure: str, figure: str, verdict: str = "") -> None:
    rows_out.append((measure, figure, verdict))
    print(f"{measure:<58} {figure:>26}  {verdict}", flush=True)


def verdict(ok: bool, target: str) -> str:
    return f"{'met' if ok else 'MISSED'} (target {target})"


def environment(db: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ["HTTPS"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver,localhost"
    os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")  # one log line per request would be measured too


def django_setup() -> None:
    import django

    django.setup()


def ensure_data(scale: dict) -> None:
    from django.core.management import call_command

    from publicity.models import Publication

    call_command("migrate", verbosity=0)
    wanted = scale["per_year"] * scale["years"]
    have = Publication.objects.count()
    if have >= wanted * 0.95:
        print(f"reusing the data set: {have:,} publications")
        return
    if have:
        sys.exit(f"the database holds {have:,} publications, not {wanted:,}: use another --db")
    started = time.perf_counter()
    call_command("generate_data", units=scale["units"], per_year=scale["per_year"], years=scale["years"],
                 start_year=START_YEAR)
    print(f"generated in {time.perf_counter() - started:.0f} s")


def timed(run, repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` runs (after one warm-up run) and the last outcome."""
    outcome = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), outcome


def queries_of(run) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        outcome = run()
    return len(captured.captured_queries), outcome


# --- Assessment ----------------------------------------------------------------------------------


def naive_assessment(year: int, units: list) -> dict[tuple[int, str], int]:
    """What one writes first: per unit, per quota line, one ORM COUNT (plus one for the bonus)."""
    from publicity.models import Publication
    from scoring import rules
    from scoring.models import Quota

    have = {}
    for unit in units:
        approved = Publication.objects.approved().in_year(year).filter(manuscript__unit=unit)
        for quota in Quota.objects.filter(year=year, unit=unit).select_related("line"):
            scope = quota.line.scope
            levels = rules.LEVELS[rules.LEVEL_RANK[scope.level_min]:rules.LEVEL_RANK[scope.level_max] + 1]
            lines = approved.filter(outlet__level__in=levels, manuscript__kind__in=scope.kinds)
            if scope.topic:
                lines = lines.filter(manuscript__special_topic=scope.topic)
            have[(unit.pk, quota.line.code)] = lines.count()
        bonus = approved.filter(outlet__media_class__in=rules.BONUS_OUTLET_CLASSES)
        bonus.filter(outlet__level__in=rules.BONUS_LEVELS).count()
    return have


def bare_aggregate(year: int) -> list:
    from django.db import connection
    from django.db.models import Count

    from scoring.services import BONUS_ELIGIBLE, _approved

    queryset = (_approved(year=year, units=None, today=None).annotate(eligible=BONUS_ELIGIBLE)
                .values("manuscript__unit_id", "outlet__level", "manuscript__kind", "manuscript__special_topic",
                        "eligible").annotate(n=Count("id"))
                .order_by())
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def bench_assess(year: int, repeat: int, naive_sample: int) -> None:
    from publicity.models import Unit
    from scoring.models import Quota
    from scoring.services import assess_year

    floor, rows = timed(lambda: bare_aggregate(year), repeat)
    ours, results = timed(lambda: assess_year(year=year), repeat)
    queries, _ = queries_of(lambda: assess_year(year=year))
    unit_ids = sorted(set(Quota.objects.filter(year=year).values_list("unit_id", flat=True)))
    sample = unit_ids if naive_sample <= 0 else unit_ids[:naive_sample]
    units = list(Unit.objects.filter(pk__in=sample))
    started = time.perf_counter()
    have = naive_assessment(year, units)
    naive = (time.perf_counter() - started) * len(unit_ids) / len(units)
    by_unit = {r.unit_id: r for r in results}
    mismatches = [key for key, n in have.items()
                  if next(line.have for line in by_unit[key[0]].lines if line.code == key[1]) != n]
    extrapolated = "" if len(units) == len(unit_ids) else f" (from {len(units)} units)"
    report(f"assessment of {len(unit_ids)} units, {year}: bare aggregate SQL (floor)", f"{floor * 1000:.0f} ms",
           f"{len(rows)} rows")
    report("  our service assess_year", f"{ours * 1000:.0f} ms · {queries} queries",
           verdict(ours / floor <= TARGETS["assess_vs_floor"], f"≤ 2× floor: {ours / floor:.2f}×"))
    report(f"  per-unit, per-line ORM counts{extrapolated}", f"{naive * 1000:.0f} ms",
           verdict(naive / ours >= TARGETS["assess_vs_naive"], f"ours ≥ 20× faster: {naive / ours:.0f}×")
           + ("" if not mismatches else f" · {len(mismatches)} line counts differ!"))


# --- Search (issue 15) ---------------------------------------------------------------------------

SEARCHES = [
    # (label, query): a title fragment of 5 %, a unit, a rare combination, an outlet, a link, a 3-character name
    ("title fragment (1 in 20 titles)", "春风行动"),
    ("unit name", "{unit}"),
    ("two words: unit + subject", "{unit} 社会保障卡"),
    ("outlet name", "陕西日报"),
    ("link fragment", "{link}"),
    ("three-character author", "王建华"),
]


def _icontains_scan(user, terms):
    from django.db.models import Q

    from publicity.models import Publication

    results = Publication.objects.visible_to(user).select_related("manuscript__unit", "outlet")
    for term in terms:
        results = results.filter(Q(manuscript__title__icontains=term) | Q(manuscript__authors__icontains=term)
                                 | Q(outlet__name__icontains=term) | Q(manuscript__unit__name__icontains=term)
                                 | Q(url__icontains=term))
    return results.order_by("-published_on", "-id")


def _first_page(queryset):
    """What a results page asks of a plain scan: the count for the pager and the first 25 rows."""
    from django.core.paginator import Paginator

    page = Paginator(queryset, 25).get_page(1)
    return page.paginator.count, [p.manuscript.title for p in page]


def _our_first_page(found):
    """The same of publicity.search, as the search page does it."""
    from publicity.search import search_page

    page = search_page(found, 1)
    return page.paginator.count, [p.manuscript.title for p in page]


def bench_search(year: int, repeat: int) -> None:
    from publicity.models import Publication
    from publicity.search import publication_search, terms_of

    leader, officer = bench_users()
    unit = officer.membership.unit.name
    # the end of one of the officer's links, e.g. "xxgk/2025/0012345"
    link = (Publication.objects.visible_to(officer).in_year(year).exclude(url="").order_by("pk")
            .values_list("url", flat=True).first() or "")[-22:-6]
    for label, template in SEARCHES:
        query = template.format(unit=unit, year=year, link=link)
        for who, user in (("leader", leader), ("officer", officer)):
            ours, (count, _rows) = timed(lambda u=user, q=query: _our_first_page(
                publication_search(user=u, query=q, default_year=year)), repeat)
            scan, (scan_count, _) = timed(lambda u=user, q=query: _first_page(_icontains_scan(u, terms_of(q))),
                                          max(1, repeat // 2))
            same = "" if scan_count == count else f" · counts differ ({count} vs {scan_count})!"
            report(f"search {label!r} ({who})", f"{ours * 1000:.0f} ms vs scan {scan * 1000:.0f} ms",
                   verdict(ours * 1000 <= TARGETS["search_ms"], "≤ 200 ms") + f" · {count} found" + same)
    short, (count, _) = timed(lambda: _our_first_page(publication_search(user=leader, query="王明",
                                                                         default_year=year)), repeat)
    report("search two-character name (leader: one year, scanned)", f"{short * 1000:.0f} ms",
           verdict(short * 1000 <= TARGETS["search_ms"], "≤ 200 ms") + f" · {count} found")


# --- Pages ---------------------------------------------------------------------------------------


def bench_users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from core import roles
    from publicity.models import Membership, Unit

    roles.ensure_groups()
    User = get_user_model()
    leader, _ = User.objects.get_or_create(username="bench-leader", defaults={"first_name": "基准领导"})
    leader.groups.set([Group.objects.get(name=roles.LEADER)])
    Membership.objects.get_or_create(user=leader, defaults={"unit": None})
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"first_name": "基准宣传员"})
    officer.groups.set([Group.objects.get(name=roles.OFFICER)])
    busiest = Unit.objects.annotate(n=Count("manuscripts")).order_by("-n").first()
    Membership.objects.update_or_create(user=officer, defaults={"unit": busiest})
    return leader, officer


def close_year(year: int) -> None:
    """A closed year, as 14 of a province's 15 years are: its results come from the snapshot."""
    from core.models import YearClose
    from scoring.models import UnitResultSnapshot
    from yearend.services import scores_snapshot_write

    if not UnitResultSnapshot.objects.filter(year=year).exists():
        scores_snapshot_write(year=year)
    closed_on = datetime.date(year + 1, 1, 20)
    YearClose.objects.update_or_create(year=year, defaults={
        "state": YearClose.State.CLOSED, "closed_on": closed_on,
        "closed_at": datetime.datetime.combine(closed_on, datetime.time(9), tzinfo=datetime.UTC)})


def page_urls(year: int) -> list[tuple[str, str, str, bool]]:
    from django.urls import reverse

    dashboard, bulletin = reverse("scoring:dashboard"), reverse("scoring:bulletin")
    # (label, who, url, fresh): fresh empties the cache before every request, so that a closed year's
    # page is measured as the first view after the close renders it (scoring/pagecache.py).
    return [
        ("dashboard (领导), open year: live estimate", "leader", f"{dashboard}?year={year}", False),
        ("dashboard (领导), closed year: first view after close", "leader", f"{dashboard}?year={year - 1}", True),
        ("dashboard (领导), closed year: later views", "leader", f"{dashboard}?year={year - 1}", False),
        ("bulletin (领导), open year", "leader", f"{bulletin}?year={year}", False),
        ("bulletin (领导), closed year: later views", "leader", f"{bulletin}?year={year - 1}", False),
        ("officer records page 1", "officer", reverse("portal:records"), False),
        ("officer records, year filter, page 5", "officer", f"{reverse('portal:records')}?year={year}&page=5", False),
    ]


def bench_pages(year: int, repeat: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    leader, officer = bench_users()
    clients = {"leader": Client(), "officer": Client()}
    clients["leader"].force_login(leader)
    clients["officer"].force_login(officer)
    for label, who, url, fresh in page_urls(year):
        client = clients[who]

        def get(client=client, url=url, fresh=fresh):
            if fresh:
                cache.clear()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        seconds, _ = timed(get, repeat)
        queries, _ = queries_of(get)
        if label.startswith("dashboard"):
            ok = queries <= TARGETS["dashboard_queries"] and seconds * 1000 <= TARGETS["dashboard_ms"]
            note = verdict(ok, "≤ 15 queries, ≤ 150 ms")
        elif who == "officer":
            note = verdict(queries <= TARGETS["officer_queries"], "≤ 10 queries")
        else:
            note = ""
        report(f"page: {label}", f"{seconds * 1000:.0f} ms · {queries} queries", note)


def bench_documents(year: int, repeat: int) -> None:
    """What a PDF costs over its page, and what the API's HTTP and JSON layer costs over the service."""
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    from api.tokens import api_token_create, api_token_revoke
    from core.pdf import pdf_unavailable_reason
    from scoring.services import assess_year, assessment_json

    leader, _ = bench_users()
    client = Client()
    client.force_login(leader)
    token, key = api_token_create(user=leader, scope="person", name="bench", actor=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    bulletin, pdf = reverse("scoring:bulletin"), reverse("scoring:bulletin_pdf")
    measures = [
        ("bulletin page (HTML), open year", lambda: client.get(f"{bulletin}?year={year}"), repeat),
        ("bulletin PDF (red header), open year", lambda: client.get(f"{pdf}?year={year}&number=1"), min(repeat, 3)),
        ("bulletin PDF, closed year", lambda: client.get(f"{pdf}?year={year - 1}&number=1"), min(repeat, 3)),
        ("assess_year + assessment_json (the assess command's code)",
         lambda: assessment_json(year=year, results=assess_year(year=year)), repeat),
        ("API /api/v1/assessment/ (token, JSON), open year",
         lambda: api.get(reverse("api:assessment"), {"year": year}), repeat),
        ("API /api/v1/bulletin/, closed year", lambda: api.get(reverse("api:bulletin"), {"year": year - 1}), repeat),
    ]
    reason = pdf_unavailable_reason()
    for label, run, times in measures:
        if "PDF" in label and reason:
            report(f"documents: {label}", "skipped", reason)
            continue
        seconds, result = timed(run, times)
        size = f" · {len(result.content) // 1024} KB" if hasattr(result, "content") else ""
        queries, _ = queries_of(run)
        report(f"documents: {label}", f"{seconds * 1000:.0f} ms · {queries} queries{size}")
    api_token_revoke(token=token, actor=None)


# --- Throughput ----------------------------------------------------------------------------------


def hammer(port: int, url: str, cookie: str, seconds: float, threads: int) -> tuple[int, int, list[float]]:
    """GET url from `threads` threads for `seconds` (a new connection per request, as sync workers close)."""
    import http.client

    done, failed, latencies = 0, 0, []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        nonlocal done, failed
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", url, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                connection.close()
            with lock:
                latencies.append(time.perf_counter() - started)
                done += ok
                failed += not ok

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return done, failed, latencies


def bench_load(year: int, seconds: float, threads: int) -> None:
    import importlib.util
    import socket

    from django.conf import settings
    from django.test import Client

    if importlib.util.find_spec("gunicorn") is None:
        report("throughput (gunicorn)", "skipped", "pip install -e '.[bench]'")
        return
    leader, officer = bench_users()
    cookies = {}
    for who, user in (("leader", leader), ("officer", officer)):
        client = Client()
        client.force_login(user)
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workers = os.cpu_count() or 2
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"], cwd=ROOT, env=os.environ.copy())
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for label, who, url, _ in [page_urls(year)[i] for i in (0, 2, 5)]:
            done, failed, latencies = hammer(port, url, cookies[who], seconds, threads)
            latencies.sort()
            p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
            report(f"load: {label}, {workers} workers, {threads} threads, {seconds:.0f} s",
                   f"{done / seconds:.1f} req/s · p95 {p95 * 1000:.0f} ms", f"{failed} failed")
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- The open year from the shared cache (issue 17) ---------------------------------------------


def redis_for_bench() -> subprocess.Popen | None:
    """A throwaway redis-server on a free loopback port as CACHE_URL (when installed and none is set)."""
    import shutil
    import socket

    binary = shutil.which("redis-server")
    if binary is None or os.environ.get("CACHE_URL"):
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                               "no"], stdout=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    os.environ["CACHE_URL"] = f"redis://127.0.0.1:{port}/0"
    return server


def bench_open_year(year: int, repeat: int, seconds: float, threads: int) -> None:
    """The open year's dashboard: computed on every request (as before issue 17) vs from the shared cache
    (warm) vs the first request after a score-changing write (the version bumped: rendered and stored)."""
    from django.conf import settings
    from django.test import Client, override_settings
    from django.urls import reverse

    from core.versions import scores_changed

    leader, _ = bench_users()
    client = Client()
    client.force_login(leader)
    url = f"{reverse('scoring:dashboard')}?year={year}"
    cache_name = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    with override_settings(OPEN_YEAR_PAGE_CACHE=False):
        live, _ = timed(get, repeat)
    with override_settings(OPEN_YEAR_PAGE_CACHE=True):
        get()
        warm, _ = timed(get, repeat)
        warm_queries, _ = queries_of(get)

        def after_write():
            scores_changed()
            return get()

        after, _ = timed(after_write, repeat)
    report("open-year dashboard: computed on every request", f"{live * 1000:.0f} ms", "(before issue 17)")
    report(f"open-year dashboard: warm ({cache_name})", f"{warm * 1000:.0f} ms · {warm_queries} queries",
           verdict(warm * 1000 <= TARGETS["open_warm_ms"], f"≤ {TARGETS['open_warm_ms']} ms"))
    report("open-year dashboard: first request after a write", f"{after * 1000:.0f} ms",
           verdict(after * 1000 <= TARGETS["open_after_write_ms"], f"≤ {TARGETS['open_after_write_ms']} ms"))
    bench_open_year_load(year, seconds, threads, client)


def bench_open_year_load(year: int, seconds: float, threads: int, client) -> None:
    import importlib.util
    import socket

    from django.conf import settings
    from django.urls import reverse

    if importlib.util.find_spec("gunicorn") is None or not os.environ.get("CACHE_URL"):
        report("open-year dashboard throughput", "skipped", "needs gunicorn and redis-server")
        return
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"{reverse('scoring:dashboard')}?year={year}"
    for cached in (False, True):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "OPEN_YEAR_PAGE_CACHE": "true" if cached else "false",
               "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi",
                                   "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            hammer(port, url, cookie, 2, 2)  # warm both workers (and the cache)
            done, failed, latencies = hammer(port, url, cookie, seconds, threads)
            latencies.sort()
            p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
            label = "from the shared cache" if cached else "computed on every request"
            note = verdict(done / seconds >= TARGETS["open_rps"], f"≥ {TARGETS['open_rps']} req/s") if cached else ""
            report(f"open-year dashboard, 2 gunicorn workers, {threads} threads: {label}",
                   f"{done / seconds:.1f} req/s · p95 {p95 * 1000:.0f} ms", f"{failed} failed {note}")
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=20)


# --- Exports, import, memory ---------------------------------------------------------------------


def export_queryset(rows: int):
    from publicity.models import Publication

    last = Publication.objects.order_by("-pk").values_list("pk", flat=True)
    cut = Publication.objects.order_by("pk").values_list("pk", flat=True)[rows - 1: rows].first() or last.first()
    return Publication.objects.filter(pk__lte=cut)


def bench_exports(year: int) -> None:
    from exchange.services import articles_export, statistics_export

    started = time.perf_counter()
    statistics_export(year=year, actor=None).to_bytes()
    report(f"statistics export {year}", f"{time.perf_counter() - started:.2f} s")
    queryset = export_queryset(EXPORT_ROWS)
    count = queryset.count()
    started = time.perf_counter()
    content = articles_export(publications=queryset, actor=None).to_bytes()
    seconds = time.perf_counter() - started
    report(f"detail export, {count:,} rows", f"{seconds:.2f} s · {len(content) / 1e6:.1f} MB",
           verdict(seconds <= TARGETS["export_s"], "≤ 3 s"))


def _import_bench(rows: int, *extra: str) -> dict[str, float]:
    output = subprocess.run([sys.executable, str(ROOT / "bench" / "import_bench.py"), "--rows", str(rows), *extra],
                            cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                            capture_output=True, text=True, check=True).stdout
    times = {}
    for line in output.splitlines():
        if line.startswith("ours: articles_import"):
            times["ours"] = float(line.split()[-4])
        elif line.startswith("ours: the same file again"):
            times["again"] = float(line.split()[-4])
        elif line.startswith("ours: exporting the"):
            times["export"] = float(line.split()[-4])
        elif line.startswith("django-import-export default"):
            times["base"] = float(line.split()[-4])
    return times


def bench_import() -> None:
    times = _import_bench(10_000)
    ours, base = times["ours"], times["base"]
    report("import 10,000 rows: ours (ArticleResource, bulk)", f"{ours:.2f} s")
    report("  default django-import-export ModelResource", f"{base:.2f} s",
           verdict(base / ours >= TARGETS["import_ratio"], f"ours ≥ 5× faster: {base / ours:.1f}×"))
    times = _import_bench(EXPORT_ROWS, "--no-baseline")
    report("import 50,000 rows: ours, new records", f"{times['ours']:.2f} s",
           verdict(times["ours"] <= TARGETS["import_50k_s"], "≤ 5 s"))
    report("import 50,000 rows: ours, the same file again", f"{times['again']:.2f} s")
    report("detail export of those 50,000 rows", f"{times['export']:.2f} s",
           verdict(times["export"] <= TARGETS["export_s"], "≤ 3 s"))


def bench_memory() -> None:
    table = Path(tempfile.mkdtemp(prefix="bench-memory-")) / "import.xlsx"
    # The file is made in a process of its own, so the import's peak is the import's alone.
    subprocess.run([sys.executable, __file__, "--child", "table", str(table)], cwd=ROOT, env=os.environ.copy(),
                   check=True, capture_output=True)
    for what in ("import", "export"):  # the export reads the 50,000 rows the import wrote
        output = subprocess.run([sys.executable, __file__, "--child", what, str(table)], cwd=ROOT,
                                env=os.environ.copy(), capture_output=True, text=True)
        if output.returncode:
            report(f"peak memory, 50,000-row {what}", "failed", output.stderr.strip().splitlines()[-1])
            continue
        before, peak, seconds = (float(x) for x in output.stdout.split()[-3:])
        report(f"peak memory (max RSS), 50,000-row {what}", f"{peak:.0f} MB (process at start {before:.0f} MB)",
               verdict(peak < TARGETS["memory_mb"], "< 500 MB") + f" · {seconds:.1f} s")


def rss_mb() -> float:
    """Peak resident memory of this process in MB. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    from the parent across fork and exec, so a child would report the bench's own peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child(what: str, table: Path) -> None:
    """Run in a subprocess: one 50,000-row export or import; print start RSS, peak RSS, seconds."""
    imported = table.parent / "import.sqlite3"  # the import's throwaway database, beside its file
    if what == "export":
        os.environ["DATABASE_URL"] = f"sqlite:///{imported}"
        django_setup()
        from exchange.services import articles_export
        from publicity.models import Publication

        queryset = Publication.objects.all()
        assert queryset.count() == EXPORT_ROWS, queryset.count()
        before = rss_mb()
        started = time.perf_counter()
        articles_export(publications=queryset, actor=None).to_bytes()
    else:
        # A throwaway database: the import writes 50,000 publications (the table's own is another one).
        database = imported if what == "import" else Path(tempfile.mkdtemp(prefix="bench-memory-")) / "t.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        django_setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("loaddata", "ankang_2011", verbosity=0)
        if what == "table":
            sys.path.insert(0, str(ROOT / "bench"))
            from import_bench import dirty_detail_table

            table.write_bytes(dirty_detail_table(EXPORT_ROWS))
            return
        content = table.read_bytes()
        before = rss_mb()
        from exchange.services import articles_import

        started = time.perf_counter()
        result = articles_import(actor=None, file=content, filename="bench.xlsx")
        assert result.ok and result.created == EXPORT_ROWS, result.summary()
    print(f"{before:.1f} {rss_mb():.1f} {time.perf_counter() - started:.2f}")


# --- Main ----------------------------------------------------------------------------------------


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs · {model} · {datetime.date.today()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="city")
    parser.add_argument("--years", type=int, help="years of history (default: 3 city, 15 province)")
    parser.add_argument("--db", type=Path, help="SQLite file of the data set (default /tmp/bench-<scale>.sqlite3)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure (median)")
    parser.add_argument("--naive-units", type=int, default=0,
                        help="run the per-unit implementation on this many units and extrapolate (0: all)")
    parser.add_argument("--load-seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--skip", action="append", default=[],
                        choices=SECTIONS)
    parser.add_argument("--only", action="append", default=[], choices=SECTIONS, help="run only these sections")
    parser.add_argument("--child", choices=["export", "import", "table"], help=argparse.SUPPRESS)
    parser.add_argument("table", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        args.skip = [name for name in SECTIONS if name not in args.only]
    scale = dict(SCALES[args.scale])
    if args.years:
        scale["years"] = args.years
    environment(args.db or Path(f"/tmp/bench-{args.scale}.sqlite3"))
    if args.child:
        child(args.child, args.table)
        return
    redis = redis_for_bench() if "openyear" not in args.skip else None
    try:
        run(args, scale)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


def run(args, scale: dict) -> None:
    if "bench-province" not in os.environ["DATABASE_URL"] and args.scale == "province" and not args.db:
        print("note: DATABASE_URL is set; the province data set goes there")
    django_setup()
    ensure_data(scale)
    year = START_YEAR + scale["years"] - 1
    close_year(year - 1)
    print(f"scale {args.scale}: {scale} · year {year} (open), {year - 1} (closed) · {machine()}")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if "assess" not in args.skip:
        bench_assess(year, args.repeat, args.naive_units)
    if "pages" not in args.skip:
        bench_pages(year, args.repeat)
    if "load" not in args.skip:
        bench_load(year, args.load_seconds, args.threads)
    if "openyear" not in args.skip:
        bench_open_year(year, args.repeat, args.load_seconds, args.threads)
    if "exports" not in args.skip:
        bench_exports(year)
    if "import" not in args.skip:
        bench_import()
    if "memory" not in args.skip:
        bench_memory()
    if "search" not in args.skip:
        bench_search(year, args.repeat)
    if "documents" not in args.skip:
        bench_documents(year, args.repeat)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
