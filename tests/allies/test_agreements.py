import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allies.models import Agreement, Ally
from tests.allies.factories import make_agenda_item, make_agreement, make_ally
from tests.oppms.upload_samples import PDF

LIST = reverse("allies:agreement-list")
CREATE = reverse("allies:agreement-create")


def agreement_data(ally, **changes):
    data = {
        "ally": ally.pk,
        "title": "Convenio marco de cooperación",
        "status": "signed",
        "signed_on": "2021-03-01",
        "ends_on": "2023-03-01",
    }
    return {**data, **changes}


def titles(response):
    return [agreement.title for agreement in response.context["object_list"]]


def test_the_list_runs_a_fixed_number_of_queries_with_many_agreements(
    reader_client, django_assert_max_num_queries
):
    for number in range(60):
        agreement = make_agreement()
        for _ in range(number % 4):
            make_agenda_item(agreement)
    with django_assert_max_num_queries(9):
        response = reader_client.get(LIST)
    assert len(response.context["object_list"]) == 25


def test_status_filter_lists_only_that_status(reader_client):
    make_agreement(title="Firmado", status=Agreement.Status.SIGNED)
    make_agreement(title="En negociación", status=Agreement.Status.NEGOTIATION, signed_on=None)

    assert titles(reader_client.get(LIST, {"status": "negotiation"})) == ["En negociación"]


def test_ally_filter_lists_only_that_allys_agreements(reader_client):
    ally = make_ally()
    make_agreement(ally, title="Del aliado")
    make_agreement(title="De otro")

    assert titles(reader_client.get(LIST, {"ally": ally.pk})) == ["Del aliado"]


def test_kind_of_ally_filter_lists_agreements_with_that_kind_of_ally(reader_client):
    make_agreement(make_ally(kind=Ally.Kind.ACADEMIA), title="Con universidad")
    make_agreement(make_ally(kind=Ally.Kind.NATIONAL_NGO), title="Con ONG")

    assert titles(reader_client.get(LIST, {"ally_kind": "academia"})) == ["Con universidad"]


def test_the_ally_filter_renders_only_the_chosen_ally_as_an_option(reader_client):
    chosen = make_ally(name="Universidad Elegida")
    make_ally(name="Universidad No Mostrada")

    response = reader_client.get(LIST, {"ally": chosen.pk})

    assert "Universidad Elegida" in response.content.decode()
    assert "Universidad No Mostrada" not in response.content.decode()


@pytest.mark.parametrize("params", [{"ally": "abc"}, {"ally": "999999"}, {"status": "lost"}])
def test_bad_parameters_in_the_address_do_not_break_the_list(reader_client, params):
    make_agreement()
    assert reader_client.get(LIST, params).status_code == 200


def test_a_coordinator_records_an_agreement_with_its_signed_document(coordinator_client):
    ally = make_ally()
    document = SimpleUploadedFile("convenio.pdf", PDF, content_type="application/pdf")

    response = coordinator_client.post(CREATE, agreement_data(ally, document=document))

    agreement = Agreement.objects.get()
    assert response.url == agreement.get_absolute_url()
    assert agreement.document.name.startswith("agreements/")


def test_an_agreement_ending_before_it_is_signed_is_refused_next_to_the_end_date(
    coordinator_client,
):
    ally = make_ally()

    response = coordinator_client.post(
        CREATE, agreement_data(ally, signed_on="2021-03-01", ends_on="2021-02-01")
    )

    form = response.context["form"]
    message = str(Agreement._meta.constraints[0].violation_error_message)
    assert form.errors["ends_on"] == [message]
    assert not form.non_field_errors()
    assert not Agreement.objects.exists()


def test_a_signed_agreement_without_its_date_is_refused_next_to_the_signing_date(
    coordinator_client,
):
    response = coordinator_client.post(CREATE, agreement_data(make_ally(), signed_on=""))

    assert "signed_on" in response.context["form"].errors
    assert not Agreement.objects.exists()


def test_a_pdf_whose_bytes_are_not_a_pdf_is_refused_and_the_rest_is_kept(coordinator_client):
    fake = SimpleUploadedFile("convenio.pdf", b"MZ\x90\x00 not a pdf at all" * 10)

    response = coordinator_client.post(CREATE, agreement_data(make_ally(), document=fake))

    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["document"]] == ["file_content"]
    assert 'value="Convenio marco de cooperación"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_file_over_the_size_limit_is_refused(coordinator_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("convenio.pdf", PDF + b"0" * 2048, content_type="application/pdf")

    response = coordinator_client.post(CREATE, agreement_data(make_ally(), document=big))

    codes = [error.code for error in response.context["form"].errors.as_data()["document"]]
    assert codes == ["file_too_large"]
    assert not Agreement.objects.exists()


def test_a_file_of_twenty_megabytes_and_one_byte_is_refused(coordinator_client):
    payload = PDF + b"0" * (20 * 1024 * 1024 + 1 - len(PDF))
    big = SimpleUploadedFile("convenio.pdf", payload, content_type="application/pdf")

    response = coordinator_client.post(CREATE, agreement_data(make_ally(), document=big))

    assert "document" in response.context["form"].errors
    assert not Agreement.objects.exists()


def test_the_ally_select_renders_only_the_chosen_ally(coordinator_client):
    chosen = make_ally(name="Universidad Elegida")
    make_ally(name="Universidad No Mostrada")

    response = coordinator_client.get(CREATE, {"ally": chosen.pk})

    page = response.content.decode()
    assert f'<option value="{chosen.pk}" selected>' in page
    assert "Universidad No Mostrada" not in page
    assert 'data-search-url="/aliados/buscar/"' in page


def test_any_ally_can_be_chosen_though_not_rendered(coordinator_client):
    make_ally(name="Mostrada")
    hidden = make_ally(name="No mostrada")

    coordinator_client.post(CREATE, agreement_data(hidden))

    assert Agreement.objects.get().ally == hidden


def test_editing_shows_the_dates_in_iso_for_the_date_picker(coordinator_client):
    agreement = make_agreement(signed_on=datetime.date(2021, 3, 1))
    response = coordinator_client.get(reverse("allies:agreement-update", args=[agreement.pk]))
    assert 'type="date" name="signed_on" value="2021-03-01"' in response.content.decode()


def test_the_signed_document_downloads_for_a_reader(reader_client):
    agreement = make_agreement(document=SimpleUploadedFile("c.pdf", PDF))
    url = reverse("protected-file", args=["allies", "agreement", agreement.pk, "document"])

    response = reader_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_signed_document_is_refused_to_a_user_without_permission(client, outsider):
    agreement = make_agreement(document=SimpleUploadedFile("c.pdf", PDF))
    client.force_login(outsider)
    url = reverse("protected-file", args=["allies", "agreement", agreement.pk, "document"])

    assert client.get(url).status_code == 403


def test_the_agreement_page_links_its_document_and_lists_its_agenda(reader_client):
    agreement = make_agreement(document=SimpleUploadedFile("c.pdf", PDF))
    make_agenda_item(agreement, activity="Foro binacional")

    response = reader_client.get(agreement.get_absolute_url())

    download = reverse("protected-file", args=["allies", "agreement", agreement.pk, "document"])
    assert f'href="{download}"'.encode() in response.content
    assert b"Foro binacional" in response.content
