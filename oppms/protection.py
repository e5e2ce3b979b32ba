"""Records that must not be deleted, nor changed in some ways, and why.

An app that needs a record kept registers a guard here; nothing in this module, nor in the other
apps, has to import the app that registers it. The reports app registers the rule "a record that
a finalized report counts can be edited, but never deleted, moved out of the counted semester
nor stripped of what made it count" from its ``ready()``; the observance app registers its
plausible-date rules (``observance.dates``) as a change guard the same way, so that the
institutions' and allies' dates are held to the observatory's constitution without those apps
importing observance.

Deletion guards: a function that takes a record and returns the reason it must stay (a sentence
the user reads), or None. The Django admin asks before offering a deletion
(``oppms.admin.HistoryAdmin``); the reports app also refuses the deletion itself in a
``pre_delete`` receiver, for every other path.

Change guards: ``refusals(record)`` says, field by field, why the values ``record`` holds cannot
be saved; ``before_update(queryset, values)`` is asked before a queryset ``update()`` runs and
returns None (nothing to check) or a function that checks the updated rows afterwards, inside the
update's transaction, and raises ``KeptRecordError`` to undo it. Model validation asks the first
(``oppms.models.GuardedModel.validate_constraints``: forms, the admin, imports), the reports app's
``pre_save`` receiver asks it again for saves that skipped validation, and
``oppms.models.GuardedQuerySet.update`` asks the second.
"""

from django.core.exceptions import ValidationError

_guards = {}
_change_guards = {}


class KeptRecordError(ValidationError):
    """A save or an update that a change guard refuses; nothing was changed."""


def register_deletion_guard(guard, *, many=None):
    """Add ``guard(record) -> str | None``.

    ``many(queryset) -> {pk: reason}``, when given, answers for many records at once (the
    admin's bulk delete asks about every selected row); without it each record is asked about
    in turn. Registering the same function again replaces it.
    """
    _guards[guard] = many
    return guard


def register_change_guard(refusals, *, before_update):
    """Add a change guard (see the module's docstring); registering it again replaces it."""
    _change_guards[refusals] = before_update
    return refusals


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


def change_refusals(record):
    """``{field name: [reason, ...]}`` for the values of ``record`` that cannot be saved."""
    refused = {}
    for refusals in _change_guards:
        for field, reasons in refusals(record).items():
            # A ValidationError keeps its code and parameters; anything else is a sentence.
            refused.setdefault(field, []).extend(
                reason if isinstance(reason, ValidationError) else str(reason) for reason in reasons
            )
    return refused


def update_checks(queryset, values):
    """The checks to run after ``queryset.update(**values)``, inside its transaction."""
    checks = []
    for before_update in _change_guards.values():
        check = before_update(queryset, values)
        if check is not None:
            checks.append(check)
    return checks
