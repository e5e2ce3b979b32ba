"""The PDF renders with no network: static files from disk, every other URL refused."""

import hashlib
import io

import pytest
from django.core.management import call_command

from reports.pdf import BASE_URL, StaticFileFetcher, html_to_pdf
from reports.periods import Period
from reports.services import report_finalize
from tests.reports.narrative import write_the_narrative


def test_fetcher_serves_the_report_stylesheet_from_disk():
    response = StaticFileFetcher().fetch(BASE_URL + "static/reports/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.org/bootstrap.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        BASE_URL + "static/../oppms/settings.py",
        BASE_URL + "media/reports/x.pdf",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticFileFetcher().fetch(url)


def test_a_remote_image_is_left_out_of_the_pdf_rather_than_fetched():
    html = '<p>x</p><img src="https://example.org/tracker.png">'
    assert html_to_pdf(html).startswith(b"%PDF")


def test_command_writes_the_pdf_of_a_semester(demo, tmp_path):
    output = tmp_path / "informe.pdf"
    call_command("semiannual_report", "2021-S1", "--output", str(output), stdout=io.StringIO())
    assert output.read_bytes().startswith(b"%PDF")


def test_command_writes_exactly_the_stored_file_of_a_final_report(demo, secretary, tmp_path):
    write_the_narrative(Period(2021, 1))
    report = report_finalize(period=Period(2021, 1), user=secretary)
    output = tmp_path / "informe.pdf"
    call_command("semiannual_report", "2021-S1", "--output", str(output), stdout=io.StringIO())
    assert hashlib.sha256(output.read_bytes()).hexdigest() == report.sha256
