"""Two people edit the same record: the second save is refused and shown, and nothing is lost.

An edit form carries the record's *version*: the id of its latest history entry when the form
was shown. A save whose version is no longer the latest is refused; the form comes back with the
user's input, who saved since and what each one changed, and the current version, so that saving
again is a deliberate choice. The app's edit pages (``oppms.views.RecordUpdateView``) and the
admin's change and revert forms (``oppms.admin.HistoryAdmin``) both work this way.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oppms.history import describe

VERSION_FIELD = "_edit_version"
CONFLICT_MESSAGE = _("Someone else saved this record while you were editing it.")


def latest_version(record):
    """The version an edit form shows for ``record``: its latest history id, "" if none."""
    history_id = (
        record.history.order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return "" if history_id is None else str(history_id)


def stale_save(record, seen):
    """The conflict a save of ``record`` from version ``seen`` runs into, or None.

    Call it inside the transaction that saves: it locks the record's row, so that two saves at
    the same moment cannot both pass the check.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stale_save() must run inside the transaction that saves.")
    type(record)._default_manager.select_for_update().filter(pk=record.pk).exists()
    current = latest_version(record)
    if seen == current:
        return None
    return edit_conflict(record, seen, current)


def edit_conflict(record, seen, current):
    """Who saved ``record`` since the version ``seen`` was shown, and what each one changed."""
    versions = record.history.select_related("history_user").order_by("-history_id")
    # The version comes back from the browser: anything but a history id means "unknown".
    seen_id = int(seen) if seen.isascii() and seen.isdigit() and int(seen) < 2**63 else None
    if seen_id is None:
        newer, before = list(versions), None
    else:
        newer = list(versions.filter(history_id__gt=seen_id))
        before = versions.filter(history_id=seen_id).first()
    rows = newer + ([before] if before is not None else [])
    return {"current": current, "entries": describe(type(record), rows, len(newer))}


def form_version(request, record, conflict):
    """The version an edit form carries back to the browser."""
    if conflict is not None:
        return conflict["current"]
    if request.method == "POST":
        return request.POST.get(VERSION_FIELD, "")
    return latest_version(record)
