"""``manage.py seed_demo``: load the 2021 report's facts and the four demo logins."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from observance.demo import DEFAULT_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo data of the 2021 semiannual report (team, 20 mapped institutions, "
        "meetings, allies, agreements, information requests) and one login per role. "
        "Running it again changes nothing. The password comes from DEMO_PASSWORD."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        # The summary speaks the observatory's language, as its pages do.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            summary = seed_demo(password=password)
            if options["verbosity"] > 0:
                self.print_summary(summary, password)

    def print_summary(self, summary, password):
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        width = max(len(label) for label in summary.figures)
        for label, value in summary.figures.items():
            self.stdout.write(f"  {label:<{width}}  {value}")
        self.stdout.write("")
        self.stdout.write(_("Demo logins (all with the same password):"))
        self.stdout.write(f"  {_('user'):<14}{pgettext('demo login', 'role'):<16}{_('password')}")
        for username, role in summary.logins:
            self.stdout.write(f"  {username:<14}{role:<16}{password}")
