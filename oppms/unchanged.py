"""Answers computed again only when the database has changed since: never stale, never shared
across users unless the answers are the same for them.

The semiannual report's preview and the dashboard's semester trend read the current records as
of past cut-offs: hundreds of milliseconds of SQL and query building, the same answer for
everyone until someone records something. Pages are kept the same way, rendered: the report
preview's body (reports.views) and the parts of the pages of ``oppms.views.kept_page_response``
(the dashboard, the lists, the detail pages, the search, the create and edit forms), under keys
that name the permissions they show; and each user's permissions (oppms.permissions).

``while_unchanged(key, compute)`` keeps the last answer of each key beside the PostgreSQL
snapshot it was computed under (``pg_current_snapshot()``: the transactions committed, in
progress and yet to come). Two equal snapshots see exactly the same committed rows, and any
committed write changes the snapshot (its transaction leaves the in-progress list, or a later
one moves the upper bound), so an answer is reused only while no write has been committed
anywhere, by this process or another instance. The snapshot is read before computing: a write
committed meanwhile makes the answer newer than its key, never older.

Not used inside a transaction that has written (its own changes are not in the snapshot's
text), nor on SQLite (no snapshot to read): there every call computes. Keys must say
everything the answer depends on besides the database as the snapshot sees it (the period,
today's date, the permissions, what it takes from a record read before the snapshot, such as
the logged-in user's row; the language is added here); the answer must be the same for every
user with the same key.
"""

import copy
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import connection
from django.utils import translation

# Pages x filters x permission sets x languages in use, a few tens of kB each; a visitor trying
# many filters only evicts the least recently used.
MAX_KEYS = 256

_lock = threading.Lock()
_answers = OrderedDict()  # key -> (snapshot, answer)


# Within one request (SnapshotPerRequestMiddleware), the snapshot is read once and reused by
# every lookup until the request itself writes.
_request = threading.local()
_UNREAD = object()


def database_snapshot():
    """The snapshot the next statement reads, or None when it cannot vouch for the data."""
    if connection.vendor != "postgresql" or not settings.KEEP_WHILE_UNCHANGED:
        return None
    snapshot = getattr(_request, "snapshot", _UNREAD)
    if snapshot is _UNREAD:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL"
            )
            read, wrote = cursor.fetchone()
        snapshot = None if wrote else read
        if hasattr(_request, "snapshot"):
            _request.snapshot = snapshot
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
        _request.snapshot = _UNREAD
        try:
            with connection.execute_wrapper(_forget_snapshot_on_write):
                return self.get_response(request)
        finally:
            del _request.snapshot


def _forget_snapshot_on_write(execute, sql, params, many, context):
    if not sql.lstrip()[:6].upper() == "SELECT":
        _request.snapshot = _UNREAD
    return execute(sql, params, many, context)


def while_unchanged(key, compute):
    """``compute()``, or a copy of its last answer for ``key`` if nothing was written since."""
    snapshot, kept = lookup(key)
    if kept is not None:
        return kept
    answer = compute()
    keep(key, snapshot, answer)
    return answer


def lookup(key):
    """``(snapshot, answer)``: a copy of the answer kept for ``key`` under the snapshot the
    database is at now, or None; the snapshot, to ``keep`` an answer computed now under it."""
    snapshot = database_snapshot()
    if snapshot is not None:
        with _lock:
            kept = _answers.get(_full_key(key))
            if kept is not None and kept[0] == snapshot:
                _answers.move_to_end(_full_key(key))
                return snapshot, copy.deepcopy(kept[1])
    return snapshot, None


def keep(key, snapshot, answer):
    """Keep ``answer`` for ``key``, computed under ``snapshot`` (read before computing)."""
    if snapshot is None:
        return
    with _lock:
        _answers[_full_key(key)] = (snapshot, copy.deepcopy(answer))
        _answers.move_to_end(_full_key(key))
        while len(_answers) > MAX_KEYS:
            _answers.popitem(last=False)


def _full_key(key):
    return (key, translation.get_language())


def forget():
    """Drop every kept answer (tests that compare computing with reusing)."""
    with _lock:
        _answers.clear()
