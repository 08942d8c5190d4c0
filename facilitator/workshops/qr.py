"""The join URL and its QR code, and the Wi-Fi's, drawn as inline SVG that the strict CSP allows."""

import segno
from markupsafe import Markup, escape
from segno.helpers import make_wifi_data

#: Error correction M: survives a crease or a thumb on a printed sheet, still a small symbol.
ERROR_LEVEL = "m"


def qr_svg(url, label, svg_id=None, svg_class="qr"):
    """The QR code for `url` as an <svg> element with an accessible name and no style attributes.

    No width or height either: it keeps only a viewBox, so CSS decides the printed size.
    """
    qr = segno.make(url, error=ERROR_LEVEL)
    svg = qr.svg_inline(
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgid=svg_id,
        svgclass=svg_class,
        lineclass=None,
        title=label,
    )
    # segno escapes the title it writes; the attribute value is escaped here.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)


def wifi_text(name, password):
    """What a Wi-Fi QR code holds (the `WIFI:` format phones' cameras offer to join), escaped by segno."""
    return make_wifi_data(name, password, "WPA")
