"""On a phone (375 px wide) no page of the application scrolls sideways.

Each role visits the pages it may see in one logged-in context, 375 x 740 as a phone. The rows
carry long names and an unbroken address, as real records do: a table or a word that does not
wrap shows at once. The test fails naming the widest pages, and prints the widest page's width
(``pytest -s``; also recorded as the test's property ``widest_page_at_375px``).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observance.models import Commitment
from tests.allies.factories import make_agenda_item, make_agreement, make_ally
from tests.browser.conftest import log_in, open_page
from tests.conftest import PASSWORD
from tests.institutions.factories import make_area, make_contact, make_institution
from tests.observance.page_data import (
    make_evaluation,
    make_follow_up,
    make_meeting_at,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
    make_team_member,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
PHONE_WIDTH = PHONE["viewport"]["width"]

LONG_NAME = "Secretaría de Educación Superior, Ciencia, Tecnología e Innovación"
# An address has no place to break: it must wrap anyway.
ADDRESS = "https://www.educacionsuperior.gob.ec/registro-de-titulos-obtenidos-en-el-exterior/"


def make_records():
    """One record of each kind, linked as in real use; the names of the pages to visit."""
    today = timezone.localdate()
    institution = make_institution(name=LONG_NAME, acronym="SENESCYT")
    make_contact(
        institution, name="María Fernanda Guamán", email="registro.titulos@senescyt.gob.ec"
    )
    area = make_area(institution, name="Subsecretaría de Formación Académica y Profesional")
    ally = make_ally(name="Facultad Latinoamericana de Ciencias Sociales, sede Ecuador")
    agreement = make_agreement(ally, title="Convenio marco de cooperación interinstitucional")
    agenda_item = make_agenda_item(agreement, activity=f"Taller sobre {ADDRESS}")
    process = make_process(
        title="Observancia 2026 de la Ley Orgánica de Movilidad Humana", institutions=[institution]
    )
    meeting = make_meeting_at(
        timezone.now() - datetime.timedelta(days=3),
        institution=institution,
        process=process,
        purpose=f"Revisar el trámite publicado en {ADDRESS}",
    )
    make_meeting_at(timezone.now() - datetime.timedelta(days=2), ally=ally)
    commitment = Commitment.objects.create(
        meeting=meeting,
        text=f"Enviar el listado de títulos registrados, publicado en {ADDRESS}",
        who=Commitment.Who.COUNTERPART,
        due_on=today - datetime.timedelta(days=1),
    )
    request = make_request(
        institution=institution,
        sent_on=today - datetime.timedelta(days=40),
        subject="Registro de títulos obtenidos en el exterior por migrantes retornados",
    )
    evaluation = make_evaluation(process=process, findings=f"Información incompleta: {ADDRESS}")
    publication = make_publication(process=process, evaluation=evaluation)
    recommendation = make_recommendation(
        process=process, institution=institution, text=f"Publicar los requisitos en {ADDRESS}"
    )
    make_follow_up(recommendation)
    member = make_team_member(name="Víctor Hugo Cabascango Quishpe")
    policy = process.policy
    half = 1 if today.month <= 6 else 2

    def history(record):
        meta = record._meta
        return reverse("record-history", args=[meta.app_label, meta.model_name, record.pk])

    lists = [
        "observance:dashboard",
        "observance:meeting-list",
        "observance:commitment-list",
        "observance:request-list",
        "observance:policy-list",
        "observance:process-list",
        "observance:evaluation-list",
        "observance:publication-list",
        "observance:recommendation-list",
        "institutions:institution-list",
        "allies:ally-list",
        "allies:agreement-list",
        "allies:agendaitem-list",
        "observance:profile",
        "observance:team",
        "reminder-preferences",
    ]
    filtered = [
        reverse("observance:meeting-list") + f"?institution={institution.pk}&sort=-date",
        reverse("observance:request-list") + "?state=overdue",
        reverse("observance:commitment-list") + "?state=overdue",
        reverse("search:results") + "?q=titulos",
    ]
    records = [institution, ally, agreement, process, policy, meeting, request]
    records += [evaluation, publication, recommendation]
    details = [record.get_absolute_url() for record in records]
    edits = [
        reverse(f"{name}-update", args=[record.pk])
        for name, record in [
            ("institutions:institution", institution),
            ("institutions:contact", institution.contacts.get()),
            ("institutions:area", area),
            ("allies:ally", ally),
            ("allies:agreement", agreement),
            ("allies:agendaitem", agenda_item),
            ("observance:meeting", meeting),
            ("observance:request", request),
            ("observance:policy", policy),
            ("observance:process", process),
            ("observance:evaluation", evaluation),
            ("observance:publication", publication),
            ("observance:recommendation", recommendation),
        ]
    ]
    creates = [
        reverse(name)
        for name in (
            "institutions:institution-create",
            "allies:ally-create",
            "allies:agreement-create",
            "observance:meeting-create",
            "observance:request-create",
            "observance:policy-create",
            "observance:process-create",
            "observance:evaluation-create",
            "observance:publication-create",
            "observance:recommendation-create",
        )
    ]
    creates += [
        reverse("institutions:contact-create", args=[institution.pk]),
        reverse("institutions:area-create", args=[institution.pk]),
        reverse("allies:agendaitem-create", args=[agreement.pk]),
        reverse("observance:commitment-close", args=[commitment.pk]),
    ]
    histories = [history(record) for record in (institution, meeting, request, recommendation)]
    reports = [
        reverse("reports:report-list"),
        reverse("reports:report-detail", args=[today.year, half]),
        reverse("reports:report-edit", args=[today.year, half]),
    ]
    administration = [
        reverse("observance:team-member-create"),
        reverse("observance:team-member-update", args=[member.pk]),
        reverse("observance:profile-update"),
        reverse("admin:index"),
        reverse("admin:observance_meeting_changelist"),
        reverse("admin:observance_meeting_change", args=[meeting.pk]),
        reverse("admin:institutions_institution_changelist"),
    ]
    everyday = [reverse(name) for name in lists] + filtered + details + histories
    return {
        "coordinator": everyday + edits + creates,
        # The reader's pages are the coordinator's without their buttons: the lists suffice.
        "reader": [reverse(name) for name in lists],
        "secretary": reports,
        "administrator": administration,
    }


def page_widths(chromium, live_server, user, paths):
    """(width, role, path) of each page, as ``user`` sees it on a phone."""
    widths = []
    opened = open_page(chromium, live_server, **PHONE)
    page = next(opened)
    try:
        log_in(page, user.username, PASSWORD)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, (user.username, path, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            widths.append((width, user.username, path))
    finally:
        next(opened, None)  # closes the context
    return widths


def test_no_page_scrolls_sideways_on_a_phone(
    chromium, live_server, coordinator, reader, secretary, administrator, record_property
):
    pages = make_records()
    users = {
        "coordinator": coordinator,
        "reader": reader,
        "secretary": secretary,
        "administrator": administrator,
    }
    widths = []
    for role, paths in pages.items():
        widths += page_widths(chromium, live_server, users[role], paths)

    widths.sort(reverse=True)
    widest, user, path = widths[0]
    record_property("widest_page_at_375px", f"{widest} px {path} ({user})")
    print(
        f"\n{len(widths)} page visits at {PHONE_WIDTH} px; the widest: {widest} px, {path} ({user})"
    )
    too_wide = [
        f"{width} px {path} ({user})" for width, user, path in widths if width > PHONE_WIDTH
    ]
    assert not too_wide, "Pages wider than a phone, widest first:\n" + "\n".join(too_wide)
