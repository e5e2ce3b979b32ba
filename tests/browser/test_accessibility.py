"""Every page, for every role that may see it, passes axe-core's WCAG 2.1 A and AA rules.

The pages come from the URL configuration (tests/browser/site_pages.py): each list also with its
filters open, each "new" form also sent empty (its errors shown), the 403 and 404 pages, the
admin. axe-core is vendored from the npm registry (tests/browser/vendor/axe-core, its README says
which version and how to update it). A violation of any impact fails, naming the page, the rule
and the elements.

``OPPMS_A11Y_REPORT=file.jsonl`` also writes each visit's violations to that file, one line per
visit: ``bench/a11y.py`` runs this test so and prints the totals per impact.
"""

import json
import os
from pathlib import Path

import pytest

from tests.browser import site_pages
from tests.browser.site_pages import expected_status, page_visits, show, unfilled_patterns

# The fixtures of the whole-site visits (site_pages says why the live-server helper is replaced).
_live_server_helper = site_pages._live_server_helper
site = site_pages.site

pytestmark = pytest.mark.browser

AXE_DIR = Path(__file__).parent / "vendor" / "axe-core"
AXE_VERSION = "4.14.1"
AXE_SOURCE = (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0 and 2.1, levels A and AA: what issue 12 asks every page to pass.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules turned off, each with why it cannot apply. None is.
DISABLED_RULES = {}

VISITS = page_visits()


@pytest.fixture(scope="module")
def axe_page(chromium, live_server, site):
    """role -> its logged-in page, where every document loads axe-core before its own scripts.

    Registered once per context, Chromium keeps the script and runs it in each new document:
    sent to the browser once, not again with each of the hundreds of visits.
    """
    yield from site_pages.open_role_pages(chromium, live_server, site, init_script=AXE_SOURCE)


def run_axe(page):
    assert page.evaluate("axe.version") == AXE_VERSION
    return page.evaluate(
        """([tags, disabled]) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            rules: Object.fromEntries(disabled.map(rule => [rule, {enabled: false}])),
            resultTypes: ["violations"],
        }).then(results => results.violations.map(violation => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.map(node => ({
                target: node.target.join(" "),
                summary: node.failureSummary,
            })),
        })))""",
        [TAGS, list(DISABLED_RULES)],
    )


def described(visit, url, violations):
    lines = [f"{len(violations)} axe violation(s) on {url} ({visit}):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}  — {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def record(visit, url, violations):
    path = os.environ.get("OPPMS_A11Y_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as report:
            line = {"visit": str(visit), "name": visit.name, "url": url, "violations": violations}
            report.write(json.dumps(line) + "\n")


def test_every_url_pattern_is_visited_or_excluded():
    unfilled = unfilled_patterns()
    assert not unfilled, (
        "URL patterns the accessibility test cannot visit: say in tests/browser/site_pages.py "
        "which record fills them and who may see them (or why they are not a page): "
        + ", ".join(f"{pattern.name} ({pattern.route})" for pattern in unfilled)
    )


def test_the_site_has_its_pages_and_roles():
    # A broken builder must not pass by visiting nothing.
    names = {visit.name for visit in VISITS}
    assert len(names) >= 60
    assert {visit.role for visit in VISITS} == {
        "coordinacion",
        "secretaria",
        "admin",
        "consulta",
        None,
    }
    assert {visit.variant for visit in VISITS} == {"page", "filters", "errors"}


@pytest.mark.parametrize("visit", VISITS, ids=str)
def test_no_axe_violation(axe_page, visit):
    page = axe_page(visit.role)
    response = show(page, visit)
    expected = expected_status(visit)
    assert response.status == expected, f"{visit}: {page.url} answered {response.status}"
    violations = run_axe(page)
    record(visit, page.url, violations)
    assert not violations, described(visit, page.url, violations)
