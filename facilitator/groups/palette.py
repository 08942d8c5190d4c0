"""Group colours: each one carries white text at a contrast of at least 4.5:1."""

from flask_babel import lazy_gettext as _l

#: Key -> (hex, label). Templates use the key as a CSS class; the CSS holds the hex.
PALETTE = {
    "blue": ("#1f5f8b", _l("Blue")),
    "green": ("#1e6b3a", _l("Green")),
    "red": ("#a3161c", _l("Red")),
    "purple": ("#5b3a8c", _l("Purple")),
    "orange": ("#9a4a00", _l("Orange")),
    "teal": ("#00676b", _l("Teal")),
    "brown": ("#6b4423", _l("Brown")),
    "magenta": ("#8e1f66", _l("Magenta")),
    "slate": ("#3f4a56", _l("Slate")),
    "olive": ("#556018", _l("Olive")),
}
