"""Register forms; labels and messages are lazy so they follow each request's language.

Fields keep the raw text that was typed, so a refused form shows it again unchanged.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.domain import messages
from ..stages.categories import SERVICE_CATEGORIES
from . import services
from .services import MAX_DESCRIPTION, MAX_LIBRARY_NUMBER, MAX_NAME, MAX_PLACE, MAX_TARGET

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")
BAD_ID = _l("Write the library ID as a positive whole number, for example 732.")
ID_TOO_LARGE = _l("This number is too large for a library ID.")
DUPLICATE_ID = _l("Another row of the register already has the library ID %(number)s.")
UNKNOWN_CATEGORY = _l("Choose one of the categories in the list.")
CHOOSE_GROUP = _l("Choose a group.")
NO_RESULT = _l("%(group)s has no result yet: it has not chosen a category or named its service.")
CHOOSE_ROW = _l("Choose a row of the register, or “A new row”.")
NEW_ROW = "new"

#: What each refused register operation tells the user, next to the field it concerns.
messages.register(
    {
        "bad-id": BAD_ID,
        "id-too-large": ID_TOO_LARGE,
        "duplicate-id": DUPLICATE_ID,
        "name-required": REQUIRED,
        "too-long": TOO_LONG,
        "unknown-category": UNKNOWN_CATEGORY,
        "unknown-group": CHOOSE_GROUP,
        "group-has-no-result": NO_RESULT,
    }
)


def parse_library_number(text):
    """The typed ID as an int; None when it is not a positive whole number."""
    text = (text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]+", text, re.ASCII) and int(text) > 0 else None


def _check_library_number(form, field):
    number = parse_library_number(field.data)
    if number is None:
        raise ValidationError(str(BAD_ID))
    if number > MAX_LIBRARY_NUMBER:
        raise ValidationError(str(ID_TOO_LARGE))


def _library_number_field(validators):
    return StringField(
        _l("Library ID"),
        validators=validators,
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 10},
    )


def _name_field(validators):
    return StringField(
        _l("Library name"),
        validators=validators + [Length(max=MAX_NAME, message=TOO_LONG)],
        render_kw={"maxlength": MAX_NAME},
    )


def _place_field(label):
    return StringField(label, validators=[Length(max=MAX_PLACE, message=TOO_LONG)], render_kw={"maxlength": MAX_PLACE})


def _category_choices():
    """ "No service yet" first, then the programme's categories in the user's language."""
    return [("", str(_l("No service yet")))] + [(key, str(label)) for key, label in SERVICE_CATEGORIES.items()]


def _known_category(form, field):
    if field.data and field.data not in SERVICE_CATEGORIES:
        raise ValidationError(str(UNKNOWN_CATEGORY))


class EntryForm(FlaskForm):
    """One row of the register: the library, where it is, and its service (which may be empty)."""

    library_number = _library_number_field([DataRequired(message=REQUIRED), _check_library_number])
    library_name = _name_field([DataRequired(message=REQUIRED)])
    municipality = _place_field(_l("Municipality"))
    settlement = _place_field(_l("Settlement"))
    service_category = SelectField(_l("Service category"), validate_choice=False, validators=[_known_category])
    service_description = TextAreaField(
        _l("Service delivered with the support of volunteers"),
        validators=[Length(max=MAX_DESCRIPTION, message=TOO_LONG)],
        render_kw={"maxlength": MAX_DESCRIPTION, "rows": 2},
    )
    target_group = StringField(
        _l("Target group"),
        validators=[Length(max=MAX_TARGET, message=TOO_LONG)],
        render_kw={"maxlength": MAX_TARGET},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_category.choices = _category_choices()

    def values(self):
        """What the services take."""
        return {
            **_library(self),
            "service_category": self.service_category.data or None,
            "service_description": self.service_description.data or "",
            "target_group": self.target_group.data or "",
        }


def _library(form):
    """The library a form names: the first four values of a row."""
    return {
        "library_number": parse_library_number(form.library_number.data),
        "library_name": form.library_name.data or "",
        "municipality": form.municipality.data or "",
        "settlement": form.settlement.data or "",
    }


class FillForm(FlaskForm):
    """Fill a row, or a new one, from a group's result in one action."""

    group = SelectField(_l("Group"), validate_choice=False)
    entry = SelectField(_l("Row to fill"), validate_choice=False)
    #: For a new row only; an existing row keeps its library.
    library_number = _library_number_field([])
    library_name = _name_field([])
    municipality = _place_field(_l("Municipality"))
    settlement = _place_field(_l("Settlement"))

    def set_choices(self, groups, entries, group_label, entry_label):
        """Offer the workshop's groups and rows; `*_label` turn each into the text shown."""
        self.group.choices = [("", str(_l("Choose a group")))] + [(str(g.group.id), group_label(g)) for g in groups]
        self.entry.choices = [(NEW_ROW, str(_l("A new row")))] + [(str(e.id), entry_label(e)) for e in entries]

    def validate_group(self, field):
        if not field.data or field.data not in {value for value, _label in field.choices[1:]}:
            raise ValidationError(str(CHOOSE_GROUP))

    def validate_entry(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(str(CHOOSE_ROW))

    def validate_library_number(self, field):
        if self.is_new_row:
            if not (field.data or "").strip():
                raise ValidationError(str(REQUIRED))
            _check_library_number(self, field)

    def validate_library_name(self, field):
        if self.is_new_row and not (field.data or "").strip():
            raise ValidationError(str(REQUIRED))

    @property
    def is_new_row(self):
        return self.entry.data == NEW_ROW

    def new_row(self):
        """The library of the new row the result goes into."""
        return _library(self)


class ImportForm(FlaskForm):
    """Upload a CSV or XLSX file of register rows."""

    file = FileField(
        _l("Spreadsheet file (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a file to import."))],
        render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )


class ConfirmImportForm(FlaskForm):
    """Import only the valid rows of a file kept under `token`."""

    token = HiddenField()


# --- the forms as the register page shows them ---------------------------------------------

ADD_PREFIX = "new"
FILL_PREFIX = "fill"


def row_label(entry):
    """A row as its library: "732 Public library"."""
    return f"{entry.library_number} {entry.library_name}"


def add_form(formdata=None, fresh=False):
    kwargs = {"prefix": ADD_PREFIX}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    return EntryForm(**kwargs)


def entry_form(entry, fresh=False):
    """A row's edit form, prefixed by its id so several rows can be open at once."""
    if fresh:
        form = EntryForm(formdata=None, prefix=f"row-{entry.id}", obj=entry)
        form.library_number.data = str(entry.library_number)
        form.service_category.data = entry.service_category or ""
        return form
    return EntryForm(prefix=f"row-{entry.id}")


def _group_label(result):
    """A group in the fill form's list: its name and the result it would bring."""
    if result.is_empty:
        return _("%(group)s (no result yet)", group=result.group.name)
    service = result.service or result.description.split("\n", 1)[0]
    if result.category_label and service:
        return _(
            "%(group)s: %(category)s, %(service)s",
            group=result.group.name,
            category=result.category_label,
            service=service,
        )
    return _("%(group)s: %(service)s", group=result.group.name, service=result.category_label or service)


def _entry_label(entry):
    """A row in the fill form's list, saying when it has no service yet."""
    if services.has_service(entry):
        return row_label(entry)
    return _("%(row)s (no service yet)", row=row_label(entry))


def fill_form_for(workshop, entries=None, formdata=None, fresh=False, entry_id=None):
    """The fill form offering the workshop's groups and rows; `entry_id` chooses a row already."""
    kwargs = {"prefix": FILL_PREFIX}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    if entry_id is not None:
        kwargs["entry"] = str(entry_id)
    elif fresh:
        kwargs["entry"] = NEW_ROW
    form = FillForm(**kwargs)
    results = list(services.groups_of(workshop).values())
    form.set_choices(results, services.entries_of(workshop) if entries is None else entries, _group_label, _entry_label)
    return form
