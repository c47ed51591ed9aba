"""The search index of publications (issue 15): its SQL, per database, in one place.

Chinese has no spaces between words, so a title is searched by substring, never by word. Each publication's
searchable text (title, 刊发标题, authors, outlet, unit, link; one per line, so that no match spans two of them) is kept
in a side table that the database itself keeps in sync with triggers, so every write path (the web form,
imports, bulk_create in commands, the admin, raw SQL) keeps it current:

- SQLite: an FTS5 table with the trigram tokenizer (rowid = publication id);
- PostgreSQL: a plain table with a pg_trgm GIN index (publication_id, doc).

Migration 0007 installs it. On SQLite, Django alters a column by rebuilding the table (create a copy, drop the
old one, rename the copy), and a trigger that names the dropped table makes the rename fail; the rebuilt table
would also lose its own triggers. So before a migrate that has migrations to apply, `drop_triggers` takes the
SQLite triggers away, and after every migrate `ensure` puts missing triggers back and rebuilds the index (tests
in tests/publicity/test_search.py). publicity/search.py is the only reader.
"""

from contextlib import contextmanager

DOC_SQLITE = ("m.title || char(10) || p.title || char(10) || m.authors || char(10) || o.name || char(10) || u.name"
              " || char(10) || p.url")
FROM_SQLITE = ("FROM publicity_publication p JOIN publicity_manuscript m ON m.id = p.manuscript_id "
               "JOIN publicity_unit u ON u.id = m.unit_id JOIN publicity_outlet o ON o.id = p.outlet_id")


def _sqlite_refresh(where: str) -> str:
    return (f"DELETE FROM publicity_search WHERE rowid IN (SELECT p.id {FROM_SQLITE} WHERE {where}); "
            f"INSERT INTO publicity_search(rowid, doc) SELECT p.id, {DOC_SQLITE} {FROM_SQLITE} WHERE {where};")


SQLITE_INSERT_TRIGGER = f"""CREATE TRIGGER publicity_search_publication_insert AFTER INSERT ON publicity_publication
    BEGIN INSERT INTO publicity_search(rowid, doc) SELECT p.id, {DOC_SQLITE} {FROM_SQLITE} WHERE p.id = NEW.id; END"""
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE publicity_search USING fts5(doc, tokenize='trigram')",
    f"INSERT INTO publicity_search(rowid, doc) SELECT p.id, {DOC_SQLITE} {FROM_SQLITE}",
    SQLITE_INSERT_TRIGGER,
    f"""CREATE TRIGGER publicity_search_publication_update AFTER UPDATE OF manuscript_id, outlet_id, url, title
        ON publicity_publication WHEN OLD.manuscript_id IS NOT NEW.manuscript_id
        OR OLD.outlet_id IS NOT NEW.outlet_id OR OLD.url IS NOT NEW.url OR OLD.title IS NOT NEW.title
        OR OLD.id IS NOT NEW.id BEGIN
        DELETE FROM publicity_search WHERE rowid = OLD.id; {_sqlite_refresh("p.id = NEW.id")} END""",
    """CREATE TRIGGER publicity_search_publication_delete AFTER DELETE ON publicity_publication BEGIN
        DELETE FROM publicity_search WHERE rowid = OLD.id; END""",
    f"""CREATE TRIGGER publicity_search_manuscript_update AFTER UPDATE OF title, authors, unit_id
        ON publicity_manuscript WHEN OLD.title IS NOT NEW.title OR OLD.authors IS NOT NEW.authors
        OR OLD.unit_id IS NOT NEW.unit_id BEGIN {_sqlite_refresh("p.manuscript_id = NEW.id")} END""",
    f"""CREATE TRIGGER publicity_search_outlet_update AFTER UPDATE OF name ON publicity_outlet
        WHEN OLD.name IS NOT NEW.name BEGIN {_sqlite_refresh("p.outlet_id = NEW.id")} END""",
    f"""CREATE TRIGGER publicity_search_unit_update AFTER UPDATE OF name ON publicity_unit
        WHEN OLD.name IS NOT NEW.name BEGIN {_sqlite_refresh("m.unit_id = NEW.id")} END""",
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS publicity_search_{name}" for name in (
        "publication_insert", "publication_update", "publication_delete", "manuscript_update", "outlet_update",
        "unit_update")),
    "DROP TABLE IF EXISTS publicity_search",
]

DOC_PG = "concat_ws(E'\\n', m.title, p.title, m.authors, o.name, u.name, p.url)"
FROM_PG = FROM_SQLITE

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE publicity_search (publication_id bigint PRIMARY KEY, doc text NOT NULL)",
    f"INSERT INTO publicity_search (publication_id, doc) SELECT p.id, {DOC_PG} {FROM_PG}",
    "CREATE INDEX publicity_search_doc_trgm ON publicity_search USING gin (doc gin_trgm_ops)",
    f"""CREATE FUNCTION publicity_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO publicity_search (publication_id, doc) SELECT p.id, {DOC_PG} {FROM_PG} WHERE p.id = ANY(ids)
        ON CONFLICT (publication_id) DO UPDATE SET doc = EXCLUDED.doc $$""",
    """CREATE FUNCTION publicity_search_on_publication() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP = 'DELETE' THEN DELETE FROM publicity_search WHERE publication_id = OLD.id; RETURN NULL; END IF;
        IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN DELETE FROM publicity_search WHERE publication_id = OLD.id;
        END IF;
        PERFORM publicity_search_refresh(ARRAY[NEW.id]); RETURN NULL; END $$""",
    """CREATE TRIGGER publicity_search_publication_insert AFTER INSERT OR DELETE ON publicity_publication
        FOR EACH ROW EXECUTE FUNCTION publicity_search_on_publication()""",
    """CREATE TRIGGER publicity_search_publication_update AFTER UPDATE ON publicity_publication FOR EACH ROW
        WHEN (OLD.manuscript_id IS DISTINCT FROM NEW.manuscript_id OR OLD.outlet_id IS DISTINCT FROM NEW.outlet_id
              OR OLD.url IS DISTINCT FROM NEW.url OR OLD.title IS DISTINCT FROM NEW.title
              OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION publicity_search_on_publication()""",
    # Django's test flush empties tables with TRUNCATE, which fires no row trigger.
    """CREATE FUNCTION publicity_search_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        TRUNCATE publicity_search; RETURN NULL; END $$""",
    """CREATE TRIGGER publicity_search_publication_truncate AFTER TRUNCATE ON publicity_publication
        FOR EACH STATEMENT EXECUTE FUNCTION publicity_search_on_truncate()""",
    """CREATE FUNCTION publicity_search_on_manuscript() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM publicity_search_refresh(ARRAY(SELECT id FROM publicity_publication WHERE manuscript_id = NEW.id));
        RETURN NULL; END $$""",
    """CREATE TRIGGER publicity_search_manuscript_update AFTER UPDATE ON publicity_manuscript FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.authors IS DISTINCT FROM NEW.authors
              OR OLD.unit_id IS DISTINCT FROM NEW.unit_id)
        EXECUTE FUNCTION publicity_search_on_manuscript()""",
    """CREATE FUNCTION publicity_search_on_outlet() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM publicity_search_refresh(ARRAY(SELECT id FROM publicity_publication WHERE outlet_id = NEW.id));
        RETURN NULL; END $$""",
    """CREATE TRIGGER publicity_search_outlet_update AFTER UPDATE ON publicity_outlet FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION publicity_search_on_outlet()""",
    """CREATE FUNCTION publicity_search_on_unit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM publicity_search_refresh(ARRAY(SELECT p.id FROM publicity_publication p
            JOIN publicity_manuscript m ON m.id = p.manuscript_id WHERE m.unit_id = NEW.id));
        RETURN NULL; END $$""",
    """CREATE TRIGGER publicity_search_unit_update AFTER UPDATE ON publicity_unit FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION publicity_search_on_unit()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS publicity_search_publication_insert ON publicity_publication",
    "DROP TRIGGER IF EXISTS publicity_search_publication_update ON publicity_publication",
    "DROP TRIGGER IF EXISTS publicity_search_publication_truncate ON publicity_publication",
    "DROP TRIGGER IF EXISTS publicity_search_manuscript_update ON publicity_manuscript",
    "DROP TRIGGER IF EXISTS publicity_search_outlet_update ON publicity_outlet",
    "DROP TRIGGER IF EXISTS publicity_search_unit_update ON publicity_unit",
    *(f"DROP FUNCTION IF EXISTS {name}" for name in (
        "publicity_search_on_publication()", "publicity_search_on_truncate()", "publicity_search_on_manuscript()",
        "publicity_search_on_outlet()", "publicity_search_on_unit()", "publicity_search_refresh(bigint[])")),
    "DROP TABLE IF EXISTS publicity_search",
]

STATEMENTS = {"sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD), "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)}



TRIGGERS = {
    "sqlite": ("publicity_search_publication_insert", "publicity_search_publication_update",
               "publicity_search_publication_delete", "publicity_search_manuscript_update",
               "publicity_search_outlet_update", "publicity_search_unit_update"),
    "postgresql": ("publicity_search_publication_insert", "publicity_search_publication_update",
                   "publicity_search_publication_truncate", "publicity_search_manuscript_update",
                   "publicity_search_outlet_update", "publicity_search_unit_update"),
}


def _statements(connection) -> tuple[list[str], list[str]]:
    statements = STATEMENTS.get(connection.vendor)
    if statements is None:
        raise RuntimeError(f"检索索引不支持数据库 {connection.vendor}（可用 SQLite 或 PostgreSQL）")
    return statements


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection)[0]:
            cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection)[1]:
            cursor.execute(sql)


def triggers_present(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'publicity_search_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'publicity_search_%'")
        return {row[0] for row in cursor.fetchall()}


def table_present(connection) -> bool:
    return "publicity_search" in connection.introspection.table_names()


def ensure(connection) -> bool:
    """Put the index back together if a migration took it apart; True when it had to be rebuilt."""
    if connection.vendor not in STATEMENTS or not table_present(connection):
        return False
    if set(TRIGGERS[connection.vendor]) <= triggers_present(connection):
        return False
    uninstall(connection)
    install(connection)
    return True


def drop_triggers(connection) -> None:
    """SQLite only: the triggers go, the index table stays (ensure() rebuilds it after the migrations)."""
    if connection.vendor != "sqlite" or not table_present(connection):
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS["sqlite"]:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def drop_before_migrate(sender, using="default", plan=None, **kwargs) -> None:
    from django.db import connections

    if plan:
        drop_triggers(connections[using])


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    ensure(connections[using])


@contextmanager
def indexed_in_bulk(connection):
    """Many publications inserted at once (an import): index them in one statement after the inserts.

    On SQLite the insert trigger joins the four tables and feeds FTS5 one row at a time, which took 6 of the 10 s
    of a 50,000-row import; one INSERT … SELECT of the new rows takes 0.3 s (bench/run.py, import). Inside the
    import's transaction the trigger is dropped, the rows go in, the new rows (keys above the largest before) are
    indexed, and the trigger is put back. SQLite's DDL is transactional and a writer holds the database's one
    write lock, so no other connection ever writes to the table without the trigger, and a rollback restores it.
    Outside a transaction, on PostgreSQL (where ALTER TABLE … DISABLE TRIGGER would lock readers out), or
    while the triggers are away for a migration, the row trigger does the work as for every other write."""
    if (connection.vendor != "sqlite" or not connection.in_atomic_block
            or "publicity_search_publication_insert" not in triggers_present(connection)):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM publicity_publication")
        (before,) = cursor.fetchone()
        cursor.execute("DROP TRIGGER publicity_search_publication_insert")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO publicity_search(rowid, doc) SELECT p.id, {DOC_SQLITE} {FROM_SQLITE} "
                           "WHERE p.id > %s", [before])
            cursor.execute(SQLITE_INSERT_TRIGGER)
