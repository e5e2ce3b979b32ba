from django.core.management.base import BaseCommand

from oppms.backup import backup_write


class Command(BaseCommand):
    help = "Write every record and uploaded file to one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to write, e.g. oppms-2026-11-24.tar.gz")

    def handle(self, *args, path, **options):
        summary = backup_write(path=path)
        self.stdout.write(
            self.style.SUCCESS(f"{summary.records} records and {summary.files} files → {path}")
        )
