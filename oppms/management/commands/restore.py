import tarfile

from django.core.management.base import BaseCommand, CommandError

from oppms.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace every record and uploaded file with those of a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A backup file written by `manage.py backup`.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path, interactive, **options):
        if interactive:
            answer = input(
                "This deletes every record and uploaded file and puts the backup's in their "
                "place. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            summary = backup_restore(path=path)
        except (OSError, BackupError, tarfile.TarError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.records} records and {summary.files} files restored from {path}, "
                "as its manifest lists them."
            )
        )
