import datetime

import pytest
from django.utils import timezone

from observance.models import Commitment, ProcessStep
from observance.services import request_escalate
from tests.observance.page_data import (
    make_evaluation,
    make_meeting_at,
    make_policy,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
    make_team_member,
)
from tests.permissions.matrix import ROLES, Entry, check


def pk_of(builder):
    def setup():
        return {"pk": builder().pk}

    return setup


def meeting():
    return make_meeting_at(timezone.now())


def commitment():
    return Commitment.objects.create(meeting=meeting(), text="Designar un punto focal")


def step():
    process = make_process()
    return {"pk": process.pk, "step": ProcessStep.objects.get(process=process, step=1).step}


def escalation():
    request = make_request(sent_on=timezone.localdate() - datetime.timedelta(days=40))
    step = request_escalate(
        request=request, kind="correction_asked", occurred_on=timezone.localdate()
    )
    return {"pk": request.pk, "requestevent_pk": step.pk}


def perm(action, model):
    return f"observance.{action}_{model}"


def record_entries(name, model, builder):
    """List, detail, create and update pages of one kind of record."""
    view, add, change = perm("view", model), perm("add", model), perm("change", model)
    return [
        Entry(f"observance:{name}-list", get=view, post=None),
        Entry(f"observance:{name}-detail", get=view, post=None, setup=pk_of(builder)),
        Entry(f"observance:{name}-create", get=add, post=add),
        Entry(f"observance:{name}-update", get=change, post=change, setup=pk_of(builder)),
    ]


MATRIX = [
    Entry("observance:dashboard", get=perm("view", "meeting"), post=None),
    *record_entries("meeting", "meeting", meeting),
    Entry("observance:commitment-list", get=perm("view", "commitment"), post=None),
    Entry(
        "observance:commitment-close",
        get=perm("change", "commitment"),
        post=perm("change", "commitment"),
        setup=pk_of(commitment),
    ),
    *record_entries("request", "informationrequest", make_request),
    *record_entries("policy", "publicpolicy", make_policy),
    *record_entries("process", "observanceprocess", make_process),
    *record_entries("evaluation", "evaluation", make_evaluation),
    *record_entries("publication", "publication", make_publication),
    *record_entries("recommendation", "recommendation", make_recommendation),
    # Actions: POST only; the matrix sends a POST missing its date, which is shown again.
    Entry(
        "observance:request-event",
        get=None,
        post=perm("add", "requestevent"),
        setup=pk_of(make_request),
        post_data=lambda kwargs: {"kind": "answered_fully"},
    ),
    # What came of an escalation step: an empty POST is shown again with its errors.
    Entry(
        "observance:escalation-outcome",
        get=None,
        post=perm("change", "requestevent"),
        setup=escalation,
    ),
    Entry(
        "observance:process-step-start",
        get=None,
        post=perm("change", "processstep"),
        setup=step,
    ),
    Entry(
        "observance:process-step-complete",
        get=None,
        post=perm("change", "processstep"),
        setup=step,
    ),
    Entry(
        "observance:recommendation-follow-up",
        get=None,
        post=perm("add", "followup"),
        setup=pk_of(make_recommendation),
    ),
    Entry("observance:profile", get=perm("view", "observatoryprofile"), post=None),
    Entry(
        "observance:profile-update",
        get=perm("change", "observatoryprofile"),
        post=perm("change", "observatoryprofile"),
    ),
    Entry("observance:team", get=perm("view", "teammember"), post=None),
    Entry(
        "observance:team-member-create",
        get=perm("add", "teammember"),
        post=perm("add", "teammember"),
    ),
    Entry(
        "observance:team-member-update",
        get=perm("change", "teammember"),
        post=perm("change", "teammember"),
        setup=pk_of(make_team_member),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=str)
def test_each_role_gets_the_expected_answer(db, client, entry, role):
    check(client, entry, role)
