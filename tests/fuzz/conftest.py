"""Fixtures of the fuzz tests: a derandomized hypothesis profile, one row of every record a
URL may name, a client that reports server errors instead of raising them."""

import datetime
import logging
from contextlib import contextmanager

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.utils import timezone
from hypothesis import settings

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Contact, Institution, ResponsibilityArea
from observance.models import (
    Commitment,
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    Publication,
    PublicPolicy,
    Recommendation,
    RequestEvent,
    TeamMember,
)
from observance.services import request_escalate

# The same examples on every run, so that CI is repeatable and a failure can be replayed.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never to the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fuzz_client(administrator):
    """The Administración role holds every permission of our apps; errors come back as 500."""
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    return client


class ServerErrors(logging.Handler):
    """Collects what a request logged as an error, and the exceptions it raised."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []
        self.exceptions = []

    def emit(self, record):
        self.records.append(record)

    def on_exception(self, sender, request=None, **kwargs):
        import sys

        self.exceptions.append(repr(sys.exc_info()[1]))

    def __bool__(self):
        return bool(self.records or self.exceptions)

    def describe(self):
        return "; ".join(self.exceptions + [record.getMessage() for record in self.records])


@contextmanager
def server_errors():
    """Whatever the views log at ERROR on ``django.request`` or raise, while inside."""
    collector = ServerErrors()
    logger = logging.getLogger("django.request")
    logger.addHandler(collector)
    got_request_exception.connect(collector.on_exception)
    try:
        yield collector
    finally:
        got_request_exception.disconnect(collector.on_exception)
        logger.removeHandler(collector)


@pytest.fixture
def world(db):
    """One valid row of every record our URLs point at, all inside the first half of 2021."""
    day = datetime.date(2021, 3, 1)
    institution = Institution.objects.create(name="Ministerio de Fuzz", acronym="MF", mapped_on=day)
    ally = Ally.objects.create(name="Universidad de Fuzz", kind=Ally.Kind.ACADEMIA)
    agreement = Agreement.objects.create(
        ally=ally, title="Convenio", status=Agreement.Status.SIGNED, signed_on=day
    )
    policy = PublicPolicy.objects.create(name="Movilidad humana", group=PublicPolicy.Group.BOTH)
    process = ObservanceProcess.objects.create(policy=policy, title="Proceso", started_on=day)
    process.institutions.set([institution])
    evaluation = Evaluation.objects.create(
        process=process,
        title="Evaluación",
        evaluated_on=day,
        rating=Evaluation.Rating.PARTIAL,
        findings="Hallazgos",
    )
    member = TeamMember.objects.create(name="Ana", role_title="Secretaria", started_on=day)
    meeting = Meeting.objects.create(
        held_at=timezone.make_aware(datetime.datetime(2021, 3, 2, 10, 0)),
        modality=Meeting.Modality.VIRTUAL,
        institution=institution,
        purpose="Presentación",
    )
    meeting.team_members.set([member])
    rows = {
        "institution": institution,
        "contact": Contact.objects.create(institution=institution, name="Luis"),
        "responsibilityarea": ResponsibilityArea.objects.create(
            institution=institution, name="Retorno"
        ),
        "ally": ally,
        "agreement": agreement,
        "agendaitem": AgendaItem.objects.create(agreement=agreement, activity="Taller"),
        "publicpolicy": policy,
        "observanceprocess": process,
        "evaluation": evaluation,
        "teammember": member,
        "meeting": meeting,
        "commitment": Commitment.objects.create(meeting=meeting, text="Designar un punto focal"),
        "informationrequest": InformationRequest.objects.create(
            institution=institution, process=process, subject="Solicitud", sent_on=day
        ),
        "publication": Publication.objects.create(
            process=process,
            evaluation=evaluation,
            kind=Publication.Kind.SOCIALISATION,
            title="Socialización",
            published_on=day,
        ),
        "recommendation": Recommendation.objects.create(
            process=process, institution=institution, text="Mejorar", proposed_on=day
        ),
        "observatoryprofile": ObservatoryProfile.objects.create(name="Observatorio", acronym="OP"),
    }
    # The request, overdue since March 2021, was insisted on: a ladder step awaiting an answer.
    rows["requestevent"] = request_escalate(
        request=rows["informationrequest"],
        kind=RequestEvent.Kind.CORRECTION_ASKED,
        occurred_on=datetime.date(2021, 3, 20),
    )
    return rows
