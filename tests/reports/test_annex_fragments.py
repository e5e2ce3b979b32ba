"""The annex's tables are rendered once for each content and language (the "fragments" cache,
keyed by the rows they show): whatever was rendered before, the preview shows the rows as they
are now, in the reader's language."""

import datetime
import re

from django.urls import reverse

from institutions.models import Institution
from observance.models import Meeting
from tests.institutions.factories import make_institution, make_meeting

URL = reverse("reports:report-detail", args=[2021, 1])


def annex(client):
    html = client.get(URL).content.decode()
    return re.search(
        r'<section class="report-section annex" id="annex">(.*?)</section>', html, re.S
    )[1]


def test_the_annex_shows_a_meeting_changed_since_it_was_rendered(secretary_client):
    institution = make_institution(name="Ministerio de Salud Pública", acronym="MSP")
    meeting = make_meeting(institution, held_on=datetime.date(2021, 3, 15))
    before = annex(secretary_client)
    assert "<td>MSP</td><td>Virtual</td>" in before
    Institution.objects.filter(pk=institution.pk).update(acronym="MSP-EC")
    meeting.modality = Meeting.Modality.IN_PERSON
    meeting.save()
    after = annex(secretary_client)
    assert "<td>MSP-EC</td><td>Presencial</td>" in after
    assert "<td>MSP</td>" not in after


def test_the_annex_is_in_each_readers_language(secretary_client):
    make_meeting(make_institution(acronym="MREMH"), held_on=datetime.date(2021, 3, 15))
    Meeting.objects.update(modality=Meeting.Modality.IN_PERSON)
    assert "<td>MREMH</td><td>Presencial</td>" in annex(secretary_client)
    secretary_client.post(reverse("set-language"), {"language": "en", "next": "/"})
    assert "<td>MREMH</td><td>In person</td>" in annex(secretary_client)
