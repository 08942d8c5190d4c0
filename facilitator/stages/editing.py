"""The editor's actions, the same for a template and for a draft workshop's own process.

views.py registers each twice (endpoints template_<action> and workshop_<action>). Before an action
runs, `open_editor` gives it the editor and the stage and field its URL names; one removed meanwhile
is answered there, in the place of the fragment the action `shows`.
"""

from flask import abort, request
from flask_babel import gettext as _

from ..core.domain import DomainError, message_for, owned_row
from ..core.errors import form_view
from ..core.htmx import submit
from . import services
from .editor import CARD, LIST, ROW, Editor, changed, field_gone, read_only, refused, show, stage_gone
from .forms import FieldForm, NewFieldForm, NewStageForm, ProcessNameForm, StageForm, choice_lines
from .models import Stage, StageField

NAME = "stages/_process_name.html"

#: (rule, action, view, methods) of every editor action, for views.py to register under both prefixes.
ROUTES = []


def editor_route(rule, action, shows, methods=("POST",), changes=True):
    """An editor action: `shows` is the fragment it answers with; `changes` refuses it on a live workshop."""

    def register(view):
        view.shows, view.changes = shows, changes
        ROUTES.append((rule, action, view, methods))
        return view

    return register


def open_editor(view, args):
    """Put the editor, the stage and the field into the action's arguments, or answer in its place."""
    template, workshop = args.pop("template", None), args.pop("workshop", None)
    if workshop is not None and workshop.process is None:
        abort(404)
    editor = Editor(template) if template is not None else Editor(workshop.process, workshop)
    if view.changes and not editor.editable:
        return read_only(editor)
    args["editor"] = editor
    if "stage_id" not in args:
        return None
    stage_id = args.pop("stage_id")
    args["stage"] = stage = owned_row(Stage, stage_id, process_id=editor.process.id)
    if stage is None:
        return stage_gone(editor, stage_id, view.shows)
    if "field_id" not in args:
        return None
    field_id = args.pop("field_id")
    args["field"] = owned_row(StageField, field_id, stage_id=stage.id)
    return field_gone(editor, stage, field_id, view.shows) if args["field"] is None else None


def _direction():
    """-1 for "up", +1 for "down" (400 for anything else)."""
    offset = {"up": -1, "down": 1}.get(request.form.get("direction"))
    if offset is None:
        abort(400)
    return offset


def _cannot(editor, error, key, element_id, stage):
    """A removal the process refuses: said at the top of the card or row, which takes the focus."""
    editor.notices[key] = message_for(error.code)
    editor.focus = element_id
    return show(editor, CARD, 422, stage=stage)


# --- The process and its stages --------------------------------------------------------------------


@editor_route("/name", "rename", shows=NAME)
@form_view
def rename(editor):
    """Rename the template or the workshop's process."""
    form = ProcessNameForm(prefix="rename")
    if submit(form, lambda: services.rename_process(editor.process, form.name.data)) is None:
        return refused(editor, form, "rename", NAME)
    return changed(editor, NAME, _("Name saved."))


@editor_route("/stages", "add_stage", shows=LIST)
@form_view
def add_stage(editor):
    """Add a stage at the end, with one long-text field to start from."""
    form = NewStageForm(prefix="new-stage")
    stage = submit(form, lambda: services.add_stage(editor.process, form.title.data))
    if stage is None:
        return refused(editor, form, "new-stage", LIST)
    message = _("Stage “%(title)s” added.", title=stage.title)
    return changed(editor, LIST, message, anchor=f"#stage-card-{stage.id}")


@editor_route("/stages/<int:stage_id>", "stage", shows=CARD, methods=("GET",), changes=False)
def stage_card(editor, stage):
    """One stage's card as it is now (the Cancel of "remove stage?")."""
    editor.focus = f"stage-{stage.id}-remove"
    return show(editor, CARD, stage=stage)


@editor_route("/stages/<int:stage_id>", "update_stage", shows=CARD)
@form_view
def update_stage(editor, stage):
    """Save a stage's title, prompt and time box."""
    form = StageForm(prefix=f"stage-{stage.id}")
    if submit(form, lambda: services.update_stage(stage, form.title.data, form.prompt.data, form.minutes)) is None:
        return refused(editor, form, f"stage-{stage.id}", CARD, stage=stage)
    message = _("Stage “%(title)s” saved.", title=stage.title)
    return changed(editor, CARD, message, anchor=f"#stage-card-{stage.id}", stage=stage)


@editor_route("/stages/<int:stage_id>/move", "move_stage", shows=LIST)
def move_stage(editor, stage):
    """Move a stage one place up or down (buttons, so the keyboard does it too)."""
    offset, title = _direction(), stage.title
    if services.move_stage(stage, offset):
        number, count = editor.stage_number(stage), len(editor.process.stages)
        message = _("Stage “%(title)s” is now stage %(number)d of %(count)d.", title=title, number=number, count=count)
    elif offset < 0:
        message = _("Stage “%(title)s” is already the first stage.", title=title)
    else:
        message = _("Stage “%(title)s” is already the last stage.", title=title)
    return changed(editor, LIST, message, anchor=f"#stage-card-{stage.id}")


@editor_route("/stages/<int:stage_id>/remove", "confirm_remove_stage", shows=CARD, methods=("GET",))
def confirm_remove_stage(editor, stage):
    """Ask, inside the stage's card, before removing it."""
    editor.confirm_stage_id = stage.id
    editor.focus = f"stage-card-{stage.id}-confirm"
    return show(editor, CARD, stage=stage)


@editor_route("/stages/<int:stage_id>/remove", "remove_stage", shows=LIST)
def remove_stage(editor, stage):
    """Remove a stage and its fields; the last stage stays."""
    title = stage.title
    try:
        services.remove_stage(stage)
    except DomainError as error:
        return _cannot(editor, error, f"stage-{stage.id}", f"stage-card-{stage.id}-notice", stage)
    editor.focus = "stage-list-heading"
    return changed(editor, LIST, _("Stage “%(title)s” removed.", title=title))


# --- Fields ----------------------------------------------------------------------------------------


@editor_route("/stages/<int:stage_id>/fields", "add_field", shows=CARD)
@form_view
def add_field(editor, stage):
    """Add a field at the end of a stage."""
    form = NewFieldForm(prefix=f"new-field-{stage.id}")
    choices = choice_lines(form.choices.data)
    field = submit(form, lambda: services.add_field(stage, form.label.data, form.kind.data, choices))
    if field is None:
        return refused(editor, form, f"new-field-{stage.id}", CARD, stage=stage)
    message = _("Field “%(label)s” added.", label=field.label)
    return changed(editor, CARD, message, anchor=f"#stage-field-{field.id}", stage=stage)


@editor_route("/stages/<int:stage_id>/fields/<int:field_id>", "update_field", shows=ROW)
@form_view
def update_field(editor, stage, field):
    """Save a field's label, kind, help and choices."""
    form = FieldForm(prefix=f"field-{field.id}")
    values = (form.label.data, form.kind.data, form.help.data, choice_lines(form.choices.data))
    if submit(form, lambda: services.update_field(field, *values)) is None:
        return refused(editor, form, f"field-{field.id}", ROW, stage_field=field)
    message = _("Field “%(label)s” saved.", label=field.label)
    return changed(editor, ROW, message, anchor=f"#stage-field-{field.id}", stage_field=field)


@editor_route("/stages/<int:stage_id>/fields/<int:field_id>/move", "move_field", shows=CARD)
def move_field(editor, stage, field):
    """Move a field one place up or down within its stage."""
    offset, label = _direction(), field.label
    if services.move_field(field, offset):
        number, count = editor.field_number(field), len(stage.fields)
        message = _("Field “%(label)s” is now field %(number)d of %(count)d.", label=label, number=number, count=count)
    elif offset < 0:
        message = _("Field “%(label)s” is already the first field.", label=label)
    else:
        message = _("Field “%(label)s” is already the last field.", label=label)
    return changed(editor, CARD, message, anchor=f"#stage-field-{field.id}", stage=stage)


@editor_route("/stages/<int:stage_id>/fields/<int:field_id>/remove", "remove_field", shows=CARD)
def remove_field(editor, stage, field):
    """Remove a field from its stage; a stage's last field stays."""
    label = field.label
    try:
        services.remove_field(field)
    except DomainError as error:
        return _cannot(editor, error, f"field-{field.id}", f"stage-field-{field.id}-notice", stage)
    editor.focus = f"stage-card-{stage.id}-heading"
    message = _("Field “%(label)s” removed.", label=label)
    return changed(editor, CARD, message, anchor=f"#stage-card-{stage.id}", stage=stage)
