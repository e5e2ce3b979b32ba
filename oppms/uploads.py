"""Checks for every file a user uploads: minutes, letters, responses, signed agreements.

A file is accepted when it opens as what its extension says, not when its first bytes look
right: a PDF must be readable by pypdf and have pages, an image must decode with Pillow as that
format, a DOCX or ODT must be a ZIP package holding its main document as well-formed XML, and a
DOC must be an OLE compound file with a WordDocument stream. So `%PDF` followed by a web page, a
PNG header followed by a script, or any ZIP renamed `.docx` is refused, each with its reason.

No orphaned files, by this rule: an uploaded file stays on disk while any row refers to it by
name: the record it was uploaded to, a finalized report (its PDF), or any history row of any
record. History rows count because the history page shows each version's file and reverting to a
version must not point at a missing file. When a change takes away the last reference (a record
deleted, or its file replaced or cleared, and the history rows naming the file pruned, e.g. by
`manage.py clean_old_history`), the file is deleted once the transaction commits; if the
transaction rolls back, nothing is deleted.
"""

import functools
import logging
import os
import threading
import uuid
import warnings
import zipfile
from xml.parsers import expat

import olefile
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import signals
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

logger = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS = ("pdf", "doc", "docx", "odt", "jpg", "jpeg", "png")

PDF_SIGNATURE = b"%PDF-"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# The main part of a .docx. A macro-enabled document or a template has another content type:
# renamed to .docx, Word itself refuses to open it.
DOCX_MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
CONTENT_TYPES_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types"
# Root element of each package's main part, as "namespace local-name" (expat's notation).
DOCX_DOCUMENT_ROOTS = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main document",
    "http://purl.oclc.org/ooxml/wordprocessingml/main document",  # Strict Open XML
}
ODT_CONTENT_ROOTS = {"urn:oasis:names:tc:opendocument:xmlns:office:1.0 document-content"}
# A part of a package is unpacked to be checked; a file this small that unpacks to more than
# this is a ZIP bomb, not a document.
MAX_UNPACKED_PART_BYTES = 100 * 1024 * 1024
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}


def validate_document(upload):
    """Refuse files over the size limit or that do not open as the type their name says.

    A file already stored (a record edited without replacing its file) was checked when it was
    uploaded: it is not read again, so a record stays editable whatever rules held back then.
    """
    if isinstance(upload, FieldFile) and upload._committed:
        return
    if upload.size > settings.UPLOAD_MAX_BYTES:
        size, limit = distinct_sizes(upload.size, settings.UPLOAD_MAX_BYTES)
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"size": size, "limit": limit},
        )
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            _("Only PDF, DOC, DOCX, ODT, JPG and PNG files are accepted."),
            code="file_type",
        )
    position = upload.tell()
    upload.seek(0)
    try:
        STRUCTURE_CHECKS[extension](upload, extension)
    finally:
        upload.seek(position)


def distinct_sizes(size, limit):
    """The size and the limit, readable and never shown equal when they are not."""
    shown = filesizeformat(size), filesizeformat(limit)
    if shown[0] != shown[1]:
        return shown
    return tuple(
        gettext("%(bytes)s bytes") % {"bytes": number_format(value, force_grouping=True)}
        for value in (size, limit)
    )


def refused(message, **params):
    return ValidationError(message, code="file_content", params=params)


def check_pdf(upload, extension):
    if upload.read(len(PDF_SIGNATURE)) != PDF_SIGNATURE:
        raise refused(_("The file does not begin as a PDF document does."))
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except DependencyError:
                # AES needs the optional cryptography package; the file has opened as a PDF
                # with its cross-reference table and trailer, which is what is checked here.
                return
            if not unlocked:
                raise refused(
                    _("The PDF is protected with a password; upload it without the password.")
                )
        page_count = len(reader.pages)
    except ValidationError:
        raise
    except Exception as error:
        # pypdf raises many kinds of error on a damaged or forged file: any of them means
        # that a PDF reader cannot open it either.
        raise refused(
            _("The file begins as a PDF but does not open as one: its structure is damaged.")
        ) from error
    if page_count == 0:
        raise refused(_("The PDF has no pages."))


def check_image(upload, extension):
    image_format = IMAGE_FORMATS[extension]
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 179 million pixels; decoding such an image to
            # check it would take gigabytes of memory.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[image_format]) as image:
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=[image_format]) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise refused(_("The image has too many pixels to be opened safely.")) from error
    except Exception as error:
        # Pillow raises OSError, SyntaxError, ValueError and others on a file that is not a
        # whole image of this format.
        raise refused(
            _("The file is not a %(format)s image that can be displayed."),
            format=extension.upper(),
        ) from error


def check_docx(upload, extension):
    with open_package(upload, extension) as package:
        require_parts(package, extension, "[Content_Types].xml", "word/document.xml")
        if main_content_type(package) != DOCX_MAIN_CONTENT_TYPE:
            raise refused(
                _(
                    "The DOCX package's main part is not a Word document: it may be a "
                    "template or a document with macros renamed to .docx."
                )
            )
        require_xml_part(package, extension, "word/document.xml", DOCX_DOCUMENT_ROOTS)


def check_odt(upload, extension):
    with open_package(upload, extension) as package:
        require_parts(package, extension, "mimetype", "content.xml")
        mimetype = read_part(package, extension, "mimetype", limit=1024)
        if mimetype != ODT_MIMETYPE:
            raise refused(
                _("The ODT package is not a text document: its type is %(mimetype)s."),
                mimetype=mimetype.decode("ascii", "replace")[:100],
            )
        require_xml_part(package, extension, "content.xml", ODT_CONTENT_ROOTS)


def check_doc(upload, extension):
    if upload.read(len(OLE_SIGNATURE)) != OLE_SIGNATURE:
        raise refused(_("The file is not a DOC document: it is not a Word 97-2003 compound file."))
    upload.seek(0)
    try:
        compound = olefile.OleFileIO(upload)
        has_word_stream = compound.exists("WordDocument")
    except Exception as error:
        # olefile raises OSError, IndexError or struct errors on a damaged header or sector map.
        raise refused(
            _("The file begins as a DOC document but its structure is damaged.")
        ) from error
    if not has_word_stream:
        raise refused(
            _(
                "The file is an Office compound file but holds no Word document: it may be "
                "a spreadsheet or a presentation."
            )
        )


def open_package(upload, extension):
    try:
        return zipfile.ZipFile(upload)
    except Exception as error:
        raise refused(
            _("The file is not a %(extension)s document: it is not a readable ZIP package."),
            extension=extension.upper(),
        ) from error


def require_parts(package, extension, *parts):
    names = set(package.namelist())
    for part in parts:
        if part not in names:
            raise refused(
                _("The %(extension)s package lacks its %(part)s part."),
                extension=extension.upper(),
                part=part,
            )


def read_part(package, extension, part, limit):
    """The part's bytes, refusing a part that is damaged or unpacks to more than limit."""
    try:
        with package.open(part) as member:
            data = member.read(limit + 1)
    except Exception as error:
        raise damaged_part(extension, part) from error
    if len(data) > limit:
        raise damaged_part(extension, part)
    return data


def damaged_part(extension, part):
    return refused(
        _("The %(extension)s document's %(part)s part is damaged."),
        extension=extension.upper(),
        part=part,
    )


def main_content_type(package):
    """The content type [Content_Types].xml declares for word/document.xml, or None."""
    declared = {}

    def on_element(name, attributes):
        if name == f"{CONTENT_TYPES_NAMESPACE} Override":
            declared[attributes.get("PartName", "").lower()] = attributes.get("ContentType")

    parse_xml_part(package, "docx", "[Content_Types].xml", on_element)
    return declared.get("/word/document.xml")


def require_xml_part(package, extension, part, roots):
    """Refuse the package unless the part is well-formed XML whose root is one of roots."""
    seen = []

    def on_element(name, attributes):
        seen.append(name)

    parse_xml_part(package, extension, part, on_element)
    if not seen or seen[0] not in roots:
        raise damaged_part(extension, part)


def parse_xml_part(package, extension, part, on_element):
    """Stream the part through expat, calling on_element(name, attributes) for each element.

    Office packages never carry a document type declaration, so one is refused: it is how an
    XML file expands a few bytes into gigabytes of entities.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = on_element

    def refuse_doctype(*args):
        raise ValueError("document type declaration")

    parser.StartDoctypeDeclHandler = refuse_doctype
    unpacked = 0
    try:
        with package.open(part) as member:
            while chunk := member.read(64 * 1024):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_PART_BYTES:
                    raise ValueError("part too large once unpacked")
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except Exception as error:
        # zipfile reports a bad CRC or compression as BadZipFile or zlib.error, expat a
        # malformed document as ExpatError.
        raise damaged_part(extension, part) from error


STRUCTURE_CHECKS = {
    "pdf": check_pdf,
    "doc": check_doc,
    "docx": check_docx,
    "odt": check_odt,
    "jpg": check_image,
    "jpeg": check_image,
    "png": check_image,
}


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


# Removing files that nothing refers to any more.


@functools.cache
def file_columns():
    """(model, column) for every column that holds an uploaded file's name.

    Each FileField, and the same column of its model's history (simple-history keeps it as
    text; its historical model names the live one in `instance_type`).
    """
    columns = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        source = getattr(model, "instance_type", model)
        for field in source._meta.concrete_fields:
            if isinstance(field, models.FileField) and has_column(model, field.name):
                columns.append((model, field.name))
    return tuple(columns)


def has_column(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def columns_of(sender):
    return [column for model, column in file_columns() if model is sender]


def connect_file_removal():
    """Watch every model that holds file names; called once the apps are ready."""
    for model in {model for model, _column in file_columns()}:
        uid = f"oppms.uploads:{model._meta.label}"
        if not hasattr(model, "instance_type"):
            signals.pre_save.connect(note_replaced_files, sender=model, dispatch_uid=uid)
            signals.post_save.connect(release_replaced_files, sender=model, dispatch_uid=uid)
        signals.post_delete.connect(note_deleted_files, sender=model, dispatch_uid=uid)


def note_replaced_files(sender, instance, raw, using, update_fields, **kwargs):
    """Before a save, note the stored names the save is about to replace."""
    if raw or instance._state.adding or instance.pk is None:
        return  # a new row, or a fixture being loaded as it is (a restore)
    columns = [
        column for column in columns_of(sender) if update_fields is None or column in update_fields
    ]
    if not columns:
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*columns).first()
    instance._files_replaced_by_save = [
        (column, old_name)
        for column, old_name in (stored or {}).items()
        if old_name and old_name != getattr(instance, column).name
    ]


def release_replaced_files(sender, instance, using, **kwargs):
    # After the save, not before: outside a transaction the check runs at once, and must not
    # find the old name still on the row.
    for column, old_name in instance.__dict__.pop("_files_replaced_by_save", ()):
        remove_if_unreferenced_on_commit(sender, column, old_name, using)


def note_deleted_files(sender, instance, using, **kwargs):
    for column in columns_of(sender):
        value = getattr(instance, column)
        name = getattr(value, "name", value)  # a FieldFile on a record, text on a history row
        if name:
            remove_if_unreferenced_on_commit(sender, column, name, using)


# Names whose last reference may have gone, per database alias, until the transaction commits.
pending_removals = threading.local()


def remove_if_unreferenced_on_commit(model, column, name, using):
    source = getattr(model, "instance_type", model)
    storage = source._meta.get_field(column).storage
    if not hasattr(pending_removals, "by_alias"):
        pending_removals.by_alias = {}
    pending_removals.by_alias.setdefault(using, {})[name] = storage
    # One callback per name, but the first to run handles all of them in a few queries; a
    # name left over from a rolled-back transaction is checked at the next commit, against
    # what the database then holds. Robust: a file that cannot be deleted is logged, and the
    # change already committed stands.
    transaction.on_commit(functools.partial(remove_pending_files, using), using=using, robust=True)


def remove_pending_files(using):
    pending = getattr(pending_removals, "by_alias", {}).pop(using, {})
    if not pending:
        return
    still_needed = referenced_names(pending, using)
    for name, storage in pending.items():
        if name not in still_needed:
            storage.delete(name)
            logger.info("Removed %s: no record or history row refers to it any more", name)


def referenced_names(names, using):
    """The names, among `names`, that some row of some model still holds."""
    names = list(names)
    found = set()
    for model, column in file_columns():
        for start in range(0, len(names), 500):
            rows = model._base_manager.using(using).filter(
                **{f"{column}__in": names[start : start + 500]}
            )
            found.update(rows.values_list(column, flat=True))
    return found
