"""The last line of the rule "a record that a finalized report counts cannot be deleted".

The pages and the admin never offer such a deletion (see oppms.admin.HistoryAdmin); this
receiver refuses it on every other path: the shell, a script, a cascade from another record.

Django sends ``pre_delete`` inside the deletion's transaction, which has no savepoint of its
own: the refusal rolls back the whole enclosing transaction, as any failed deletion would. Code
that wants to carry on after a refusal wraps the deletion in ``transaction.atomic()``.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete

from .counted import GUARDED_MODELS, counted_in_finalized_report


def refuse_deleting_counted_records(sender, instance, **kwargs):
    reason = counted_in_finalized_report(instance)
    if reason:
        raise ProtectedError(reason, {instance})


def connect():
    # Only the models a report counts: the others keep Django's fast deletes.
    for model in GUARDED_MODELS:
        pre_delete.connect(
            refuse_deleting_counted_records,
            sender=model,
            dispatch_uid=f"reports_keep_counted_{model._meta.label_lower}",
        )
