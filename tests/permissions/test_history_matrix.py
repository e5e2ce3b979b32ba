"""Every record's "Historial" page, for every role: it needs exactly what the record's page needs.

A history shows every past value of a record, so it is the record itself: whoever may not open
a draft report may not read its narrative through the history either.
"""

import datetime

import pytest
from django.apps import apps

from institutions.models import Institution
from oppms.history import tracked_model
from oppms.record_access import view_permission
from oppms.roles import OUR_APPS
from reports.models import SemiannualReport
from reports.periods import Period
from reports.services import report_finalize
from tests.admin.conftest import FACTORIES
from tests.conftest import make_user
from tests.permissions.matrix import ROLES, Entry, check
from tests.reports.narrative import write_the_narrative


def history_of(builder):
    """Setup of the entry: the record ``builder`` makes, made once for the GET and the POST."""
    made = {}

    def setup():
        record = made.get("record")
        if record is None or not type(record)._default_manager.filter(pk=record.pk).exists():
            record = made["record"] = builder()
        opts = record._meta
        return {"app_label": opts.app_label, "model_name": opts.model_name, "pk": record.pk}

    return setup


def draft_report():
    return SemiannualReport.objects.create(year=2022, half=1, conclusions="Borrador interno")


def final_report():
    Institution.objects.create(name="Asamblea Nacional", mapped_on=datetime.date(2021, 1, 4))
    write_the_narrative(Period(2021, 1))
    return report_finalize(period=Period(2021, 1), user=make_user("finalizer"))


# Test id -> (the permission the record's own page needs, what makes the record).
RECORDS = {
    model._meta.label: (view_permission(model), factory) for model, factory in FACTORIES.items()
}
RECORDS["reports.SemiannualReport (draft)"] = ("reports.change_semiannualreport", draft_report)
RECORDS["reports.SemiannualReport (final)"] = ("reports.view_semiannualreport", final_report)

MATRIX = [
    Entry("record-history", get=permission, post=None, setup=history_of(builder))
    for permission, builder in RECORDS.values()
]


def test_the_matrix_covers_every_model_that_keeps_a_history():
    tracked = {
        model._meta.label
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        if tracked_model(model._meta.app_label, model._meta.model_name)
    }
    covered = {label.split(" ")[0] for label in RECORDS}
    assert tracked <= covered, sorted(tracked - covered)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A finalized report's PDF goes to a folder of each test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=list(RECORDS))
def test_each_role_gets_the_expected_answer(db, client, entry, role):
    check(client, entry, role)
