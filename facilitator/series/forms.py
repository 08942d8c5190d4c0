"""The series' forms, and what each refusal says; the services judge the values."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField

from ..accounts.forms import MAX_EMAIL
from ..core.domain import messages
from . import services

TOO_LONG = _l("This is too long: at most %(max)d characters.")

messages.register(
    {
        "series-title-missing": _l("Give the series a title."),
        "series-title-too-long": TOO_LONG,
        "series-description-too-long": TOO_LONG,
        "partner-name-missing": _l("Write the partner organisation's name."),
        "partner-name-too-long": TOO_LONG,
        "partner-place-too-long": TOO_LONG,
        "partner-taken": _l("This partner is already in the series."),
        "too-many-partners": _l("A series can have at most %(max)d partners."),
        "already-in-series": _l("This workshop is already a meeting of a series."),
        "choose-workshop": _l("Choose one of your workshops that is in no series yet."),
        "foreign-partner": _l("Choose one of this series' partners as the host."),
        "no-account": _l("No facilitator account uses this email. Ask them to sign up first, then invite them."),
        "already-series-facilitator": _l("This facilitator already plans this series."),
    }
)


class SeriesForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"maxlength": services.MAX_TITLE, "autocomplete": "off"})
    description = TextAreaField(_l("Description"), render_kw={"rows": 3, "maxlength": services.MAX_DESCRIPTION})


class PartnerForm(FlaskForm):
    name = StringField(_l("Partner organisation"), render_kw={"maxlength": services.MAX_NAME, "autocomplete": "off"})
    place = StringField(_l("Its place"), render_kw={"maxlength": services.MAX_PLACE, "autocomplete": "off"})


class InviteForm(FlaskForm):
    email = EmailField(_l("Their email"), render_kw={"maxlength": MAX_EMAIL, "autocomplete": "off"})


class MeetingForm(FlaskForm):
    """An existing workshop of the facilitator's made a meeting of the series, with its host."""

    workshop = SelectField(_l("Workshop"), coerce=int, validate_choice=False)
    host = SelectField(_l("Hosted by"), coerce=int, validate_choice=False)
