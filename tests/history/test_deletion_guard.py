"""A record that a finalized report counts cannot be deleted, by any path; others can."""

import datetime

import pytest
from django.contrib.messages import ERROR, get_messages
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext

from allies.models import AgendaItem
from observance.models import Meeting
from oppms.protection import deletion_refusal
from tests.allies.factories import make_agenda_item, make_agreement, make_ally
from tests.institutions.factories import make_institution
from tests.observance.page_data import make_evaluation, make_process, make_request, make_team_member

from .conftest import FIRST_2021, finalize, held, make_meeting


def counted_reason():
    return gettext("It is counted in the finalized report %(report)s.") % {
        "report": FIRST_2021.label
    }


def change_url(meeting):
    return reverse("admin:observance_meeting_change", args=[meeting.pk])


def delete_url(meeting):
    return reverse("admin:observance_meeting_delete", args=[meeting.pk])


def bulk_delete(client, *meetings, confirm=False):
    data = {"action": "delete_selected", "_selected_action": [m.pk for m in meetings]}
    if confirm:
        data["post"] = "yes"
    return client.post(reverse("admin:observance_meeting_changelist"), data, follow=True)


@pytest.fixture
def kept(first_semester_meeting, finalized_report):
    return first_semester_meeting


def test_a_counted_meeting_gives_the_finalized_report_as_the_reason(kept):
    assert deletion_refusal(kept) == counted_reason()


def test_its_admin_page_offers_no_delete_link_and_says_why(admin_client_user, kept):
    html = admin_client_user.get(change_url(kept)).content.decode()
    assert delete_url(kept) not in html
    assert 'id="deletion-refusal"' in html
    assert FIRST_2021.label in html


def test_its_admin_delete_page_is_refused(admin_client_user, kept):
    assert admin_client_user.get(delete_url(kept)).status_code == 403
    assert admin_client_user.post(delete_url(kept), {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("confirm", [False, True], ids=["asked", "confirmed"])
def test_the_bulk_delete_refuses_naming_it_and_deletes_nothing(
    admin_client_user, kept, second_semester_meeting, confirm
):
    response = bulk_delete(admin_client_user, kept, second_semester_meeting, confirm=confirm)
    assert response.status_code == 200
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]
    assert len(errors) == 1 and str(kept) in errors[0] and FIRST_2021.label in errors[0]
    assert str(second_semester_meeting) not in errors[0]
    assert Meeting.objects.count() == 2


def test_deleting_it_in_code_raises_protected_error(kept):
    # Django deletes inside a transaction without a savepoint of its own: the refusal aborts
    # the enclosing one, so the test gives it a savepoint to carry on after.
    with pytest.raises(ProtectedError) as refused, transaction.atomic():
        kept.delete()
    assert refused.value.args[0] == counted_reason()
    assert Meeting.objects.filter(pk=kept.pk).exists()


def test_deleting_it_with_a_queryset_raises_protected_error(kept, second_semester_meeting):
    with pytest.raises(ProtectedError), transaction.atomic():
        Meeting.objects.all().delete()
    assert Meeting.objects.count() == 2


def test_a_meeting_of_a_semester_without_a_finalized_report_is_deleted_in_the_admin(
    admin_client_user, finalized_report, second_semester_meeting
):
    html = admin_client_user.get(change_url(second_semester_meeting)).content.decode()
    assert delete_url(second_semester_meeting) in html
    response = admin_client_user.post(delete_url(second_semester_meeting), {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=second_semester_meeting.pk).exists()


def test_the_bulk_delete_deletes_meetings_no_finalized_report_counts(
    admin_client_user, finalized_report, second_semester_meeting
):
    bulk_delete(admin_client_user, second_semester_meeting, confirm=True)
    assert not Meeting.objects.exists()


def test_a_meeting_of_the_semester_can_be_deleted_while_its_report_is_a_draft(
    first_semester_meeting,
):
    first_semester_meeting.delete()
    assert not Meeting.objects.exists()


def test_the_finalized_semesters_edge_is_guayaquil_midnight(db):
    last_minute = make_meeting(held(2021, 6, 30, 23, 59))
    next_day = make_meeting(held(2021, 7, 1, 0, 0), institution=last_minute.institution)
    finalize()
    assert deletion_refusal(last_minute) == counted_reason()
    assert deletion_refusal(next_day) is None


# Each of the other records the report counts, made inside the finalized semester and outside.
IN_AND_OUT = {
    "information request": (
        lambda: make_request(sent_on=datetime.date(2021, 5, 3)),
        lambda: make_request(
            sent_on=datetime.date(2021, 8, 2),
            institution=make_institution(mapped_on=datetime.date(2021, 8, 1)),
        ),
    ),
    "institution": (
        lambda: make_institution(mapped_on=datetime.date(2021, 6, 30)),
        lambda: make_institution(mapped_on=datetime.date(2021, 7, 1)),
    ),
    "agreement": (
        lambda: make_agreement(signed_on=datetime.date(2020, 11, 5)),
        lambda: make_agreement(status="negotiation", signed_on=None),
    ),
    "agenda item": (
        lambda: make_agenda_item(agreement=make_agreement(signed_on=datetime.date(2021, 2, 1))),
        lambda: make_agenda_item(agreement=make_agreement(signed_on=datetime.date(2021, 7, 9))),
    ),
    "evaluation": (
        lambda: make_evaluation(evaluated_on=datetime.date(2021, 4, 1)),
        lambda: make_evaluation(
            evaluated_on=datetime.date(2021, 10, 1),
            process=make_process(started_on=datetime.date(2021, 9, 1)),
        ),
    ),
    "team member": (
        lambda: make_team_member(
            started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2021, 1, 1)
        ),
        lambda: make_team_member(
            started_on=datetime.date(2019, 1, 1), ended_on=datetime.date(2020, 12, 31)
        ),
    ),
    "observance process": (
        lambda: make_process(started_on=datetime.date(2021, 6, 30)),
        lambda: make_process(started_on=datetime.date(2021, 7, 1)),
    ),
    "process step": (
        lambda: make_process(started_on=datetime.date(2021, 1, 5)).steps.first(),
        lambda: make_process(started_on=datetime.date(2022, 1, 5)).steps.first(),
    ),
}


@pytest.mark.parametrize("kind", IN_AND_OUT)
def test_every_kind_of_counted_record_is_kept_and_the_others_are_not(db, kind):
    make_counted, make_other = IN_AND_OUT[kind]
    counted, other = make_counted(), make_other()
    finalize()
    assert deletion_refusal(counted) == counted_reason()
    assert deletion_refusal(other) is None


def test_a_record_of_the_semester_logged_after_the_report_was_finalized_can_be_deleted(
    admin_client_user, kept
):
    # The report keeps the records it counted, not whatever falls in its semester today.
    late = make_meeting(held(2021, 3, 20), institution=kept.institution)
    assert deletion_refusal(late) is None
    assert admin_client_user.post(delete_url(late), {"post": "yes"}).status_code == 302
    assert list(Meeting.objects.all()) == [kept]


def test_an_ally_recorded_before_the_report_was_finalized_is_kept(db):
    from reports.periods import Period
    from reports.services import report_finalize
    from tests.conftest import make_user
    from tests.reports.narrative import write_the_narrative

    before = make_ally()
    write_the_narrative(Period(2021, 1))
    report_finalize(period=Period(2021, 1), user=make_user("grace"))
    after = make_ally()
    assert (deletion_refusal(before), deletion_refusal(after)) == (counted_reason(), None)


def test_an_agenda_item_of_a_counted_agreement_is_not_deleted_from_its_inline(
    admin_client_user,
):
    item = make_agenda_item(agreement=make_agreement(signed_on=datetime.date(2021, 2, 1)))
    finalize()
    agreement = item.agreement
    url = reverse("admin:allies_agreement_change", args=[agreement.pk])
    form = admin_client_user.get(url).context["adminform"].form
    data = {
        "ally": agreement.ally_id,
        "title": agreement.title,
        "status": agreement.status,
        "signed_on": "01/02/2021",
        "agenda_items-TOTAL_FORMS": "1",
        "agenda_items-INITIAL_FORMS": "1",
        "agenda_items-MIN_NUM_FORMS": "0",
        "agenda_items-MAX_NUM_FORMS": "1000",
        "agenda_items-0-id": item.pk,
        "agenda_items-0-agreement": agreement.pk,
        "agenda_items-0-activity": item.activity,
        "agenda_items-0-status": item.status,
        "agenda_items-0-DELETE": "on",
    }
    assert form is not None
    response = admin_client_user.post(url, data)
    assert response.status_code == 200
    errors = [
        str(e)
        for fs in response.context["inline_admin_formsets"]
        for e in fs.formset.non_form_errors()
    ]
    assert any(FIRST_2021.label in error for error in errors)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_admin_refuses_to_delete_a_counted_institution(admin_client_user):
    institution = make_institution(mapped_on=datetime.date(2021, 1, 4))
    finalize()
    url = reverse("admin:institutions_institution_delete", args=[institution.pk])
    assert admin_client_user.post(url, {"post": "yes"}).status_code == 403


def test_a_bulk_delete_that_skipped_the_check_is_still_refused_with_a_message(
    admin_client_user, kept, second_semester_meeting, monkeypatch
):
    # As if the admin had not asked first (or the report was finalized in between): the
    # deletion's own guard refuses, the page says why, and the savepoint undoes the rest.
    monkeypatch.setattr("oppms.admin.deletion_refusals", lambda queryset: [])
    monkeypatch.setattr("oppms.admin.deletion_refusal", lambda record: None)
    response = bulk_delete(admin_client_user, kept, second_semester_meeting, confirm=True)
    assert response.status_code == 200
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]
    assert errors == [f"No se cambió nada: {counted_reason()}"]
    assert Meeting.objects.count() == 2
