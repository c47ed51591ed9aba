"""Benchmark: importing a 10,000-row detail table (附件2), ours vs a default django-import-export resource.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--keep DB.sqlite3] [--no-baseline]

Runs against a fresh SQLite database in a temporary folder (or DATABASE_URL if set: the script then
writes into that database, so point it at a throwaway one). It prints wall-clock times and query
counts. Not a test: the figures depend on the machine; README.md ("Excel exchange") records them.

- ours:     `exchange.services.articles_import` (the ArticleResource through django-import-export's
            `import_data`, bulk mode) on a dirty .xlsx (title row, dates in every §10 form,
            text in the shared-string table as Excel and WPS write it,
            outlets in 《》 or by alias, numbers as text): parses, validates every row, groups
            manuscripts, creates manuscripts and approved publications. Then the same file again
            (idempotent: nothing written).
- baseline: a plain `ModelResource` for Publication with default settings, importing an .xlsx of the
            same 10,000 publications with clean foreign-key ids (its manuscripts are created
            beforehand, untimed, because a default resource cannot create them).
"""

import argparse
import datetime
import io
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db_path: Path | None) -> None:
    if "DATABASE_URL" not in os.environ:
        path = db_path or Path(tempfile.mkdtemp(prefix="import-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "import-bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "ankang_2011", verbosity=0)


def dirty_detail_table(rows: int) -> bytes:
    from openpyxl import Workbook

    from exchange.resources import ARTICLE_HEADERS
    from publicity.models import Outlet, Unit

    units = list(Unit.objects.values_list("name", flat=True))
    outlets = list(Outlet.objects.values_list("name", flat=True))
    spellings = [lambda n: n, lambda n: f"《{n}》", lambda n: f" {n} "]
    kinds = ["新闻", "信息", "专题", "经验交流", "调研", ""]
    workbook = Workbook()
    ws = workbook.active
    ws.append(["2011年度宣传稿件明细表"])
    ws.append([])
    ws.append(["序号", *ARTICLE_HEADERS, "备注"])
    start = datetime.date(2011, 1, 1)
    for i in range(rows):
        date = start + datetime.timedelta(days=i % 365)
        date_cell = [date, date.isoformat(), f"{date.year}/{date.month}/{date.day}",
                     f"{date.year}.{date.month}.{date.day}", f"{date.year}年{date.month}月{date.day}日"][i % 5]
        # Every third manuscript appears in two outlets (一稿多投) under one 稿件编号.
        ref = f"BM-{i // 2}" if i % 6 < 2 else ""
        title = f"多投稿件{i // 2}" if ref else f"稿件{i}"
        kind = "新闻" if ref else kinds[i % 6]
        ws.append([i + 1, units[(i // 2 if ref else i) % len(units)], title, "张三、李四",
                   spellings[i % 3](outlets[i % len(outlets)]), kind,
                   "第2版" if i % 7 else "头版头条", str(800 + i % 900), date_cell, "", "", ref, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_shared_strings(buffer.getvalue())


_INLINE = re.compile(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr">'
                     r'<is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)


def with_shared_strings(content: bytes) -> bytes:
    """Store the text as Excel and WPS do, in the shared-string table (openpyxl writes inline strings,
    which take openpyxl about a third longer to read back)."""
    strings: dict[str, int] = {}

    def shared(match):
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c r="{match.group(1)}"{match.group(2) or ""} t="s"><v>{index}</v></c>'

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = _INLINE.sub(shared, data.decode()).encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.'
                                    b"openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
                                    b'" Target="sharedStrings.xml"/></Relationships>')
            target.writestr(item, data)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
        target.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                        f'openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                        f'uniqueCount="{len(strings)}">{items}</sst>')
    return out.getvalue()


def measure(label: str, run):
    """Wall-clock seconds and the number of SQL statements of one run."""
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        outcome = run()
        seconds = time.perf_counter() - started
    print(f"{label:<52} {seconds:8.2f} s {statements:8d} queries")
    return seconds, statements, outcome


def baseline_file() -> bytes:
    """The same publications as clean ids for a default resource, its manuscripts created untimed."""
    import tablib

    from publicity.models import Manuscript, Publication

    publications = list(Publication.objects.order_by("pk").values(
        "manuscript__unit_id", "manuscript__title", "outlet_id", "published_on", "front_headline", "page",
        "char_count"))
    Publication.objects.all().delete()
    Manuscript.objects.all().delete()
    manuscripts = Manuscript.objects.bulk_create(
        [Manuscript(unit_id=p["manuscript__unit_id"], title=p["manuscript__title"]) for p in publications],
        batch_size=500)
    dataset = tablib.Dataset(headers=["manuscript", "outlet", "published_on", "front_headline", "page", "char_count",
                                      "status"])
    for manuscript, p in zip(manuscripts, publications, strict=True):
        dataset.append([manuscript.pk, p["outlet_id"], p["published_on"].isoformat(), int(p["front_headline"]),
                        p["page"], p["char_count"], "approved"])
    return dataset.export("xlsx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="SQLite file to use (default: a temporary one)")
    parser.add_argument("--no-baseline", action="store_true", help="ours only (the 50,000-row run)")
    args = parser.parse_args()
    setup(args.keep)

    import platform

    import tablib
    from import_export import resources

    from exchange.resources import ArticleResource
    from exchange.services import articles_import
    from publicity.models import Publication

    class PublicationResource(resources.ModelResource):
        class Meta:
            model = Publication

    print(f"{args.rows} rows · {platform.python_implementation()} {platform.python_version()} · "
          f"{platform.machine()} · {os.cpu_count()} CPUs · {datetime.date.today()}")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    content = dirty_detail_table(args.rows)
    measure("ours: reading the .xlsx into a clean dataset (calamine)",
            lambda: ArticleResource().import_format()(filename="bench.xlsx").create_dataset(content))
    measure("ours: dry run (read + validate + plan)",
            lambda: articles_import(actor=None, file=content, filename="bench.xlsx", dry_run=True))
    ours, ours_queries, result = measure("ours: articles_import (dirty .xlsx)",
                                         lambda: articles_import(actor=None, file=content, filename="bench.xlsx"))
    assert result.ok and result.created == args.rows, [str(e) for e in result.errors]
    _seconds, _queries, result = measure("ours: the same file again (nothing changes)",
                                         lambda: articles_import(actor=None, file=content, filename="bench.xlsx"))
    assert result.unchanged == args.rows, result.summary()
    from exchange.services import articles_export

    _seconds, _queries, content = measure(f"ours: exporting the {args.rows:,} rows (detail table)",
                                          lambda: articles_export(publications=Publication.objects.all(),
                                                                  actor=None).to_bytes())
    assert content[:2] == b"PK"
    if args.no_baseline:
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return

    clean = baseline_file()

    def run_baseline():
        dataset = tablib.Dataset().load(clean, format="xlsx")
        return PublicationResource().import_data(dataset, dry_run=False, raise_errors=True)

    base, base_queries, outcome = measure("django-import-export default ModelResource", run_baseline)
    assert Publication.objects.count() == args.rows and not outcome.has_errors()
    print(f"ratio (baseline / ours): time {base / ours:.1f}×, queries {base_queries / max(ours_queries, 1):.0f}×")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
