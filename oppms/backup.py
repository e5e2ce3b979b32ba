"""Back up and restore the whole observatory: every record and every uploaded file.

A backup is one .tar.gz holding ``database.json`` (Django's dumpdata, with natural keys, so it
loads into SQLite or PostgreSQL alike) and ``media/`` (minutes, letters, agreements, finalized
reports). Content types and permissions are not in it: migrations recreate them, and the records
refer to them by natural key. Times are kept to the millisecond, as Django's JSON serializer
writes them.
"""

import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

DATABASE_MEMBER = "database.json"
MEDIA_MEMBER = "media"
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes"]


def backup_write(*, path):
    """Write the backup to ``path``; returns how many records it holds."""
    buffer = io.StringIO()
    call_command(
        "dumpdata",
        exclude=_excluded(),
        natural_foreign=True,
        indent=None,
        stdout=buffer,
    )
    data = buffer.getvalue().encode()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(DATABASE_MEMBER)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        if media.exists():
            archive.add(media, arcname=MEDIA_MEMBER)
    return len(json.loads(data))


def backup_restore(*, path):
    """Replace every record and uploaded file with those of the backup at ``path``."""
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(scratch, filter="data")
        dump = Path(scratch) / DATABASE_MEMBER
        if not dump.exists():
            raise ValueError(f"{path} is not an OPPMS backup: it has no {DATABASE_MEMBER}.")
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(dump), verbosity=0)
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        restored_media = Path(scratch) / MEDIA_MEMBER
        if restored_media.exists():
            shutil.copytree(restored_media, media)
        else:
            media.mkdir(parents=True)


def _excluded():
    installed = {config.label for config in apps.get_app_configs()}
    return [item for item in NOT_BACKED_UP if item.split(".")[0] in installed]
