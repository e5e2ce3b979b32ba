"""axe-core's violations over the whole site, totalled per impact.

Runs tests/browser/test_accessibility.py (every page for every role that may see it) with
OPPMS_A11Y_REPORT set, then prints, for each impact (critical, serious, moderate, minor): the
distinct rules violated, the distinct (page, rule) violations over the URL patterns, and the
elements involved (one per element and rule on each visit). With a report file already written,
``--from FILE`` only prints its totals.

    .venv/bin/python bench/a11y.py            # runs the test: several minutes
    .venv/bin/python bench/a11y.py --from /tmp/a11y.jsonl
"""

import collections
import json
import os
import subprocess  # nosec B404 - runs our own test suite
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPACTS = ["critical", "serious", "moderate", "minor"]


def run(report):
    environment = dict(os.environ, OPPMS_A11Y_REPORT=str(report))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-n0",
        "-q",
        "tests/browser/test_accessibility.py",
        "--durations=5",
    ]
    subprocess.run(command, cwd=ROOT, env=environment, check=False)  # nosec B603


def totals(report):
    visits = [json.loads(line) for line in Path(report).read_text().splitlines() if line]
    rules = collections.defaultdict(set)
    violations = collections.defaultdict(set)
    elements = collections.Counter()
    by_rule = collections.Counter()
    for visit in visits:
        for violation in visit["violations"]:
            impact = violation["impact"]
            rules[impact].add(violation["id"])
            violations[impact].add((visit["name"], violation["id"]))
            elements[impact] += len(violation["nodes"])
            by_rule[(impact, violation["id"])] += len(violation["nodes"])
    pages = {visit["name"] for visit in visits}
    print(f"{len(visits)} visits of {len(pages)} pages (URL patterns and error pages)")
    print(f"{'impact':<10}{'rules':>7}{'page×rule':>11}{'elements':>10}")
    for impact in IMPACTS:
        print(
            f"{impact:<10}{len(rules[impact]):>7}{len(violations[impact]):>11}{elements[impact]:>10}"
        )
    print()
    for (impact, rule), count in sorted(by_rule.items(), key=lambda item: -item[1]):
        print(f"  {impact:<10}{rule:<32}{count:>6} elements")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--from":
        totals(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "a11y.jsonl"
        run(report)
        totals(report)


if __name__ == "__main__":
    main()
