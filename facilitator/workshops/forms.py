"""Workshop forms; labels and messages are lazy so they follow each request's language."""

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from ..core.domain import messages
from ..core.i18n import LANGUAGE_NAMES
from .models import WorkshopStatus

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_PLACE = 200
MAX_ADDRESS = 300
MAX_WIFI = 100
#: WPA's longest passphrase.
MAX_WIFI_PASSWORD = 63

#: The languages a workshop's content and PDFs can be written in.
WORKSHOP_LOCALES = ("pl", "bg", "en")

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")
BAD_DATE = _l("This is not a date. Use the date picker or type it as 2012-06-06.")
BAD_TIME = _l("This is not a time of day. Type it as 09:30.")
END_BEFORE_START = _l("The last day cannot be before the first day.")
DAY_END_BEFORE_START = _l("The day has to end after it starts.")
BAD_LOCALE = _l("Choose one of the listed languages.")
BAD_TEMPLATE = _l("Choose one of the listed processes.")
PASSWORD_WITHOUT_NETWORK = _l("Give the Wi-Fi's name too: the password alone connects no one.")
GONE_TEMPLATE = _l("This process template no longer exists. Choose another one.")


def _text(label, max_length, required=False, autocomplete=None):
    validators = [DataRequired(message=REQUIRED)] if required else [Optional()]
    validators.append(Length(max=max_length, message=TOO_LONG))
    render_kw = {"maxlength": max_length}
    if autocomplete:
        render_kw["autocomplete"] = autocomplete
    return StringField(label, validators=validators, render_kw=render_kw, filters=[_strip])


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _time_of_day(label, default):
    return TimeField(
        label,
        default=default,
        validators=[InputRequired(message=REQUIRED)],
        format=["%H:%M", "%H:%M:%S"],
        invalid_value_message=BAD_TIME,
    )


class WorkshopForm(FlaskForm):
    """What a facilitator says about a workshop; the same fields for creating and editing.

    Dates and times use InputRequired, not DataRequired: a malformed date has no data either,
    and it deserves "this is not a date" rather than "please fill in".
    """

    title = _text(_l("Title"), MAX_TITLE, required=True, autocomplete="off")
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=MAX_DESCRIPTION, message=TOO_LONG)],
        render_kw={"rows": 4, "maxlength": MAX_DESCRIPTION},
        filters=[_strip],
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=REQUIRED)], invalid_value_message=BAD_DATE)
    ends_on = DateField(_l("Last day (optional)"), validators=[Optional()], invalid_value_message=BAD_DATE)
    day_starts_at = _time_of_day(_l("The day starts at"), time(9, 0))
    day_ends_at = _time_of_day(_l("The day ends at"), time(17, 0))
    venue_place = _text(_l("Venue"), MAX_PLACE)
    venue_address = _text(_l("Venue address"), MAX_ADDRESS, autocomplete="street-address")
    locale = SelectField(
        _l("Workshop language"),
        # Each language named in itself; `lang` lets screen readers pronounce it.
        choices=[SelectChoice(code, LANGUAGE_NAMES[code], {"lang": code}) for code in WORKSHOP_LOCALES],
        validate_choice=False,
        validators=[AnyOf(WORKSHOP_LOCALES, message=BAD_LOCALE)],
    )
    wifi_name = _text(_l("Wi-Fi name"), MAX_WIFI, autocomplete="off")
    # Not stripped: a space at either end is part of a passphrase.
    wifi_password = StringField(
        _l("Wi-Fi password (optional)"),
        validators=[Optional(strip_whitespace=False), Length(max=MAX_WIFI_PASSWORD, message=TOO_LONG)],
        render_kw={"maxlength": MAX_WIFI_PASSWORD, "autocomplete": "off", "spellcheck": "false"},
    )

    simple_mode = BooleanField(_l("Simple view for everyone: large text, one question at a time"))

    def validate_wifi_password(self, field):
        if field.data and not self.wifi_name.data:
            raise ValidationError(PASSWORD_WITHOUT_NETWORK)

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(END_BEFORE_START)

    def validate_day_ends_at(self, field):
        if field.data and self.day_starts_at.data and field.data <= self.day_starts_at.data:
            raise ValidationError(DAY_END_BEFORE_START)

    def workshop_fields(self):
        """The typed values as keyword arguments for the workshop services."""
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "starts_on": self.starts_on.data,
            # A last day equal to the first is a one-day workshop: stored as no end date.
            "ends_on": self.ends_on.data if self.ends_on.data != self.starts_on.data else None,
            "day_starts_at": self.day_starts_at.data,
            "day_ends_at": self.day_ends_at.data,
            "venue_place": self.venue_place.data or "",
            "venue_address": self.venue_address.data or "",
            "locale": self.locale.data,
            "wifi_name": self.wifi_name.data or "",
            "wifi_password": self.wifi_password.data or "",
            "simple_mode": bool(self.simple_mode.data),
        }


class NewWorkshopForm(WorkshopForm):
    """Creating also picks the process the workshop starts from."""

    #: "" is the built-in process; otherwise the id of one of the facilitator's own templates.
    template = SelectField(_l("Process"), choices=[], default="", invalid_choice_message=BAD_TEMPLATE)

    def set_templates(self, builtin_label, templates):
        self.template.choices = [SelectChoice("", builtin_label)] + [SelectChoice(str(t.id), t.name) for t in templates]


#: The button that moves a workshop to each status; finishing has its own confirming button.
STATUS_ACTIONS = {
    WorkshopStatus.LIVE.value: _l("Go live"),
    WorkshopStatus.DRAFT.value: _l("Back to draft"),
}

#: What the facilitator is told once the workshop has moved to each status.
STATUS_DONE = {
    WorkshopStatus.LIVE.value: _l("The workshop is live."),
    WorkshopStatus.DRAFT.value: _l("The workshop is a draft again."),
    WorkshopStatus.FINISHED.value: _l("The workshop is finished. Its join code no longer lets anyone in."),
}


def status_of(form):
    """The status a form page is answered with: 422 once the form was sent and refused."""
    return 422 if form.is_submitted() else 200


#: What a refused workshop change tells the user, next to the field it concerns.
messages.register(
    {
        "end-before-start": END_BEFORE_START,
        "day-end-before-start": DAY_END_BEFORE_START,
        "template-gone": GONE_TEMPLATE,
    }
)
