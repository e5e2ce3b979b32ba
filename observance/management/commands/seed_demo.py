"""``manage.py seed_demo``: load the 2021 report's facts and the four demo logins."""

import os

from django.core.management.base import BaseCommand
from django.db import transaction

from observance.demo import DEFAULT_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo data of the 2021 semiannual report (team, 20 mapped institutions, "
        "meetings, allies, agreements, information requests) and one login per role. "
        "Running it again changes nothing. The password comes from DEMO_PASSWORD."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic():
            summary = seed_demo(password=password)
        if options["verbosity"] == 0:
            return

        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        width = max(len(label) for label in summary.figures)
        for label, value in summary.figures.items():
            self.stdout.write(f"  {label:<{width}}  {value}")
        self.stdout.write("")
        self.stdout.write("Demo logins (all with the same password):")
        self.stdout.write(f"  {'user':<14}{'role':<16}password")
        for username, role in summary.logins:
            self.stdout.write(f"  {username:<14}{role:<16}{password}")
