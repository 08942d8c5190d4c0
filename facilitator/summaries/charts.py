"""Bar charts as plain SVG, drawn on the server: for the presenter view, the report and the PDFs.

The SVG uses presentation attributes only (the strict CSP forbids style attributes, and
WeasyPrint reads them as well as browsers do), names its font, and escapes every label, which
is text the groups typed. Each chart carries its numbers in <title>/<desc> for screen readers;
pages also show them as a table next to it (templates/report/_chart.html).
"""

import hashlib

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

FONT = "DejaVu Sans"
INK = "#1b1f24"
BAR = "#1f5f8b"  # the app's accent: 6.9:1 against white
GRID = "#767d86"

WIDTH = 720
PADDING = 16
TITLE_SIZE = 20
LABEL_SIZE = 15
LINE_HEIGHT = 19
ROW_GAP = 14
LABEL_WIDTH = 260
#: About how many characters of DejaVu Sans at LABEL_SIZE fit in LABEL_WIDTH.
LABEL_CHARS = 27
LABEL_LINES = 2
COUNT_ROOM = 48


def _lines(label, width=LABEL_CHARS, max_lines=LABEL_LINES):
    """Wrap a label at spaces into at most `max_lines` lines; cut the rest with an ellipsis."""
    words = " ".join(label.split()).split(" ")
    lines, current = [], ""
    for word in words:
        while len(word) > width:  # a word longer than a line is broken where it must be
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[: max_lines - 1] + [last[: width - 1].rstrip() + "…"]
    return lines or [""]


def _chart_id(kind, title, counts):
    digest = hashlib.sha1(repr((kind, title, sorted(counts.items()))).encode("utf-8")).hexdigest()[:8]
    return f"chart-{kind}-{digest}"


def _bar_chart(kind, counts, title):
    """A horizontal bar per label, longest first as given, with the number at the end of each bar."""
    chart_id = _chart_id(kind, title, counts)
    items = [(str(label), int(count)) for label, count in counts.items()]
    top = PADDING + TITLE_SIZE + 12
    rows = []
    y = top
    bar_left = PADDING + LABEL_WIDTH + 12
    bar_room = WIDTH - bar_left - PADDING - COUNT_ROOM
    largest = max((count for _, count in items), default=0)
    for label, count in items:
        lines = _lines(label)
        height = max(len(lines) * LINE_HEIGHT, 28)
        bar_width = round(bar_room * count / largest) if largest else 0
        text_top = y + (height - len(lines) * LINE_HEIGHT) / 2 + LABEL_SIZE
        spans = "".join(
            f'<tspan x="{PADDING + LABEL_WIDTH}" y="{text_top + i * LINE_HEIGHT:.0f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        number = escape(format_decimal(count))
        rows.append(
            f'<g class="chart__row">'
            f"<title>{escape(label)}: {number}</title>"
            f'<text text-anchor="end" font-size="{LABEL_SIZE}" fill="{INK}">{spans}</text>'
            f'<rect x="{bar_left}" y="{y + (height - 24) / 2:.0f}" width="{max(bar_width, 2)}" height="24" '
            f'fill="{BAR}"/>'
            f'<text x="{bar_left + max(bar_width, 2) + 8}" y="{y + height / 2 + 6:.0f}" font-size="{LABEL_SIZE + 1}" '
            f'font-weight="bold" fill="{INK}">{number}</text>'
            f"</g>"
        )
        y += height + ROW_GAP
    if not items:
        rows.append(
            f'<text x="{PADDING}" y="{y + LABEL_SIZE + 4}" font-size="{LABEL_SIZE}" fill="{INK}">'
            f"{escape(_('No results yet.'))}</text>"
        )
        y += LABEL_SIZE + 16
    else:
        # The axis the bars start from.
        rows.insert(
            0,
            f'<line x1="{bar_left}" y1="{top - 4}" x2="{bar_left}" y2="{y - ROW_GAP + 4}" '
            f'stroke="{GRID}" stroke-width="1"/>',
        )
    height = round(y + PADDING - (ROW_GAP if items else 0))
    summary = "; ".join(_("%(label)s: %(count)s", label=label, count=format_decimal(count)) for label, count in items)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{kind}" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary or _("No results yet."))}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        f'<text class="chart__title" x="{PADDING}" y="{PADDING + TITLE_SIZE - 2}" font-size="{TITLE_SIZE}" '
        f'font-weight="bold" fill="{INK}">{escape(title)}</text>' + "".join(rows) + "</svg>"
    )


def services_by_category_svg(counts: dict[str, int], title: str) -> Markup:
    """How many groups chose each service category (counts from count_by(results, "category_label"))."""
    return _bar_chart("category", counts, title)


def services_by_target_group_svg(counts: dict[str, int], title: str) -> Markup:
    """How many services serve each target group (counts from count_by(results, "target_group"))."""
    return _bar_chart("target-group", counts, title)
