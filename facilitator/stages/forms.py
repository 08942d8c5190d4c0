"""Process editor forms; labels and messages are lazy so they follow each request's language."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.domain import DomainError, message_for, messages
from . import services
from .models import FieldKind

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")

#: Each kind of field named for people, in whichever language is in force.
FIELD_KIND_LABELS = {
    FieldKind.SHORT_TEXT.value: _l("Short text"),
    FieldKind.LONG_TEXT.value: _l("Long text"),
    FieldKind.CHOICE.value: _l("Choice"),
    FieldKind.NUMBER.value: _l("Number"),
    FieldKind.MONEY.value: _l("Money"),
    FieldKind.LIST.value: _l("List of items"),
}

BAD_TIME_BOX = _l("Give the time box in whole minutes from 1 to 480, or leave it empty.")
BAD_KIND = _l("Choose one of the listed kinds of field.")
BAD_SOURCE = _l("Choose a template from the list.")
BAD_LOCALE = _l("Choose one of the listed languages.")

#: What each refused edit tells the user, next to the field it concerns or at the top of its card.
messages.register(
    {
        "no-name": REQUIRED,
        "no-title": REQUIRED,
        "no-label": REQUIRED,
        "too-long": TOO_LONG,
        "bad-time-box": BAD_TIME_BOX,
        "bad-kind": BAD_KIND,
        "no-choices": _l("A choice field needs at least one choice: write one per line."),
        "duplicate-choice": _l("Each choice must be different: one of them is written twice."),
        "long-choice": _l("A choice is too long: at most %(max)d characters each."),
        "too-many-choices": _l("That is too many choices: at most %(max)d."),
        "too-many-stages": _l("A process can have at most %(max)d stages."),
        "too-many-fields": _l("A stage can have at most %(max)d fields."),
        "last-stage": _l("This is the only stage. A process needs at least one stage: add another stage first."),
        "last-field": _l("This is the stage's only field. A stage needs at least one field: add another field first."),
        "stage-has-answers": _l("Groups have already written answers in this stage, so it cannot be removed."),
        "field-has-answers": _l("Groups have already written answers in this field, so it cannot be removed."),
        "no-stages": _l("This template has no stages, so it cannot be used. Add a stage first."),
        "stage-without-fields": _l("A stage of this template has no fields, so it cannot be used. Add a field first."),
        "has-answers": _l("Groups have already written answers in this workshop's process, so it cannot be replaced."),
        "not-draft": _l("This workshop is no longer a draft, so its process can no longer be changed."),
        "bad-source": BAD_SOURCE,
        "bad-locale": BAD_LOCALE,
    }
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text_field(label, limit, required=True, area=False, **render_kw):
    validators = [DataRequired(message=REQUIRED)] if required else []
    validators.append(Length(max=limit, message=TOO_LONG))
    field_class = TextAreaField if area else StringField
    return field_class(label, validators=validators, filters=[_strip], render_kw={"maxlength": limit, **render_kw})


def choice_lines(text):
    """The choices typed into the textarea, one per line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _kind_field(label):
    choices = [SelectChoice(value=kind, label=kind_label) for kind, kind_label in FIELD_KIND_LABELS.items()]
    return SelectField(label, choices=choices, default=FieldKind.LONG_TEXT.value, validate_choice=False)


class _KindAndChoices:
    """Checks shared by the new-field and field forms: a real kind, and choices for a choice field."""

    def validate_kind(self, field):
        if field.data not in services.KINDS:
            raise ValidationError(BAD_KIND)

    def validate_choices(self, field):
        if self.kind.data != FieldKind.CHOICE.value:
            return
        try:
            services.build_choices(choice_lines(field.data))
        except DomainError as error:
            raise ValidationError(message_for(error.code, **error.params)) from None


class ProcessNameForm(FlaskForm):
    name = _text_field(lazy_pgettext("template", "Name"), services.MAX_NAME)


class NewStageForm(FlaskForm):
    title = _text_field(_l("Title of the new stage"), services.MAX_TITLE)


class StageForm(FlaskForm):
    title = _text_field(_l("Stage title"), services.MAX_TITLE)
    prompt = _text_field(_l("Prompt for the groups"), services.MAX_PROMPT, required=False, area=True, rows=3)
    time_box = StringField(
        _l("Time box (minutes)"),
        filters=[_strip],
        render_kw={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"},
    )

    #: Set by validation: the time box as a number of minutes, or None for none.
    minutes = None

    def validate_time_box(self, field):
        text = field.data or ""
        if not text:
            self.minutes = None
            return
        if not text.isdigit() or not services.MIN_MINUTES <= int(text) <= services.MAX_MINUTES:
            raise ValidationError(BAD_TIME_BOX)
        self.minutes = int(text)


class NewFieldForm(_KindAndChoices, FlaskForm):
    label = _text_field(_l("Label of the new field"), services.MAX_LABEL)
    kind = _kind_field(_l("Kind"))
    choices = TextAreaField(_l("Choices, one per line"), render_kw={"rows": 4})


class FieldForm(_KindAndChoices, FlaskForm):
    label = _text_field(_l("Label"), services.MAX_LABEL)
    kind = _kind_field(_l("Kind"))
    help = _text_field(_l("Help text for the groups"), services.MAX_HELP, required=False, area=True, rows=2)
    choices = TextAreaField(_l("Choices, one per line"), render_kw={"rows": 4})


class CopyDefaultForm(FlaskForm):
    locale = SelectField(_l("Language of the template"), validate_choice=False)

    def validate_locale(self, field):
        if field.data not in services.default_template.NAME:
            raise ValidationError(BAD_LOCALE)


class ReplaceProcessForm(FlaskForm):
    source = SelectField(_l("Template to use"), validate_choice=False)
    confirm = BooleanField(_l("I understand that this workshop's current stages and fields are replaced"))

    def validate_source(self, field):
        if field.data not in {choice.value for choice in field.choices or []}:
            raise ValidationError(BAD_SOURCE)

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(_l("Tick this box to confirm the replacement."))
