"""A body too large for an upload and its form is refused before it is read."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from allies.models import Agreement
from oppms.uploads import validate_document
from tests.allies.factories import make_ally

from .upload_samples import PDF

CREATE_AGREEMENT = reverse("allies:agreement-create")
MB = 1024 * 1024


class EndlessBody(io.RawIOBase):
    """A client that would send `size` bytes (forever by default); counts what is read."""

    def __init__(self, size=None):
        self.size = size
        self.read_so_far = 0

    def readable(self):
        return True

    def read(self, wanted=-1):
        if wanted is None or wanted < 0:
            wanted = 64 * 1024
        if self.size is not None:
            wanted = min(wanted, self.size - self.read_so_far)
        self.read_so_far += wanted
        return b"0" * wanted


class ChunkedBody(io.BytesIO):
    """What a WSGI server that decodes chunked transfer hands on: the body, with no length."""


def send(client, body, *, length=None, content_type=MULTIPART_CONTENT, terminated=True):
    """POST to the agreement form as a raw WSGI request, with or without a Content-Length."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": CREATE_AGREEMENT,
        "CONTENT_TYPE": content_type,
        "wsgi.input": body,
    }
    if length is None:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = terminated
    else:
        environ["CONTENT_LENGTH"] = str(length)
    return client.request(**environ)


def agreement_form(**changes):
    return {
        "ally": make_ally().pk,
        "title": "Convenio por flujo",
        "status": "signed",
        "signed_on": "2021-03-01",
        "ends_on": "2023-03-01",
        **changes,
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_declared_150_mb_upload_is_refused_before_a_byte_is_read(coordinator_client):
    body = EndlessBody(150 * MB)

    response = send(coordinator_client, body, length=150 * MB)

    assert response.status_code == 413
    assert body.read_so_far == 0
    page = response.content.decode()
    assert "Lo que envió pesa 150,0\xa0MB; el límite es 21,0\xa0MB" in page
    assert "No se guardó nada" in page


def test_a_body_within_the_limit_reaches_the_form(coordinator_client):
    response = coordinator_client.post(
        CREATE_AGREEMENT,
        agreement_form(document=SimpleUploadedFile("convenio.pdf", PDF, "application/pdf")),
    )

    assert response.status_code == 302
    assert Agreement.objects.get().document.read() == PDF


def test_the_limit_follows_the_upload_setting_and_the_forms_margin(coordinator_client, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    settings.UPLOAD_FORM_MARGIN_BYTES = 1_000

    assert send(coordinator_client, EndlessBody(11_001), length=11_001).status_code == 413
    assert send(coordinator_client, EndlessBody(11_000), length=11_000).status_code != 413


def test_a_streamed_body_without_a_length_is_cut_once_it_passes_the_limit(
    coordinator_client, settings
):
    settings.UPLOAD_MAX_BYTES = 100_000
    settings.UPLOAD_FORM_MARGIN_BYTES = 10_000
    body = EndlessBody()

    response = send(coordinator_client, body)

    assert response.status_code == 413
    assert 110_000 < body.read_so_far <= 110_000 + 64 * 1024
    assert "supera el límite de" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_streamed_form_within_the_limit_is_saved(coordinator_client):
    data = agreement_form(document=SimpleUploadedFile("convenio.pdf", PDF, "application/pdf"))
    body = ChunkedBody(encode_multipart(BOUNDARY, data))

    response = send(coordinator_client, body)

    assert response.status_code == 302
    assert Agreement.objects.get().title == "Convenio por flujo"


def test_a_streamed_body_a_server_cannot_delimit_is_refused_unread(coordinator_client):
    body = EndlessBody()

    response = send(coordinator_client, body, terminated=False)

    assert response.status_code == 411
    assert body.read_so_far == 0


def test_a_file_just_over_the_limit_is_told_apart_from_the_limit():
    just_over = SimpleUploadedFile("acta.pdf", PDF + b"0" * (20 * MB + 1 - len(PDF)))

    with pytest.raises(ValidationError) as refusal:
        validate_document(just_over)

    assert refusal.value.messages == [
        "El archivo pesa 20.971.521 bytes; el límite es 20.971.520 bytes."
    ]


def test_a_file_well_over_the_limit_is_told_in_megabytes(settings):
    settings.UPLOAD_MAX_BYTES = MB
    upload = SimpleUploadedFile("acta.pdf", PDF + b"0" * (3 * MB))

    with pytest.raises(ValidationError) as refusal:
        validate_document(upload)

    assert refusal.value.messages == ["El archivo pesa 3,0\xa0MB; el límite es 1,0\xa0MB."]
