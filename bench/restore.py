"""Back up a database, restore it into another, freshly migrated one, and compare the two.

For two data sets, on the database server of DATABASE_URL (or SQLite when it is unset):

- demo: ``seed_demo``, a minutes file on every meeting and the finalized 2021-S1 report;
- pages: the same plus ``bench/pages.py``'s rows (500 institutions, 300 allies, 50,000
  meetings, 20,000 information requests), with a minutes file on one bench meeting in 50.

It prints the records and files backed up, restored and found equal (by the round-trip test's
``tests/oppms/snapshot.py``: each model's row count and the SHA-256 of its rows, field by field,
each file's SHA-256, each finalized report's hash), and the time the backup and the restore
took, in-process (the restore's ``migrate`` of the fresh database not counted). The databases
are scratch ones, named after DATABASE_URL's with ``_restore_source`` and ``_restore_target``
appended (SQLite: files in a temporary folder); they are dropped at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_bench .venv/bin/python bench/restore.py
    .venv/bin/python bench/restore.py --sets demo      # only the demo data
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppms.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("STATIC_ROOT", "/tmp/oppms-bench-static")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BENCH_MEETINGS_WITH_MINUTES = 50  # one bench meeting in this many gets a minutes file


# Each step runs in its own process, on the database and media folder its environment names.


def step_fill(data_set):
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import transaction

    from observance.demo import seed_demo
    from observance.models import Meeting
    from oppms.roles import SECRETARIA
    from reports.models import SemiannualReport
    from reports.periods import Period
    from reports.services import report_finalize

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the report's PDF needs it
    with transaction.atomic():
        seed_demo()
    for meeting in Meeting.objects.all():
        meeting.minutes.save(
            f"acta-{meeting.pk}.pdf", ContentFile(PDF + f"% {meeting.pk}\n".encode())
        )
    if data_set == "pages":
        from bench import pages

        pages.fill()
        # Files written straight to storage: the bench rows have no history to keep in step.
        bench = list(Meeting.objects.filter(purpose__startswith="Bench ").order_by("pk"))
        with_minutes = bench[::BENCH_MEETINGS_WITH_MINUTES]
        for meeting in with_minutes:
            meeting.minutes = default_storage.save(
                f"minutes/bench-{meeting.pk}.pdf", ContentFile(PDF + f"% {meeting.pk}\n".encode())
            )
        Meeting.objects.bulk_update(with_minutes, ["minutes"], batch_size=2000)
    secretary = User.objects.get(groups__name=SECRETARIA)
    # Finalizing asks for the narrative, as the secretaria writes it.
    SemiannualReport.objects.update_or_create(
        year=2021,
        half=1,
        defaults={
            "linkage_analysis": "Las instituciones respondieron a la convocatoria.",
            "conclusions": "El semestre consolidó la vinculación con las instituciones.",
            "next_semester_plans": "Dar seguimiento a las solicitudes pendientes.",
        },
    )
    report_finalize(period=Period(2021, 1), user=secretary)


def step_backup(path):
    import django

    django.setup()
    from oppms.backup import backup_write

    started = time.perf_counter()
    summary = backup_write(path=path)
    seconds = time.perf_counter() - started
    print(json.dumps({"records": summary.records, "files": summary.files, "seconds": seconds}))


def step_restore(path):
    import django

    django.setup()
    from django.core.management import call_command

    from oppms.backup import backup_restore

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    summary = backup_restore(path=path)
    seconds = time.perf_counter() - started
    print(json.dumps({"records": summary.records, "files": summary.files, "seconds": seconds}))


def step_digest():
    import django

    django.setup()
    from tests.oppms.snapshot import digest

    print(json.dumps(digest()))


STEPS = {"fill": step_fill, "backup": step_backup, "restore": step_restore, "digest": step_digest}


def run_step(env, *args):
    finished = subprocess.run(
        [sys.executable, __file__, "--step", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        sys.exit(f"step {' '.join(args)} failed:\n{finished.stderr}")
    return json.loads(finished.stdout) if finished.stdout.strip() else None


class ScratchDatabases:
    """A source and a target database beside DATABASE_URL's (or SQLite files), fresh each time."""

    def __init__(self, folder):
        self.url = os.environ.get("DATABASE_URL", "")
        self.folder = folder
        self.vendor = "postgresql" if self.url.startswith("postgres") else "sqlite"

    def url_for(self, role):
        if self.vendor == "sqlite":
            return f"sqlite:///{self.folder / f'{role}.sqlite3'}"
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"{parts.path}_restore_{role}"))

    def recreate(self, role):
        if self.vendor == "sqlite":
            (self.folder / f"{role}.sqlite3").unlink(missing_ok=True)
            return
        self._on_server(f'DROP DATABASE IF EXISTS "{self._name(role)}" WITH (FORCE)')
        self._on_server(f'CREATE DATABASE "{self._name(role)}"')

    def drop(self, role):
        if self.vendor == "postgresql":
            self._on_server(f'DROP DATABASE IF EXISTS "{self._name(role)}" WITH (FORCE)')

    def _name(self, role):
        return urlsplit(self.url_for(role)).path.lstrip("/")

    def _on_server(self, sql):
        import psycopg2

        server = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        connection = psycopg2.connect(server)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()


def measure(data_set, databases, folder):
    env = {}
    for role in ("source", "target"):
        databases.recreate(role)
        env[role] = {
            **os.environ,
            "DATABASE_URL": databases.url_for(role),
            "MEDIA_ROOT": str(folder / f"{data_set}-{role}-media"),
        }
    archive = folder / f"{data_set}.tar.gz"
    try:
        run_step(env["source"], "fill", data_set)
        backed_up = run_step(env["source"], "backup", str(archive))
        restored = run_step(env["target"], "restore", str(archive))
        source, target = run_step(env["source"], "digest"), run_step(env["target"], "digest")
    finally:
        for role in ("source", "target"):
            databases.drop(role)
    equal_models = [
        label for label, model in source["records"].items() if target["records"].get(label) == model
    ]
    equal_files = [
        name for name, sha in source["files"].items() if target["files"].get(name) == sha
    ]
    compared_records = sum(source["records"][label]["count"] for label in equal_models)
    return {
        "data set": data_set,
        "backed up": f"{backed_up['records']:,} / {backed_up['files']:,}",
        "restored": f"{restored['records']:,} / {restored['files']:,}",
        "equal": f"{compared_records:,} / {len(equal_files):,}",
        "all equal": (
            len(equal_models) == len(source["records"]) == len(target["records"])
            and source["files"] == target["files"]
            and source["finalized reports"] == target["finalized reports"]
        ),
        "archive MB": f"{archive.stat().st_size / 1e6:.1f}",
        "backup s": f"{backed_up['seconds']:.1f}",
        "restore s": f"{restored['seconds']:.1f}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=["demo", "pages"], default=["demo", "pages"])
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        name, *args = options.step
        STEPS[name](*args)
        return

    with tempfile.TemporaryDirectory() as folder:
        databases = ScratchDatabases(Path(folder))
        print(f"database: {databases.vendor}; records / files; restored into a fresh database")
        columns = [
            "data set", "backed up", "restored", "equal", "all equal", "archive MB", "backup s",
            "restore s",
        ]  # fmt: skip
        print("  ".join(f"{column:>14}" for column in columns), flush=True)
        for data_set in options.sets:
            row = measure(data_set, databases, Path(folder))
            print("  ".join(f"{str(row[column]):>14}" for column in columns), flush=True)


if __name__ == "__main__":
    main()
