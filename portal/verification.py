"""Verify a report: is this PDF, or this SHA-256, one the observatory issued?

The uploaded file is hashed while it arrives and never stored: Sha256UploadHandler replaces
Django's handlers, which would keep it in memory or in a temporary file.
"""

import hashlib
import re

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from reports.models import SemiannualReport

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
PDF_SIGNATURE = b"%PDF-"


class HashedUpload(UploadedFile):
    """What is left of an uploaded file once hashed: its name, size, digest and first bytes."""

    def __init__(self, name, content_type, size, sha256, head, too_large):
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.sha256 = sha256
        self.head = head
        self.too_large = too_large


class Sha256UploadHandler(FileUploadHandler):
    """Hash each uploaded file chunk by chunk, keeping only its digest and first bytes.

    Past the size limit the rest of the file is read and dropped unhashed: the form then says
    the file is too large, next to the field.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.max_bytes = settings.UPLOAD_MAX_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = b""

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if len(self.head) < len(PDF_SIGNATURE):
            self.head = (self.head + raw_data)[: len(PDF_SIGNATURE)]
        if self.size <= self.max_bytes:
            self.digest.update(raw_data)
        return None

    def file_complete(self, file_size):
        return HashedUpload(
            name=self.file_name,
            content_type=self.content_type,
            size=self.size,
            sha256=self.digest.hexdigest(),
            head=self.head,
            too_large=self.size > self.max_bytes,
        )


class VerifyReportForm(forms.Form):
    pdf = forms.FileField(
        label=_("The report's PDF"),
        required=False,
        help_text=_("The file is read to compute its fingerprint and is not kept."),
    )
    sha256 = forms.CharField(
        label=_("Or its SHA-256"),
        required=False,
        max_length=200,
        help_text=_("The 64 characters printed next to each report on this portal."),
    )

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        if upload.too_large:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s: no report of the observatory is that large.")
                % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
                code="too_large",
            )
        if upload.head != PDF_SIGNATURE:
            raise forms.ValidationError(
                _("This file is not a PDF: the observatory's reports are PDF files."),
                code="not_pdf",
            )
        return upload

    def clean_sha256(self):
        given = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if given and not SHA256_PATTERN.match(given):
            raise forms.ValidationError(
                _(
                    "A SHA-256 is 64 characters, digits 0–9 and letters a–f; "
                    "what you pasted is not one."
                ),
                code="bad_sha256",
            )
        return given

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("pdf") and not cleaned.get("sha256"):
            raise forms.ValidationError(
                _("Choose the report's PDF or paste its SHA-256."), code="nothing_given"
            )
        if cleaned.get("pdf") and cleaned.get("sha256"):
            raise forms.ValidationError(
                _("Give the PDF or the SHA-256, not both."), code="both_given"
            )
        return cleaned

    def fingerprint(self):
        upload = self.cleaned_data["pdf"]
        return upload.sha256 if upload else self.cleaned_data["sha256"]

    def issued_report(self):
        """The final report with this fingerprint, or None."""
        return SemiannualReport.objects.filter(
            status=SemiannualReport.Status.FINAL, sha256=self.fingerprint()
        ).first()
