"""Small factories: one function per registered model, each making a fresh, valid record.

Every factory makes its own related records, so a list of thirty rows points at thirty
different institutions, processes or requests: a list page that fetched them one by one would
show it in its query count.
"""

import datetime
import itertools

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Contact, Institution, ResponsibilityArea
from observance.models import (
    Commitment,
    EscalationTerm,
    Evaluation,
    FollowUp,
    Holiday,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    PublicPolicy,
    Recommendation,
    RequestEvent,
    TeamMember,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files, and spreadsheets waiting between an import's preview and its
    confirmation, go to a throwaway folder, never to the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


_sequence = itertools.count(1)
START = datetime.date(2021, 1, 4)


def seq():
    return next(_sequence)


def make_institution(**extra):
    n = seq()
    fields = {"name": f"Ministerio {n}", "acronym": f"M{n}", "mapped_on": START}
    return Institution.objects.create(**(fields | extra))


def make_contact():
    return Contact.objects.create(institution=make_institution(), name=f"Contacto {seq()}")


def make_area():
    return ResponsibilityArea.objects.create(institution=make_institution(), name=f"Área {seq()}")


def make_ally():
    n = seq()
    return Ally.objects.create(name=f"Universidad {n}", acronym=f"U{n}", kind=Ally.Kind.ACADEMIA)


def make_agreement():
    return Agreement.objects.create(
        ally=make_ally(),
        title=f"Convenio {seq()}",
        status=Agreement.Status.SIGNED,
        signed_on=START,
    )


def make_agenda_item():
    return AgendaItem.objects.create(agreement=make_agreement(), activity=f"Taller {seq()}")


def make_profile():
    return ObservatoryProfile.objects.create(name="Observatorio", acronym="OPPMS")


def make_team_member():
    n = seq()
    user = User.objects.create_user(f"member{n}")
    return TeamMember.objects.create(
        name=f"Persona {n}", role_title="Coordinador", user=user, started_on=START
    )


def make_policy():
    return PublicPolicy.objects.create(
        name=f"Política {seq()}", group=PublicPolicy.Group.RETURNED_MIGRANTS
    )


def make_process():
    process = ObservanceProcess.objects.create(
        policy=make_policy(), title=f"Proceso {seq()}", started_on=START
    )
    process.institutions.add(make_institution(), make_institution())
    return process


def make_step():
    return make_process().steps.first()


def make_meeting():
    meeting = Meeting.objects.create(
        held_at=timezone.make_aware(datetime.datetime(2021, 3, 1, 10, 0)),
        modality=Meeting.Modality.VIRTUAL,
        institution=make_institution(),
        ally=make_ally(),
        process=make_process(),
        purpose="Vinculación",
    )
    meeting.team_members.add(make_team_member(), make_team_member())
    return meeting


def make_commitment():
    return Commitment.objects.create(
        meeting=make_meeting(),
        text="Designar un punto focal",
        due_on=datetime.date(2021, 4, 1),
        status=Commitment.Status.DONE,
        closed_on=datetime.date(2021, 3, 20),
        closing_note="Designado",
    )


def make_holiday():
    n = seq()
    return Holiday.objects.create(date=START + datetime.timedelta(days=n), name=f"Feriado {n}")


def make_escalation_term():
    # One row per step of the ladder (the migration writes all three): a factory edits one.
    term, _created = EscalationTerm.objects.update_or_create(
        step=1, defaults={"days": 10, "counting": "calendar", "basis": "LOTAIP"}
    )
    return term


def make_request(**extra):
    fields = {
        "institution": make_institution(),
        "process": make_process(),
        "subject": f"Solicitud {seq()}",
        "sent_on": START,
    }
    return InformationRequest.objects.create(**(fields | extra))


def make_event():
    return RequestEvent.objects.create(
        request=make_request(),
        kind=RequestEvent.Kind.SENT,
        occurred_on=START,
        recorded_by=User.objects.create_user(f"recorder{seq()}"),
    )


def make_evaluation():
    evaluation = Evaluation.objects.create(
        process=make_process(),
        title=f"Evaluación {seq()}",
        evaluated_on=START,
        rating=Evaluation.Rating.PARTIAL,
        findings="Hallazgos",
    )
    evaluation.institutions.add(make_institution(), make_institution())
    return evaluation


def make_publication():
    publication = Publication.objects.create(
        process=make_process(),
        evaluation=make_evaluation(),
        kind=Publication.Kind.REPORT,
        title=f"Publicación {seq()}",
        published_on=START,
    )
    publication.institutions.add(make_institution())
    return publication


def make_recommendation():
    recommendation = Recommendation.objects.create(
        process=make_process(),
        institution=make_institution(),
        evaluation=make_evaluation(),
        text=f"Recomendación {seq()}",
        proposed_on=START,
    )
    FollowUp.objects.create(
        recommendation=recommendation,
        checked_on=START,
        compliance=Recommendation.Compliance.IN_PROGRESS,
    )
    return recommendation


def make_follow_up():
    return FollowUp.objects.create(
        recommendation=make_recommendation(),
        checked_on=START,
        compliance=Recommendation.Compliance.PENDING,
    )


FACTORIES = {
    Institution: make_institution,
    Contact: make_contact,
    ResponsibilityArea: make_area,
    Ally: make_ally,
    Agreement: make_agreement,
    AgendaItem: make_agenda_item,
    ObservatoryProfile: make_profile,
    TeamMember: make_team_member,
    PublicPolicy: make_policy,
    ObservanceProcess: make_process,
    ProcessStep: make_step,
    Meeting: make_meeting,
    Commitment: make_commitment,
    Holiday: make_holiday,
    EscalationTerm: make_escalation_term,
    InformationRequest: make_request,
    RequestEvent: make_event,
    Evaluation: make_evaluation,
    Publication: make_publication,
    Recommendation: make_recommendation,
    FollowUp: make_follow_up,
}
