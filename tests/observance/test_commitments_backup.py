"""A backup holds the commitments and their history; a restore brings them back."""

import io

import pytest
from django.core.management import call_command

from observance.demo import seed_demo
from observance.models import Commitment

pytestmark = pytest.mark.django_db(transaction=True)


def commitments_and_history():
    return (
        list(Commitment.objects.order_by("pk").values_list("pk", "text", "status", "closed_on")),
        list(Commitment.history.order_by("history_id").values_list("history_id", "id", "status")),
    )


def test_a_restore_brings_back_the_commitments_removed_after_the_backup(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    before = commitments_and_history()
    assert before[0]
    call_command("backup", str(tmp_path / "copia.tar.gz"), stdout=io.StringIO())
    Commitment.objects.filter(status=Commitment.Status.PENDING).delete()
    assert commitments_and_history() != before

    call_command("restore", str(tmp_path / "copia.tar.gz"), interactive=False, stdout=io.StringIO())

    assert commitments_and_history() == before
