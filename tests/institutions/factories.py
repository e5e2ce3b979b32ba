"""Small builders of institutions' rows for tests; each call makes a new, valid row."""

import datetime
import itertools

from institutions.models import Contact, Institution, ResponsibilityArea

counter = itertools.count(1)


def make_institution(**fields):
    number = next(counter)
    fields.setdefault("name", f"Institución {number:04d}")
    fields.setdefault("acronym", f"I{number}")
    fields.setdefault("mapped_on", datetime.date(2021, 1, 4))
    return Institution.objects.create(**fields)


def make_contact(institution=None, **fields):
    fields.setdefault("name", f"Contacto {next(counter)}")
    return Contact.objects.create(institution=institution or make_institution(), **fields)


def make_area(institution=None, **fields):
    fields.setdefault("name", f"Área {next(counter)}")
    return ResponsibilityArea.objects.create(
        institution=institution or make_institution(), **fields
    )


def make_meeting(institution=None, ally=None, held_on=datetime.date(2021, 3, 15), **fields):
    """A meeting (an observance record) on ``held_on`` at 10:00, Ecuador's time."""
    from django.utils import timezone

    from observance.models import Meeting

    held_at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(10, 0)))
    fields.setdefault("modality", Meeting.Modality.VIRTUAL)
    fields.setdefault("purpose", "Presentar el observatorio")
    return Meeting.objects.create(held_at=held_at, institution=institution, ally=ally, **fields)
