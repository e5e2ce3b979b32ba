"""The annex's tables, and the sections a meeting logged leaves as they were, are rendered once
for each content and language (the "fragments" cache, keyed by what they show): whatever was
rendered before, the preview shows the records as they are now, in the reader's language."""

import datetime
import re

from django.urls import reverse

from institutions.models import Institution
from observance.models import Meeting
from tests.allies.factories import make_ally
from tests.institutions.factories import make_institution, make_meeting
from tests.observance.page_data import make_request

URL = reverse("reports:report-detail", args=[2021, 1])


def section(client, name):
    html = client.get(URL).content.decode()
    return re.search(
        rf'<section class="report-section[^"]*" id="{name}">(.*?)</section>', html, re.S
    )[1]


def annex(client):
    return section(client, "annex")


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


def test_the_requests_section_shows_a_request_changed_since_it_was_rendered(secretary_client):
    institution = make_institution(name="Ministerio de Salud Pública", acronym="MSP")
    make_request(institution, sent_on=datetime.date(2021, 3, 15))
    assert re.search(
        r'<td>MSP</td><td class="num"><a [^>]+>1</a>', section(secretary_client, "requests")
    )
    Institution.objects.filter(pk=institution.pk).update(acronym="MSP-EC")
    make_request(institution, sent_on=datetime.date(2021, 3, 20))
    after = section(secretary_client, "requests")
    assert re.search(r'<td>MSP-EC</td><td class="num"><a [^>]+>2</a>', after)
    assert "<td>MSP</td>" not in after


def test_the_allies_section_is_in_each_readers_language(secretary_client):
    make_ally(name="Universidad Central del Ecuador", allied_on=datetime.date(2021, 1, 4))
    assert "<h2>Aliados estratégicos</h2>" in section(secretary_client, "allies")
    secretary_client.post(reverse("set-language"), {"language": "en", "next": "/"})
    assert "<h2>Strategic allies</h2>" in section(secretary_client, "allies")
