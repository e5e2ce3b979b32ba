"""Which tables each committed transaction wrote, kept by PostgreSQL: an answer kept by
oppms.unchanged whose tables nobody has written since holds without running its statements
again.

A statement-level trigger on every table (installed after each ``migrate``, so on the tables
that later migrations create too) adds the writing transaction's id and the table's name to
``oppms_write_log``, once per transaction and table, for inserts, updates, deletes and
truncations alike (a restore's too). The rows of a transaction that rolls back go with it. Two
snapshots (``pg_current_snapshot()``) say which transactions had committed when each was read,
so the tables written between them are those of the log's rows whose transaction the later one
sees and the earlier one does not. Inserting a row of its own key takes no lock another writer
waits for: writers are not serialized, as they would be on a counter per table.

The tables an answer read are those its statements' plans scan (EXPLAIN), views resolved to
their tables; a function that read tables by itself would not show in a plan, and no statement
of the project calls one.

The log is pruned by the writes themselves, one in a thousand: the rows older than an hour go,
and the horizon (the newest transaction pruned) moves on; between snapshots older than the
horizon the log cannot tell, and the answer is checked by its rows, as it is on a table without
the trigger or a statement that reads something other than a table.
"""

import functools
import threading
import time

from django.db import connection, transaction

# The names are written out in the SQL below too.
LOG = "oppms_write_log"
HORIZON = "oppms_write_log_horizon"
TRIGGER = "oppms_write_logged"
# How often, at most, a process reads again which tables have the trigger, when a statement
# reads one it does not know of (a table created since, or a catalog that never will have it).
TRIGGERS_REREAD_SECONDS = 60

_INSTALL = """
CREATE TABLE IF NOT EXISTS oppms_write_log (
    xid xid8 NOT NULL,
    table_name name NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (xid, table_name)
);
CREATE TABLE IF NOT EXISTS oppms_write_log_horizon (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    xid xid8 NOT NULL
);
CREATE OR REPLACE FUNCTION oppms_prune_write_log(older_than interval) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    newest xid8;
BEGIN
    -- One pruner at a time, and no writer ever waits for it.
    PERFORM 1 FROM oppms_write_log_horizon FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    WITH pruned AS (DELETE FROM oppms_write_log WHERE written_at < now() - older_than RETURNING xid)
    SELECT max(xid) INTO newest FROM pruned;
    IF newest IS NOT NULL THEN
        UPDATE oppms_write_log_horizon SET xid = greatest(xid, newest);
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION oppms_log_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO oppms_write_log (xid, table_name) VALUES (pg_current_xact_id(), TG_TABLE_NAME)
    ON CONFLICT DO NOTHING;
    IF random() < 0.001 THEN
        PERFORM oppms_prune_write_log(interval '1 hour');
    END IF;
    RETURN NULL;
END
$$;
"""

_UNLOGGED_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND c.relname NOT IN (%s, %s)
AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s)
"""

# The tables written by the transactions that committed after ``then`` and by ``now``; NULL
# when the log may have lost some of them (pruned past ``then``).
_WRITTEN_BETWEEN = """
SELECT CASE WHEN pg_snapshot_xmin(%(then)s::pg_snapshot) > (SELECT xid FROM oppms_write_log_horizon)
    THEN ARRAY(
        SELECT DISTINCT table_name::text FROM oppms_write_log
        WHERE xid >= pg_snapshot_xmin(%(then)s::pg_snapshot)
        AND pg_visible_in_snapshot(xid, %(now)s::pg_snapshot)
        AND NOT pg_visible_in_snapshot(xid, %(then)s::pg_snapshot))
    END
"""


def install(**_kwargs):
    """Create the log and put the trigger on every table that lacks it (post_migrate)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSTALL)
        cursor.execute(_UNLOGGED_TABLES, (LOG, HORIZON, TRIGGER))
        unlogged = [name for (name,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        for table in unlogged:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                f" ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION oppms_log_write()"
            )
        # Writes made before a table had the trigger are in no log: the log vouches only for
        # transactions that get their ids from now on.
        cursor.execute(
            "INSERT INTO oppms_write_log_horizon (xid)"
            " VALUES (pg_snapshot_xmax(pg_current_snapshot()))"
            " ON CONFLICT (one) DO UPDATE SET xid = CASE WHEN %s THEN excluded.xid"
            " ELSE oppms_write_log_horizon.xid END",
            (bool(unlogged),),
        )
    _triggers.read_at = None


def written_between(cursor, then, now):
    """The names of the tables written between snapshots ``then`` and ``now`` (text of
    ``pg_current_snapshot()``), or None when the log cannot tell."""
    cursor.execute(_WRITTEN_BETWEEN, {"then": then, "now": now})
    (tables,) = cursor.fetchone()
    return None if tables is None else frozenset(tables)


class _Triggers:
    names = frozenset()
    read_at = None


_triggers = _Triggers()
_triggers_lock = threading.Lock()


def _logged_tables(cursor, reread):
    with _triggers_lock:
        stale = _triggers.read_at is None or (
            reread and time.monotonic() - _triggers.read_at > TRIGGERS_REREAD_SECONDS
        )
        if stale:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = %s",
                (TRIGGER,),
            )
            _triggers.names = frozenset(name for (name,) in cursor.fetchall())
            _triggers.read_at = time.monotonic()
        return _triggers.names


def tables_read(statements):
    """The tables ``statements`` (``(sql, params, rows)``) read, as PostgreSQL plans them, or
    None when one of them reads a relation the log does not cover."""
    tables = set()
    for sql, params, _rows in statements:
        params = None if params is None else tuple(params)
        try:
            hash(params)
        except TypeError:  # a parameter such as a JSON value: not a key of the plans kept
            return None
        read = statement_tables(sql, params)
        if read is None:
            return None
        tables |= read
    connection.ensure_connection()
    # A raw cursor: through Django's, an EXPLAIN would be taken for a write.
    with connection.connection.cursor() as cursor:
        for reread in (False, True):
            logged = _logged_tables(cursor, reread)
            # No trigger at all: the log is not installed (a database not migrated since).
            if logged and tables <= logged:
                return frozenset(tables)
    return None


@functools.lru_cache(maxsize=4096)
def statement_tables(sql, params):
    """The relations the plan of one statement scans (its subqueries' too; ``params`` a tuple
    or None), or None if it cannot be planned here. The planner may leave out a table that a
    parameter makes irrelevant, hence one plan per parameters."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        except TypeError:  # parameters psycopg cannot send as they are
            return None
        ((plans,),) = cursor.fetchall()
    found = set()
    nodes = [plan["Plan"] for plan in plans]
    while nodes:
        node = nodes.pop()
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        nodes.extend(node.get("Plans", ()))
    return frozenset(found)
