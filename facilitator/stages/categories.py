"""The programme's innovative-service categories a group's service must belong to."""

from flask_babel import lazy_gettext as _l

#: Key -> label; the label is translated into whichever language is in force.
SERVICE_CATEGORIES = {
    "e-health": _l("E-health"),
    "e-employment": _l("E-employment"),
    "e-culture": _l("E-culture"),
    "e-business": _l("E-business"),
    "e-inclusion": _l("E-inclusion"),
    "e-education": _l("E-education"),
    "e-skills": _l("E-skills"),
    "other": _l("Other"),
}


def category_label(key, locale=None):
    """The category's name: in `locale` as content (a workshop's language), else in the UI's language."""
    if key not in SERVICE_CATEGORIES:
        return ""
    if locale is not None:
        from .default_template import CATEGORY_CHOICES, CATEGORY_KEYS

        return CATEGORY_CHOICES[locale][CATEGORY_KEYS.index(key)]
    return str(SERVICE_CATEGORIES[key])
