"""The public forms group members fill in: the code, and their name and group."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from .services import MAX_NAME

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")


class CodeForm(FlaskForm):
    code = StringField(
        _l("Workshop code"),
        validators=[DataRequired(message=REQUIRED), Length(max=20, message=TOO_LONG)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": 20,
            "inputmode": "text",
        },
    )


class JoinForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=REQUIRED), Length(max=MAX_NAME, message=TOO_LONG)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    group = SelectField(_l("Your group"), coerce=int, validate_choice=False)
    #: Honeypot fields (as on the seed's site): people never see them, bots fill them in.
    website = StringField(_l("Please leave these two fields as they are"), default="")
    homepage = StringField(_l("Please leave these two fields as they are"), default="http://")

    def caught_a_bot(self):
        return bool(self.website.data) or (self.homepage.data or "") != "http://"


class RejoinForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=REQUIRED), Length(max=MAX_NAME, message=TOO_LONG)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    group = SelectField(_l("Your group"), coerce=int, validate_choice=False)
    pin = StringField(
        _l("Group PIN"),
        # Eight digits, typed with or without the space the facilitator reads them with.
        validators=[DataRequired(message=REQUIRED), Length(max=20, message=TOO_LONG)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20},
    )


#: What each refused join says, next to the field it concerns.
JOIN_MESSAGES = {
    "name-missing": _l("Please fill in this field."),
    "name-too-long": _l("This is too long: at most %(max)d characters."),
    "name-taken": _l(
        "Someone with this name is already in this group. If that is you on another device, "
        "rejoin below with your group's PIN."
    ),
    "group-missing": _l("Please choose your group."),
    "wrong-pin": _l("That is not this group's PIN. Ask the facilitator for it."),
    "workshop-finished": _l("This workshop has finished and accepts no new members."),
}
