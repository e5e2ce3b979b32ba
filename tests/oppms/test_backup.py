import datetime
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from allies.models import Agreement
from institutions.models import Institution
from observance.demo import seed_demo
from observance.models import Evaluation, InformationRequest, Meeting, ObservanceProcess
from reports.periods import Period
from reports.services import report_finalize
from tests.oppms.snapshot import snapshot
from tests.reports.narrative import write_the_narrative

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(secretary):
    """The whole demo data set, uploaded files and the finalized 2021-S1 report."""
    seed_demo()
    meeting = Meeting.objects.order_by("held_at").first()
    meeting.minutes.save("acta.pdf", ContentFile(PDF + b"% acta\n"))
    request = InformationRequest.objects.order_by("pk").first()
    request.request_file.save("oficio.pdf", ContentFile(PDF + b"% oficio\n"))
    request.response_file.save("respuesta.pdf", ContentFile(PDF + b"% respuesta\n"))
    agreement = Agreement.objects.order_by("pk").first()
    agreement.document.save("convenio.pdf", ContentFile(PDF + b"% convenio\n"))
    # The demo has no evaluation in 2021-S1: one with both its many-to-many links and their
    # history, in the finalized semester.
    evaluation = Evaluation.objects.create(
        process=ObservanceProcess.objects.order_by("started_on").first(),
        title="Evaluación de la respuesta",
        evaluated_on="2021-05-20",
        rating=Evaluation.Rating.PARTIAL,
        findings="Respuesta parcial.",
    )
    evaluation.institutions.add(request.institution)
    evaluation.information_requests.add(request)
    evaluation.document.save("evaluacion.pdf", ContentFile(PDF + b"% evaluacion\n"))
    # A change made 412 microseconds past a whole second: a backup keeps times to the microsecond.
    Meeting.history.filter(pk=meeting.history.latest().pk).update(
        history_date=datetime.datetime(2021, 2, 1, 15, 0, 0, 412, datetime.UTC)
    )
    write_the_narrative(Period(2021, 1))
    return report_finalize(period=Period(2021, 1), user=secretary)


@pytest.fixture
def a_few_records():
    """Enough for the refusals: records with history and an uploaded file."""
    institution = Institution.objects.create(name="Asamblea Nacional", mapped_on="2021-01-10")
    meeting = Meeting.objects.create(
        held_at="2021-02-01T10:00-05:00",
        modality="virtual",
        institution=institution,
        purpose="Presentación del observatorio",
    )
    meeting.minutes.save("acta.pdf", ContentFile(PDF))
    return meeting


def manage(*args, env):
    """Run ``manage.py`` in its own process, on the database and media of ``env``."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def other_database(tmp_path):
    """The environment of a process on a second, freshly migrated database and MEDIA_ROOT."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oppms.settings",
        "MEDIA_ROOT": str(tmp_path / "other-media"),
    }
    source = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"{source['NAME']}_other"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = (
            f"postgres://{source['USER']}:{source['PASSWORD'] or ''}@"
            f"{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{name}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    migrated = manage("migrate", "--no-input", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    yield env
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_into_another_database_brings_back_every_record_file_and_report_hash(
    demo, other_database, tmp_path
):
    before = snapshot()
    assert before["records"]["observance.HistoricalMeeting"]["count"] > 0
    assert before["finalized reports"] == {
        str(demo.pk): {"sha256": demo.sha256, "pdf sha256": demo.sha256}
    }
    assert len(before["files"]) == 6
    assert before["records"]["observance.HistoricalEvaluation_information_requests"]["count"] > 0
    call_command("backup", str(tmp_path / "copia.tar.gz"), stdout=io.StringIO())

    restored = manage("restore", "--no-input", str(tmp_path / "copia.tar.gz"), env=other_database)
    assert restored.returncode == 0, restored.stderr
    printed = subprocess.run(
        [sys.executable, "-m", "tests.oppms.snapshot"],
        cwd=BASE_DIR,
        env=other_database,
        capture_output=True,
        text=True,
        check=True,
    )
    after = json.loads(printed.stdout)

    counts = {label: model["count"] for label, model in before["records"].items()}
    assert {label: model["count"] for label, model in after["records"].items()} == counts
    for label, model in before["records"].items():
        assert after["records"][label]["rows"] == model["rows"], label
    assert after["files"] == before["files"]
    assert after["finalized reports"] == before["finalized reports"]


def test_restore_into_the_database_it_was_taken_from_undoes_every_later_change(demo, tmp_path):
    before = snapshot()
    call_command("backup", str(tmp_path / "copia.tar.gz"), stdout=io.StringIO())
    meeting = Meeting.objects.order_by("held_at").first()
    meeting.purpose = "Changed after the backup"
    meeting.save()
    meeting.minutes.delete()
    Institution.objects.create(name="Added after the backup", mapped_on="2021-05-01")
    assert snapshot() != before

    call_command("restore", str(tmp_path / "copia.tar.gz"), interactive=False, stdout=io.StringIO())

    assert snapshot() == before
    # New records, their history and their many-to-many links take numbers after the restored ones.
    new = Institution.objects.create(name="Added after the restore", mapped_on="2021-06-01")
    assert new.history.count() == 1
    process = ObservanceProcess.objects.order_by("started_on").first()
    process.institutions.add(new)
    assert process.history.latest().institutions.filter(institution=new).exists()


def rewrite_manifest(path, change):
    """Rewrite the manifest of the backup at ``path`` through ``change(manifest)``."""
    with tarfile.open(path, "r:gz") as archive:
        members = [(member, archive.extractfile(member).read()) for member in archive]
    with tarfile.open(path, "w:gz") as archive:
        for member, data in members:
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            archive.addfile(member, io.BytesIO(data))


def test_restore_refuses_a_backup_of_another_schema_naming_both_and_changes_nothing(
    a_few_records, tmp_path
):
    path = tmp_path / "copia.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    here = MigrationLoader(connection).graph.leaf_nodes("oppms")[0][1]

    def from_another_version(manifest):
        assert manifest["migrations"]["oppms"] == [here]
        manifest["migrations"]["oppms"] = ["0007_future_change"]

    rewrite_manifest(path, from_another_version)
    Institution.objects.create(name="Added after the backup", mapped_on="2021-05-01")
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), interactive=False)

    message = str(refused.value)
    assert "another schema" in message
    assert "Backup: oppms 0007_future_change" in message
    assert f"This database: oppms {here}" in message
    assert snapshot() == before


def test_restore_refuses_a_backup_whose_files_differ_from_its_manifest(a_few_records, tmp_path):
    path = tmp_path / "copia.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())

    def with_a_wrong_hash(manifest):
        name = next(iter(manifest["files"]))
        manifest["files"][name] = "0" * 64

    rewrite_manifest(path, with_a_wrong_hash)
    before = snapshot()

    with pytest.raises(CommandError, match="damaged: its files do not match its manifest"):
        call_command("restore", str(path), interactive=False)
    assert snapshot() == before


def test_restore_refuses_a_file_that_is_not_a_backup(a_few_records, tmp_path):
    with tarfile.open(tmp_path / "otro.tar.gz", "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("README"), io.BytesIO(b""))

    with pytest.raises(CommandError, match="not an OPPMS backup"):
        call_command("restore", str(tmp_path / "otro.tar.gz"), interactive=False)
    assert Meeting.objects.filter(pk=a_few_records.pk).exists()
