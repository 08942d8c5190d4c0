"""Process templates: the library, a template's editor page, and each workshop's own process.

What the URL names is loaded once, before any view: the workshop (by workshops.loading) or the
facilitator's own template, and for the editor's actions (editing.py) the editor on either.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..core.domain import DomainError, message_for
from ..core.errors import form_view
from ..core.i18n import LANGUAGE_NAMES
from ..workshops.loading import load_workshop
from . import default_template, editing, services
from .editor import DEFAULT_LOCALES, Editor, process_tab, replace_form
from .forms import FIELD_KIND_LABELS, CopyDefaultForm

bp = Blueprint("stages", __name__)

for _rule, _action, _view, _methods in editing.ROUTES:
    bp.add_url_rule("/templates/<int:process_id>" + _rule, "template_" + _action, _view, methods=_methods)
    bp.add_url_rule("/workshops/<int:workshop_id>/process" + _rule, "workshop_" + _action, _view, methods=_methods)


@bp.app_context_processor
def stage_helpers():
    """Kind names in the reader's language, for the editor and any page that lists fields."""
    return {"field_kind_label": lambda kind: str(FIELD_KIND_LABELS.get(kind, kind))}


@bp.before_request
def load_what_the_url_names():
    """Sign-in first; then the workshop or the template in place of its id (404 for anyone else's)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    refused = load_workshop()
    if refused is not None:
        return refused
    args = request.view_args
    if "process_id" in args:
        args["template"] = services.template_for(current_user, args.pop("process_id"))
    view = current_app.view_functions[request.endpoint]
    return editing.open_editor(view, args) if hasattr(view, "shows") else None


# --- The library ------------------------------------------------------------------------------------


def _builtin_locale():
    """The built-in template in the reader's language, if it is written in it; else in English."""
    locale = str(get_locale())
    return locale if locale in DEFAULT_LOCALES else "en"


def _copy_default_form(posted=False):
    if posted:
        form = CopyDefaultForm(prefix="builtin")
    else:
        form = CopyDefaultForm(formdata=None, prefix="builtin", data={"locale": _builtin_locale()})
    form.locale.choices = [
        SelectChoice(value=code, label=LANGUAGE_NAMES[code], render_kw={"lang": code}) for code in DEFAULT_LOCALES
    ]
    return form


def _library(copy_form=None, status=200):
    locale = _builtin_locale()
    return render_template(
        "stages/library.html",
        copy_form=copy_form or _copy_default_form(),
        templates=services.templates_of(current_user),
        builtin_name=default_template.NAME[locale],
        builtin_stages=[stage["title"][locale] for stage in default_template.STAGES],
    ), status


def _opened(template):
    """A fresh copy in the user's templates: say so, and open its editor."""
    flash(_("Template “%(name)s” copied. You can change it now.", name=template.name), "success")
    return redirect(url_for("stages.edit_template", process_id=template.id))


@bp.route("/templates")
def library():
    """The built-in template in three languages, and the facilitator's own templates."""
    return _library()


@bp.route("/templates/copy-default", methods=["POST"])
@form_view
def copy_default():
    """Copy the built-in 8-stage template, in the chosen language, into the user's own templates."""
    form = _copy_default_form(posted=True)
    if not form.validate_on_submit():
        return _library(form, 422)
    return _opened(services.copy_default_template(current_user, form.locale.data))


@bp.route("/templates/<int:process_id>/copy", methods=["POST"])
def copy_template(template):
    """Copy one of the user's templates under a new name."""
    try:
        copy = services.copy_template(template, current_user, _("%(name)s (copy)", name=template.name))
    except DomainError as error:
        flash(message_for(error.code), "error")
        return _library(status=422)
    return _opened(copy)


@bp.route("/templates/<int:process_id>/delete", methods=["GET"])
def confirm_delete_template(template):
    """Ask before deleting a template."""
    return render_template("stages/confirm_delete.html", template=template)


@bp.route("/templates/<int:process_id>/delete", methods=["POST"])
def delete_template(template):
    """Delete one of the user's templates; workshops made from it keep their own copies."""
    name = template.name
    services.delete_template(template)
    flash(_("Template “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("stages.library"))


# --- Editor pages -----------------------------------------------------------------------------------


@bp.route("/templates/<int:process_id>")
def edit_template(template):
    """The editor for one of the user's templates."""
    return render_template("stages/edit_template.html", editor=Editor(template))


def _process_tab(workshop, status=200, replace=None):
    editor = Editor(workshop.process, workshop) if workshop.process is not None else None
    return render_template("stages/workshop_process.html", **process_tab(workshop, editor, replace)), status


@bp.route("/workshops/<int:workshop_id>/process")
def workshop_process(workshop):
    """The workshop's own process: editable while a draft, read-only once live or finished."""
    return _process_tab(workshop)


def _replace(workshop, source):
    """Replace the workshop's process with a copy of `source` ("template:<id>" or "default:<locale>")."""
    kind, _sep, value = source.partition(":")
    if kind == "template":
        return services.replace_workshop_process(workshop, template=services.template_for(current_user, int(value)))
    return services.replace_workshop_process(workshop, locale=value)


@bp.route("/workshops/<int:workshop_id>/process/replace", methods=["POST"])
@form_view
def workshop_replace(workshop):
    """Give a draft workshop a fresh copy of a template; refused once groups have answered."""
    form = replace_form(workshop, posted=True)
    if form.validate_on_submit():
        try:
            fresh = _replace(workshop, form.source.data)
        except DomainError as error:
            form.source.errors = [*form.source.errors, message_for(error.code, **error.params)]
        else:
            flash(_("The workshop now has a fresh copy of “%(name)s”.", name=fresh.name), "success")
            return redirect(url_for("stages.workshop_process", workshop_id=workshop.id))
    return _process_tab(workshop, 422, form)
