"""E-mail each user today's digest of reminders, once a day (README, "Reminders")."""

from django.core.management.base import BaseCommand, CommandError

from oppms.reminders import send_digests


class Command(BaseCommand):
    help = (
        "E-mails each user who wants it the day's digest of reminders. Safe to run again the "
        "same day: a user whose digest went out today gets nothing new."
    )

    def handle(self, *args, **options):
        run = send_digests()
        self.stdout.write(f"{run.sent} digest(s) sent.")
        if run.failed:
            # A non-zero exit makes cron mail it and systemd mark the unit failed.
            addresses = ", ".join(user.email for user in run.failed)
            raise CommandError(
                f"{len(run.failed)} digest(s) not sent, retried next run: {addresses}"
            )
