"""Every counted phrase of the report agrees in number with its count, in Spanish.

The report is rendered as the PDF renders it (no preview links) and read as plain text, once
with one record of each kind and once with several.
"""

import datetime
import html
import re

import pytest

from allies.models import AgendaItem, Agreement, Ally
from observance.models import InformationRequest, Meeting, Recommendation
from reports.builder import report_figures
from reports.charts import requests_by_status
from reports.periods import Period, observatory_zone
from reports.services import report_for, report_html
from tests.allies.factories import make_agenda_item, make_agreement, make_ally
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    make_evaluation,
    make_meeting_at,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
)

FIRST_2021 = Period(2021, 1)
COMPANION = "Víctor Cabascango"


def held(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=observatory_zone())


def report_text():
    figures = report_figures(period=FIRST_2021, today=datetime.date(2022, 1, 10))
    markup = report_html(report=report_for(FIRST_2021), figures=figures)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def semester_records(count, *, institution_modalities, university_modalities, cpccs):
    """``count`` records of each kind in 2021-S1, meetings in the modalities given."""
    institutions = [make_institution() for _ in range(count)]
    universities = [make_ally(kind=Ally.Kind.ACADEMIA) for _ in range(count)]
    for index, modality in enumerate(institution_modalities):
        make_meeting_at(
            held(datetime.date(2021, 3, 1 + index)),
            institution=institutions[index % count],
            modality=modality,
            cpccs_companion=COMPANION if index < cpccs else "",
        )
    for index, modality in enumerate(university_modalities):
        make_meeting_at(
            held(datetime.date(2021, 4, 1 + index)),
            ally=universities[index % count],
            modality=modality,
        )
    for index in range(count):
        agreement = make_agreement(ally=universities[index], status=Agreement.Status.IN_EXECUTION)
        for item in range(7 if index == 0 else 0):
            status = AgendaItem.Status.DONE if item < count else AgendaItem.Status.PENDING
            make_agenda_item(agreement=agreement, status=status)
        make_request(
            institution=institutions[index],
            sent_on=datetime.date(2021, 5, 3),
            answered_on=datetime.date(2021, 5, 10),
            outcome=InformationRequest.Outcome.ANSWERED_FULLY,
        )
        process = make_process()
        make_evaluation(process=process)
        make_publication(process=process)
        make_recommendation(
            process=process,
            institution=institutions[index],
            compliance=Recommendation.Compliance.COMPLIED,
        )


@pytest.fixture
def one_of_each(db):
    semester_records(
        1,
        institution_modalities=[Meeting.Modality.VIRTUAL],
        university_modalities=[Meeting.Modality.IN_PERSON],
        cpccs=1,
    )
    return report_text()


@pytest.fixture
def several(db):
    virtual, in_person = Meeting.Modality.VIRTUAL, Meeting.Modality.IN_PERSON
    semester_records(
        2,
        institution_modalities=[virtual, virtual, in_person],
        university_modalities=[virtual, virtual],
        cpccs=2,
    )
    return report_text()


SINGULAR = [
    "Hasta el 30/06/2021 se mapeó 1 institución, según su rol ante las políticas observadas:",
    "Se realizó 1 reunión con una institución gubernamental: virtual.",
    "1 de ellas contó con el acompañamiento de un representante del CPCCS (100 %).",
    f"Representante del CPCCS: {COMPANION}.",
    "Se realizaron reuniones con 1 de 1 institución mapeada",
    "El observatorio cuenta con 1 aliado estratégico en el proceso de observancia.",
    "1 universidad es aliada estratégica del observatorio",
    "Se realizó 1 reunión con una universidad: presencial.",
    "Hasta el 30/06/2021 se había suscrito 1 convenio;",
    "1 de sus 7 actividades está cumplida (14 %).",
    "Se envió 1 solicitud de información a instituciones.",
    "(sobre 1 solicitud respondida).",
    "Se realizó 1 evaluación técnica.",
    "1 publicación o evento de socialización.",
    "Se planteó 1 recomendación a instituciones.",
    "1 de ellas se ha cumplido (100 %)",
    "1 proceso de observancia estuvo en curso en el periodo.",
]

PLURAL = [
    "Hasta el 30/06/2021 se mapearon 2 instituciones, agrupadas según su rol",
    "Se realizaron 3 reuniones con instituciones gubernamentales: 2 virtuales y 1 presencial.",
    "2 de ellas contaron con el acompañamiento de un representante del CPCCS (67 %).",
    "Se realizaron reuniones con 2 de las 2 instituciones mapeadas",
    "El observatorio cuenta con 2 aliados estratégicos en el proceso de observancia.",
    "2 universidades son aliadas estratégicas del observatorio",
    "Se realizaron 2 reuniones con universidades: todas virtuales.",
    "Hasta el 30/06/2021 se habían suscrito 2 convenios, 2 de ellos con universidades.",
    "2 de sus 7 actividades están cumplidas (29 %).",
    "Se enviaron 2 solicitudes de información a instituciones.",
    "(sobre 2 solicitudes respondidas).",
    "Se realizaron 2 evaluaciones técnicas.",
    "2 publicaciones y eventos de socialización.",
    "Se plantearon 2 recomendaciones a instituciones.",
    "2 de ellas se han cumplido (100 %)",
    "2 procesos de observancia estuvieron en curso en el periodo.",
]


@pytest.mark.parametrize("phrase", SINGULAR)
def test_a_count_of_one_reads_in_the_singular(one_of_each, phrase):
    assert phrase in one_of_each


@pytest.mark.parametrize("phrase", PLURAL)
def test_a_count_of_several_reads_in_the_plural(several, phrase):
    assert phrase in several


def test_no_modality_is_counted_as_zero(one_of_each, several):
    assert " 0 presenciales" not in one_of_each + several
    assert " 0 virtuales" not in one_of_each + several


def test_the_requests_chart_names_its_bars_in_the_plural():
    svg = str(requests_by_status({"on_time": 4, "late": 2, "overdue": 0, "open": 1}))
    for label in ("Respondidas a tiempo", "Respondidas fuera de plazo", "Vencidas", "En curso"):
        assert f">{label}" in svg
