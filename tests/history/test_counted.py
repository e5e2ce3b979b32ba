"""The deletion guard counts the same records as the report builder, for the 2021 demo."""

import io

import pytest
from django.core.management import call_command

from allies.models import AgendaItem, Agreement
from institutions.models import Institution
from observance.models import InformationRequest, Meeting, ObservanceProcess, TeamMember
from reports.builder import report_figures
from reports.counted import COUNTED

from .conftest import FIRST_2021


@pytest.fixture
def figures(db):
    call_command("seed_demo", stdout=io.StringIO())
    return report_figures(period=FIRST_2021)


def counted(model):
    return model.objects.filter(COUNTED[model](FIRST_2021)).count()


def test_the_meetings_kept_are_the_meetings_the_report_counts(figures):
    assert counted(Meeting) == figures["meetings"]["total"] > 0


def test_the_requests_kept_are_the_requests_the_report_counts(figures):
    assert counted(InformationRequest) == figures["requests"]["sent"] > 0


def test_the_institutions_kept_are_the_institutions_the_report_maps(figures):
    active = Institution.objects.filter(
        active=True, pk__in=Institution.objects.filter(COUNTED[Institution](FIRST_2021))
    )
    assert active.count() == figures["mapping"]["total"] == 20


def test_the_team_kept_is_the_team_the_report_lists(figures):
    assert counted(TeamMember) == len(figures["team"]) > 0


def test_the_processes_kept_are_the_processes_the_report_follows(figures):
    assert counted(ObservanceProcess) == figures["processes"]["total"] > 0


def test_the_agreements_and_agenda_kept_are_those_the_report_counts(figures):
    signed = Agreement.objects.filter(
        COUNTED[Agreement](FIRST_2021), status__in=["signed", "in_execution", "concluded"]
    )
    assert signed.count() == figures["academia"]["agreements"]["total"] > 0
    items = sum(row["items"] for row in figures["academia"]["agreements"]["rows"])
    assert counted(AgendaItem) == items > 0
