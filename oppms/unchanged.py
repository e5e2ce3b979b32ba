"""Answers computed again only when the rows they were computed from have changed: never stale,
never shared across users unless the answers are the same for them.

The semiannual report's preview and the dashboard's semester trend read the current records as
of past cut-offs: hundreds of milliseconds of SQL and query building, the same answer for
everyone until someone records something. Pages are kept the same way, rendered: the report
preview's body (reports.views) and the parts of the pages of ``oppms.views.kept_page_response``
(the dashboard, the lists, the detail pages, the search, the create and edit forms), under keys
that name the permissions they show; and each user's permissions (oppms.permissions).

``while_unchanged(key, compute)`` keeps the last answer of each key with two proofs that it
still holds:

- the PostgreSQL snapshot it was computed under (``pg_current_snapshot()``: the transactions
  committed, in progress and yet to come). Two equal snapshots see exactly the same committed
  rows, and any committed write changes the snapshot, by this process or another instance. The
  snapshot is read before computing: a write committed meanwhile makes the answer newer than
  its key, never older. While no write has been committed, the answer is given at once;
- the statements the computation ran (all of them SELECTs) and the rows each returned. After a
  write, they are run again: if each returns the same rows, computing again would run the same
  statements with the same results, the code being the same, and so give the same answer; the
  answer is given and kept under the new snapshot. The first statement whose rows differ ends
  the check, and the answer is computed again (and checked next time against that statement
  first, where such answers mostly change again). So a meeting logged leaves the request
  pages, the pages of other meetings and the dashboard kept, and a request answered leaves the
  lists of meetings kept. An answer whose computation wrote anything (a statement other than a
  SELECT, or one that locks rows or moves a sequence) keeps only the first proof, and so does
  one that read only part of a server-side cursor's rows.

Not used inside a transaction that has written (its own changes are not in the snapshot's
text), nor on SQLite (no snapshot to read): there every call computes. Keys must say
everything the answer depends on besides the database's rows (the period, today's date, the
permissions, what it takes from a record read before the computation, such as the logged-in
user's row; the language is added here); the answer must be the same for every user with the
same key, and come from nothing that changes but those and the statements it runs through
Django's connection (not the clock finer than the key says, not files). An answer kept while
computing another (a user's permissions on a page) counts among the statements of the outer
one. Each request's session and user rows are kept too (oppms.sessions, oppms.permissions):
with no write since, a kept page costs one query, the snapshot's.
"""

import contextlib
import copy
import datetime
import decimal
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import connection
from django.utils import translation

from oppms import write_log

# Pages x filters x permission sets x languages in use, a few tens of kB each, and the users and
# sessions in use, a few hundred bytes each; a visitor trying many filters only evicts the least
# recently used.
MAX_KEYS = 1024

_lock = threading.Lock()
_answers = OrderedDict()  # key -> Kept


@dataclass(frozen=True)
class Kept:
    snapshot: str
    answer: object
    # ((sql, params, rows), ...) as the computation ran them, or None if they cannot be run again.
    statements: tuple | None
    # For each statement, once a check ran it on its own: (the SQL of a digest of its rows, the
    # digest of the rows it returned), else None; a check runs those it needs in one statement.
    check: tuple | None = None
    # The statement (``_statement_key``) whose rows differed when the answer was last checked,
    # or when it was last computed again, from the rows before: an answer that changes with
    # every write (a list's count, the dashboard's trend) changes mostly there again. It is
    # checked against that statement first; or, once oppms.write_log says its tables were
    # written, computed again without a check, which would run the same statements.
    changed: tuple | None = None
    # The tables the statements read, when oppms.write_log covers them all: while no one writes
    # to any of them, the answer holds without running the statements again.
    tables: frozenset | None = None
    # ``{table: (from, to)}``: the only dates the statements read of a table whose log keeps the
    # dates written (``while_unchanged(within=...)``); rows written with others leave it held.
    within: dict | None = None


# Within one request (SnapshotPerRequestMiddleware), the snapshot is read once and reused by
# every lookup until the request itself writes; so are the rows each statement returned since
# (``_request.rows``), read again for no answer checked after the first that needs them, and
# the tables written between an answer's snapshot and the request's (``_request.written``).
_request = threading.local()
_UNREAD = object()


def database_snapshot():
    """The snapshot the next statement reads, or None when it cannot vouch for the data."""
    if connection.vendor != "postgresql" or not settings.KEEP_WHILE_UNCHANGED:
        return None
    in_request = hasattr(_request, "snapshot")
    if not in_request and connection.in_atomic_block:
        # A command's or a script's transaction, which may well have written: computed, rather
        # than a query per answer to find out (a report's figures ask for fifteen).
        return None
    snapshot = getattr(_request, "snapshot", _UNREAD)
    if snapshot is _UNREAD:
        # Not one of the statements an answer is computed from: it changes with every write.
        with _not_recorded(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL"
            )
            read, wrote = cursor.fetchone()
        snapshot = None if wrote else read
        if in_request:
            _request.snapshot = snapshot
            _request.rows = {}
            _request.written = {}
    return snapshot


class SnapshotPerRequestMiddleware:
    """Reads the snapshot once per request, however many answers the request looks up.

    Safe because snapshots only move on: an answer computed later in the request is kept
    under the earlier snapshot, newer than its key, never older. Any statement that is not a
    SELECT (a write, a savepoint) forgets it, so that what the request itself wrote is never
    answered from before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _forget_snapshot()
        try:
            with connection.execute_wrapper(_forget_snapshot_on_write):
                return self.get_response(request)
        finally:
            del _request.snapshot, _request.rows, _request.written


def _is_select(sql):
    return sql.lstrip()[:6].upper() == "SELECT"


def _forget_snapshot():
    _request.snapshot = _UNREAD
    _request.rows = {}
    _request.written = {}


def _forget_snapshot_on_write(execute, sql, params, many, context):
    if not _is_select(sql):
        _forget_snapshot()
    return execute(sql, params, many, context)


def _rows_read_in_request():
    """``(sql, params) -> (rows, digest or None)`` read since this request's snapshot, or None
    outside one."""
    return getattr(_request, "rows", None)


def _statement_key(sql, params):
    key = (sql, None if params is None else tuple(params))
    try:
        hash(key)
    except TypeError:  # a parameter such as a JSON value
        return None
    return key


# --- the statements an answer is computed from ------------------------------------------------

_recording = threading.local()


class Recording:
    """The statements run while computing an answer, with their rows."""

    def __init__(self):
        self.statements = []
        self.replayable = True

    def add(self, statements):
        """Statements an inner answer, given without running them, was computed from."""
        if statements is None:
            self.replayable = False
        else:
            self.statements.extend(statements)

    def result(self):
        if not self.replayable:
            return None
        statements = []
        for sql, params, rows in self.statements:
            if isinstance(rows, _Fetched):
                if not rows.complete:  # its reader stopped before the end
                    return None
                rows = list(rows)
            statements.append((sql, params, rows))
        return tuple(statements)


class _Fetched(list):
    """The rows of a server-side cursor, recorded as its reader fetches them."""

    complete = False


def _recorded_as_fetched(cursor):
    """A server-side cursor (``QuerySet.iterator()``, as a form's choices of records are read)
    sends its rows as they are asked for: they are recorded then, chunk by chunk."""
    rows = _Fetched()
    fetchmany = cursor.fetchmany

    def recorded_fetchmany(*args, **kwargs):
        chunk = fetchmany(*args, **kwargs)
        rows.extend(chunk)
        rows.complete = not chunk
        return chunk

    cursor.fetchmany = recorded_fetchmany
    return rows


def _recordings():
    """The recordings under way in this thread, innermost last."""
    if not hasattr(_recording, "active"):
        _recording.active = []
        _recording.paused = False
    return _recording.active


@contextlib.contextmanager
def recording():
    """Records the statements run inside, in every recording under way."""
    active = _recordings()
    recorded = Recording()
    with contextlib.ExitStack() as stack:
        if not active:
            stack.enter_context(connection.execute_wrapper(_record))
        active.append(recorded)
        try:
            yield recorded
        finally:
            active.remove(recorded)


@contextlib.contextmanager
def _not_recorded():
    _recordings()
    paused, _recording.paused = _recording.paused, True
    try:
        yield
    finally:
        _recording.paused = paused


def _record(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    active = _recordings()
    if not active or _recording.paused:
        return result
    cursor = context["cursor"].cursor
    if many or not _reads_only(sql):
        for recorded in active:
            recorded.replayable = False
        return result
    rows = None
    if getattr(cursor, "name", None):
        rows = _recorded_as_fetched(context["cursor"])
    elif cursor.description is not None:
        # Read here, then given again from the start to whoever executed the statement: the
        # rows are in this process already (a client-side cursor).
        rows = cursor.fetchall()
        if rows:
            cursor.scroll(0, mode="absolute")
    for recorded in active:
        recorded.statements.append((sql, params, rows))
    if not isinstance(rows, _Fetched):
        _note_rows(sql, params, rows)
    return result


def _note_rows(sql, params, rows, digest=None):
    """Note the rows a statement returned in this request, with the digest of them read if
    any (a computation reads none)."""
    read = _rows_read_in_request()
    key = _statement_key(sql, params)
    if read is not None and key is not None:
        read.setdefault(key, (rows, digest))


# What a SELECT may do besides reading: lock rows, move a sequence, take an advisory lock. Run
# again to check an answer, it would do it again.
_NOT_ONLY_READING = (
    "FOR UPDATE",
    "FOR NO KEY UPDATE",
    "FOR SHARE",
    "FOR KEY SHARE",
    "NEXTVAL(",
    "SETVAL(",
    "PG_ADVISORY",
)


def _reads_only(sql):
    if not _is_select(sql):
        return False
    text = sql.upper()
    return not any(word in text for word in _NOT_ONLY_READING)


# A statement run again to check an answer, with a digest of all its rows as a last column: the
# rows as PostgreSQL writes them as text (an array of records, escaped and quoted: two lists of
# rows with the same text are the same rows), in the order they come. The rows are read once
# (the CTE) and digested once (an uncorrelated subquery, an InitPlan): a digest taken beside
# each row, over a window, wrote and hashed all the rows again for every row (74 ms for 500
# rows, 1.2 s for 2,000). A SELECT outside: any other statement is taken for a write.
_ROWS_AND_DIGEST = (
    "SELECT * FROM (WITH checked AS MATERIALIZED ({}) SELECT checked.*,"
    " (SELECT sha256(convert_to(array_agg(checked)::text, 'UTF8')) FROM checked) FROM checked)"
    " checked_rows"
)
_DIGEST = "(SELECT sha256(convert_to(array_agg(checked)::text, 'UTF8')) FROM ({}) checked)"


def _still_holds(kept, only=None):
    """Whether the statements of the answer (those at the positions ``only``, or all) return
    now the rows they returned when it was computed, the check to run next time, and the key
    of the first statement whose rows differ (None when they all hold or none can be named):
    ``(holds, check, changed)``.

    A statement checked for the first time is run on its own, with a digest of its rows; when
    it returns its rows, the digest is that of the answer's rows, and the next checks run it,
    with the others so known that read a table written, in one statement that answers with the
    digests alone: one round trip to the server, not one a statement. An answer checked only
    where a table it reads was written (a report's section that reads meetings and agreements,
    after a meeting logged) so has its digests of those statements from the first check on.
    """
    if kept.statements is None:
        return False, None, None
    positions = range(len(kept.statements)) if only is None else only
    known = list(kept.check or (None,) * len(kept.statements))
    first = [n for n in positions if known[n] is None]
    if first:
        holds, check, changed = _same_rows([kept.statements[n] for n in first])
        if not holds:
            return False, None, changed
        for n, digest in zip(first, check or (), strict=False):
            known[n] = digest
    # The digests this request read already (another answer's check), then the others.
    read = _rows_read_in_request() or {}
    now = {}
    digested = [n for n in positions if n not in first]
    for n in digested:
        statement, params, _rows = kept.statements[n]
        digest = read.get(_statement_key(statement, params), (None, None))[1]
        if digest is not None:
            now[n] = digest
    unread = [n for n in digested if n not in now]
    if unread:
        with _not_recorded(), connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(known[n][0] for n in unread))
            now.update(zip(unread, _digests(cursor.fetchone()), strict=True))
    for n in digested:
        statement, params, rows = kept.statements[n]
        if now[n] != known[n][1]:
            return False, None, _statement_key(statement, params)
        # Its rows now are those the answer kept: another answer checked later in the request
        # takes them as read.
        _note_rows(statement, params, rows, now[n])
    return True, None if all(digest is None for digest in known) else tuple(known), None


def _tables_written(kept, snapshot):
    """The answer's tables oppms.write_log says were written (with dates it reads, on a table
    of ``kept.within``) between the snapshot it was kept under and ``snapshot``; None when it
    cannot tell, or cannot vouch for the answer's tables. While none was, the answer holds
    without a statement run."""
    if kept.tables is None:
        return None
    between = (kept.snapshot, snapshot)
    known = getattr(_request, "written", None)
    written = _UNREAD if known is None else known.get(between, _UNREAD)
    if written is _UNREAD:
        with _not_recorded(), connection.cursor() as cursor:
            written = write_log.written_between(cursor, *between)
        if known is not None:
            known[between] = written
    if written is None:
        return None
    within = kept.within or {}
    return frozenset(
        table
        for table, dates in written.items()
        if table in kept.tables and _overlap(dates, within.get(table))
    )


def _overlap(written, read):
    """Whether dates written (``(from, to)``; None: any) may be among those read (``(from,
    to)``, either end None for open; None: any), both ends included."""
    if written is None or read is None:
        return True
    return (read[1] is None or written[0] <= read[1]) and (read[0] is None or written[1] >= read[0])


def _reading(kept, written):
    """The positions of the answer's statements that read a table in ``written``, if not all
    of them (None: all, or the log cannot tell)."""
    if written is None:
        return None
    reading = tuple(
        n
        for n, (sql, params, _rows) in enumerate(kept.statements)
        if (write_log.statement_tables(*_statement_key(sql, params)) or written) & written
    )
    return None if len(reading) == len(kept.statements) else reading


def _read_by(kept):
    """The tables read by the statement whose rows differed last time (``kept.changed``)."""
    sql, params = kept.changed
    return write_log.statement_tables(sql, params) or kept.tables


def _digests(values):
    return tuple(None if value is None else bytes(value) for value in values)


def _same_rows(statements):
    """``(holds, check, changed)``: whether each statement, run again in order, returns the rows
    it returned then (False at the first that does not, whose key is ``changed``), and the one
    check of them next time: each one's statement that answers with the digest of its rows, and
    that digest. In a request, a statement
    already run since its snapshot is not run again: its rows then are its rows now (and the
    check waits for a request that runs it, when no digest of its rows was read)."""
    read = _rows_read_in_request()
    if read is None:
        read = {}
    digests, together = [], []
    with _not_recorded(), connection.cursor() as cursor:
        for sql, params, rows in statements:
            key = _statement_key(sql, params)
            now, digest = read.get(key, (None, None))
            if key not in read:
                cursor.execute(_ROWS_AND_DIGEST.format(sql), params)
                fetched = cursor.fetchall()
                now = [row[:-1] for row in fetched]
                digest = _digests(fetched[0][-1:])[0] if fetched else None
                if key is not None:
                    read[key] = (now, digest)
            elif digest is None and now:  # read by a computation: no digest
                together = None
            if now != rows:
                return False, None, key
            if together is not None:
                digests.append(digest)
                sent = cursor.mogrify(sql, params) if params is not None else sql
                together.append(_DIGEST.format(sent.decode() if isinstance(sent, bytes) else sent))
    if not together:
        return True, None, None
    return True, tuple(zip(together, digests, strict=True)), None


def while_unchanged(key, compute, per_language=True, within=None, shared=False):
    """``compute()``, or a copy of its last answer for ``key`` while that answer holds.
    ``per_language``: the answer may hold translated text, and is kept for each language.
    ``within``: ``{model: (column, from, to)}``, the caller's word that every statement reads
    only the rows of ``model`` whose ``column`` is from ``from`` to ``to`` (None: open); where
    oppms.write_log keeps that column's dates, rows written with others leave the answer held.
    ``shared``: the caller's word that it only reads the answer, never changes it in place (a
    part another answer is made from): the answer kept is given, without a copy."""
    snapshot, kept = lookup(key, per_language, shared)
    if kept is not None:
        return kept
    if snapshot is None:
        return compute()
    with recording() as recorded:
        answer = compute()
    keep(key, snapshot, answer, recorded.result(), per_language, within, shared)
    return answer


def lookup(key, per_language=True, shared=False):
    """``(snapshot, answer)``: a copy of the answer kept for ``key`` if it holds at the snapshot
    the database is at now, or None; the snapshot, to ``keep`` an answer computed now under it."""
    snapshot = database_snapshot()
    if snapshot is None:
        return None, None
    full_key = _full_key(key, per_language)
    with _lock:
        kept = _answers.get(full_key)
    if kept is None:
        return snapshot, None
    if kept.snapshot != snapshot:
        written = _tables_written(kept, snapshot)
        if written is not None and not written:
            kept = replace(kept, snapshot=snapshot)
        elif written is not None and kept.changed is not None and written & _read_by(kept):
            return snapshot, None
        else:
            # Only the statements that read a table written could return other rows: a page
            # made of parts kept apart is checked by those of the parts that read it.
            only = _reading(kept, written)
            holds, check, changed = _still_holds(kept, only)
            held = {"check": check or kept.check}
            if only is None:
                held["changed"] = None
            if not holds:
                with _lock:
                    if _answers.get(full_key) is kept:
                        _answers[full_key] = replace(kept, changed=changed)
                return snapshot, None
            kept = replace(kept, snapshot=snapshot, **held)
        with _lock:
            _answers[full_key] = kept
    for recorded in _recordings():
        recorded.add(kept.statements)
    with _lock:
        if full_key in _answers:
            _answers.move_to_end(full_key)
    return snapshot, kept.answer if shared else copied(kept.answer)


def keep(key, snapshot, answer, statements=None, per_language=True, within=None, shared=False):
    """Keep ``answer`` for ``key``, computed under ``snapshot`` (read before computing) from
    ``statements`` (``Recording.result()``; None: only while the snapshot is the same), reading
    only the dates ``within`` says (``while_unchanged``)."""
    if snapshot is None:
        return
    full_key = _full_key(key, per_language)
    tables = None if statements is None else write_log.tables_read(statements)
    dates_read = {
        model._meta.db_table: (start, end)
        for model, (column, start, end) in (within or {}).items()
        if write_log.dated_by(model._meta.db_table) == column
    }
    with _lock:
        previous = _answers.get(full_key)
        changed = None
        if previous is not None and previous.changed is not None and statements:
            statements = _changed_first(statements, previous.changed)
            changed = _changed_again(previous, statements)
        answer = answer if shared else copied(answer)
        _answers[full_key] = Kept(
            snapshot, answer, statements, changed=changed, tables=tables, within=dates_read
        )
        _answers.move_to_end(full_key)
        while len(_answers) > MAX_KEYS:
            _answers.popitem(last=False)


# Values no one can change in place: an answer's copy shares them.
_IMMUTABLE = (
    str,
    int,
    float,
    bytes,
    frozenset,
    type(None),
    datetime.date,
    datetime.time,
    datetime.timedelta,
    decimal.Decimal,
    uuid.UUID,
)


def copied(value):
    """A deep copy of ``value``, for answers made of dicts, lists and plain values (figures,
    rows, rendered text) in a fraction of ``copy.deepcopy``'s time: it follows no references
    shared within the value and keeps no memo, which such answers do not need. Anything else
    is deep-copied."""
    kind = type(value)
    if kind is dict:
        return {key: copied(item) for key, item in value.items()}
    if kind is list:
        return [copied(item) for item in value]
    if kind is tuple:
        return tuple(copied(item) for item in value)
    if kind is set:  # of hashable values, which do not change in place
        return set(value)
    if isinstance(value, _IMMUTABLE):
        return value
    return copy.deepcopy(value)


def _changed_first(statements, changed):
    """The statements with those whose key is ``changed`` first: all of them are checked in
    any case, each against the rows it returned, so their order changes only how soon a check
    that fails ends."""
    return tuple(sorted(statements, key=lambda s: _statement_key(s[0], s[1]) != changed))


def _changed_again(previous, statements):
    """``previous.changed`` if that statement returned other rows for ``statements`` than for
    ``previous`` (the answer computed again, and the one it replaces): it changed there again."""

    def rows_of(statements):
        return next(
            (rows for sql, params, rows in statements if _statement_key(sql, params) == changed),
            _UNREAD,
        )

    changed = previous.changed
    then, now = rows_of(previous.statements), rows_of(statements)
    return changed if then is not _UNREAD and now is not _UNREAD and now != then else None


def _full_key(key, per_language):
    return (key, translation.get_language() if per_language else None)


def forget():
    """Drop every kept answer (tests that compare computing with reusing)."""
    with _lock:
        _answers.clear()
