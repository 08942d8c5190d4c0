"""The group form (add and edit); labels and messages are lazy so they follow each request's language."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from ..stages.categories import SERVICE_CATEGORIES
from .palette import PALETTE
from .services import MAX_NAME

NAME_REQUIRED = _l("Please give the group a name.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")
UNKNOWN_COLOUR = _l("Choose one of the listed colours.")
UNKNOWN_CATEGORY = _l("Choose one of the listed service categories, or “No category yet”.")

#: The labels stay lazy and are translated when the select is drawn.
COLOUR_CHOICES = [SelectChoice(value=key, label=label) for key, (_hex, label) in PALETTE.items()]
CATEGORY_CHOICES = [SelectChoice(value="", label=_l("No category yet"))] + [
    SelectChoice(value=key, label=label) for key, label in SERVICE_CATEGORIES.items()
]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class GroupForm(FlaskForm):
    """Name, colour and optional service category of one group.

    The add form uses no prefix; each inline edit form uses `group-<id>` so ids stay unique on the page.
    """

    name = StringField(
        # "Name" of a thing, not of a person: Polish and Bulgarian use another word.
        lazy_pgettext("group", "Name"),
        filters=[_strip],
        validators=[DataRequired(message=NAME_REQUIRED), Length(max=MAX_NAME, message=TOO_LONG)],
        render_kw={"maxlength": MAX_NAME, "autocomplete": "off"},
    )
    # Unknown values get our own message (AnyOf) rather than WTForms' generic "Not a valid choice".
    colour = SelectField(
        _l("Colour"),
        choices=COLOUR_CHOICES,
        validate_choice=False,
        validators=[AnyOf(list(PALETTE), message=UNKNOWN_COLOUR)],
    )
    service_category = SelectField(
        _l("Service category"),
        choices=CATEGORY_CHOICES,
        validate_choice=False,
        validators=[AnyOf(["", *SERVICE_CATEGORIES], message=UNKNOWN_CATEGORY)],
    )


#: What each refused group operation tells the user.
GROUP_MESSAGES = {
    "empty-name": NAME_REQUIRED,
    "long-name": TOO_LONG,
    "duplicate-name": _l("Another group in this workshop already has this name. Choose a different one."),
    "unknown-colour": UNKNOWN_COLOUR,
    "unknown-category": UNKNOWN_CATEGORY,
}
