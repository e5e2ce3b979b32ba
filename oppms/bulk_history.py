"""Bulk updates that still leave a complete version of every record they change.

A plain ``bulk_update`` writes no history at all: the history would go on showing the old
values. simple_history's ``bulk_history_create`` writes the versions, but not their
many-to-many snapshots, so the new version of a request would read as "every area removed".
``bulk_update_with_history`` here writes both, in a fixed number of queries per batch.
"""

from django.db import transaction
from simple_history.utils import get_history_manager_for_model, get_m2m_field_name


def bulk_update_with_history(records, model, fields, *, reason="", batch_size=500):
    """Save ``fields`` of ``records`` and add a "changed" version of each; returns how many.

    The versions are stamped like any save: with the user of the current request, if any
    (simple_history's middleware), and with ``reason``.
    """
    if not records:
        return 0
    with transaction.atomic():
        model._default_manager.bulk_update(records, fields, batch_size=batch_size)
        history = get_history_manager_for_model(model)
        versions = history.bulk_history_create(
            records, batch_size=batch_size, update=True, default_change_reason=reason
        )
        copy_many_to_many_snapshots(model, history.model, versions, batch_size)
    return len(records)


def copy_many_to_many_snapshots(model, history_model, versions, batch_size):
    """Give each version the many-to-many rows its record has now: one query per field."""
    m2m_fields = history_model._history_m2m_fields
    version_of = {getattr(version, model._meta.pk.attname): version for version in versions}
    for field in m2m_fields:
        through = model._meta.get_field(field.name).remote_field.through
        snapshot_model = getattr(history_model, field.name).model
        record_column = through._meta.get_field(get_m2m_field_name(field)).attname
        columns = [column.attname for column in through._meta.fields]
        links = through._default_manager.filter(**{f"{record_column}__in": list(version_of)})
        snapshot_model._default_manager.bulk_create(
            [
                snapshot_model(history=version_of[link[record_column]], **link)
                for link in links.values(*columns)
            ],
            batch_size=batch_size,
        )
