"""The semiannual report counts the commitments of the semester's meetings as of its cut-off,
links each figure to the list of exactly those commitments, and keeps them once finalized."""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from observance.models import Commitment
from reports.builder import report_figures
from reports.periods import Period
from tests.history.conftest import finalize, held, make_meeting

FIRST_2021 = Period(2021, 1)
FIGURE_LINK = re.compile(r'<a class="figure-link" href="([^"]+)" data-figure="(\d+)">')
RECORD_COUNT = re.compile(r'id="record-count">\s*(\d+)')


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def commit(meeting, text, **fields):
    return Commitment.objects.create(meeting=meeting, text=text, **fields)


def closed(meeting, text, day, status="done", **fields):
    return commit(meeting, text, status=status, closed_on=day, closing_note="Cerrado", **fields)


@pytest.fixture
def semester(db):
    """Commitments of a March 2021 meeting, of a September one, and of one in 2020."""
    march = make_meeting(held(2021, 3, 15))
    september = make_meeting(held(2021, 9, 15))
    earlier = make_meeting(held(2020, 11, 10))
    return {
        "done_in_time": closed(march, "Cumplido en mayo", datetime.date(2021, 5, 2)),
        "cancelled": closed(march, "Cancelado", datetime.date(2021, 4, 2), status="cancelled"),
        # Closed after the cut-off: open at it, and overdue since it was due in April.
        "closed_later": closed(
            march,
            "Cumplido en agosto",
            datetime.date(2021, 8, 20),
            due_on=datetime.date(2021, 4, 30),
        ),
        "pending_overdue": commit(
            march, "Pendiente vencido", who="observatory", due_on=datetime.date(2021, 6, 1)
        ),
        "pending_not_due": commit(march, "Vence en julio", due_on=datetime.date(2021, 7, 15)),
        "pending_undated": commit(march, "Sin fecha"),
        "next_semester": commit(september, "De septiembre", due_on=datetime.date(2021, 9, 30)),
        "earlier": commit(earlier, "De 2020", due_on=datetime.date(2020, 12, 1)),
    }


def test_the_report_counts_the_semesters_commitments_as_of_its_cut_off(semester):
    figures = report_figures(period=FIRST_2021, today=datetime.date(2021, 12, 1))
    assert figures["commitments"] == {
        "made": 6,
        "closed": 2,
        "done": 1,
        "overdue": 2,
        "observatory": 1,
    }


def figure_links(client, period):
    response = client.get(reverse("reports:report-detail", args=[period.year, period.half]))
    assert response.status_code == 200
    return [
        (html.unescape(url), int(value))
        for url, value in FIGURE_LINK.findall(response.content.decode())
        if "/compromisos/" in url
    ]


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return int(RECORD_COUNT.search(response.content.decode())[1])


def test_each_commitment_figure_links_a_list_of_as_many_commitments(semester, secretary_client):
    links = figure_links(secretary_client, FIRST_2021)
    assert sorted(figure for _url, figure in links) == [1, 1, 2, 2, 6]
    assert [
        (url, figure) for url, figure in links if list_count(secretary_client, url) != figure
    ] == []


def test_the_overdue_list_of_the_report_names_the_commitments_open_at_the_cut_off(
    semester, secretary_client
):
    (url,) = [
        url for url, _figure in figure_links(secretary_client, FIRST_2021) if "overdue" in url
    ]
    response = secretary_client.get(url)
    assert {c.text for c in response.context["object_list"]} == {
        "Cumplido en agosto",
        "Pendiente vencido",
    }


def test_a_semester_without_commitments_says_so(db, secretary_client):
    make_meeting(held(2021, 3, 15))
    response = secretary_client.get(reverse("reports:report-detail", args=[2021, 1]))
    assert "No se registraron compromisos en las reuniones de este periodo." in (
        response.content.decode()
    )


def test_a_finalized_report_keeps_its_commitments_from_deletion(semester):
    finalize()
    kept = semester["pending_overdue"]
    with pytest.raises(ProtectedError, match="informe finalizado Enero–junio 2021"):
        with transaction.atomic():
            kept.delete()
    assert Commitment.objects.filter(pk=kept.pk).exists()


def test_a_finalized_report_keeps_its_commitments_in_the_semester(semester):
    finalize()
    kept = semester["pending_overdue"]
    kept.meeting = semester["next_semester"].meeting
    with pytest.raises(ValidationError) as refused:
        kept.full_clean()
    assert "debe quedar en una reunión realizada entre el 01/01/2021 y el 30/06/2021" in str(
        refused.value
    )


def test_a_finalized_report_lets_its_commitments_be_closed(semester):
    finalize()
    kept = semester["pending_overdue"]
    kept.status = Commitment.Status.DONE
    kept.closed_on = datetime.date(2021, 12, 1)
    kept.closing_note = "Cumplido después"
    kept.full_clean()
    kept.save()
    assert Commitment.objects.get(pk=kept.pk).status == "done"


def test_a_commitment_of_another_semester_is_not_kept(semester):
    finalize()
    semester["next_semester"].delete()
    assert not Commitment.objects.filter(text="De septiembre").exists()
