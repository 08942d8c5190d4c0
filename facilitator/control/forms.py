"""The control room's forms and what each refused action tells the facilitator.

The forms only carry the text and its CSRF token; the services judge the values, so every
limit lives in one place and each refusal is worded once, below.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField

from ..accounts.forms import MAX_EMAIL
from ..core.domain import messages
from ..participants.services import MAX_NAME
from ..room import services as room_services

#: What each refused control-room action says, next to the control it concerns. The room's own
#: codes (timer, messages, comments) are worded here too: only the control room's forms show them.
messages.register(
    {
        "finished": _l("The workshop has finished, so nothing can change any more."),
        "foreign-stage": _l("That stage is not part of this workshop."),
        "foreign-group": _l("That group is not part of this workshop, or it was archived."),
        "bad-state": _l("Choose to open the stage, close it or keep it not open yet."),
        "bad-minutes": _l(
            "Enter the minutes as a number above 0 and at most %(max_minutes)d, for example 10.",
            max_minutes=room_services.MAX_TIMER_MINUTES,
        ),
        "bad-added-minutes": _l(
            "Enter the minutes to add as a number above 0 and at most %(max_add)d; "
            "the timer can show at most %(max_minutes)d minutes in all.",
            max_add=room_services.MAX_ADD_MINUTES,
            max_minutes=room_services.MAX_TIMER_MINUTES,
        ),
        "message-empty": _l("Write the message first."),
        "message-too-long": _l(
            "The message is too long: at most %(max_message)d characters.", max_message=room_services.MAX_MESSAGE
        ),
        "comment-empty": _l("Write the comment first."),
        "comment-too-long": _l(
            "The comment is too long: at most %(max_comment)d characters.", max_comment=room_services.MAX_COMMENT
        ),
        "rename-empty": _l("Enter a name."),
        "rename-too-long": _l("The name is too long: at most %(max_name)d characters.", max_name=MAX_NAME),
        "no-account": _l("No facilitator account uses this email. Ask them to sign up first, then invite them."),
        "already-facilitator": _l("This facilitator already runs this workshop."),
        "not-co-facilitator": _l("Only co-facilitators can be removed; the workshop’s owner stays."),
        "foreign-item": _l("That agenda item is not part of this workshop."),
        "bad-status": _l("That change is not possible now: reload the page to see the workshop’s status."),
        "already-decided": _l(
            "This request was already decided, perhaps by another facilitator. The list below is up to date."
        ),
        "seat-gone": _l("This person was removed from the workshop meanwhile, so there is no seat to move."),
    }
)

#: Refusals that mean "the situation changed", not "you typed something wrong".
CONFLICT_CODES = {"finished", "bad-status", "not-co-facilitator", "already-decided", "seat-gone"}


def status_for(code):
    """422 for input to correct, 409 when the workshop moved on meanwhile."""
    return 409 if code in CONFLICT_CODES else 422


MINUTES_INPUT = {"inputmode": "decimal", "autocomplete": "off", "size": 5}


class StartTimerForm(FlaskForm):
    """How long to count down; the text goes to the service as typed, which judges it."""

    minutes = StringField(_l("Minutes"), render_kw=MINUTES_INPUT)


class AddMinutesForm(FlaskForm):
    minutes = StringField(_l("Minutes to add"), render_kw=MINUTES_INPUT)


class MessageForm(FlaskForm):
    text = TextAreaField(_l("Message"), render_kw={"rows": 2, "maxlength": room_services.MAX_MESSAGE})
    group = SelectField(_l("Send to"), choices=[], validate_choice=False)

    def set_groups(self, groups):
        self.group.choices = [("", str(_l("All groups")))] + [(str(g.id), g.name) for g in groups]


class CommentForm(FlaskForm):
    """A comment on one stage of one group; the page prefixes it with the stage."""

    text = TextAreaField(_l("Comment for the group"), render_kw={"rows": 2, "maxlength": room_services.MAX_COMMENT})


class RenameForm(FlaskForm):
    """A new name for one participant; the page prefixes it with the participant."""

    name = StringField(_l("New name"), render_kw={"maxlength": MAX_NAME, "autocomplete": "off"})


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email of their facilitator account"), render_kw={"autocomplete": "email", "maxlength": MAX_EMAIL}
    )
