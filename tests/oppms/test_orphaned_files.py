"""A file stays while a record, a finalized report or a history row names it, and goes after."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from allies.models import Agreement
from reports.models import SemiannualReport
from tests.allies.factories import make_agreement
from tests.conftest import edit_version

from .upload_samples import PDF, docx


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agreement(db):
    return make_agreement(document=SimpleUploadedFile("convenio.pdf", PDF))


def replace_document(client, agreement):
    """Upload a new signed document on the agreement's edit page, as a coordinator does."""
    data = {
        "ally": agreement.ally.pk,
        "title": agreement.title,
        "status": agreement.status,
        "signed_on": agreement.signed_on.isoformat(),
        "document": SimpleUploadedFile("convenio-firmado.docx", docx()),
        **edit_version(agreement),
    }
    response = client.post(reverse("allies:agreement-update", args=[agreement.pk]), data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    return agreement.document.name


def prune_all_history():
    call_command("clean_old_history", days=0, auto=True, stdout=None)


def test_a_replaced_file_stays_while_its_history_names_it(
    coordinator_client, agreement, django_capture_on_commit_callbacks
):
    old = agreement.document.name
    with django_capture_on_commit_callbacks(execute=True):
        new = replace_document(coordinator_client, agreement)

    assert default_storage.exists(old)
    assert default_storage.exists(new)
    older_version = agreement.history.order_by("history_id").first()
    assert older_version.instance.document.read() == PDF


def test_a_replaced_file_goes_once_the_history_naming_it_is_pruned(
    coordinator_client, agreement, django_capture_on_commit_callbacks
):
    old = agreement.document.name
    with django_capture_on_commit_callbacks(execute=True):
        new = replace_document(coordinator_client, agreement)
        prune_all_history()

    assert not default_storage.exists(old)
    assert default_storage.exists(new)


def test_a_deleted_records_file_stays_for_its_history_and_goes_with_it(
    agreement, django_capture_on_commit_callbacks
):
    name = agreement.document.name
    with django_capture_on_commit_callbacks(execute=True):
        agreement.delete()
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        Agreement.history.filter(document=name).delete()
    assert not default_storage.exists(name)


def test_a_file_another_record_still_names_stays(agreement, django_capture_on_commit_callbacks):
    name = agreement.document.name
    make_agreement(document=name)
    with django_capture_on_commit_callbacks(execute=True):
        agreement.delete()
        prune_all_history()

    assert default_storage.exists(name)


def test_a_finalized_reports_pdf_stays_when_history_is_pruned(
    agreement, django_capture_on_commit_callbacks
):
    report = SemiannualReport(
        year=2021,
        half=1,
        status=SemiannualReport.Status.FINAL,
        finalized_at=timezone.now(),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    report.pdf.save("2021-S1.pdf", ContentFile(PDF))
    with django_capture_on_commit_callbacks(execute=True):
        prune_all_history()

    assert default_storage.exists(report.pdf.name)


def test_nothing_is_removed_when_the_transaction_rolls_back(
    coordinator_client, agreement, django_capture_on_commit_callbacks
):
    old = agreement.document.name
    replace_document(coordinator_client, agreement)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            prune_all_history()
            raise RuntimeError("the change is abandoned")
        make_agreement()  # a later transaction commits

    assert default_storage.exists(old)
    assert Agreement.history.filter(document=old).exists()


@pytest.mark.django_db(transaction=True)
def test_a_file_replaced_outside_a_transaction_goes_at_once_when_nothing_names_it():
    agreement = make_agreement(document=SimpleUploadedFile("convenio.pdf", PDF))
    old = agreement.document.name
    Agreement.history.filter(document=old).delete()

    agreement.document = SimpleUploadedFile("convenio-firmado.docx", docx())
    agreement.save()

    assert not default_storage.exists(old)
    assert default_storage.exists(agreement.document.name)
