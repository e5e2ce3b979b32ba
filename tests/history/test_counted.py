"""The deletion guard counts the same records as the report builder, for the 2021 demo."""

import pytest

from allies.models import AgendaItem, Agreement
from institutions.models import Institution
from observance.models import InformationRequest, Meeting, ObservanceProcess, TeamMember
from reports.builder import report_figures
from reports.counted import COUNTED, GUARDED_MODELS, counted_records_refusals
from reports.models import CountedRecord
from tests.reports.conftest import demo_for_module  # noqa: F401 - a fixture

from .conftest import FIRST_2021, finalize

# Every test reads the demo: seeded once for the module, each test in a savepoint over it.
pytestmark = pytest.mark.usefixtures("demo_for_module")


@pytest.fixture
def figures(db):
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


@pytest.fixture
def finalized(figures):
    return finalize()


def stored(report, model, basis):
    return CountedRecord.objects.filter(report=report, model=model, basis=basis).count()


def test_the_finalized_report_stores_the_meetings_and_requests_its_figures_count(
    figures, finalized
):
    meetings = figures["meetings"]
    assert stored(finalized, "observance.meeting", "held") == meetings["total"] > 0
    assert stored(finalized, "observance.meeting", "with_institution") == meetings["institutions"]
    assert stored(finalized, "observance.informationrequest", "sent") == figures["requests"]["sent"]


def test_the_finalized_report_stores_every_institution_it_maps(figures, finalized):
    mapped = set(
        CountedRecord.objects.filter(
            report=finalized, model="institutions.institution", basis="mapped"
        ).values_list("object_id", flat=True)
    )
    listed = {row["id"] for role in figures["mapping"]["roles"] for row in role["rows"]}
    assert listed <= mapped and len(listed) == figures["mapping"]["total"] == 20


def test_every_record_the_report_stored_holds_what_made_it_count(finalized):
    # The rules' selections and their checks agree: nothing is refused straight after finalizing,
    # and stored records of every kind can be saved again unchanged.
    for model in GUARDED_MODELS:
        assert counted_records_refusals(model.objects.all()) == [], model
        kept = CountedRecord.objects.filter(model=model._meta.label_lower).values("object_id")
        for record in model.objects.filter(pk__in=kept)[:5]:
            record.save()
