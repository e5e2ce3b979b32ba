"""send_reminders e-mails each user one Spanish digest a day, read back from a real SMTP server."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from allies.models import AgendaItem
from observance.models import Recommendation
from oppms import roles
from oppms.models import DigestSent, ReminderPreferences
from oppms.reminders import sources
from tests.conftest import make_user

from .conftest import (
    days_from_today,
    make_agenda_item_due,
    make_meeting_at,
    make_recommendation_due,
    make_request_due,
    today,
)

pytestmark = pytest.mark.django_db


def tomorrow_at(hour, minute=0):
    day = days_from_today(1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def concerning_records():
    return {
        "overdue": make_request_due(days_from_today(-1), subject="Presupuesto 2026"),
        "already_told": make_request_due(days_from_today(-20), subject="Contratos viejos"),
        "due_soon": make_request_due(days_from_today(3), subject="Nómina de personal"),
        "due_later": make_request_due(days_from_today(30), subject="Plan anual lejano"),
        "recommendation": make_recommendation_due(days_from_today(-5), text="Publicar el POA"),
        "complied": make_recommendation_due(
            days_from_today(-5), Recommendation.Compliance.COMPLIED, text="Ya cumplida"
        ),
        "agenda": make_agenda_item_due(days_from_today(2), activity="Taller de veeduría"),
        "agenda_done": make_agenda_item_due(
            days_from_today(2), activity="Taller terminado", status=AgendaItem.Status.DONE
        ),
        "meeting": make_meeting_at(tomorrow_at(9, 30), purpose="Revisión del POA"),
        "meeting_later": make_meeting_at(tomorrow_at(9, 30) + datetime.timedelta(days=2)),
    }


def send_reminders():
    call_command("send_reminders", stdout=open("/dev/null", "w"))


def test_the_digest_arrives_by_smtp_in_spanish_with_every_kind_of_reminder_and_its_link(
    smtp_inbox, reader, concerning_records
):
    send_reminders()

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message.envelope_recipients == ["dana@example.org"]
    assert message["To"] == "dana@example.org"
    day = today().strftime("%d/%m/%Y")
    assert message["Subject"] == f"OPPMS: sus recordatorios del {day} (5)"
    body = message.get_content()
    records = concerning_records
    assert "Esto es lo que le concierne en OPPMS" in body
    assert "Solicitudes que quedaron vencidas (negativa tácita)" in body
    assert f"Presupuesto 2026 ({records['overdue'].institution}), venció el" in body
    assert "Solicitudes que vencen pronto" in body
    assert f"Nómina de personal ({records['due_soon'].institution}), vence el" in body
    assert "Recomendaciones pasadas su fecha prevista" in body
    assert "Publicar el POA" in body
    assert "Actividades de agenda de convenios vencidas o por vencer" in body
    assert "Taller de veeduría" in body
    assert "Reuniones de mañana" in body
    assert "09:30" in body and "Revisión del POA" in body
    for left_out in ["Contratos viejos", "Plan anual lejano", "Ya cumplida", "Taller terminado"]:
        assert left_out not in body
    for name in ["overdue", "due_soon", "recommendation", "meeting"]:
        assert f"https://oppms.example.org{records[name].get_absolute_url()}" in body
    assert f"https://oppms.example.org{records['agenda'].agreement.get_absolute_url()}" in body
    assert "https://oppms.example.org/cuentas/preferencias/" in body


def test_running_it_twice_the_same_day_sends_nothing_new(smtp_inbox, reader, concerning_records):
    send_reminders()
    send_reminders()

    assert len(smtp_inbox.messages) == 1
    assert DigestSent.objects.get(user=reader).day == today()


def test_a_request_already_reported_overdue_is_not_repeated_the_next_day(smtp_inbox, reader):
    make_request_due(days_from_today(-2), subject="Informe de gestión")
    DigestSent.objects.create(user=reader, day=days_from_today(-1), item_count=1)

    send_reminders()

    assert smtp_inbox.messages == []


def test_a_user_who_turned_the_digest_off_gets_none(smtp_inbox, reader, concerning_records):
    ReminderPreferences.objects.create(user=reader, digest_enabled=False)

    send_reminders()

    assert smtp_inbox.messages == []


def test_the_days_ahead_a_user_chose_decide_which_requests_are_due_soon(smtp_inbox, reader):
    make_request_due(days_from_today(10), subject="Dentro de diez días")
    send_reminders()
    assert smtp_inbox.messages == []  # the default looks 7 days ahead

    DigestSent.objects.all().delete()
    ReminderPreferences.objects.create(user=reader, days_ahead=10)
    send_reminders()
    assert "Dentro de diez días" in smtp_inbox.messages[0].get_content()


def test_each_user_hears_only_of_what_they_may_view(smtp_inbox, reader, concerning_records):
    make_user("sinrol")  # an account without a role views nothing

    send_reminders()

    assert [m.envelope_recipients for m in smtp_inbox.messages] == [["dana@example.org"]]


def test_a_new_source_plugs_into_the_digest_with_one_function(smtp_inbox, reader):
    from oppms.reminders import DigestItem, digest_source

    def commitments(user, digest_day):
        return [DigestItem("Entregar el acta", "/compromisos/1/")]

    digest_source("Compromisos")(commitments)
    try:
        send_reminders()
    finally:
        sources.digest.remove(("Compromisos", commitments))

    body = smtp_inbox.messages[0].get_content()
    assert "Compromisos" in body
    assert "https://oppms.example.org/compromisos/1/" in body


def test_a_refused_digest_fails_the_run_and_goes_out_on_the_next_while_others_get_theirs(
    smtp_inbox, reader, concerning_records
):
    make_user("rechazado", roles.CONSULTA)
    smtp_inbox.refuse("rechazado@example.org")

    with pytest.raises(CommandError, match="rechazado@example.org"):
        send_reminders()
    assert [m.envelope_recipients for m in smtp_inbox.messages] == [["dana@example.org"]]
    assert not DigestSent.objects.filter(user__username="rechazado").exists()

    smtp_inbox.refuse()
    send_reminders()
    assert smtp_inbox.messages[-1].envelope_recipients == ["rechazado@example.org"]
    assert len(smtp_inbox.messages) == 2
