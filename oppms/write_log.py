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

A table registered with ``log_dates`` (the meetings, by ``held_at``) logs, besides, the least
and greatest date of the rows each transaction wrote (old rows and new): an answer that reads
only one range of its dates (the semesters of the dashboard's trend already over) declares that
range (``oppms.unchanged.while_unchanged(within=...)``), and holds while the rows written fall
outside it. Its inserts, updates and deletes have a trigger each, for only a trigger of one
event may read the rows it wrote (transition tables); a truncation logs every date.

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

# Tables whose writes are logged with the dates of the rows written: table -> its date column.
DATED = {}

_INSTALL = """
CREATE TABLE IF NOT EXISTS oppms_write_log (
    xid xid8 NOT NULL,
    table_name name NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (xid, table_name)
);
-- The least and greatest date of the rows written, on a table of DATED; NULL: any date.
ALTER TABLE oppms_write_log ADD COLUMN IF NOT EXISTS dated_from timestamptz,
    ADD COLUMN IF NOT EXISTS dated_to timestamptz;
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
    -- Any date: a row of the same transaction that logged only some dates logs them all now.
    INSERT INTO oppms_write_log AS logged (xid, table_name)
    VALUES (pg_current_xact_id(), TG_TABLE_NAME)
    ON CONFLICT (xid, table_name) DO UPDATE SET dated_from = NULL, dated_to = NULL
    WHERE logged.dated_from IS NOT NULL;
    IF random() < 0.001 THEN
        PERFORM oppms_prune_write_log(interval '1 hour');
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION oppms_log_dated_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
    earliest timestamptz;
    latest timestamptz;
    dates text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT %1$I FROM oppms_new_rows'
        WHEN 'DELETE' THEN 'SELECT %1$I FROM oppms_old_rows'
        ELSE 'SELECT %1$I FROM oppms_old_rows UNION ALL SELECT %1$I FROM oppms_new_rows' END;
BEGIN
    EXECUTE format('SELECT count(*), min(%1$I), max(%1$I) FROM (' || dates || ') written',
        TG_ARGV[0]) INTO written, earliest, latest;
    IF written = 0 THEN
        RETURN NULL;
    END IF;
    -- A row without a date (earliest NULL) logs any date, and so does the same transaction's
    -- row that did.
    INSERT INTO oppms_write_log AS logged (xid, table_name, dated_from, dated_to)
    VALUES (pg_current_xact_id(), TG_TABLE_NAME, earliest, latest)
    ON CONFLICT (xid, table_name) DO UPDATE SET
        dated_from = CASE WHEN excluded.dated_from IS NOT NULL
            THEN least(logged.dated_from, excluded.dated_from) END,
        dated_to = CASE WHEN excluded.dated_from IS NOT NULL
            THEN greatest(logged.dated_to, excluded.dated_to) END
    WHERE logged.dated_from IS NOT NULL;
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

# The tables written by the transactions that committed after ``then`` and by ``now``, with
# the least and greatest date written (NULL: any); a first column false when the log may have
# lost some of them (pruned past ``then``). One row (table NULL) when none was written.
# A SELECT first: oppms.unchanged takes any other statement for a write.
_WRITTEN_BETWEEN = """
SELECT tells, written.* FROM (
    SELECT pg_snapshot_xmin(%(then)s::pg_snapshot) > xid AS tells FROM oppms_write_log_horizon
) horizon LEFT JOIN (
    SELECT table_name::text,
        CASE WHEN bool_and(dated_from IS NOT NULL) THEN min(dated_from) END,
        CASE WHEN bool_and(dated_from IS NOT NULL) THEN max(dated_to) END
    FROM oppms_write_log
    WHERE xid >= pg_snapshot_xmin(%(then)s::pg_snapshot)
    AND pg_visible_in_snapshot(xid, %(now)s::pg_snapshot)
    AND NOT pg_visible_in_snapshot(xid, %(then)s::pg_snapshot)
    GROUP BY table_name
) written ON tells
"""

# Each event's trigger on a table of DATED, with the rows it wrote (only a trigger of one event
# may name them).
DATED_TRIGGERS = {
    "oppms_dates_logged_on_insert": ("INSERT", "NEW TABLE AS oppms_new_rows"),
    "oppms_dates_logged_on_update": (
        "UPDATE",
        "OLD TABLE AS oppms_old_rows NEW TABLE AS oppms_new_rows",
    ),
    "oppms_dates_logged_on_delete": ("DELETE", "OLD TABLE AS oppms_old_rows"),
}

_DATED_TRIGGERS = """
SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND t.tgname = ANY(%s) GROUP BY c.relname
"""


def log_dates(model, column):
    """Log the writes to ``model``'s table with the least and greatest ``column`` (a date and
    time) of the rows written: answers that read only some of its dates say which (``within``)
    and hold while the rows written have others. Called before ``migrate`` (an app's ready())."""
    DATED[model._meta.db_table] = column


def dated_by(table):
    """The column whose dates the log keeps for ``table``, or None."""
    return DATED.get(table)


def install(**_kwargs):
    """Create the log and put the trigger on every table that lacks it (post_migrate)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSTALL)
        quote = connection.ops.quote_name
        cursor.execute(_UNLOGGED_TABLES, (LOG, HORIZON, TRIGGER))
        unlogged = {name for (name,) in cursor.fetchall()}
        cursor.execute(_DATED_TRIGGERS, (list(DATED_TRIGGERS),))
        with_dates = {name for (name, count) in cursor.fetchall() if count == len(DATED_TRIGGERS)}
        present = set(connection.introspection.table_names(cursor))
        for table in (DATED.keys() & present) - with_dates:
            # In one transaction with dropping the trigger that logged any date: no write in
            # between is missed. A truncation still logs any date.
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER TRUNCATE ON {quote(table)}"
                " FOR EACH STATEMENT EXECUTE FUNCTION oppms_log_write()"
            )
            for trigger, (event, rows) in DATED_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {quote(table)} REFERENCING {rows}"
                    f" FOR EACH STATEMENT EXECUTE FUNCTION oppms_log_dated_write('{DATED[table]}')"
                )
        for table in unlogged - DATED.keys():
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
    """The tables written between snapshots ``then`` and ``now`` (text of
    ``pg_current_snapshot()``), each with the least and greatest date of the rows written
    (``(from, to)``, both included) or None (any date: a table not in DATED, a truncation); None
    when the log cannot tell."""
    cursor.execute(_WRITTEN_BETWEEN, {"then": then, "now": now})
    rows = cursor.fetchall()
    if not rows or not rows[0][0]:
        return None
    return {
        table: None if dated_from is None else (dated_from, dated_to)
        for _tells, table, dated_from, dated_to in rows
        if table is not None
    }


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
