"""The guards that keep a finalized report and the records it counted as they were.

The pages and the admin never offer a refused deletion (see oppms.admin.HistoryAdmin) and
validation refuses a refused value next to its field (oppms.models.GuardedModel); the receivers
here refuse it on every other path: the shell, a script, a cascade from another record, a
queryset ``delete()`` (Django sends ``pre_delete`` for each row when a receiver listens) or
``update()`` (oppms.models.GuardedQuerySet asks ``refuse_updating_counted_records``).

Django sends ``pre_delete`` inside the deletion's transaction, which has no savepoint of its
own: the refusal rolls back the whole enclosing transaction, as any failed deletion would. Code
that wants to carry on after a refusal wraps the deletion in ``transaction.atomic()``.

Saves loaded from a backup (``raw``) are not judged: a restore brings back what was there.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete, pre_save
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from oppms.protection import KeptRecordError

from .counted import (
    GUARDED_MODELS,
    KEPT_FIELDS,
    counted_among,
    counted_change_refusals,
    counted_in_finalized_report,
    counted_records_refusals,
    kept_fields_touched,
    label_of,
)
from .models import CountedRecord, SemiannualReport


def final_report_refusal():
    return _("This report is final: it can no longer be changed.")


def counted_records_refusal():
    return _("The records a finalized report counted cannot be changed.")


def refuse_deleting_counted_records(sender, instance, **kwargs):
    reason = counted_in_finalized_report(instance)
    if reason:
        raise ProtectedError(reason, {instance})


def refuse_saving_uncounted_values(sender, instance, raw=False, **kwargs):
    if raw:
        return
    refused = counted_change_refusals(instance)
    if refused:
        raise KeptRecordError(refused)


def refuse_changing_final_reports(sender, instance, raw=False, **kwargs):
    if not raw and instance.stored_is_final():
        raise KeptRecordError(final_report_refusal(), code="final")


def refuse_deleting_final_reports(sender, instance, **kwargs):
    if instance.stored_is_final():
        raise ProtectedError(_("A final report cannot be deleted."), {instance})


def refuse_changing_counted_record_rows(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        raise KeptRecordError(counted_records_refusal(), code="final")


def refuse_deleting_counted_record_rows(sender, instance, **kwargs):
    raise ProtectedError(counted_records_refusal(), {instance})


def refuse_updating_counted_records(queryset, values):
    """The update guard: refuse at once, or return the check to run on the updated rows."""
    model = queryset.model
    if model is SemiannualReport:
        if queryset.filter(status=SemiannualReport.Status.FINAL).exists():
            raise KeptRecordError(final_report_refusal(), code="final")
        return None
    if model is CountedRecord:
        raise KeptRecordError(counted_records_refusal(), code="final")
    if label_of(model) not in KEPT_FIELDS:
        return None
    rules = kept_fields_touched(model, values)
    if not rules:
        return None
    counted = counted_among(queryset, rules)
    if not counted:
        return None

    def check():
        refused = counted_records_refusals(model._base_manager.filter(pk__in=counted))
        if refused:
            raise KeptRecordError(
                [
                    # Named by number: the record's own name may hold the refused value.
                    _("%(model)s no. %(pk)s cannot be changed so: %(reason)s")
                    % {
                        "model": capfirst(model._meta.verbose_name),
                        "pk": record.pk,
                        "reason": " ".join(sum(reasons.values(), [])),
                    }
                    for record, reasons in refused
                ],
                code="counted",
            )

    return check


def connect():
    # Only the models a report counts: the others keep Django's fast deletes.
    for model in GUARDED_MODELS:
        uid = f"reports_keep_counted_{model._meta.label_lower}"
        pre_delete.connect(refuse_deleting_counted_records, sender=model, dispatch_uid=uid)
        if label_of(model) in KEPT_FIELDS:
            pre_save.connect(refuse_saving_uncounted_values, sender=model, dispatch_uid=uid)
    pre_save.connect(refuse_changing_final_reports, sender=SemiannualReport, dispatch_uid="final")
    pre_delete.connect(refuse_deleting_final_reports, sender=SemiannualReport, dispatch_uid="final")
    pre_save.connect(refuse_changing_counted_record_rows, sender=CountedRecord, dispatch_uid="rows")
    pre_delete.connect(
        refuse_deleting_counted_record_rows, sender=CountedRecord, dispatch_uid="rows"
    )
