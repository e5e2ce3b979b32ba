"""E-mail each user today's digest of reminders, once a day (README, "Reminders")."""

from django.core.management.base import BaseCommand

from oppms.reminders import send_digests


class Command(BaseCommand):
    help = (
        "E-mails each user who wants it the day's digest of reminders. Safe to run again the "
        "same day: a user whose digest went out today gets nothing new."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
