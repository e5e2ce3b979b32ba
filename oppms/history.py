"""The "Historial" page of a record: who changed what and when, newest first.

Every model of our apps keeps its history with django-simple-history, and the request
middleware stamps each version with the user who saved it, on the pages as in the admin. The
page reads the history table, not the live model, so a deleted record's history still shows,
its deletion as the newest entry.

It runs a fixed number of queries whatever the number of versions: the page's versions and the
one before them in one query, the many-to-many snapshots in one query per such field, and the
related records the changed foreign keys point to in one query per related model.
"""

import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

from oppms.record_access import may_view, view_permission
from oppms.roles import OUR_APPS

PER_PAGE = 25
# The largest primary key a BigAutoField holds: past it the database would refuse the lookup.
MAX_PK = 2**63 - 1
EMPTY = "—"


def tracked_model(app_label, model_name):
    """The model of our apps with that label and name that keeps a history, or None."""
    if app_label not in OUR_APPS:
        return None
    try:
        model = apps.get_app_config(app_label).get_model(model_name)
    except LookupError:
        return None
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return None
    return model


def history_url(record):
    """The URL of ``record``'s history page, or None for a record that keeps none."""
    if record is None or record.pk is None:
        return None
    opts = record._meta
    if tracked_model(opts.app_label, opts.model_name) is None:
        return None
    return reverse("record-history", args=[opts.app_label, opts.model_name, record.pk])


def person(user):
    if user is None:
        return EMPTY
    return user.get_full_name() or user.get_username()


@login_required
def record_history(request, app_label, model_name, pk):
    model = tracked_model(app_label, model_name)
    if model is None or pk > MAX_PK:
        raise Http404
    # The model's permission first: without it, the page does not even say which records exist.
    if not request.user.has_perm(view_permission(model)):
        raise PermissionDenied
    history = getattr(model, model._meta.simple_history_manager_attribute)
    versions = history.filter(**{model._meta.pk.attname: pk}).order_by(
        "-history_date", "-history_id"
    )
    record = model._default_manager.filter(pk=pk).first()
    # A deleted record is judged as it last was (a deleted draft stays a draft).
    subject = record
    if subject is None:
        newest = versions.first()
        if newest is None:
            raise Http404
        subject = newest.instance
    # The history holds every past value: it needs exactly what the record's own page needs.
    if not may_view(request.user, subject):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    paginator = Paginator(versions, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    entries = []
    if paginator.count:
        first = page.start_index() - 1
        shown = page.end_index() - first
        # The page's versions and the one before the oldest of them, to diff it against.
        rows = list(versions.select_related("history_user")[first : first + shown + 1])
        entries = describe(model, rows, shown)
    context = {
        "model": model,
        "verbose_name": model._meta.verbose_name,
        "record_name": record_name(subject),
        "record_url": record_link(record),
        "deleted": record is None,
        "entries": entries,
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": paginator.num_pages > 1,
        "query_without_page": "",
    }
    return render(request, "partials/history_page.html", context)


def record_name(record):
    """What the record is called: the live record's name, else its last version's."""
    try:
        return str(record)
    except ObjectDoesNotExist:  # its name needed a related record that is gone
        return f"{record._meta.verbose_name} {record.pk}"


def record_link(record):
    if record is None or not hasattr(record, "get_absolute_url"):
        return None
    try:
        return record.get_absolute_url()
    except ObjectDoesNotExist:
        return None


KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def kind_labels():
    return {"created": _("Created"), "changed": _("Changed"), "deleted": _("Deleted")}


def describe(model, rows, shown):
    """The entries of the first ``shown`` of ``rows``, each diffed against the row after it."""
    history_model = type(rows[0])
    fields = [field for field in history_model.tracked_fields if not field.primary_key]
    m2m_fields = list(history_model._history_m2m_fields)
    editable = [field.name for field in fields if field.editable]
    computed = [field for field in fields if not field.editable]
    m2m_values = m2m_snapshots(history_model, m2m_fields, rows)

    raw = []
    for index, version in enumerate(rows[:shown]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changes = []
        if previous is None:
            for field in fields:
                value = getattr(version, field.attname)
                if not is_empty(value):
                    changes.append((field, None, value))
        else:
            delta = version.diff_against(previous, included_fields=editable)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append((field, change.old, change.new))
            # diff_against compares editable fields only; the computed ones matter too (a
            # request's due date, a report's status).
            for field in computed:
                old, new = getattr(previous, field.attname), getattr(version, field.attname)
                if old != new:
                    changes.append((field, old, new))
        for field in m2m_fields:
            new = m2m_values[field.name].get(version.history_id, set())
            old = (
                set()
                if previous is None
                else m2m_values[field.name].get(previous.history_id, set())
            )
            if old != new:
                changes.append((field, sorted(old) or None, sorted(new) or None))
        raw.append((version, changes))

    names = related_names(raw)
    labels = kind_labels()
    entries = []
    for version, changes in raw:
        kind = KINDS.get(version.history_type, "changed")
        entries.append(
            {
                "when": version.history_date,
                "who": person(version.history_user),
                "kind": kind,
                "kind_label": labels[kind],
                # The app writes its reasons as English message ids (a due date a holiday
                # moved): shown translated. A reason typed by a person passes unchanged.
                "reason": _(version.history_change_reason) if version.history_change_reason else "",
                "changes": [
                    {
                        "field": field.verbose_name,
                        "old": readable(field, old, names),
                        "new": readable(field, new, names),
                    }
                    for field, old, new in sorted(
                        changes, key=lambda change: field_order(model, change[0])
                    )
                ],
            }
        )
    return entries


def field_order(model, field):
    """Changes listed in the order the model declares its fields."""
    names = [f.name for f in model._meta.get_fields()]
    return names.index(field.name) if field.name in names else len(names)


def is_empty(value):
    """Nothing worth listing among a new record's values."""
    return value is None or value is False or (not isinstance(value, (int, float)) and not value)


def m2m_snapshots(history_model, m2m_fields, rows):
    """``{field name: {history_id: {related pk, ...}}}``: one query per many-to-many field."""
    snapshots = {}
    history_ids = [row.history_id for row in rows]
    for field in m2m_fields:
        m2m_model = getattr(history_model, field.name).model
        target = m2m_model._meta.get_field(get_m2m_reverse_field_name(field)).attname
        values = {}
        for history_id, related in m2m_model.objects.filter(history_id__in=history_ids).values_list(
            "history_id", target
        ):
            values.setdefault(history_id, set()).add(related)
        snapshots[field.name] = values
    return snapshots


def related_names(raw):
    """``{(model, pk): name}`` for every related record the changes mention, if it still exists."""
    wanted = {}
    for _version, changes in raw:
        for field, old, new in changes:
            if not field.is_relation:
                continue
            for value in (old, new):
                if value is None:
                    continue
                pks = value if isinstance(value, list) else [value]
                wanted.setdefault(field.related_model, set()).update(pks)
    names = {}
    user_model = get_user_model()
    for related_model, pks in wanted.items():
        # select_related(): the name of some records (a contact) includes a related one's.
        found = related_model._default_manager.select_related().in_bulk(list(pks))
        for pk, record in found.items():
            names[(related_model, pk)] = (
                person(record) if related_model is user_model else str(record)
            )
    return names


def readable(field, value, names):
    """A stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field.many_to_many:
        return ", ".join(related_name(field, pk, names) for pk in value)
    if field.is_relation:
        return related_name(field, value, names)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(field, models.DateField):
        return date_format(value, "d/m/Y")
    if isinstance(field, models.FileField):
        return os.path.basename(getattr(value, "name", str(value)))
    if isinstance(field, models.JSONField):
        return _("(stored data)")
    return str(value)


def related_name(field, pk, names):
    name = names.get((field.related_model, pk))
    if name is None:
        return _("%(record)s no. %(pk)s (deleted)") % {
            "record": field.related_model._meta.verbose_name,
            "pk": pk,
        }
    return name
