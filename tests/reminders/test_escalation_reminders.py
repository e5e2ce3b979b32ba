"""An escalation step's answer due date joins the morning digest and the calendar feed."""

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from observance.models import RequestEvent
from observance.services import escalation_outcome_record, request_escalate
from oppms.models import ReminderPreferences

from .conftest import days_from_today, make_request_due, today

pytestmark = pytest.mark.django_db


def escalation_due(day, subject, kind=RequestEvent.Kind.CORRECTION_ASKED):
    """An insistence on an overdue request whose answer is due on ``day``."""
    request = make_request_due(days_from_today(-40), subject=subject)
    step = request_escalate(request=request, kind=kind, occurred_on=days_from_today(-30))
    RequestEvent.objects.filter(pk=step.pk).update(due_on=day)
    step.refresh_from_db()
    return step


@pytest.fixture
def escalations():
    answered = escalation_due(days_from_today(2), "Ya respondida")
    escalation_outcome_record(event=answered, outcome="rejected", outcome_on=today())
    return {
        "soon": escalation_due(days_from_today(3), "Nómina de personal"),
        "overdue": escalation_due(days_from_today(-1), "Presupuesto 2026"),
        "already_told": escalation_due(days_from_today(-20), "Contratos viejos"),
        "later": escalation_due(days_from_today(30), "Plan anual lejano"),
        "answered": answered,
    }


def test_the_digest_read_back_from_smtp_names_the_escalations_awaiting_an_answer(
    smtp_inbox, reader, escalations
):
    call_command("send_reminders", stdout=open("/dev/null", "w"))

    [message] = smtp_inbox.messages
    assert message.envelope_recipients == [reader.email]
    body = message.get_content()
    assert "Reclamos en espera de respuesta" in body
    soon, overdue = escalations["soon"], escalations["overdue"]
    day = days_from_today(3).strftime("%d/%m/%Y")
    assert (
        f"Insistencia o pedido de corrección sobre «Nómina de personal» "
        f"({soon.request.institution}), respuesta hasta el {day}"
    ) in body
    assert "«Presupuesto 2026»" in body and "la respuesta vencía el" in body
    for left_out in ["Contratos viejos", "Plan anual lejano", "Ya respondida"]:
        assert left_out not in body
    assert f"https://oppms.example.org{overdue.request.get_absolute_url()}" in body


def test_the_calendar_feed_has_each_escalation_due_date_awaiting_an_answer(
    client, reader, escalations
):
    secret = ReminderPreferences.of(reader).calendar_secret
    response = client.get(reverse("calendar-feed", args=[secret]))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {
        str(event["summary"]): event
        for event in calendar.walk("VEVENT")
        if str(event["uid"]).startswith("escalation-due-")
    }
    soon = escalations["soon"]
    summary = (
        "Vence respuesta al reclamo: Insistencia o pedido de corrección, Nómina de personal "
        f"({soon.request.institution})"
    )
    assert events[summary].decoded("dtstart") == days_from_today(3)
    assert str(events[summary]["url"]).endswith(soon.request.get_absolute_url())
    assert not any("Ya respondida" in summary for summary in events)
    assert len(events) == 4  # the answered one is left out


def test_a_step_without_a_due_date_is_in_neither(client, smtp_inbox, reader):
    step = escalation_due(days_from_today(1), "Acción sin plazo")
    RequestEvent.objects.filter(pk=step.pk).update(due_on=None)
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert all("Acción sin plazo" not in m.get_content() for m in smtp_inbox.messages)
