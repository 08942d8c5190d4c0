"""Agenda forms; labels and messages are lazy so they follow each request's language.

Fields keep the raw text that was typed, so a refused form shows it again unchanged.
"""

from datetime import datetime

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import NumberInput, TimeInput

from ..core.domain import messages
from .models import AgendaItemKind
from .services import (
    MAX_DESCRIPTION,
    MAX_DURATION,
    MAX_SPEAKER_NAME,
    MAX_SPEAKER_ORGANISATION,
    MAX_SPEAKER_ROLE,
    MAX_TITLE,
    MIN_DURATION,
)

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")
BAD_TIME = _l("Enter a time as hours and minutes, for example 09:30.")
NOT_A_NUMBER = _l("Enter the duration as a whole number of minutes, for example 45.")
TOO_SHORT_DURATION = _l("The duration must be at least %(min)d minute.")
TOO_LONG_DURATION = _l("That is longer than a day: the duration can be at most %(max)d minutes (24 hours).")
UNKNOWN_KIND = _l("Choose one of the kinds in the list.")
UNKNOWN_DAY = _l("Choose one of the workshop's days.")

#: Each kind as the facilitator reads it in their own language.
KIND_LABELS = {
    AgendaItemKind.TALK.value: _l("Talk"),
    AgendaItemKind.GREETING.value: _l("Greeting"),
    AgendaItemKind.GROUP_WORK.value: _l("Group work"),
    AgendaItemKind.BREAK.value: _l("Break"),
    AgendaItemKind.DISCUSSION.value: _l("Discussion"),
}

#: What each refused agenda operation tells the user, next to the field it concerns.
messages.register(
    {
        "title-required": REQUIRED,
        "title-too-long": TOO_LONG,
        "duration-required": REQUIRED,
        "duration-not-a-number": NOT_A_NUMBER,
        "duration-too-short": TOO_SHORT_DURATION,
        "duration-too-long": TOO_LONG_DURATION,
        "unknown-kind": UNKNOWN_KIND,
        "description-too-long": TOO_LONG,
        "unknown-day": UNKNOWN_DAY,
        "bad-time": BAD_TIME,
        "name-required": REQUIRED,
        "name-too-long": TOO_LONG,
        "role-too-long": TOO_LONG,
        "organisation-too-long": TOO_LONG,
    }
)


def kind_label(kind):
    """The kind's name in the reader's language."""
    return str(KIND_LABELS.get(kind, kind))


class _TypedField(Field):
    """A field that parses typed text itself (`parse`) and stops at its own message when it cannot.

    What was typed is shown back as typed; a stored value is shown by `show`.
    """

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.show(self.data)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        text = valuelist[0].strip()
        if text:
            self.data = self.parse(text)


class ClockTimeField(_TypedField):
    """A time of day typed as 9:30, 09:30, 9.30 or 09:30:00; our own message when it is not one."""

    widget = TimeInput()
    formats = ("%H:%M", "%H.%M", "%H:%M:%S")

    def show(self, value):
        return value.strftime("%H:%M")

    def parse(self, text):
        for fmt in self.formats:
            try:
                return datetime.strptime(text, fmt).time()
            except ValueError:
                continue
        raise ValueError(str(BAD_TIME))


class MinutesField(_TypedField):
    """A whole number of minutes; our own message when it is not a number."""

    widget = NumberInput(step=1)
    show = str

    def parse(self, text):
        try:
            return int(text)
        except ValueError:
            raise ValueError(str(NOT_A_NUMBER)) from None


class DayField(SelectField):
    """The day an item is on, as an index; our own message for anything else."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = int(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(str(UNKNOWN_DAY)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


def _kind_choices():
    return list(KIND_LABELS.items())


class ItemForm(FlaskForm):
    """An agenda item: the add form at the bottom and each row's edit form."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=REQUIRED), Length(max=MAX_TITLE, message=TOO_LONG)],
        render_kw={"maxlength": MAX_TITLE, "autocomplete": "off"},
    )
    starts_at = ClockTimeField(_l("Starts at"), validators=[InputRequired(message=REQUIRED)])
    duration_minutes = MinutesField(
        _l("Duration in minutes"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=MIN_DURATION, message=TOO_SHORT_DURATION),
            NumberRange(max=MAX_DURATION, message=TOO_LONG_DURATION),
        ],
        render_kw={"min": MIN_DURATION, "max": MAX_DURATION, "inputmode": "numeric"},
    )
    kind = SelectField(_l("Kind"), choices=_kind_choices, validate_choice=False)
    day_index = DayField(_l("Day"), coerce=int, validate_choice=False, default=0)
    description = TextAreaField(
        _l("Description (optional)"),
        validators=[Optional(), Length(max=MAX_DESCRIPTION, message=TOO_LONG)],
        render_kw={"rows": 2, "maxlength": MAX_DESCRIPTION},
    )

    def set_days(self, days):
        """Offer these (index, label) days; a one-day workshop shows no day field."""
        self.day_index.choices = list(days)

    def validate_kind(self, field):
        if field.data not in KIND_LABELS:
            raise ValidationError(str(UNKNOWN_KIND))

    def validate_day_index(self, field):
        if field.data not in {value for value, _ in (field.choices or [])}:
            raise ValidationError(str(UNKNOWN_DAY))

    def values(self):
        """The cleaned values, as the services take them."""
        return {
            "title": self.title.data,
            "starts_at": self.starts_at.data,
            "duration_minutes": self.duration_minutes.data,
            "kind": self.kind.data,
            "description": self.description.data or "",
            "day_index": self.day_index.data,
        }


class AddItemForm(ItemForm):
    """Adding: an empty start time means 'when the previous item ends'."""

    starts_at = ClockTimeField(_l("Starts at"), validators=[Optional()])


class SpeakerForm(FlaskForm):
    """One speaker of an item: name, and optionally role and organisation."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=REQUIRED), Length(max=MAX_SPEAKER_NAME, message=TOO_LONG)],
        render_kw={"maxlength": MAX_SPEAKER_NAME, "autocomplete": "off"},
    )
    role = StringField(
        _l("Role (optional)"),
        validators=[Optional(), Length(max=MAX_SPEAKER_ROLE, message=TOO_LONG)],
        render_kw={"maxlength": MAX_SPEAKER_ROLE, "autocomplete": "off"},
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[Optional(), Length(max=MAX_SPEAKER_ORGANISATION, message=TOO_LONG)],
        render_kw={"maxlength": MAX_SPEAKER_ORGANISATION, "autocomplete": "off"},
    )

    def values(self):
        return {"name": self.name.data, "role": self.role.data or "", "organisation": self.organisation.data or ""}


# --- the forms as a workshop's pages show them ---------------------------------------------

#: The add form's prefix, so its fields never clash with an open edit form's.
ADD_PREFIX = "new"


def time_label(workshop):
    """Times of day as the workshop's own language writes them."""
    return lambda t: babel_format_time(t, "short", locale=workshop.locale)


def date_label(workshop):
    """Dates as the workshop's own language writes them in full ('сряда, 6 юни 2012 г.')."""
    return lambda d: babel_format_date(d, "full", locale=workshop.locale)


def day_choices(workshop, agenda, keep=None):
    """(index, label) for each day of the workshop, plus `keep` if an item sits on a later day."""
    label = date_label(workshop)
    indexes = [day.index for day in agenda.days if not day.after_last_day]
    if keep is not None and keep not in indexes:
        indexes.append(keep)
    return [
        (day.index, _("Day %(number)d: %(date)s", number=day.number, date=label(day.date)))
        for day in agenda.days
        if day.index in indexes
    ]


def add_form(workshop, agenda, formdata=None, day_index=None, fresh=False):
    """The add form at the bottom of the page; `fresh` ignores what the request posted."""
    kwargs = {"prefix": ADD_PREFIX}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    if day_index is not None:
        kwargs["day_index"] = day_index
    form = AddItemForm(**kwargs)
    form.set_days(day_choices(workshop, agenda))
    return form


def item_form(workshop, agenda, item, fresh=False):
    """The edit form for one item, prefixed by its id so several can be open at once."""
    kwargs = {"prefix": f"item-{item.id}"}
    form = ItemForm(formdata=None, obj=item, **kwargs) if fresh else ItemForm(day_index=item.day_index, **kwargs)
    form.set_days(day_choices(workshop, agenda, keep=item.day_index))
    return form


def speaker_forms(item, failing=None):
    """A form per speaker (fresh, except the one that was just refused) for the speakers fragment."""
    forms = []
    for speaker in item.speakers:
        if failing is not None and failing[0] == speaker.id:
            forms.append((speaker, failing[1]))
        else:
            forms.append((speaker, SpeakerForm(formdata=None, obj=speaker, prefix=f"speaker-{speaker.id}")))
    return forms


def new_speaker_form(item, formdata=None, fresh=False):
    kwargs = {"prefix": f"new-speaker-{item.id}"}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    return SpeakerForm(**kwargs)
