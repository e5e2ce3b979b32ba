import datetime
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command

from allies.models import Agreement, Ally
from institutions.models import Institution
from observance.models import Meeting
from oppms.backup import NOT_BACKED_UP
from reports.models import SemiannualReport
from reports.periods import Period
from reports.services import report_finalize
from tests.reports.narrative import write_the_narrative

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Django's JSON serializer writes datetimes to the millisecond, and writes "12:00:00.000412" as
# "12:00:00.000" but "12:00:00" once restored: one instant, two spellings. Spell them one way.
WHOLE_SECOND = re.compile(r'("\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(Z"|[+-]\d\d:\d\d")')


def everything():
    """Every record a backup promises to keep, as dumpdata sees it, and every file's SHA-256."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=NOT_BACKED_UP,
        natural_foreign=True,
        stdout=out,
    )
    files = {
        str(path.relative_to(settings.MEDIA_ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(settings.MEDIA_ROOT).rglob("*")
        if path.is_file()
    }
    dump = WHOLE_SECOND.sub(r"\1.000\2", out.getvalue())
    records = sorted(json.loads(dump), key=lambda r: (r["model"], str(r.get("pk"))))
    return records, files


@pytest.fixture
def records(coordinator):
    institution = Institution.objects.create(name="Asamblea Nacional", mapped_on="2021-01-10")
    ally = Ally.objects.create(name="Universidad Técnica de Machala", kind=Ally.Kind.ACADEMIA)
    agreement = Agreement(
        ally=ally,
        title="Convenio marco",
        signed_on="2021-03-01",
        status=Agreement.Status.IN_EXECUTION,
    )
    agreement.document.save("convenio.pdf", ContentFile(PDF))
    Meeting.objects.create(
        held_at="2021-02-01T10:00-05:00",
        modality="virtual",
        institution=institution,
        purpose="Presentación del observatorio",
    )
    # A change made 412 microseconds past a whole second, as one in a thousand are.
    Meeting.history.update(history_date=datetime.datetime(2021, 2, 1, 15, 0, 0, 412, datetime.UTC))
    write_the_narrative(Period(2021, 1))
    return report_finalize(period=Period(2021, 1), user=coordinator)


def test_restore_brings_back_every_record_and_file(records, tmp_path):
    finalized = records
    before = everything()
    call_command("backup", str(tmp_path / "copia.tar.gz"), stdout=io.StringIO())

    call_command("flush", interactive=False)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert everything() != before

    call_command("restore", str(tmp_path / "copia.tar.gz"), interactive=False, stdout=io.StringIO())
    after = everything()
    lost = [record for record in before[0] if record not in after[0]]
    gained = [record for record in after[0] if record not in before[0]]
    assert (lost, gained) == ([], [])
    assert after == before
    restored = SemiannualReport.objects.get(pk=finalized.pk)
    assert hashlib.sha256(restored.pdf.read()).hexdigest() == finalized.sha256


def test_restore_refuses_a_file_that_is_not_a_backup(records, tmp_path):
    import tarfile

    with tarfile.open(tmp_path / "otro.tar.gz", "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("README"), io.BytesIO(b""))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not an OPPMS backup"):
        call_command("restore", str(tmp_path / "otro.tar.gz"), interactive=False)
    assert Institution.objects.filter(name="Asamblea Nacional").exists()
