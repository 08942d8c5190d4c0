"""The join URL and its QR code: built from the host people reached, drawn so the strict CSP allows it."""

import re
from pathlib import Path

import segno

from facilitator.workshops.qr import qr_svg

from .helpers import dark_modules, expected_modules

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "workshops.css"


def test_qr_svg_encodes_exactly_the_url():
    url = "http://192.168.1.20:5000/j/ACDEFG"
    svg = qr_svg(url, "Join")
    assert dark_modules(svg) == expected_modules(url)
    assert dark_modules(svg) != expected_modules("http://localhost/j/ACDEFG")
    # The same drawing segno itself makes for this URL, apart from our accessibility attributes.
    own = segno.make(url, error="m").svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None, title="Join"
    )
    assert str(svg).replace('role="img" aria-label="Join" ', "") == own


def test_qr_svg_has_a_name_and_no_style_for_the_csp():
    svg = str(qr_svg("http://localhost/j/ACDEFG", 'Join "Kyustendil" <2012>', svg_id="join-qr"))
    assert svg.startswith('<svg role="img" aria-label="Join &#34;Kyustendil&#34; &lt;2012&gt;"')
    assert '<title>Join "Kyustendil" &lt;2012&gt;</title>' in svg
    assert 'id="join-qr"' in svg and 'viewBox="0 0 ' in svg
    assert "style" not in svg and "<script" not in svg
    # No fixed width or height: CSS sizes it, on screen and on paper.
    assert not re.search(r"<svg[^>]*\s(width|height)=", svg)


def test_the_sheet_prints_on_a4_with_a_big_qr():
    css = CSS.read_text()
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*15mm;?\s*\}", css)
    print_rules = css[css.index("@media print") :]
    width = re.search(r"svg\.join-sheet__qr\s*\{[^}]*width:\s*(\d+)mm", print_rules)
    assert width and int(width.group(1)) >= 120
    for hidden in (".site-header", ".site-footer", ".join-sheet-tools"):
        assert hidden in print_rules.split("display: none")[0]
