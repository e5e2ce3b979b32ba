"""Figures computed again only when the database has changed since: never stale, never shared
across users unless the figures are the same for everyone.

The semiannual report's preview and the dashboard's semester trend read the current records
as of past cut-offs: hundreds of milliseconds of SQL and query building, the same answer for
everyone until someone records something. The dashboard's body and the report preview are kept
whole, as rendered HTML (rendered without the request, so that no user's session, name or CSRF
token can be in them; their keys name the permissions they depend on). ``while_unchanged(key, compute)`` keeps the last
answer of each key beside the PostgreSQL snapshot it was computed under
(``pg_current_snapshot()``: the transactions committed, in progress and yet to come). Two equal
snapshots see exactly the same committed rows, and any committed write changes the snapshot
(its transaction leaves the in-progress list, or a later one moves the upper bound), so an
answer is reused only while no write has been committed anywhere, by this process or another
instance. The snapshot is read before computing: a write committed meanwhile makes the answer
newer than its key, never older.

Not used inside a transaction that has written (its own changes are not in the snapshot's
text), nor on SQLite (no snapshot to read): there every call computes. Keys must say
everything the answer depends on besides the database (the period, today's date, the
language); the answer must be the same for every user allowed to see it.
"""

import copy
import threading
from collections import OrderedDict

from django.db import connection
from django.utils import translation

MAX_KEYS = 64  # periods x languages in use; a visitor trying many periods only evicts

_lock = threading.Lock()
_answers = OrderedDict()  # key -> (snapshot, answer)


def database_snapshot():
    """The snapshot the next statement reads, or None when it cannot vouch for the data."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL"
        )
        snapshot, wrote = cursor.fetchone()
    return None if wrote else snapshot


def while_unchanged(key, compute):
    """``compute()``, or a copy of its last answer for ``key`` if nothing was written since."""
    key = (key, translation.get_language())
    snapshot = database_snapshot()
    if snapshot is not None:
        with _lock:
            kept = _answers.get(key)
            if kept is not None and kept[0] == snapshot:
                _answers.move_to_end(key)
                return copy.deepcopy(kept[1])
    answer = compute()
    if snapshot is not None:
        with _lock:
            _answers[key] = (snapshot, copy.deepcopy(answer))
            _answers.move_to_end(key)
            while len(_answers) > MAX_KEYS:
                _answers.popitem(last=False)
    return answer


def forget():
    """Drop every kept answer (tests that compare computing with reusing)."""
    with _lock:
        _answers.clear()
