"""Builders of observance rows for the page tests; each call makes a new, valid row."""

import datetime
import itertools

from django.utils import timezone

from observance.models import (
    Evaluation,
    FollowUp,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    Publication,
    PublicPolicy,
    Recommendation,
    TeamMember,
)
from tests.institutions.factories import make_institution
from tests.oppms.upload_samples import PDF as PDF_BYTES  # noqa: F401 (used by the page tests)

counter = itertools.count(1)

# A one-pixel PNG; PDF_BYTES is a one-page PDF: both open as what their name says.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def make_policy(**fields):
    fields.setdefault("name", f"Política {next(counter):04d}")
    fields.setdefault("group", PublicPolicy.Group.BOTH)
    return PublicPolicy.objects.create(**fields)


def make_process(policy=None, institutions=(), **fields):
    fields.setdefault("title", f"Proceso {next(counter):04d}")
    fields.setdefault("started_on", datetime.date(2021, 2, 1))
    process = ObservanceProcess.objects.create(policy=policy or make_policy(), **fields)
    if institutions:
        process.institutions.set(institutions)
    return process


def make_request(institution=None, sent_on=None, **fields):
    fields.setdefault("subject", f"Solicitud {next(counter):04d}")
    return InformationRequest.objects.create(
        institution=institution or make_institution(),
        sent_on=sent_on or timezone.localdate(),
        **fields,
    )


def make_meeting_at(held_at, institution=None, ally=None, **fields):
    fields.setdefault("modality", Meeting.Modality.VIRTUAL)
    fields.setdefault("purpose", f"Reunión {next(counter)}")
    if institution is None and ally is None:
        institution = make_institution()
    return Meeting.objects.create(held_at=held_at, institution=institution, ally=ally, **fields)


def make_team_member(**fields):
    fields.setdefault("name", f"Integrante {next(counter)}")
    fields.setdefault("role_title", "Coordinador")
    fields.setdefault("started_on", datetime.date(2021, 1, 19))
    return TeamMember.objects.create(**fields)


def make_evaluation(process=None, **fields):
    fields.setdefault("title", f"Evaluación {next(counter)}")
    fields.setdefault("evaluated_on", datetime.date(2021, 5, 1))
    fields.setdefault("rating", Evaluation.Rating.PARTIAL)
    fields.setdefault("findings", "Información incompleta")
    return Evaluation.objects.create(process=process or make_process(), **fields)


def make_publication(process=None, **fields):
    fields.setdefault("title", f"Publicación {next(counter)}")
    fields.setdefault("published_on", datetime.date(2021, 6, 1))
    fields.setdefault("kind", Publication.Kind.REPORT)
    return Publication.objects.create(process=process or make_process(), **fields)


def make_recommendation(process=None, institution=None, compliance=None, **fields):
    """A recommendation; with ``compliance``, also the follow-up that records that level (on
    the day it was proposed), since compliance is never typed on the recommendation."""
    fields.setdefault("text", f"Recomendación {next(counter)}")
    fields.setdefault("proposed_on", datetime.date(2021, 6, 10))
    recommendation = Recommendation.objects.create(
        process=process or make_process(), institution=institution or make_institution(), **fields
    )
    if compliance is not None and compliance != Recommendation.Compliance.PENDING:
        make_follow_up(recommendation, checked_on=recommendation.proposed_on, compliance=compliance)
        recommendation.refresh_from_db()
    return recommendation


def make_follow_up(recommendation=None, **fields):
    fields.setdefault("checked_on", datetime.date(2021, 7, 1))
    fields.setdefault("compliance", Recommendation.Compliance.IN_PROGRESS)
    return FollowUp.objects.create(recommendation=recommendation or make_recommendation(), **fields)
