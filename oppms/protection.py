"""Records that must not be deleted, and why.

An app that needs a record kept registers a guard: a function that takes a record and returns
the reason it must stay (a sentence the user reads), or None. The reports app registers the
rule "a record that a finalized report counts cannot be deleted" from its ``ready()``, so that
nothing here, nor in the other apps, has to import ``reports``.

The Django admin asks before offering a deletion (``oppms.admin.HistoryAdmin``); the reports
app also refuses the deletion itself in a ``pre_delete`` receiver, for every other path.
"""

_guards = {}


def register_deletion_guard(guard, *, many=None):
    """Add ``guard(record) -> str | None``.

    ``many(queryset) -> {pk: reason}``, when given, answers for many records at once (the
    admin's bulk delete asks about every selected row); without it each record is asked about
    in turn. Registering the same function again replaces it.
    """
    _guards[guard] = many
    return guard


def deletion_refusal(record):
    """Why ``record`` cannot be deleted, or None when nothing keeps it."""
    for guard in _guards:
        reason = guard(record)
        if reason:
            return str(reason)
    return None


def deletion_refusals(queryset):
    """``[(record, reason), ...]`` for the records of ``queryset`` that cannot be deleted."""
    reasons = {}
    for guard, many in _guards.items():
        if many is not None:
            found = many(queryset)
        else:
            found = {record.pk: guard(record) for record in queryset}
        for pk, reason in found.items():
            if reason and pk not in reasons:
                reasons[pk] = str(reason)
    if not reasons:
        return []
    records = queryset.model._default_manager.filter(pk__in=reasons).order_by("pk")
    return [(record, reasons[record.pk]) for record in records]
