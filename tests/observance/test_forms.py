"""The observance forms refuse bad input on their own, with a code a test can name."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observance.forms import (
    FILE_AGAIN,
    FollowUpForm,
    MeetingForm,
    ObservanceProcessForm,
    RequestEventForm,
    StepActionForm,
)
from observance.models import ProcessStep
from tests.institutions.factories import make_institution

from .page_data import PDF_BYTES, make_policy, make_process, make_recommendation

pytestmark = pytest.mark.django_db


def codes(form, field):
    return [error.code for error in form.errors.as_data()[field]]


def test_meeting_form_needs_an_institution_or_an_ally():
    form = MeetingForm(
        {"held_at": "2021-03-15T10:00", "modality": "virtual", "purpose": "Presentación"}
    )
    assert codes(form, "institution") == ["observance_meeting_has_counterpart"]


def test_meeting_form_accepts_dd_mm_yyyy_times_too():
    form = MeetingForm(
        {
            "held_at": "15/03/2021 10:00",
            "modality": "virtual",
            "purpose": "Presentación",
            "institution": make_institution().pk,
        }
    )
    assert form.is_valid(), form.errors


def test_meeting_form_refuses_an_institution_that_does_not_exist():
    form = MeetingForm(
        {"held_at": "2021-03-15T10:00", "modality": "virtual", "purpose": "P", "institution": 999}
    )
    assert codes(form, "institution") == ["invalid_choice"]


def test_rejected_file_says_it_must_be_chosen_again():
    upload = SimpleUploadedFile("acta.docx", PDF_BYTES)
    form = MeetingForm(
        {"held_at": "2021-03-15T10:00", "modality": "virtual", "purpose": "P"},
        {"minutes": upload},
    )
    assert codes(form, "minutes")[0] == "file_content"
    assert str(FILE_AGAIN) in form.errors["minutes"]


def test_response_file_of_the_wrong_type_is_refused():
    form = RequestEventForm(
        {"answered_fully-occurred_on": "2021-01-10"},
        {"answered_fully-response_file": SimpleUploadedFile("r.txt", b"hola")},
        kind="answered_fully",
    )
    assert codes(form, "response_file")[0] == "file_type"


def test_only_answers_carry_a_response_file():
    assert "response_file" not in RequestEventForm(kind="extension").fields


def test_step_cannot_be_completed_before_it_started():
    step = ProcessStep.objects.get(process=make_process(), step=3)
    step.status, step.started_on = "in_progress", datetime.date(2021, 3, 1)
    form = StepActionForm({"step3-on": "2021-02-28"}, step=step, action="complete")
    assert codes(form, "on") == ["completed_before_start"]


def test_process_dates_in_the_wrong_order_are_refused():
    form = ObservanceProcessForm(
        {
            "policy": make_policy().pk,
            "title": "P",
            "started_on": "2021-02-01",
            "closed_on": "2021-01-31",
        }
    )
    assert codes(form, "closed_on") == ["observance_process_closes_after_start"]


def test_follow_up_before_the_proposal_is_refused():
    recommendation = make_recommendation(proposed_on=datetime.date(2021, 6, 10))
    form = FollowUpForm(
        {"checked_on": "2021-06-09", "compliance": "complied"}, recommendation=recommendation
    )
    assert codes(form, "checked_on") == ["before_proposed"]
