"""Charts of the report as SVG, drawn on the server and embedded inline in the HTML.

No plotting library and no JavaScript: a few rectangles and labels are all a bar chart needs,
and inline SVG renders the same in the browser preview and in WeasyPrint's PDF.
"""

import datetime
import math
import textwrap

from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

FONT = 'font-family="DejaVu Sans, sans-serif"'
COLOURS = {
    "virtual": "#2f6db5",
    "in_person": "#e08a1e",
    "on_time": "#2e8b57",
    "late": "#e0a31e",
    "overdue": "#c0392b",
    "open": "#8a94a6",
    "done": "#2e8b57",
    "in_progress": "#e0a31e",
    "pending": "#dde1e7",
}


def _svg(width, height, body, title):
    body = "".join(body)
    # An image holds nothing one can use: a chart whose bars link to their records (the
    # preview's) is a figure, whose links a keyboard and a screen reader reach.
    role = "figure" if 'class="figure-link"' in body else "img"
    # Safe to mark: every text that reaches the SVG went through escape() (_text, title), and
    # the rest is numbers and colours formatted here.
    return mark_safe(  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _text(x, y, text, size=11, anchor="start", weight="normal", fill="#222"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{escape(text)}</text>'
    )


def _rect(x, y, width, height, colour):
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
        f'height="{max(height, 0):.1f}" fill="{colour}"/>'
    )


def _linked(svg, url, value):
    """A bar's value as a link to the list of the records it counts (the preview only)."""
    if not url:
        return svg
    return f'<a class="figure-link" href="{escape(url)}" data-figure="{value}">{svg}</a>'


def _legend(x, y, items):
    body = []
    for label, colour in items:
        body.append(_rect(x, y - 9, 10, 10, colour))
        body.append(_text(x + 14, y, label, size=10))
        x += 24 + 6.5 * len(str(label))
    return body


def whole_ticks(peak, most=5):
    """Ticks for an axis of counts: whole numbers from 0, evenly spaced, the last >= ``peak``."""
    peak = max(peak, 1)
    wanted = peak / (most - 1)
    magnitude = 10 ** max(0, math.floor(math.log10(wanted))) if wanted >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= wanted)
    return list(range(0, step * math.ceil(peak / step) + 1, step))


def wrap(text, width):
    """``text`` in lines of at most about ``width`` characters, broken between words."""
    return textwrap.wrap(text, width, break_long_words=False) or [""]


def meetings_per_month(by_month):
    """Grouped bars: meetings held each month of the semester, virtual and in person.

    A month's row may carry ``urls`` by modality: each bar's value then links to its meetings.
    """
    title = _("Meetings per month by modality")
    width, height, left, bottom, top = 480, 220, 36, 36, 30
    plot_height = height - bottom - top
    ticks = whole_ticks(max([max(row["virtual"], row["in_person"]) for row in by_month] + [1]))
    peak = ticks[-1]
    slot = (width - left - 10) / max(len(by_month), 1)
    bar = min(slot / 3, 28)
    body = _legend(
        left, 16, [(_("Virtual"), COLOURS["virtual"]), (_("In person"), COLOURS["in_person"])]
    )
    base = height - bottom
    body.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#555"/>')
    for tick in ticks:
        y = base - plot_height * tick / peak
        body.append(_text(left - 6, y + 4, str(tick), size=9, anchor="end", fill="#555"))
        if tick:
            body.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#e3e6ea"/>'
            )
    for index, row in enumerate(by_month):
        month = datetime.date.fromisoformat(row["month"])
        x = left + slot * index + (slot - 2 * bar) / 2
        for offset, key in enumerate(("virtual", "in_person")):
            value = row[key]
            bar_height = plot_height * value / peak
            body.append(
                _rect(x + offset * bar, base - bar_height, bar - 2, bar_height, COLOURS[key])
            )
            if value:
                label = _text(
                    x + offset * bar + bar / 2 - 1,
                    base - bar_height - 3,
                    str(value),
                    size=9,
                    anchor="middle",
                )
                body.append(_linked(label, row.get("urls", {}).get(key), value))
        label = f"{str(MONTHS_3[month.month]).capitalize()} {month.year}"
        body.append(
            _text(left + slot * index + slot / 2, base + 16, label, size=10, anchor="middle")
        )
    return _svg(width, height, body, title)


def requests_by_status(requests, urls=None):
    """Horizontal bars: the period's information requests in each state.

    Each bar counts requests, so its label names them in the plural. ``urls`` by state, if
    given, link each bar's value to its requests.
    """
    urls = urls or {}
    title = _("Information requests by status")
    labels = {
        "on_time": pgettext("requests counted", "Answered on time"),
        "late": pgettext("requests counted", "Answered late"),
        "overdue": pgettext("requests counted", "Overdue"),
        "open": pgettext("requests counted", "Open, within the deadline"),
    }
    keys = list(labels)
    width, row_height, left = 480, 26, 170
    height = row_height * len(keys) + 14
    peak = max([requests[key] for key in keys] + [1])
    body = []
    for index, key in enumerate(keys):
        y = 6 + index * row_height
        bar_width = (width - left - 50) * requests[key] / peak
        body.append(_text(left - 8, y + 14, labels[key], size=10, anchor="end"))
        body.append(_rect(left, y + 2, bar_width, row_height - 8, COLOURS[key]))
        value = _text(left + bar_width + 6, y + 14, str(requests[key]), size=10)
        body.append(_linked(value, urls.get(key), requests[key]))
    return _svg(width, height, body, title)


def steps_per_process(rows, status_labels):
    """A grid: one row per process, one cell per step, coloured by the step's status.

    The numbers on top are the steps of the observance scheme listed in the report. Titles are
    never cut: a long one wraps over as many lines as it needs, and its row grows to fit.
    """
    title = _("Steps per process")
    left, cell, gap, top, line_height = 190, 34, 3, 40, 11
    width = left + 7 * (cell + gap) + 10
    names = [wrap(row["title"], 32) for row in rows]
    heights = [max(cell * 0.6, len(lines) * line_height + 4) for lines in names]
    height = top + sum(row_height + gap for row_height in heights) + 10
    body = _legend(
        0,
        12,
        [(status_labels[key], COLOURS[key]) for key in ("done", "in_progress", "pending")],
    )
    for number in range(1, 8):
        x = left + (number - 1) * (cell + gap) + cell / 2
        body.append(_text(x, top - 6, str(number), size=10, anchor="middle", weight="bold"))
    y = top
    for row, lines, row_height in zip(rows, names, heights, strict=True):
        first = y + (row_height - len(lines) * line_height) / 2 + line_height - 2
        for number, line in enumerate(lines):
            body.append(_text(left - 8, first + number * line_height, line, size=9, anchor="end"))
        for number, status in enumerate(row["steps"]):
            x = left + number * (cell + gap)
            body.append(_rect(x, y, cell, row_height, COLOURS.get(status, COLOURS["pending"])))
        y += row_height + gap
    return _svg(width, height, body, title)
