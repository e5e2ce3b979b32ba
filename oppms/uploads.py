"""Checks for every file a user uploads: minutes, letters, responses, signed agreements."""

import os
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Extension -> the kinds the file's own bytes may show. An extension alone proves nothing:
# a renamed executable must be refused.
ACCEPTED_KINDS = {
    "pdf": {"pdf"},
    "doc": {"doc"},
    "docx": {"docx", "zip"},
    "odt": {"odt", "zip"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
}


def validate_document(upload):
    """Refuse files over the size limit or whose content is not one of the accepted types."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
        )
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in ACCEPTED_KINDS:
        raise ValidationError(
            _("Only PDF, DOC, DOCX, ODT, JPG and PNG files are accepted."),
            code="file_type",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ACCEPTED_KINDS[extension]:
        raise ValidationError(
            _("The file's content is not a valid %(extension)s document."),
            code="file_content",
            params={"extension": extension.upper()},
        )


@deconstructible
class UploadTo:
    """Store uploads under a folder per kind with a random name, keeping the extension.

    The random name stops one upload from overwriting or guessing the path of another.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = os.path.splitext(filename)[1].lower()
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder
