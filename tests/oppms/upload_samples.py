"""Small but genuine files of every kind the app accepts, and forgeries that only look like them."""

import io
import struct
import zipfile

from PIL import Image
from pypdf import PdfWriter

# A one-page PDF with a correct cross-reference table.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>> endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000053 00000 n \n"
    b"0000000103 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n163\n%%EOF\n"
)
SCRIPT = b"<html><body><script>fetch('/x?c='+document.cookie)</script></body></html>\n"
PHP = b"<?php system($_GET['c']); ?>\n"

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
WORD_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Acta de la reunión</w:t></w:r></w:p></w:body></w:document>"
)
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body><office:text><text:p>Acta de la reunión</text:p></office:text></office:body>"
    "</office:document-content>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "&lol2;</w:document>"
)


def encrypted_pdf(user_password):
    """A one-page PDF locked with an owner password, and a user password to open it if given."""
    writer = PdfWriter()
    writer.add_blank_page(10, 10)
    writer.encrypt(user_password=user_password, owner_password="dueño", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, image_format)
    return buffer.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")


def zip_package(parts):
    """A ZIP of the given {name: text or bytes}, in order, the first one stored uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for position, (name, content) in enumerate(parts.items()):
            compression = zipfile.ZIP_STORED if position == 0 else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def docx(main=DOCX_MAIN, document=WORD_DOCUMENT, leave_out=()):
    parts = {
        "[Content_Types].xml": DOCX_CONTENT_TYPES.format(main=main),
        "word/document.xml": document,
    }
    return zip_package({name: text for name, text in parts.items() if name not in leave_out})


def odt(mimetype=ODT_MIMETYPE, content=ODT_CONTENT, leave_out=()):
    parts = {"mimetype": mimetype, "content.xml": content}
    return zip_package({name: text for name, text in parts.items() if name not in leave_out})


def compound_file(stream_name="WordDocument", stream_size=4096):
    """A Word 97-2003 style OLE compound file (version 3, 512-byte sectors) holding one stream.

    Sector 0 is the allocation table, sector 1 the directory, the stream follows; a stream of
    4096 bytes or more lives in ordinary sectors, so no mini stream is needed.
    """
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_sectors = -(-stream_size // 512)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH6sIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1)
    header += struct.pack("<IIIIII", 0, 4096, end_of_chain, 0, end_of_chain, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    allocation = [fat_sector, end_of_chain]
    allocation += [2 + index + 1 for index in range(stream_sectors - 1)] + [end_of_chain]
    allocation += [free] * (128 - len(allocation))

    def entry(name, kind, child, start, size):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, no_stream, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end_of_chain, 0)
    directory += entry(stream_name, 2, no_stream, 2, stream_size)
    directory += entry("", 0, no_stream, 0, 0) * 2
    body = struct.pack("<128I", *allocation) + directory
    return header + body + b"\x00" * (stream_sectors * 512)
