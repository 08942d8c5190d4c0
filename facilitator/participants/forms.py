"""The public forms group members fill in: the code, and their name and group."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..core.domain import messages
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


class _SeatForm(FlaskForm):
    """Who asks for a seat: their name and their group."""

    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=REQUIRED), Length(max=MAX_NAME, message=TOO_LONG)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    group = SelectField(_l("Your group"), coerce=int, validate_choice=False)


class JoinForm(_SeatForm):
    simple = BooleanField(_l("Simple view: large text, one question at a time"))
    #: Honeypot fields (as on the seed's site): people never see them, bots fill them in.
    website = StringField(_l("Please leave these two fields as they are"), default="")
    homepage = StringField(_l("Please leave these two fields as they are"), default="http://")

    def caught_a_bot(self):
        return bool(self.website.data) or (self.homepage.data or "") != "http://"


class RejoinForm(_SeatForm):
    pin = StringField(
        _l("Group PIN"),
        # Eight digits, typed with or without the space the facilitator reads them with.
        validators=[DataRequired(message=REQUIRED), Length(max=20, message=TOO_LONG)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20},
    )


#: What each refused join says, next to the field it concerns.
messages.register(
    {
        "name-missing": REQUIRED,
        "name-too-long": TOO_LONG,
        "name-taken": _l(
            "Someone with this name is already in this group. If that is you on another device, "
            "rejoin below with your group's PIN."
        ),
        "group-missing": _l("Please choose your group."),
        "wrong-pin": _l("That is not this group's PIN. Ask the facilitator for it."),
        "no-new-members": _l("This workshop has finished and accepts no new members."),
    }
)

#: What a refused save says in the workspace, keyed "save-" + the answers service's code (the same
#: code means something else elsewhere: a finished workshop refuses a join in other words).
messages.register(
    {
        "save-stage-closed": _l("This stage is closed, so this text was not saved. Copy it if you need it."),
        "save-too-long": _l("This answer is too long: at most %(max)s characters. Shorten it and it will be saved."),
        "save-workshop-finished": _l("The workshop has finished; answers can no longer change."),
        "save-group-archived": _l("This group was archived by the facilitator; answers can no longer change."),
        "save-not-a-choice": _l("Please choose one of the options in the list."),
    }
)
