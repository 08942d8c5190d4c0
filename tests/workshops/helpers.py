"""Helpers for the workshops tests: reading pages and reading QR codes back."""

import re

import segno

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def text(response):
    return response.get_data(as_text=True)


def token_from(response):
    match = CSRF_INPUT.search(text(response))
    assert match, "no CSRF token on the page"
    return match.group(1)


SVG_PATH = re.compile(r'<path stroke="#000" d="([^"]+)"')
SVG_ELEMENT = re.compile(r'<svg\b[^>]*\bid="{id}"[^>]*>.*?</svg>', re.S)
PATH_STEP = re.compile(r"([Mmh])(-?\d+(?:\.\d+)?)(?:\s+(-?\d+(?:\.\d+)?))?")


def embedded_svg(body, svg_id):
    """The whole <svg> element with this id, as the page embeds it."""
    match = re.search(SVG_ELEMENT.pattern.format(id=re.escape(svg_id)), body, re.S)
    assert match, f"no <svg id={svg_id}> on the page"
    return match.group(0)


def dark_modules(svg):
    """Read the drawn QR back into the set of dark (x, y) modules, quiet zone included.

    segno draws each run of dark modules as a horizontal line through the middle of its row:
    "M4 4.5h7m3 0h1" means row 4, columns 4-10, then 14.
    """
    path = SVG_PATH.search(svg)
    assert path, "no QR path in the SVG"
    x = y = 0.0
    dark = set()
    for command, first, second in PATH_STEP.findall(path.group(1)):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            length = int(float(first))
            dark.update((int(x) + i, int(y)) for i in range(length))
            x += length
    return dark


def expected_modules(url, border=4):
    """The dark modules of segno's own QR code for this URL (error level M)."""
    qr = segno.make(url, error="m")
    return {
        (x, y)
        for y, row in enumerate(qr.matrix_iter(scale=1, border=border))
        for x, is_dark in enumerate(row)
        if is_dark
    }
