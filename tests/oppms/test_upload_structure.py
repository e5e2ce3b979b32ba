"""Uploads are accepted when they open as what their name says, not when their first bytes do."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from allies.models import Agreement
from oppms.uploads import validate_document
from tests.allies.factories import make_ally
from tests.conftest import edit_version

from .upload_samples import (
    BILLION_LAUGHS,
    DOCX_MACRO_MAIN,
    JPEG,
    PDF,
    PHP,
    PNG,
    SCRIPT,
    compound_file,
    docx,
    encrypted_pdf,
    odt,
    zip_package,
)

GENUINE = [
    ("acta.pdf", PDF),
    ("oficio-protegido-contra-cambios.pdf", encrypted_pdf(user_password="")),
    ("acta.docx", docx()),
    ("acta.odt", odt()),
    ("acta.doc", compound_file()),
    ("foto.png", PNG),
    ("foto.jpg", JPEG),
    ("foto.jpeg", JPEG),
]

FORGED = {
    "a PDF header followed by a web page": ("acta.pdf", b"%PDF-1.7\n" + SCRIPT),
    "a PDF header, a script and an end marker": ("acta.pdf", b"%PDF-1.4\n" + SCRIPT + b"%%EOF\n"),
    "a PDF cut in half": ("acta.pdf", PDF[: len(PDF) // 2]),
    "a PNG header followed by PHP": ("foto.png", PNG[:16] + PHP),
    "a JPEG header followed by PHP": ("foto.jpg", JPEG[:20] + PHP),
    "a truncated JPEG": ("foto.jpg", JPEG[: len(JPEG) - 40]),
    "a PNG named .jpg": ("foto.jpg", PNG),
    "any ZIP named .docx": ("acta.docx", zip_package({"leeme.txt": "hola"})),
    "any ZIP named .odt": ("acta.odt", zip_package({"leeme.txt": "hola"})),
    "a DOCX without its main document": ("acta.docx", docx(leave_out=["word/document.xml"])),
    "a DOCX without its content types": ("acta.docx", docx(leave_out=["[Content_Types].xml"])),
    "a macro-enabled document named .docx": ("acta.docx", docx(main=DOCX_MACRO_MAIN)),
    "a DOCX whose document is not XML": ("acta.docx", docx(document=PHP.decode())),
    "a DOCX whose document expands entities": ("acta.docx", docx(document=BILLION_LAUGHS)),
    "a spreadsheet package named .odt": (
        "acta.odt",
        odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
    ),
    "an ODT without its content": ("acta.odt", odt(leave_out=["content.xml"])),
    "an ODT without its mimetype": ("acta.odt", odt(leave_out=["mimetype"])),
    "a DOC that is only an OLE header": ("acta.doc", compound_file()[:520] + PHP),
    "a spreadsheet compound file named .doc": ("acta.doc", compound_file("Workbook")),
    "a web page named .doc": ("acta.doc", SCRIPT),
}


@pytest.mark.parametrize(("name", "content"), GENUINE, ids=[name for name, _ in GENUINE])
def test_a_genuine_file_of_each_accepted_kind_is_accepted(name, content):
    validate_document(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(("name", "content"), FORGED.values(), ids=FORGED.keys())
def test_a_file_that_only_looks_like_an_accepted_kind_is_refused(name, content):
    with pytest.raises(ValidationError) as refusal:
        validate_document(SimpleUploadedFile(name, content))
    assert refusal.value.code == "file_content"


def refusal_message(name, content):
    with pytest.raises(ValidationError) as refusal:
        validate_document(SimpleUploadedFile(name, content))
    return refusal.value.messages[0]


def test_the_refusal_of_a_forged_pdf_says_in_spanish_that_it_does_not_open():
    assert refusal_message("acta.pdf", b"%PDF-1.7\n" + SCRIPT) == (
        "El archivo empieza como un PDF pero no se abre como tal: su estructura está dañada."
    )


def test_a_pdf_that_needs_a_password_to_open_is_refused_saying_so():
    assert refusal_message("acta.pdf", encrypted_pdf(user_password="secreto")) == (
        "El PDF está protegido con contraseña; súbalo sin contraseña."
    )


def test_the_refusal_of_a_forged_image_names_the_format_it_is_not():
    assert refusal_message("foto.png", PNG[:16] + PHP) == (
        "El archivo no es una imagen PNG que se pueda mostrar."
    )


def test_the_refusal_of_a_plain_zip_named_docx_names_the_missing_part():
    assert refusal_message("acta.docx", zip_package({"leeme.txt": "hola"})) == (
        "Al paquete DOCX le falta su parte [Content_Types].xml."
    )


def test_the_refusal_of_a_spreadsheet_named_odt_says_what_it_is():
    spreadsheet = odt(mimetype="application/vnd.oasis.opendocument.spreadsheet")
    assert refusal_message("acta.odt", spreadsheet) == (
        "El paquete ODT no es un documento de texto: su tipo es "
        "application/vnd.oasis.opendocument.spreadsheet."
    )


def test_the_refusal_of_a_spreadsheet_named_doc_says_it_holds_no_word_document():
    assert refusal_message("acta.doc", compound_file("Workbook")).startswith(
        "El archivo es un archivo compuesto de Office pero no contiene un documento de Word"
    )


CREATE_AGREEMENT = reverse("allies:agreement-create")


def agreement_form(document):
    return {
        "ally": make_ally().pk,
        "title": "Convenio con la Universidad Central",
        "status": "signed",
        "signed_on": "2021-03-01",
        "ends_on": "2023-03-01",
        "document": document,
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_forged_pdf_on_a_form_is_refused_next_to_the_field_keeping_the_rest(
    coordinator_client,
):
    forged = SimpleUploadedFile("convenio.pdf", b"%PDF-1.7\n" + SCRIPT, "application/pdf")

    response = coordinator_client.post(CREATE_AGREEMENT, agreement_form(forged))

    assert response.status_code == 200
    page = response.content.decode()
    assert "su estructura está dañada" in page
    assert 'value="Convenio con la Universidad Central"' in page
    assert 'value="2023-03-01"' in page
    assert not Agreement.objects.exists()


def test_a_plain_zip_named_docx_on_a_form_is_refused_keeping_the_rest(coordinator_client):
    forged = SimpleUploadedFile("convenio.docx", zip_package({"leeme.txt": "hola"}))

    response = coordinator_client.post(CREATE_AGREEMENT, agreement_form(forged))

    page = response.content.decode()
    assert "Al paquete DOCX le falta su parte [Content_Types].xml." in page
    assert 'value="Convenio con la Universidad Central"' in page
    assert not Agreement.objects.exists()


def test_a_genuine_docx_on_a_form_is_stored(coordinator_client):
    content = docx()

    coordinator_client.post(
        CREATE_AGREEMENT, agreement_form(SimpleUploadedFile("convenio.docx", content))
    )

    assert Agreement.objects.get().document.read() == content


def test_editing_a_record_leaves_its_stored_file_alone_even_if_todays_rules_refuse_it(
    coordinator_client,
):
    agreement = Agreement.objects.create(
        ally=make_ally(), title="Convenio antiguo", status="signed", signed_on="2021-03-01"
    )
    # A file accepted under the first-bytes rule that held before.
    agreement.document.save("convenio.pdf", SimpleUploadedFile("c.pdf", b"%PDF-1.4\n" + SCRIPT))
    data = {
        **agreement_form(""),
        **edit_version(agreement),
        "ally": agreement.ally.pk,
        "title": "Convenio antiguo, renovado",
    }
    del data["document"]

    coordinator_client.post(reverse("allies:agreement-update", args=[agreement.pk]), data)

    agreement.refresh_from_db()
    assert agreement.title == "Convenio antiguo, renovado"
