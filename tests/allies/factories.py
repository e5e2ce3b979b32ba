"""Small builders of allies' rows for tests; each call makes a new, valid row."""

import datetime
import itertools

from allies.models import AgendaItem, Agreement, Ally

counter = itertools.count(1)


def make_ally(**fields):
    number = next(counter)
    fields.setdefault("name", f"Aliado {number:04d}")
    fields.setdefault("kind", Ally.Kind.ACADEMIA)
    return Ally.objects.create(**fields)


def make_agreement(ally=None, **fields):
    fields.setdefault("title", f"Convenio {next(counter)}")
    fields.setdefault("status", Agreement.Status.SIGNED)
    fields.setdefault("signed_on", datetime.date(2021, 3, 1))
    return Agreement.objects.create(ally=ally or make_ally(), **fields)


def make_agenda_item(agreement=None, **fields):
    fields.setdefault("activity", f"Actividad {next(counter)}")
    return AgendaItem.objects.create(agreement=agreement or make_agreement(), **fields)
