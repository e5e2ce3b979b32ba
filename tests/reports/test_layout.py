"""A layout the secretaria can send: no page with a line or two, charts that cut no name and
count in whole numbers, tables sorted by the column they show."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from reports.builder import report_figures
from reports.charts import meetings_per_month, steps_per_process, whole_ticks
from reports.periods import Period
from reports.services import report_for, report_html, report_pdf

FOOTER = re.compile(r"^(OPPMS|Página \d+ de \d+)$")


def content_lines(pdf):
    """The lines of each page but the cover, without the running header and footer."""
    pages = PdfReader(io.BytesIO(pdf)).pages[1:]
    return [
        [
            line
            for line in (raw.strip() for raw in (page.extract_text() or "").splitlines())
            if line and not FOOTER.match(line)
        ]
        for page in pages
    ]


def test_no_page_of_the_demo_report_holds_only_a_line_or_two(demo_pdf):
    for number, lines in enumerate(content_lines(demo_pdf), start=2):
        assert len(lines) > 3, (number, lines)


def test_a_semester_without_records_says_so_without_a_page_per_section(db):
    pdf = report_pdf(report=report_for(Period(2030, 1)))
    pages = content_lines(pdf)
    for number, lines in enumerate(pages, start=2):
        assert len(lines) > 3, (number, lines)
    # Cover, contents, the sections in the flow, the annex: far fewer pages than sections.
    assert len(pages) + 1 <= 6


def test_a_long_process_title_wraps_whole_in_the_steps_chart():
    title = (
        "Observancia 2021 de la Ley Orgánica de Movilidad Humana y su Reglamento en las "
        "provincias de frontera norte"
    )
    statuses = {"done": "Cumplido", "in_progress": "En curso", "pending": "Pendiente"}
    svg = str(steps_per_process([{"title": title, "steps": ["done"] * 7}], statuses))
    shown = " ".join(re.findall(r'text-anchor="end"[^>]*>([^<]+)</text>', svg))
    assert shown == title
    assert "…" not in svg


@pytest.mark.parametrize("peak", [1, 3, 5, 7, 14, 28, 1234])
def test_chart_axes_count_in_whole_evenly_spaced_numbers(peak):
    ticks = whole_ticks(peak)
    assert ticks[0] == 0 and ticks[-1] >= peak
    assert len({b - a for a, b in zip(ticks, ticks[1:], strict=False)}) == 1
    assert len(ticks) <= 6


def test_the_meetings_chart_labels_its_axis_with_whole_numbers():
    by_month = [
        {"month": datetime.date(2021, month, 1).isoformat(), "virtual": 5, "in_person": 1}
        for month in range(1, 7)
    ]
    svg = str(meetings_per_month(by_month))
    axis = re.findall(r'fill="#555">([^<]+)</text>', svg)
    assert axis == ["0", "2", "4", "6"]


def test_requests_by_institution_are_sorted_by_the_acronym_the_table_shows(demo):
    period = Period(2021, 1)
    markup = report_html(report=report_for(period), figures=report_figures(period=period))
    table = markup[markup.index('id="requests"') :].split("</table>")[0]
    acronyms = re.findall(r"<tr><td>([^<]+)</td>", table)
    assert acronyms == ["DIGERCIC", "MDG", "MDT", "MIES", "MREMH", "MSP"]
