"""Process templates: the library, the stage and field editor, and each workshop's own snapshot.

The editor serves two owners with the same views and fragments: a facilitator's template
(/templates/<process_id>/...) and a draft workshop's snapshot (/workshops/<workshop_id>/process/...).
Each editor view is registered under both prefixes, as endpoints template_<action> and workshop_<action>.
"""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..core.errors import form_view
from ..core.i18n import LANGUAGE_NAMES
from ..workshops.services import workshop_for
from . import default_template, services
from .forms import (
    FIELD_KIND_LABELS,
    CopyDefaultForm,
    FieldForm,
    NewFieldForm,
    NewStageForm,
    ProcessNameForm,
    ReplaceProcessForm,
    StageForm,
    choice_lines,
    process_message,
)
from .services import ProcessError, StaleError

bp = Blueprint("stages", __name__)

#: The event every successful edit sends, so other widgets can refresh.
CHANGED = "process-changed"
#: The built-in template's languages, in the order the programme's documents use them.
DEFAULT_LOCALES = ("pl", "bg", "en")


@bp.app_context_processor
def stage_helpers():
    """Kind names in the reader's language, for the editor and any page that lists fields."""
    return {"field_kind_label": lambda kind: str(FIELD_KIND_LABELS.get(kind, kind))}


def _wants_fragment():
    """An htmx request for part of the page (boosted requests get the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


class Editor:
    """What the editor templates need: the process, where its actions post, and any bound forms or notices."""

    def __init__(self, process, workshop=None):
        self.process = process
        self.workshop = workshop
        self.editable = workshop is None or services.snapshot_editable(workshop)
        #: Forms bound to what was just posted, shown instead of fresh ones: key -> form.
        self.forms = {}
        #: Messages shown at the top of a fragment: "page", "list", "stage-<id>" or "field-<id>".
        self.notices = {}
        #: The stage whose card asks "remove this stage?".
        self.confirm_stage_id = None
        #: The id of the element that gets focus after a swap (autofocus).
        self.focus = None

    def url(self, action, **values):
        """The URL of an editor action for this template or this workshop's snapshot."""
        if self.workshop is not None:
            return url_for("stages.workshop_" + action, workshop_id=self.workshop.id, **values)
        return url_for("stages.template_" + action, process_id=self.process.id, **values)

    @property
    def page_url(self):
        if self.workshop is not None:
            return url_for("stages.workshop_process", workshop_id=self.workshop.id)
        return url_for("stages.edit_template", process_id=self.process.id)

    def stage_number(self, stage):
        return self.process.stages.index(stage) + 1

    def field_number(self, field):
        return field.stage.fields.index(field) + 1

    def name_form(self):
        form = self.forms.get("rename") or ProcessNameForm(formdata=None, obj=self.process, prefix="rename")
        form.name.label.text = _("Template name") if self.workshop is None else _("Process name")
        return form

    def new_stage_form(self):
        return self.forms.get("new-stage") or NewStageForm(formdata=None, prefix="new-stage")

    def stage_form(self, stage):
        key = f"stage-{stage.id}"
        minutes = stage.time_box_minutes
        return self.forms.get(key) or StageForm(
            formdata=None,
            prefix=key,
            data={"title": stage.title, "prompt": stage.prompt, "time_box": "" if minutes is None else str(minutes)},
        )

    def new_field_form(self, stage):
        key = f"new-field-{stage.id}"
        return self.forms.get(key) or NewFieldForm(formdata=None, prefix=key)

    def field_form(self, field):
        key = f"field-{field.id}"
        return self.forms.get(key) or FieldForm(
            formdata=None,
            prefix=key,
            data={
                "label": field.label,
                "kind": field.kind,
                "help": field.help,
                "choices": "\n".join(choice["label"] for choice in field.choices or []),
            },
        )


def _load_editor(owner, change=False):
    """The editor for the template or workshop the URL names; 404 unless it is the user's own."""
    if "process_id" in owner:
        editor = Editor(services.template_for(current_user, owner["process_id"]))
    else:
        workshop = workshop_for(current_user, owner["workshop_id"])
        if workshop.process is None:
            abort(404)
        editor = Editor(workshop.process, workshop)
    if change and not editor.editable:
        abort(_refuse_read_only(editor))
    return editor


def _refuse_read_only(editor):
    """A live or finished workshop's process stays as it is: say so, and show it as it is now."""
    message = process_message("not-draft")
    if _wants_fragment():
        flash(message, "error")
        response = make_response("", 409)
        response.headers["HX-Refresh"] = "true"
        return response
    editor.notices["page"] = message
    return make_response(_page(editor, 409))


def editor_route(rule, action, methods=("GET",)):
    """Register one editor view for templates and for workshop snapshots."""

    def register(view):
        bp.add_url_rule("/templates/<int:process_id>" + rule, "template_" + action, view, methods=methods)
        bp.add_url_rule("/workshops/<int:workshop_id>/process" + rule, "workshop_" + action, view, methods=methods)
        return view

    return register


def _replace_form(workshop, posted=False):
    """The "replace with a template" form: the built-in template in each language, then the user's own."""
    if posted:
        form = ReplaceProcessForm(prefix="replace")
    else:
        form = ReplaceProcessForm(formdata=None, prefix="replace", data={"source": "default:" + workshop.locale})
    built_in, own = _("Built-in"), _("Your templates")
    form.source.choices = [
        SelectChoice(
            value=f"default:{code}",
            optgroup=built_in,
            label=_("%(name)s (%(language)s)", name=default_template.NAME[code], language=LANGUAGE_NAMES[code]),
        )
        for code in DEFAULT_LOCALES
    ] + [
        SelectChoice(
            value=f"template:{template.id}",
            optgroup=own,
            label=_(
                "%(name)s (%(language)s)",
                name=template.name,
                language=LANGUAGE_NAMES.get(template.locale, template.locale),
            ),
        )
        for template in services.templates_of(current_user)
    ]
    return form


def _page(editor, status=200, replace_form=None):
    """The whole page around the editor: the template page, or the workshop's Process tab."""
    if editor.workshop is None:
        return render_template("stages/edit_template.html", editor=editor), status
    return _workshop_page(editor.workshop, editor, status, replace_form)


def _workshop_page(workshop, editor, status=200, replace_form=None):
    has_answers = workshop.process is not None and services.process_has_answers(workshop.process)
    return render_template(
        "stages/workshop_process.html",
        workshop=workshop,
        section="process",
        editor=editor,
        replace_form=replace_form or _replace_form(workshop),
        has_answers=has_answers,
        can_replace=services.snapshot_editable(workshop) and not has_answers,
    ), status


def _respond(editor, template, status=200, message=None, **context):
    """The fragment for htmx (with the status line and the change event), else the whole page."""
    if not _wants_fragment():
        return _page(editor, status)
    body = render_template(template, editor=editor, **context)
    if message:
        body += render_template("stages/_status.html", status_message=message, oob=True)
    response = make_response(body, status)
    if message and status < 300:
        response.headers["HX-Trigger"] = CHANGED
    return response


def _changed(editor, template, message, anchor="", **context):
    """After a successful change: the updated fragment for htmx, else back to the page."""
    if _wants_fragment():
        return _respond(editor, template, 200, message, **context)
    flash(message, "success")
    return redirect(editor.page_url + anchor)


def _refuse(form, error):
    """Put a service's refusal next to the form field it concerns (or at the top of the form)."""
    message = process_message(error.code, error.field)
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def _invalid_status(form):
    return 400 if form.csrf_token.errors else 422


def _stage_gone(editor, stage_id):
    """The stage was removed meanwhile: say so in place of its card; nothing was saved."""
    message = _(
        "This stage was removed meanwhile, perhaps by someone else, so nothing was saved. "
        "Reload the page to see the process as it is now."
    )
    if _wants_fragment():
        return render_template("stages/_stage_gone.html", editor=editor, stage_id=stage_id, message=message), 409
    editor.notices["page"] = message
    return _page(editor, 409)


def _list_gone(editor):
    """A stage-list action on a stage that is gone: show the list as it is now."""
    editor.notices["list"] = _(
        "That stage was removed meanwhile, perhaps by someone else. Here are the stages as they are now."
    )
    return _respond(editor, "stages/_stage_list.html", 409)


def _field_gone_message():
    return _("This field was removed meanwhile, perhaps by someone else, so nothing was saved.")


def _field_gone(editor, stage):
    """A stage-card action on a field that is gone: show the stage as it is now."""
    editor.notices[f"stage-{stage.id}"] = _field_gone_message()
    return _respond(editor, "stages/_stage_card.html", 409, stage=stage)


def _field_row_gone(editor, stage, field_id):
    """The field being saved was removed meanwhile: say so in the field's place."""
    if _wants_fragment():
        return render_template(
            "stages/_field_gone.html", editor=editor, field_id=field_id, message=_field_gone_message()
        ), 409
    return _field_gone(editor, stage)


def _stage_and_field(editor, stage_id, field_id):
    """Both ids from the URL, checked to belong to this process; StaleError names what is gone."""
    stage = services.stage_of(editor.process, stage_id)
    try:
        field = services.field_of(editor.process, field_id)
    except StaleError:
        raise _FieldGone(stage) from None
    if field.stage_id != stage.id:
        abort(404)
    return stage, field


class _FieldGone(Exception):
    def __init__(self, stage):
        super().__init__()
        self.stage = stage


# --- The library ------------------------------------------------------------------------------------


def _copy_default_form(posted=False):
    if not posted:
        locale = str(get_locale())
        form = CopyDefaultForm(
            formdata=None, prefix="builtin", data={"locale": locale if locale in DEFAULT_LOCALES else "en"}
        )
    else:
        form = CopyDefaultForm(prefix="builtin")
    form.locale.choices = [
        SelectChoice(value=code, label=LANGUAGE_NAMES[code], render_kw={"lang": code}) for code in DEFAULT_LOCALES
    ]
    return form


def _library(copy_form=None, status=200):
    builtin_locale = str(get_locale()) if str(get_locale()) in DEFAULT_LOCALES else "en"
    return render_template(
        "stages/library.html",
        copy_form=copy_form or _copy_default_form(),
        templates=services.templates_of(current_user),
        builtin_name=default_template.NAME[builtin_locale],
        builtin_stages=[stage["title"][builtin_locale] for stage in default_template.STAGES],
    ), status


@bp.route("/templates")
@login_required
def library():
    """The built-in template in three languages, and the facilitator's own templates."""
    return _library()


@bp.route("/templates/copy-default", methods=["POST"])
@login_required
@form_view
def copy_default():
    """Copy the built-in 8-stage template, in the chosen language, into the user's own templates."""
    form = _copy_default_form(posted=True)
    if form.validate_on_submit():
        template = services.copy_default_template(current_user, form.locale.data)
        flash(_("Template “%(name)s” copied. You can change it now.", name=template.name), "success")
        return redirect(url_for("stages.edit_template", process_id=template.id))
    return _library(form, _invalid_status(form))


@bp.route("/templates/<int:process_id>/copy", methods=["POST"])
@login_required
def copy_template(process_id):
    """Copy one of the user's templates under a new name."""
    template = services.template_for(current_user, process_id)
    try:
        copy = services.copy_template(template, current_user, _("%(name)s (copy)", name=template.name))
    except ProcessError as error:
        flash(process_message(error.code), "error")
        return _library(status=422)
    flash(_("Template “%(name)s” copied. You can change it now.", name=copy.name), "success")
    return redirect(url_for("stages.edit_template", process_id=copy.id))


@bp.route("/templates/<int:process_id>/delete", methods=["GET"])
@login_required
def confirm_delete_template(process_id):
    """Ask before deleting a template."""
    template = services.template_for(current_user, process_id)
    return render_template("stages/confirm_delete.html", template=template)


@bp.route("/templates/<int:process_id>/delete", methods=["POST"])
@login_required
def delete_template(process_id):
    """Delete one of the user's templates; workshops made from it keep their own copies."""
    template = services.template_for(current_user, process_id)
    name = template.name
    services.delete_template(template)
    flash(_("Template “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("stages.library"))


# --- Editor pages -----------------------------------------------------------------------------------


@bp.route("/templates/<int:process_id>")
@login_required
def edit_template(process_id):
    """The editor for one of the user's templates."""
    return _page(Editor(services.template_for(current_user, process_id)))


@bp.route("/workshops/<int:workshop_id>/process")
@login_required
def workshop_process(workshop_id):
    """The workshop's own process: editable while a draft, read-only once live or finished."""
    workshop = workshop_for(current_user, workshop_id)
    editor = Editor(workshop.process, workshop) if workshop.process is not None else None
    return _workshop_page(workshop, editor)


@bp.route("/workshops/<int:workshop_id>/process/replace", methods=["POST"])
@login_required
@form_view
def workshop_replace(workshop_id):
    """Give a draft workshop a fresh copy of a template; refused once groups have answered."""
    workshop = workshop_for(current_user, workshop_id)
    form = _replace_form(workshop, posted=True)
    if form.validate_on_submit():
        kind, _sep, value = form.source.data.partition(":")
        try:
            if kind == "template":
                template = services.template_for(current_user, int(value))
                services.replace_workshop_process(workshop, template=template)
            else:
                services.replace_workshop_process(workshop, locale=value)
        except ProcessError as error:
            form.source.errors = [*form.source.errors, process_message(error.code)]
        else:
            flash(_("The workshop now has a fresh copy of “%(name)s”.", name=workshop.process.name), "success")
            return redirect(url_for("stages.workshop_process", workshop_id=workshop.id))
    editor = Editor(workshop.process, workshop) if workshop.process is not None else None
    return _workshop_page(workshop, editor, _invalid_status(form), replace_form=form)


# --- Editor actions (templates and draft snapshots alike) -------------------------------------------


@editor_route("/name", "rename", methods=["POST"])
@login_required
@form_view
def rename(**owner):
    """Rename the template or the workshop's process."""
    editor = _load_editor(owner, change=True)
    form = ProcessNameForm(prefix="rename")
    if form.validate_on_submit():
        try:
            services.rename_process(editor.process, form.name.data)
        except ProcessError as error:
            _refuse(form, error)
        else:
            return _changed(editor, "stages/_process_name.html", _("Name saved."))
    editor.forms["rename"] = form
    return _respond(editor, "stages/_process_name.html", _invalid_status(form))


@editor_route("/stages", "add_stage", methods=["POST"])
@login_required
@form_view
def add_stage(**owner):
    """Add a stage at the end, with one long-text field to start from."""
    editor = _load_editor(owner, change=True)
    form = NewStageForm(prefix="new-stage")
    if form.validate_on_submit():
        try:
            stage = services.add_stage(editor.process, form.title.data)
        except ProcessError as error:
            _refuse(form, error)
        else:
            return _changed(
                editor,
                "stages/_stage_list.html",
                _("Stage “%(title)s” added.", title=stage.title),
                anchor=f"#stage-card-{stage.id}",
            )
    editor.forms["new-stage"] = form
    return _respond(editor, "stages/_stage_list.html", _invalid_status(form))


@editor_route("/stages/<int:stage_id>", "stage")
@login_required
def stage_card(stage_id, **owner):
    """One stage's card as it is now (the Cancel of "remove stage?")."""
    editor = _load_editor(owner)
    try:
        stage = services.stage_of(editor.process, stage_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    editor.focus = f"stage-{stage.id}-remove"
    return _respond(editor, "stages/_stage_card.html", stage=stage)


@editor_route("/stages/<int:stage_id>", "update_stage", methods=["POST"])
@login_required
@form_view
def update_stage(stage_id, **owner):
    """Save a stage's title, prompt and time box."""
    editor = _load_editor(owner, change=True)
    try:
        stage = services.stage_of(editor.process, stage_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    form = StageForm(prefix=f"stage-{stage.id}")
    if form.validate_on_submit():
        try:
            services.update_stage(stage, form.title.data, form.prompt.data, form.minutes)
        except ProcessError as error:
            _refuse(form, error)
        else:
            return _changed(
                editor,
                "stages/_stage_card.html",
                _("Stage “%(title)s” saved.", title=stage.title),
                anchor=f"#stage-card-{stage.id}",
                stage=stage,
            )
    editor.forms[f"stage-{stage.id}"] = form
    return _respond(editor, "stages/_stage_card.html", _invalid_status(form), stage=stage)


@editor_route("/stages/<int:stage_id>/move", "move_stage", methods=["POST"])
@login_required
def move_stage(stage_id, **owner):
    """Move a stage one place up or down (buttons, so the keyboard does it too)."""
    editor = _load_editor(owner, change=True)
    try:
        stage = services.stage_of(editor.process, stage_id)
    except StaleError:
        return _list_gone(editor)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    title = stage.title
    if services.move_stage(stage, -1 if direction == "up" else 1):
        number = editor.stage_number(stage)
        message = _(
            "Stage “%(title)s” is now stage %(number)d of %(count)d.",
            title=title,
            number=number,
            count=len(editor.process.stages),
        )
    elif direction == "up":
        message = _("Stage “%(title)s” is already the first stage.", title=title)
    else:
        message = _("Stage “%(title)s” is already the last stage.", title=title)
    return _changed(editor, "stages/_stage_list.html", message, anchor=f"#stage-card-{stage_id}")


@editor_route("/stages/<int:stage_id>/remove", "confirm_remove_stage")
@login_required
def confirm_remove_stage(stage_id, **owner):
    """Ask, inside the stage's card, before removing it."""
    editor = _load_editor(owner, change=True)
    try:
        stage = services.stage_of(editor.process, stage_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    editor.confirm_stage_id = stage.id
    editor.focus = f"stage-card-{stage.id}-confirm"
    if not _wants_fragment():
        return _page(editor)
    return _respond(editor, "stages/_stage_card.html", stage=stage)


@editor_route("/stages/<int:stage_id>/remove", "remove_stage", methods=["POST"])
@login_required
def remove_stage(stage_id, **owner):
    """Remove a stage and its fields; the last stage stays."""
    editor = _load_editor(owner, change=True)
    try:
        stage = services.stage_of(editor.process, stage_id)
    except StaleError:
        return _list_gone(editor)
    title = stage.title
    try:
        services.remove_stage(stage)
    except ProcessError as error:
        editor.notices[f"stage-{stage.id}"] = process_message(error.code)
        editor.focus = f"stage-card-{stage.id}-notice"
        return _respond(editor, "stages/_stage_card.html", 422, stage=stage)
    editor.focus = "stage-list-heading"
    return _changed(editor, "stages/_stage_list.html", _("Stage “%(title)s” removed.", title=title))


@editor_route("/stages/<int:stage_id>/fields", "add_field", methods=["POST"])
@login_required
@form_view
def add_field(stage_id, **owner):
    """Add a field at the end of a stage."""
    editor = _load_editor(owner, change=True)
    try:
        stage = services.stage_of(editor.process, stage_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    form = NewFieldForm(prefix=f"new-field-{stage.id}")
    if form.validate_on_submit():
        try:
            field = services.add_field(stage, form.label.data, form.kind.data, choice_lines(form.choices.data))
        except ProcessError as error:
            _refuse(form, error)
        else:
            return _changed(
                editor,
                "stages/_stage_card.html",
                _("Field “%(label)s” added.", label=field.label),
                anchor=f"#stage-field-{field.id}",
                stage=stage,
            )
    editor.forms[f"new-field-{stage.id}"] = form
    return _respond(editor, "stages/_stage_card.html", _invalid_status(form), stage=stage)


@editor_route("/stages/<int:stage_id>/fields/<int:field_id>", "update_field", methods=["POST"])
@login_required
@form_view
def update_field(stage_id, field_id, **owner):
    """Save a field's label, kind, help and choices."""
    editor = _load_editor(owner, change=True)
    try:
        stage, field = _stage_and_field(editor, stage_id, field_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    except _FieldGone as gone:
        return _field_row_gone(editor, gone.stage, field_id)
    form = FieldForm(prefix=f"field-{field.id}")
    if form.validate_on_submit():
        try:
            services.update_field(
                field, form.label.data, form.kind.data, form.help.data, choice_lines(form.choices.data)
            )
        except ProcessError as error:
            _refuse(form, error)
        else:
            return _changed(
                editor,
                "stages/_field_row.html",
                _("Field “%(label)s” saved.", label=field.label),
                anchor=f"#stage-field-{field.id}",
                stage_field=field,
            )
    editor.forms[f"field-{field.id}"] = form
    return _respond(editor, "stages/_field_row.html", _invalid_status(form), stage_field=field)


@editor_route("/stages/<int:stage_id>/fields/<int:field_id>/move", "move_field", methods=["POST"])
@login_required
def move_field(stage_id, field_id, **owner):
    """Move a field one place up or down within its stage."""
    editor = _load_editor(owner, change=True)
    try:
        stage, field = _stage_and_field(editor, stage_id, field_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    except _FieldGone as gone:
        return _field_gone(editor, gone.stage)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    label = field.label
    if services.move_field(field, -1 if direction == "up" else 1):
        message = _(
            "Field “%(label)s” is now field %(number)d of %(count)d.",
            label=label,
            number=editor.field_number(field),
            count=len(stage.fields),
        )
    elif direction == "up":
        message = _("Field “%(label)s” is already the first field.", label=label)
    else:
        message = _("Field “%(label)s” is already the last field.", label=label)
    return _changed(editor, "stages/_stage_card.html", message, anchor=f"#stage-field-{field_id}", stage=stage)


@editor_route("/stages/<int:stage_id>/fields/<int:field_id>/remove", "remove_field", methods=["POST"])
@login_required
def remove_field(stage_id, field_id, **owner):
    """Remove a field from its stage; a stage's last field stays."""
    editor = _load_editor(owner, change=True)
    try:
        stage, field = _stage_and_field(editor, stage_id, field_id)
    except StaleError:
        return _stage_gone(editor, stage_id)
    except _FieldGone as gone:
        return _field_gone(editor, gone.stage)
    label = field.label
    try:
        services.remove_field(field)
    except ProcessError as error:
        editor.notices[f"field-{field.id}"] = process_message(error.code)
        editor.focus = f"stage-field-{field.id}-notice"
        return _respond(editor, "stages/_stage_card.html", 422, stage=stage)
    editor.focus = f"stage-card-{stage.id}-heading"
    return _changed(
        editor,
        "stages/_stage_card.html",
        _("Field “%(label)s” removed.", label=label),
        anchor=f"#stage-card-{stage.id}",
        stage=stage,
    )
