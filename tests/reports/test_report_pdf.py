"""The PDF of the 2021 first-semester report, built from the demo data, read back with pypdf."""

import io

import pytest
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from pypdf import PdfReader

from observance.models import Step
from reports.sections import SECTIONS

from .conftest import pdf_pages, pdf_text

# Every test reads the demo: seeded once for the module (tests/reports/conftest.py).
pytestmark = pytest.mark.usefixtures("demo_for_module")


def test_pdf_states_the_linkage_figure_of_eleven_of_twenty_institutions(demo_pdf):
    sentence = ngettext(
        "Meetings were held with %(met)s of the %(mapped)s mapped institution: "
        "%(percent)s %% of the linkage goal.",
        "Meetings were held with %(met)s of the %(mapped)s mapped institutions: "
        "%(percent)s %% of the linkage goal.",
        20,
    ) % {"met": 11, "mapped": 20, "percent": 55}
    assert sentence in pdf_text(demo_pdf)


def test_pdf_counts_the_ten_meetings_with_universities(demo_pdf):
    sentence = ngettext(
        "%(total)s meeting was held with a university: %(split)s.",
        "%(total)s meetings were held with universities: %(split)s.",
        10,
    ) % {"total": 10, "split": npgettext("meetings", "virtual", "all virtual", 10)}
    assert sentence in pdf_text(demo_pdf)


def test_pdf_lists_the_team_with_names_and_roles(demo_report):
    text = pdf_text(demo_report.pdf)
    assert len(demo_report.team) == 5
    for name, role in demo_report.team:
        assert f"{name} {role}" in text


def test_pdf_lists_the_seven_steps_in_order(demo_pdf):
    text = pdf_text(demo_pdf)
    positions = [text.find(f"{str(step.label)}.") for step in Step]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_pdf_sections_follow_the_order_of_the_2021_report(demo_pdf):
    pages = pdf_pages(demo_pdf)
    contents = gettext("Contents")
    toc_page = next(index for index, page in enumerate(pages) if contents in page)
    body = " ".join(pages[toc_page + 1 :])
    positions = [body.find(str(title)) for _key, title in SECTIONS]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_pdf_contents_give_each_section_its_page(demo_pdf):
    pages = pdf_pages(demo_pdf)
    toc = next(page for page in pages if gettext("Contents") in page)
    for _key, title in SECTIONS:
        start = toc.index(str(title)) + len(str(title))
        number = int(toc[start:].lstrip(" .")[:3].split()[0])
        assert str(title) in pages[number - 1]


def test_pdf_is_a4_with_page_numbers_and_embedded_fonts(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    total = len(reader.pages)
    footer = f"{pgettext('page footer', 'Page')} 2 {pgettext('page footer', 'of')} {total}"
    assert footer in pdf_pages(demo_pdf)[1]
    # The cover has no footer, and the footer's words leave no stray text on it either.
    assert pgettext("page footer", "Page") not in pdf_pages(demo_pdf)[0]
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    ]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts]
    assert descriptors and all("/FontFile2" in d for d in descriptors)
    assert any("DejaVu" in str(font["/BaseFont"]) for font in fonts)
