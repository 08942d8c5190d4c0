"""How workshops are named on screen: status labels and date ranges in the reader's language."""

from babel.dates import format_interval
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l

from .models import WorkshopStatus

STATUS_LABELS = {
    WorkshopStatus.DRAFT.value: _l("Draft"),
    WorkshopStatus.LIVE.value: _l("Live"),
    WorkshopStatus.FINISHED.value: _l("Finished"),
}


def workshop_status_label(status):
    return str(STATUS_LABELS.get(status, status))


def workshop_dates(workshop, locale=None):
    """'6–7 June 2012' style, in the given language or the reader's."""
    locale = locale or get_locale()
    if workshop.ends_on and workshop.ends_on != workshop.starts_on:
        return format_interval(workshop.starts_on, workshop.ends_on, "yMMMMd", locale=locale)
    if locale is not None and str(locale) != str(get_locale()):
        from babel.dates import format_date as babel_format_date

        return babel_format_date(workshop.starts_on, "long", locale=locale)
    return format_date(workshop.starts_on, "long")
