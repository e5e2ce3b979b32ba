"""Each figure of the preview links to a list filtered exactly as the figure counts."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from reports.builder import report_figures
from reports.periods import Period
from reports.services import figure_links

# Every test reads the demo: seeded once for the module (tests/reports/conftest.py).
pytestmark = pytest.mark.usefixtures("demo_for_module")


def every_link(links, figures):
    urls = [url for url in links.values() if url]

    def walk(value):
        if isinstance(value, dict):
            if value.get("url"):
                urls.append(value["url"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(figures)
    return urls


def test_every_filter_a_figure_links_with_is_one_its_list_knows(demo):
    period = Period(2021, 1)
    links, figures = figure_links(report_figures(period=period), period)

    unknown = []
    for url in every_link(links, figures):
        parts = urlsplit(url)
        view = resolve(parts.path).func.view_class
        known = set(getattr(view, "filterset_class", None).base_filters) if parts.query else set()
        unknown += [f"{url}: {name}" for name in parse_qs(parts.query) if name not in known]
    assert unknown == []


def test_every_link_of_the_preview_opens(demo, secretary_client):
    period = Period(2021, 1)
    links, figures = figure_links(report_figures(period=period), period)
    statuses = {url: secretary_client.get(url).status_code for url in every_link(links, figures)}
    assert {url: code for url, code in statuses.items() if code != 200} == {}
