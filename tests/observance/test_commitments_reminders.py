"""The observatory's own commitments chase it: in the morning digest, read back from a real SMTP
server, and in each user's calendar feed."""

import datetime

import pytest
from django.core.management import call_command

from observance.models import Commitment
from tests.reminders.conftest import days_from_today, make_meeting_at, smtp_inbox, today  # noqa: F401
from tests.reminders.test_preferences_and_calendar import events_of, feed_path

pytestmark = pytest.mark.django_db


def commitment_due(day, text, who=Commitment.Who.OBSERVATORY, **fields):
    meeting = make_meeting_at(
        datetime.datetime.combine(day, datetime.time(10)).astimezone() - datetime.timedelta(days=40)
    )
    return Commitment.objects.create(meeting=meeting, text=text, who=who, due_on=day, **fields)


@pytest.fixture
def commitments():
    return {
        "overdue": commitment_due(days_from_today(-2), "Enviar el informe de observancia"),
        "soon": commitment_due(days_from_today(4), "Remitir el cronograma"),
        "later": commitment_due(days_from_today(30), "Publicar los resultados"),
        "theirs": commitment_due(
            days_from_today(1), "Designar un punto focal", who=Commitment.Who.COUNTERPART
        ),
        "done": commitment_due(
            days_from_today(-1),
            "Ya enviado",
            status=Commitment.Status.DONE,
            closed_on=today(),
            closing_note="Enviado",
        ),
    }


def test_the_digest_tells_the_observatorys_commitments_due_or_overdue_with_their_links(
    smtp_inbox,  # noqa: F811
    reader,
    commitments,
):
    call_command("send_reminders", stdout=open("/dev/null", "w"))

    (message,) = smtp_inbox.messages
    assert message.envelope_recipients == ["dana@example.org"]
    body = message.get_content()
    assert "Compromisos del observatorio vencidos o por vencer" in body
    overdue = commitments["overdue"]
    day = overdue.due_on.strftime("%d/%m/%Y")
    assert (
        f"Enviar el informe de observancia (reunión con {overdue.meeting.institution}), "
        f"venció el {day}"
    ) in body
    assert f"https://oppms.example.org{overdue.get_absolute_url()}" in body
    assert "Remitir el cronograma" in body and ", vence el " in body
    assert "Publicar los resultados" not in body  # beyond the 7 days ahead
    assert "Designar un punto focal" not in body  # the counterpart's
    assert "Ya enviado" not in body  # closed


def test_a_user_who_may_not_view_commitments_is_not_told(smtp_inbox, outsider, commitments):  # noqa: F811
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert smtp_inbox.messages == []


def test_the_calendar_feed_shows_the_observatorys_open_commitments_on_their_due_day(
    client, reader, commitments
):
    events = events_of(client.get(feed_path(reader)))
    summaries = [summary for summary in events if summary.startswith("Vence un compromiso")]
    overdue = commitments["overdue"]
    event = events[
        f"Vence un compromiso: Enviar el informe de observancia "
        f"(reunión con {overdue.meeting.institution})"
    ]
    assert event.decoded("dtstart") == overdue.due_on
    assert str(event["url"]).endswith(overdue.get_absolute_url())
    assert len(summaries) == 3  # overdue, soon and later; not the counterpart's nor the closed
