"""Information requests in the admin: the LOTAIP clock, filtered by the database."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from observance.models import InformationRequest

from .conftest import make_request

CHANGELIST = reverse("admin:observance_informationrequest_changelist")


@pytest.fixture
def requests_on_the_clock(db):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=40)
    return {
        "overdue": make_request(subject="overdue", sent_on=long_ago),
        "answered late": make_request(
            subject="answered late",
            sent_on=long_ago,
            outcome=InformationRequest.Outcome.ANSWERED_FULLY,
            answered_on=today,
        ),
        "due soon": make_request(subject="due soon", sent_on=today - datetime.timedelta(days=7)),
        "just sent": make_request(subject="just sent", sent_on=today),
    }


def listed(client, state):
    response = client.get(CHANGELIST, {"deadline": state})
    assert response.status_code == 200
    return sorted(request.subject for request in response.context["cl"].result_list)


def test_the_overdue_filter_lists_only_unanswered_requests_past_their_due_date(
    admin_client_user, requests_on_the_clock
):
    assert listed(admin_client_user, "overdue") == ["overdue"]


def test_the_due_soon_filter_lists_open_requests_due_within_five_days(
    admin_client_user, requests_on_the_clock
):
    assert listed(admin_client_user, "due_soon") == ["due soon"]


def test_the_answered_filter_lists_answered_requests(admin_client_user, requests_on_the_clock):
    assert listed(admin_client_user, "answered") == ["answered late"]


def test_an_unknown_filter_value_lists_everything(admin_client_user, requests_on_the_clock):
    assert len(listed(admin_client_user, "nonsense")) == 4


def test_the_overdue_column_flags_only_the_overdue_request(administrator, requests_on_the_clock):
    model_admin = admin.site._registry[InformationRequest]
    request = RequestFactory().get(CHANGELIST)
    request.user = administrator
    flags = {r.subject: model_admin.overdue(r) for r in model_admin.get_queryset(request)}
    assert flags == {"overdue": True, "answered late": False, "due soon": False, "just sent": False}


def test_the_change_page_explains_how_the_due_date_was_computed(
    admin_client_user, requests_on_the_clock
):
    request = requests_on_the_clock["overdue"]
    response = admin_client_user.get(
        reverse("admin:observance_informationrequest_change", args=[request.pk])
    )
    content = response.content.decode()
    assert all(escape(line) in content for line in request.deadline_explanation())


def test_the_due_date_cannot_be_typed_in_the_admin(admin_client_user, requests_on_the_clock):
    request = requests_on_the_clock["overdue"]
    response = admin_client_user.get(
        reverse("admin:observance_informationrequest_change", args=[request.pk])
    )
    assert "due_on" not in response.context["adminform"].form.fields
