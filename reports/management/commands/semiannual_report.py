"""``manage.py semiannual_report 2021-S1 --output informe.pdf``: the PDF of a semester.

A final report writes exactly its stored file; otherwise the PDF is rendered from the current
records, as the draft download does.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from reports.periods import Period
from reports.services import report_for, report_pdf


class Command(BaseCommand):
    help = "Write the semiannual report of a semester (e.g. 2021-S1) as a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("period", help="The semester: YYYY-S1 (January–June) or YYYY-S2.")
        parser.add_argument(
            "--output", "-o", help="Where to write the PDF (default: informe-<period>.pdf)."
        )

    def handle(self, *args, period, output=None, **options):
        try:
            period = Period.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        report = report_for(period)
        pdf = report_pdf(report=report)
        output = output or f"informe-{period.code}.pdf"
        with open(output, "wb") as handle:
            handle.write(pdf)
        kind = "final (stored file)" if report.is_final else "draft from the current records"
        self.stdout.write(
            f"{output}: {period.code}, {kind}, {len(pdf)} bytes, "
            f"SHA-256 {hashlib.sha256(pdf).hexdigest()}"
        )
