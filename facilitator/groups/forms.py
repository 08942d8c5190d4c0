"""The group form (add and edit); labels and messages are lazy so they follow each request's language."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from ..core.domain import messages
from ..core.htmx import focus_on
from ..stages.categories import SERVICE_CATEGORIES
from . import services
from .palette import PALETTE
from .services import MAX_NAME

NAME_REQUIRED = _l("Please give the group a name.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")
UNKNOWN_COLOUR = _l("Choose one of the listed colours.")
UNKNOWN_CATEGORY = _l("Choose one of the listed service categories, or “No category yet”.")
NAME_TAKEN = _l("Another group in this workshop already has this name. Choose a different one.")

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

    simple_mode = BooleanField(_l("Simple view for this group: large text, one question at a time"))

    def __init__(self, workshop, group=None, **kwargs):
        super().__init__(**kwargs)
        self.workshop, self.group = workshop, group

    def validate_name(self, field):
        """A taken name is flagged along with the form's other errors, so all of them show at once."""
        if field.data and services.name_taken(self.workshop, field.data, self.group):
            raise ValidationError(NAME_TAKEN)

    def values(self):
        """The typed values as arguments for add_group and update_group."""
        return self.name.data, self.colour.data, self.service_category.data or None, bool(self.simple_mode.data)


def add_form(workshop, fresh=False, autofocus=False):
    """The add form; fresh, it is empty and its colour is the next one no group uses."""
    data = {"colour": services.next_colour(workshop), "service_category": ""}
    form = GroupForm(workshop, formdata=None, data=data) if fresh else GroupForm(workshop)
    if autofocus:
        focus_on(form.name)
    return form


def edit_form(workshop, group, autofocus=False):
    """The inline edit form of one group; on a POST it holds what was sent."""
    data = {"name": group.name, "colour": group.colour, "service_category": group.service_category or ""}
    form = GroupForm(workshop, group, prefix=f"group-{group.id}", data=data)
    if autofocus:
        focus_on(form.name)
    return form


#: What each refused group operation tells the user.
messages.register(
    {
        "empty-name": NAME_REQUIRED,
        "long-name": TOO_LONG,
        "duplicate-name": NAME_TAKEN,
        "unknown-colour": UNKNOWN_COLOUR,
        "unknown-service-category": UNKNOWN_CATEGORY,
    }
)
