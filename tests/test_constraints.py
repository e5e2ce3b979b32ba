"""Every named constraint of our domain models holds in the database and in full_clean().

The list of constraints is read from the models' Meta: a constraint added without a case here
fails ``test_every_named_constraint_has_a_case``.
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone

from allies.models import Agreement, Ally
from institutions.models import Institution, ResponsibilityArea
from observance.models import (
    Commitment,
    EscalationTerm,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    PublicPolicy,
    Recommendation,
    RequestEvent,
    TeamMember,
)

APPS = ["institutions", "allies", "observance"]
FIRST, LATER = datetime.date(2021, 6, 1), datetime.date(2021, 6, 15)
ANSWERED = InformationRequest.Outcome.ANSWERED_FULLY


def constraints_in_meta():
    found = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                found[constraint.name] = (model, constraint)
    return found


CONSTRAINTS = constraints_in_meta()


@pytest.fixture
def world(db):
    """The records the violating ones hang from."""
    institution = Institution.objects.create(name="Ministerio de Salud Pública", mapped_on=FIRST)
    policy = PublicPolicy.objects.create(name="Ley Orgánica de Movilidad Humana", group="both")
    return {
        "institution": institution,
        "ally": Ally.objects.create(name="Universidad Nacional de Loja", kind="academia"),
        "process": ObservanceProcess.objects.create(
            policy=policy, title="Observancia 2021", started_on=FIRST
        ),
        "area": ResponsibilityArea.objects.create(institution=institution, name="Salud"),
    }


def request(world, **dates):
    record = InformationRequest(
        institution=world["institution"], subject="Atención de salud", sent_on=LATER, **dates
    )
    record.due_on = record.deadline().due_on  # set by save(); full_clean() needs it too
    return record


# name: (record that breaks the rule, how the raw ORM writes it)
VIOLATIONS = {
    "institutions_area_unique_name": lambda w: ResponsibilityArea(
        institution=w["institution"], name=w["area"].name
    ),
    "allies_agreement_ends_after_signed": lambda w: Agreement(
        ally=w["ally"], title="Convenio", status="signed", signed_on=LATER, ends_on=FIRST
    ),
    "allies_agreement_signed_has_date": lambda w: Agreement(
        ally=w["ally"], title="Convenio", status="in_execution", signed_on=None
    ),
    "observance_profile_single_record": lambda w: ObservatoryProfile(
        pk=2, name="Otro observatorio", acronym="OTRO"
    ),
    "observance_teammember_ends_after_start": lambda w: TeamMember(
        name="Pablo López Vaca", role_title="Procurador", started_on=LATER, ended_on=FIRST
    ),
    "observance_process_closes_after_start": lambda w: ObservanceProcess(
        policy=w["process"].policy, title="Cerrado antes", started_on=LATER, closed_on=FIRST
    ),
    "observance_processstep_one_per_step": lambda w: ProcessStep(process=w["process"], step=1),
    "observance_processstep_valid_step": lambda w: ProcessStep(process=w["process"], step=8),
    "observance_processstep_completes_after_start": lambda w: step_completed_early(w),
    "observance_meeting_has_counterpart": lambda w: Meeting(
        held_at=timezone.now(), modality="virtual", purpose="Vinculación"
    ),
    "observance_request_answered_after_sent": lambda w: request(
        w, outcome=ANSWERED, answered_on=FIRST
    ),
    "observance_request_extension_after_sent": lambda w: request(w, extension_notified_on=FIRST),
    "observance_request_answer_has_date": lambda w: request(w, outcome=ANSWERED),
    "observance_recommendation_due_after_proposed": lambda w: Recommendation(
        process=w["process"],
        institution=w["institution"],
        text="Publicar las cifras desagregadas.",
        proposed_on=LATER,
        due_on=FIRST,
    ),
    "observance_commitment_closed_has_date_and_note": lambda w: Commitment(
        meeting=Meeting.objects.create(
            held_at=timezone.make_aware(datetime.datetime(2021, 6, 1, 10)),
            modality=Meeting.Modality.VIRTUAL,
            institution=w["institution"],
            purpose="Vinculación",
        ),
        text="Designar un punto focal",
        status=Commitment.Status.DONE,
        closed_on=LATER,
    ),
    "observance_requestevent_outcome_only_on_ladder": lambda w: event(
        w, kind="answered_fully", outcome="pending"
    ),
    "observance_requestevent_outcome_has_date": lambda w: event(
        w, kind="correction_asked", outcome="no_answer"
    ),
    "observance_requestevent_outcome_after_filing": lambda w: event(
        w, kind="correction_asked", outcome="no_answer", outcome_on=FIRST
    ),
    "observance_escalationterm_valid_step": lambda w: EscalationTerm(step=4, days=10),
    "observance_escalationterm_days_in_range": lambda w: term_of_no_days(),
}


def event(world, **fields):
    """A timeline event of a saved request, filed on LATER."""
    saved = request(world)
    saved.save()
    return RequestEvent(request=saved, occurred_on=LATER, **fields)


def term_of_no_days():
    term, _created = EscalationTerm.objects.get_or_create(step=1, defaults={"days": 10})
    term.days = 0
    return term


def step_completed_early(world):
    step = world["process"].steps.get(step=1)
    step.started_on, step.completed_on = LATER, FIRST
    return step


def write(record):
    if isinstance(record, ObservatoryProfile | RequestEvent):
        # save() pins the single profile to pk=1, and fills an event's ladder fields from its
        # kind; bulk_create is the raw ORM path around both.
        type(record).objects.bulk_create([record])
    else:
        record.save()


def expected_message(name, record):
    model, constraint = CONSTRAINTS[name]
    if isinstance(constraint, UniqueConstraint) and constraint.fields:
        return ValidationError(record.unique_error_message(model, constraint.fields)).messages[0]
    return constraint.get_violation_error_message()


def test_every_named_constraint_has_a_case():
    assert set(CONSTRAINTS) == set(VIOLATIONS)


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_the_database_rejects_what_the_constraint_forbids(world, name):
    record = VIOLATIONS[name](world)

    with pytest.raises(IntegrityError), transaction.atomic():
        write(record)


# Rules a form field already enforces: full_clean() stops at the field's own message and
# leaves the constraint, the database's backstop, to validate_constraints().
CAUGHT_BY_FIELD = {
    "observance_processstep_valid_step": "step",
    "observance_escalationterm_valid_step": "step",
}
# Rules full_clean() never meets: the model's clean() fills the fields they guard (an event's
# ladder fields follow its kind), so that only a raw write can break them.
FILLED_BY_CLEAN = {"observance_requestevent_outcome_only_on_ladder"}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_full_clean_gives_the_constraints_message(world, name):
    record = VIOLATIONS[name](world)

    with pytest.raises(ValidationError) as error:
        if name in CAUGHT_BY_FIELD or name in FILLED_BY_CLEAN:
            record.validate_constraints()
        else:
            record.full_clean()

    assert error.value.messages == [str(expected_message(name, record))]


@pytest.mark.parametrize("name", sorted(CAUGHT_BY_FIELD))
def test_full_clean_refuses_the_field_the_constraint_guards(world, name):
    record = VIOLATIONS[name](world)

    with pytest.raises(ValidationError) as error:
        record.full_clean()

    assert list(error.value.error_dict) == [CAUGHT_BY_FIELD[name]]
