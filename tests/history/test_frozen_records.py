"""A record a finalized report counted can be edited, but not moved out of its semester nor
stripped of what made it count, by any path; the finalized report itself never changes."""

import datetime
import hashlib
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, ProtectedError
from django.db.models.fields.files import FieldFile
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone

from allies.models import Agreement
from institutions.resources import InstitutionResource
from observance.models import Meeting, TeamMember
from observance.resources import MeetingResource
from oppms.protection import KeptRecordError
from reports.models import CountedRecord, SemiannualReport
from tests.allies.factories import make_agreement, make_ally
from tests.conftest import edit_version
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_request, make_team_member

from .conftest import finalize, held, make_meeting

MOVED_OUT = (
    "El informe finalizado Enero–junio 2021 cuenta este registro: esta fecha debe quedar "
    "entre el 01/01/2021 y el 30/06/2021."
)


@pytest.fixture
def kept(first_semester_meeting, finalized_report):
    """A meeting with an institution, held in March 2021 and counted by its finalized report."""
    return first_semester_meeting


def stored(meeting):
    """The meeting's row as the database holds it: what a refused change must leave alone."""
    return Meeting.objects.values("held_at", "institution", "ally", "purpose").get(pk=meeting.pk)


def admin_form_data(client, url):
    """What a browser would post back, unchanged, from the admin change page at ``url``."""
    page = client.get(url)
    form = page.context["adminform"].form
    # The version the page was shown at, which the admin checks against edits made meanwhile.
    data = dict(re.findall(r'name="(_edit_version)" value="(\d*)"', page.content.decode()))
    for name, field in form.fields.items():
        value = form[name].value()
        widget = getattr(field.widget, "widget", field.widget)  # under the related-field wrapper
        if value is None or value is False or isinstance(value, FieldFile):
            continue
        if isinstance(widget, MultiWidget):
            for i, (part, value_part) in enumerate(
                zip(widget.widgets, widget.decompress(value), strict=True)
            ):
                data[f"{name}_{i}"] = part.format_value(value_part)
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = "on" if value is True else widget.format_value(value) or value
    return data


def no_inline_rows(*prefixes):
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def meeting_change_url(meeting):
    return reverse("admin:observance_meeting_change", args=[meeting.pk])


# The app's pages.


def meeting_page_data(meeting, **changes):
    data = {
        "held_at": timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M"),
        "modality": meeting.modality,
        "institution": meeting.institution_id or "",
        "ally": meeting.ally_id or "",
        "purpose": meeting.purpose,
        **edit_version(meeting),
    }
    return data | changes


def test_the_meeting_page_refuses_to_move_a_counted_meeting_out_of_its_semester(
    coordinator_client, kept
):
    before = stored(kept)
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[kept.pk]),
        meeting_page_data(kept, held_at="2023-03-15T10:00"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["held_at"] == [MOVED_OUT]
    assert MOVED_OUT in response.content.decode()
    assert stored(kept) == before


def test_the_meeting_page_refuses_to_swap_a_counted_meetings_institution_for_an_ally(
    coordinator_client, kept
):
    before = stored(kept)
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[kept.pk]),
        meeting_page_data(kept, institution="", ally=make_ally().pk),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["institution"]
    assert "institución no se puede quitar" in error
    assert stored(kept) == before


def test_the_meeting_page_still_edits_a_counted_meetings_other_fields(coordinator_client, kept):
    response = coordinator_client.post(
        reverse("observance:meeting-update", args=[kept.pk]),
        meeting_page_data(kept, held_at="2021-06-30T18:00", purpose="Seguimiento del convenio"),
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.held_at, kept.purpose) == (held(2021, 6, 30, 18), "Seguimiento del convenio")


@pytest.mark.parametrize(
    "kind",
    ["information request", "institution"],
)
def test_the_edit_pages_refuse_to_move_other_counted_records_next_to_the_date(
    coordinator_client, kind
):
    if kind == "information request":
        record = make_request(sent_on=datetime.date(2021, 5, 3))
        url = reverse("observance:request-update", args=[record.pk])
        data = {
            "institution": record.institution_id,
            "subject": record.subject,
            "sent_on": "2021-07-01",
            "channel": record.channel,
        }
        field, reason = "sent_on", "debe quedar entre el 01/01/2021 y el 30/06/2021"
    else:
        record = make_institution(mapped_on=datetime.date(2021, 6, 30))
        url = reverse("institutions:institution-update", args=[record.pk])
        data = {
            "name": record.name,
            "branch": record.branch,
            "level": record.level,
            "role": record.role,
            "mapped_on": "2021-07-01",
            "active": "on",
        }
        field, reason = "mapped_on", "no puede ser posterior al 30/06/2021"
    finalize()
    response = coordinator_client.post(url, data | edit_version(record))
    assert response.status_code == 200
    assert reason in str(response.context["form"].errors[field])
    before = type(record).objects.get(pk=record.pk)
    assert getattr(before, field) == getattr(record, field)


# The admin's change forms.


def test_the_admin_refuses_to_move_a_counted_meeting_next_to_its_date(admin_client_user, kept):
    before = stored(kept)
    url = meeting_change_url(kept)
    data = admin_form_data(admin_client_user, url) | {"held_at_0": "15/03/2023"}
    response = admin_client_user.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["held_at"] == [MOVED_OUT]
    assert stored(kept) == before


def test_the_admin_still_edits_a_counted_meetings_other_fields(admin_client_user, kept):
    url = meeting_change_url(kept)
    data = admin_form_data(admin_client_user, url) | {"purpose": "Acta corregida"}
    assert admin_client_user.post(url, data).status_code == 302
    kept.refresh_from_db()
    assert kept.purpose == "Acta corregida"


def test_reverting_a_counted_meeting_to_a_version_of_another_semester_is_refused(
    admin_client_user,
):
    meeting = make_meeting(held(2020, 12, 20))
    first_version = meeting.history.get()
    meeting.held_at = held(2021, 3, 15)
    meeting.save()
    finalize()
    url = reverse(
        "admin:observance_meeting_simple_history", args=[meeting.pk, first_version.history_id]
    )
    response = admin_client_user.post(url, admin_form_data(admin_client_user, url))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["held_at"] == [MOVED_OUT]
    assert stored(meeting)["held_at"] == held(2021, 3, 15)


def test_the_admin_refuses_to_set_a_counted_agreement_back_to_negotiation(admin_client_user):
    agreement = make_agreement(signed_on=datetime.date(2021, 2, 1))
    finalize()
    url = reverse("admin:allies_agreement_change", args=[agreement.pk])
    data = admin_form_data(admin_client_user, url) | no_inline_rows("agenda_items")
    response = admin_client_user.post(url, data | {"status": "negotiation"})
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["status"]
    assert "cuenta este convenio como suscrito" in error
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    # Carried out since: a later status is an edit, not a step back.
    response = admin_client_user.post(url, data | {"status": "concluded"})
    assert response.status_code == 302


def test_the_admin_refuses_to_move_a_counted_institutions_mapping_after_the_semester(
    admin_client_user,
):
    institution = make_institution(mapped_on=datetime.date(2021, 1, 4))
    finalize()
    url = reverse("admin:institutions_institution_change", args=[institution.pk])
    data = admin_form_data(admin_client_user, url) | no_inline_rows("contacts", "areas")
    response = admin_client_user.post(url, data | {"mapped_on": "04/01/2022"})
    assert response.status_code == 200
    assert "no puede ser posterior al 30/06/2021" in str(
        response.context["adminform"].form.errors["mapped_on"]
    )
    institution.refresh_from_db()
    assert institution.mapped_on == datetime.date(2021, 1, 4)
    # Deactivating it is an edit: the report judged it as it was at the cut-off.
    response = admin_client_user.post(url, data | {"active": ""})
    assert response.status_code == 302


# Spreadsheet imports.


def meeting_rows(meeting, held_at, purpose=None):
    return tablib.Dataset(
        [meeting.pk, held_at, "Virtual", meeting.institution.name, purpose or meeting.purpose],
        headers=["id", "Fecha y hora", "Modalidad", "Institución", "Objetivo"],
    )


def test_an_import_moving_a_counted_meeting_out_of_its_semester_changes_nothing(kept):
    before = stored(kept)
    result = MeetingResource().import_data(
        meeting_rows(kept, "15/03/2023 10:00"), dry_run=False, raise_errors=False
    )
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert MOVED_OUT in str(invalid.error_dict)
    assert stored(kept) == before


def test_the_admin_import_page_shows_why_and_offers_no_confirmation(admin_client_user, kept):
    before = stored(kept)
    text = meeting_rows(kept, "15/03/2023 10:00").export("csv")
    response = admin_client_user.post(
        reverse("admin:observance_meeting_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("reuniones.csv", text.encode(), "text/csv"),
        },
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert response.context["result"].has_validation_errors()
    assert MOVED_OUT in response.content.decode()
    assert stored(kept) == before


def test_an_import_editing_a_counted_meetings_other_fields_goes_through(kept):
    when = timezone.localtime(kept.held_at).strftime("%d/%m/%Y %H:%M")
    rows = meeting_rows(kept, when, purpose="Objetivo corregido")
    result = MeetingResource().import_data(rows, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    kept.refresh_from_db()
    assert kept.purpose == "Objetivo corregido"


def test_an_import_moving_a_counted_institutions_mapping_changes_nothing(db):
    institution = make_institution(
        name="Defensoría del Pueblo", mapped_on=datetime.date(2021, 2, 1)
    )
    finalize()
    rows = tablib.Dataset(
        ["Defensoría del Pueblo", "01/02/2022"], headers=["Nombre", "Fecha de mapeo"]
    )
    result = InstitutionResource().import_data(rows, dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    institution.refresh_from_db()
    assert institution.mapped_on == datetime.date(2021, 2, 1)


# Our own code: save(), a queryset's update() and delete().


def test_moving_a_counted_meeting_to_2023_in_code_is_refused_and_so_is_deleting_it(kept):
    before = stored(kept)
    kept.held_at = held(2023, 3, 15)
    with pytest.raises(KeptRecordError) as refused, transaction.atomic():
        kept.save()
    assert refused.value.message_dict == {"held_at": [MOVED_OUT]}
    with pytest.raises(ProtectedError), transaction.atomic():
        Meeting.objects.get(pk=kept.pk).delete()
    assert stored(kept) == before


@pytest.mark.parametrize(
    "values",
    [
        {"held_at": held(2023, 3, 15)},
        {"held_at": F("held_at") + datetime.timedelta(days=365)},
        {"institution": None, "ally_id": None},
    ],
    ids=["a date", "an expression", "no counterpart"],
)
def test_a_queryset_update_that_would_uncount_a_meeting_is_refused_and_changes_nothing(
    kept, second_semester_meeting, values
):
    before = [stored(kept), stored(second_semester_meeting)]
    if "institution" in values:
        values = {"institution": None, "ally": make_ally()}
    with pytest.raises(KeptRecordError) as refused, transaction.atomic():
        Meeting.objects.all().update(**values)
    assert refused.value.messages[0].startswith(f"Reunión n.º {kept.pk} no se puede cambiar así")
    assert [stored(kept), stored(second_semester_meeting)] == before


def test_bulk_update_of_counted_meetings_is_refused(kept):
    kept.held_at = held(2023, 3, 15)
    with pytest.raises(KeptRecordError), transaction.atomic():
        Meeting.objects.bulk_update([kept], ["held_at"])
    assert Meeting.objects.get(pk=kept.pk).held_at == held(2021, 3, 15)


def test_a_queryset_update_of_other_fields_or_of_uncounted_meetings_goes_through(
    kept, second_semester_meeting
):
    assert Meeting.objects.update(purpose="Vinculación") == 2
    moved = Meeting.objects.filter(pk=second_semester_meeting.pk).update(held_at=held(2023, 1, 9))
    assert moved == 1
    assert stored(second_semester_meeting)["held_at"] == held(2023, 1, 9)
    assert stored(kept)["purpose"] == "Vinculación"


def test_a_related_managers_update_is_guarded_too(kept):
    with pytest.raises(KeptRecordError), transaction.atomic():
        kept.institution.meetings.update(held_at=held(2020, 12, 31))
    assert stored(kept)["held_at"] == held(2021, 3, 15)


def test_an_agreement_set_back_to_negotiation_in_code_is_refused(db):
    agreement = make_agreement(signed_on=datetime.date(2021, 2, 1))
    finalize()
    with pytest.raises(KeptRecordError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status="negotiation")
    agreement.status = Agreement.Status.NEGOTIATION
    with pytest.raises(KeptRecordError), transaction.atomic():
        agreement.save()
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.SIGNED


def test_a_counted_team_member_cannot_have_left_before_the_semester(db):
    member = make_team_member(started_on=datetime.date(2020, 1, 1))
    finalize()
    member.ended_on = datetime.date(2020, 12, 31)
    with pytest.raises(KeptRecordError) as refused, transaction.atomic():
        member.save()
    assert list(refused.value.message_dict) == ["ended_on"]
    member.ended_on = datetime.date(2021, 1, 1)
    member.save()
    assert TeamMember.objects.get(pk=member.pk).ended_on == datetime.date(2021, 1, 1)


# The report itself.


def test_finalizing_stores_each_record_it_counted_and_why(first_semester_meeting, db):
    second = make_meeting(held(2021, 9, 1))
    report = finalize()
    rows = set(
        CountedRecord.objects.filter(report=report).values_list("model", "object_id", "basis")
    )
    meeting = first_semester_meeting
    assert {
        ("observance.meeting", meeting.pk, "held"),
        ("observance.meeting", meeting.pk, "with_institution"),
        ("institutions.institution", meeting.institution_id, "mapped"),
    } <= rows
    assert not any(row[1] == second.pk and row[0] == "observance.meeting" for row in rows)


def test_the_finalized_report_and_what_it_stored_never_change(kept, finalized_report):
    report = SemiannualReport.objects.get(pk=finalized_report.pk)
    frozen = (report.sha256, report.figures, report.pdf.name, report.linkage_analysis)
    report.linkage_analysis = "Reescrito después"
    with pytest.raises(KeptRecordError), transaction.atomic():
        report.save()
    with pytest.raises(KeptRecordError), transaction.atomic():
        SemiannualReport.objects.update(conclusions="Reescrito después")
    with pytest.raises(ProtectedError), transaction.atomic():
        SemiannualReport.objects.all().delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        CountedRecord.objects.all().delete()
    with pytest.raises(KeptRecordError), transaction.atomic():
        CountedRecord.objects.update(basis="held")
    report.refresh_from_db()
    assert (report.sha256, report.figures, report.pdf.name, report.linkage_analysis) == frozen
    with report.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
