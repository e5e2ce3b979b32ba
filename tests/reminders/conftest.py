import datetime
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from allies.models import AgendaItem
from observance.models import InformationRequest, Meeting, Recommendation
from tests.admin.conftest import make_agreement, make_institution, make_process
from tests.observance.page_data import make_recommendation


def today():
    return timezone.localdate()


def days_from_today(days):
    return today() + datetime.timedelta(days=days)


def make_request_due(day, **extra):
    """An open request whose LOTAIP deadline is ``day``."""
    request = InformationRequest.objects.create(
        institution=make_institution(),
        process=make_process(),
        sent_on=day - datetime.timedelta(days=30),
        **({"subject": "Solicitud"} | extra),
    )
    InformationRequest.objects.filter(pk=request.pk).update(due_on=day)
    request.refresh_from_db()
    return request


def make_meeting_at(when, purpose="Vinculación"):
    return Meeting.objects.create(
        held_at=when,
        modality=Meeting.Modality.IN_PERSON,
        institution=make_institution(),
        purpose=purpose,
    )


def make_recommendation_due(day, compliance=Recommendation.Compliance.PENDING, text="Publicar"):
    return make_recommendation(
        process=make_process(),
        institution=make_institution(),
        text=text,
        proposed_on=day - datetime.timedelta(days=60),
        due_on=day,
        compliance=compliance,
    )


def make_agenda_item_due(day, activity="Taller", status=AgendaItem.Status.PENDING):
    return AgendaItem.objects.create(
        agreement=make_agreement(), activity=activity, due_on=day, status=status
    )


class Inbox:
    """What a real SMTP server received: parsed messages."""

    def __init__(self):
        self.messages = []
        self.refused = set()

    def refuse(self, *addresses):
        """Refuse these recipients from now on (none: accept everybody again)."""
        self.refused = set(addresses)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on localhost, and the project's e-mail settings pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://oppms.example.org"
    try:
        yield inbox
    finally:
        controller.stop()
