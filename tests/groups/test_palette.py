"""Group colours: white text must stay readable on every one, and the CSS must draw the palette's hex."""

import re
from pathlib import Path

import pytest

from facilitator.groups.palette import PALETTE

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "groups.css"
WHITE = "#ffffff"


def relative_luminance(hex_colour):
    """WCAG 2.x relative luminance of an sRGB colour written as #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def css_rules():
    """Each `.group-colour--<key>` rule of groups.css as {key: {property: value}}."""
    rules = {}
    for key, body in re.findall(r"\.group-colour--([a-z-]+)\s*\{([^}]*)\}", CSS.read_text()):
        declarations = (part.split(":", 1) for part in body.split(";") if ":" in part)
        rules[key] = {name.strip(): value.strip().lower() for name, value in declarations}
    return rules


def test_contrast_formula_matches_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # #767676 is the well-known lightest grey that still passes 4.5:1 on white.
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("key", list(PALETTE))
def test_white_text_is_readable_on_every_palette_colour(key):
    hex_colour, _label = PALETTE[key]
    assert re.fullmatch(r"#[0-9a-f]{6}", hex_colour)
    assert contrast_ratio(hex_colour, WHITE) >= 4.5, f"{key} {hex_colour}"


def test_css_has_one_class_per_palette_colour_with_the_same_hex_and_white_text():
    rules = css_rules()
    assert set(rules) == set(PALETTE)
    for key, (hex_colour, _label) in PALETTE.items():
        assert rules[key].get("background-color") == hex_colour.lower(), key
        assert rules[key].get("color") in (WHITE, "#fff", "white"), key


def test_palette_colours_are_distinct():
    hexes = [hex_colour for hex_colour, _label in PALETTE.values()]
    assert len(set(hexes)) == len(hexes)
