import datetime

from django.urls import reverse

from allies.models import AgendaItem, Agreement
from reports.builder import report_figures
from reports.periods import Period, observatory_zone
from tests.allies.factories import make_agenda_item, make_agreement

LIST = reverse("allies:agendaitem-list")
CUTOFF = datetime.date(2021, 6, 30)
AFTER = datetime.date(2021, 9, 1)
BEFORE = datetime.date(2021, 3, 1)


def activities(response):
    return [item.activity for item in response.context["object_list"]]


def moment(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=observatory_zone())


def changed_on(record, day, **fields):
    """``record`` as recorded before the cut-off, then changed on ``day``."""
    record.history.update(history_date=moment(BEFORE))
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    latest = record.history.order_by("-history_date", "-history_id").first()
    record.history.filter(pk=latest.pk).update(history_date=moment(day))


def agendas_judged_on_the_cutoff():
    """Activities whose place in the semester's agenda depends on reading them as of its end."""
    executing = make_agreement(status=Agreement.Status.IN_EXECUTION)
    make_agenda_item(executing, activity="Pendiente", status=AgendaItem.Status.PENDING)
    make_agenda_item(executing, activity="Cumplida", status=AgendaItem.Status.DONE)
    later_done = make_agenda_item(executing, activity="Cumplida después")
    changed_on(later_done, AFTER, status=AgendaItem.Status.DONE)
    cancelled_later = make_agreement(status=Agreement.Status.IN_EXECUTION)
    recorded_then = make_agenda_item(cancelled_later, activity="De un convenio cancelado después")
    recorded_then.history.update(history_date=moment(BEFORE))
    changed_on(cancelled_later, AFTER, status=Agreement.Status.CANCELLED)
    only_signed = make_agreement(status=Agreement.Status.SIGNED)
    make_agenda_item(only_signed, activity="De un convenio solo firmado")
    signed_later = make_agreement(status=Agreement.Status.IN_EXECUTION, signed_on=AFTER)
    make_agenda_item(signed_later, activity="De un convenio firmado después")


def test_the_list_shows_each_activity_with_its_agreement_ally_and_status(reader_client):
    agreement = make_agreement(title="Convenio con la universidad")
    make_agenda_item(agreement, activity="Taller de veeduría", due_on=datetime.date(2021, 5, 4))

    response = reader_client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("Taller de veeduría", "Convenio con la universidad", "04/05/2021", "Pendiente"):
        assert shown in page
    assert "1 registro" in page


def test_the_agreement_and_status_filters_narrow_the_list(reader_client):
    agreement = make_agreement()
    make_agenda_item(agreement, activity="Hecha", status=AgendaItem.Status.DONE)
    make_agenda_item(agreement, activity="Por hacer")
    make_agenda_item(activity="De otro convenio", status=AgendaItem.Status.DONE)

    assert activities(reader_client.get(LIST, {"agreement": agreement.pk})) == [
        "Hecha",
        "Por hacer",
    ]
    assert sorted(activities(reader_client.get(LIST, {"status": "done"}))) == [
        "De otro convenio",
        "Hecha",
    ]


def test_as_of_lists_the_activities_of_agreements_then_in_execution(reader_client):
    agendas_judged_on_the_cutoff()

    listed = activities(reader_client.get(LIST, {"as_of": CUTOFF.isoformat()}))

    assert sorted(listed) == [
        "Cumplida",
        "Cumplida después",
        "De un convenio cancelado después",
        "Pendiente",
    ]


def test_done_as_of_lists_the_activities_done_on_that_day(reader_client):
    agendas_judged_on_the_cutoff()
    day = CUTOFF.isoformat()

    assert activities(reader_client.get(LIST, {"as_of": day, "done_as_of": day})) == ["Cumplida"]
    assert sorted(activities(reader_client.get(LIST, {"done_as_of": AFTER.isoformat()}))) == [
        "Cumplida",
        "Cumplida después",
    ]


def test_the_status_filter_reads_the_status_on_the_as_of_day(reader_client):
    agendas_judged_on_the_cutoff()

    listed = activities(reader_client.get(LIST, {"as_of": CUTOFF.isoformat(), "status": "done"}))

    assert listed == ["Cumplida"]


def test_the_filtered_counts_equal_the_reports_agenda_progress(reader_client):
    agendas_judged_on_the_cutoff()
    progress = report_figures(period=Period(2021, 1), today=AFTER)["academia"]["agenda_progress"]
    day = CUTOFF.isoformat()

    items = reader_client.get(LIST, {"as_of": day}).context["paginator"].count
    done = reader_client.get(LIST, {"as_of": day, "done_as_of": day}).context["paginator"].count

    assert (done, items) == (progress["numerator"], progress["denominator"]) == (1, 4)


def test_a_malformed_date_is_refused_next_to_the_field(reader_client):
    make_agenda_item()

    response = reader_client.get(LIST, {"as_of": "30/02/2021"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["as_of"]


def test_someone_without_an_account_is_sent_to_log_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_list_runs_a_fixed_number_of_queries_with_many_activities(
    reader_client, django_assert_max_num_queries
):
    for number in range(15):
        agreement = make_agreement(status=Agreement.Status.IN_EXECUTION)
        for _ in range(number % 4 + 1):
            make_agenda_item(agreement, status=AgendaItem.Status.DONE)
    day = CUTOFF.isoformat()
    with django_assert_max_num_queries(10):
        response = reader_client.get(LIST, {"as_of": day, "done_as_of": day})
    assert len(response.context["object_list"]) == 25


def test_the_agreement_list_links_to_the_work_agendas(reader_client):
    response = reader_client.get(reverse("allies:agreement-list"))

    assert f'href="{LIST}"' in response.content.decode()
