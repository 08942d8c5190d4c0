"""Register pages and actions: the table, inline editing, filling from a group, import and export.

One URL serves the full page or its htmx fragment; every change answers with the fragment and
`HX-Trigger: register-changed`, and without JavaScript redirects back to the page.
"""

from collections import Counter

from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, stream_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..core.errors import form_view
from ..core.fragments import changed, focus_first_error, focus_on, join_fragments
from ..core.urls import parse_id
from ..extensions import db
from ..groups.models import Group
from ..stages.categories import category_label
from ..workshops.services import workshop_for
from . import reading, services, spreadsheets
from .forms import NEW_ROW, ConfirmImportForm, EntryForm, FillForm, ImportForm, register_message
from .models import RegisterEntry

bp = Blueprint("register", __name__)

#: Sent with every successful change, so other widgets can reload with `register-changed from:body`.
CHANGED_EVENT = "register-changed"
ADD_PREFIX = "new"
FILL_PREFIX = "fill"
#: An import report lists at most this many problems; the rest are counted.
SHOWN_ERRORS = 300
#: Template output chunks rendered between two pauses: about 10 ms (a 2,000-row table has 170,000).
CHUNKS_PER_SLICE = 2000


# --- helpers -------------------------------------------------------------------------------


def _render(name, **context):
    """A template rendered in slices with pauses between: a 2,000-row register takes a second to render."""
    parts = []
    for index, part in enumerate(stream_template(name, **context), 1):
        parts.append(part)
        if index % CHUNKS_PER_SLICE == 0:
            reading.pause()
    return "".join(parts)


def _wants_fragment():
    """htmx asked for a piece of the page (a boosted request wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def _group_names(workshop):
    return dict(db.session.execute(db.select(Group.id, Group.name).filter_by(workshop_id=workshop.id)).all())


def _context(workshop, entries=None, **extra):
    """What every register template needs."""
    context = {
        "workshop": workshop,
        "section": "register",
        "entries": services.entries_of(workshop) if entries is None else entries,
        "category_label": lambda key: category_label(key, workshop.locale) if key else "",
        "group_names": _group_names(workshop),
        "focus": None,
        "oob": False,
        "status": None,
    }
    context.update(extra)
    return context


def _status(message):
    """An out-of-band update of the page's polite live region."""
    return _render("register/_status.html", status=message)


def _changed(body, status_code=200):
    """Mark a successful change for listeners on the page."""
    return changed(body, CHANGED_EVENT, status_code)


def _refuse(form, error):
    """Put a service's refusal next to the field it concerns (or on top of the form)."""
    message = register_message(error)
    if error.field and hasattr(form, error.field):
        getattr(form, error.field).errors.append(message)
    else:
        form.form_errors.append(message)


def _load_entry(workshop, entry_id):
    """The row; None if it no longer exists (deleted meanwhile); 404 if it is another workshop's."""
    entry = db.session.get(RegisterEntry, entry_id)
    if entry is None:
        return None
    if entry.workshop_id != workshop.id:
        abort(404)
    return entry


def _index_url(workshop, entry=None):
    url = url_for("register.index", workshop_id=workshop.id)
    return f"{url}#register-row-{entry.id}" if entry is not None else url


def _row_label(entry):
    return f"{entry.library_number} {entry.library_name}"


def _add_form(formdata=None, fresh=False):
    kwargs = {"prefix": ADD_PREFIX}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    return EntryForm(**kwargs)


def _entry_form(entry, fresh=False):
    """A row's edit form, prefixed by its id so several rows can be open at once."""
    if fresh:
        form = EntryForm(formdata=None, prefix=f"row-{entry.id}", obj=entry)
        form.library_number.data = str(entry.library_number)
        form.service_category.data = entry.service_category or ""
        return form
    return EntryForm(prefix=f"row-{entry.id}")


def _group_label(result):
    if result.is_empty:
        return _("%(group)s (no result yet)", group=result.group.name)
    service = result.service or result.description.split("\n", 1)[0]
    if result.category_label and service:
        return _("%(group)s: %(category)s, %(service)s", group=result.group.name, category=result.category_label,
                 service=service)
    return _("%(group)s: %(service)s", group=result.group.name, service=result.category_label or service)


def _entry_label(entry):
    if services.has_service(entry):
        return _row_label(entry)
    return _("%(row)s (no service yet)", row=_row_label(entry))


def _fill_form(workshop, entries=None, formdata=None, fresh=False, entry_id=None):
    kwargs = {"prefix": FILL_PREFIX}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    if entry_id is not None:
        kwargs["entry"] = str(entry_id)
    elif fresh:
        kwargs["entry"] = NEW_ROW
    form = FillForm(**kwargs)
    results = list(services.groups_of(workshop).values())
    form.set_choices(results, services.entries_of(workshop) if entries is None else entries, _group_label,
                     _entry_label)
    return form


def _page(workshop, status_code=200, **forms):
    """The whole register page."""
    context = _context(workshop)
    forms.setdefault("add_form", _add_form(fresh=True))
    forms.setdefault("fill_form", _fill_form(workshop, context["entries"], fresh=True))
    forms.setdefault("import_form", ImportForm(formdata=None))
    forms.setdefault("report", None)
    forms.setdefault("outcome", None)
    forms.setdefault("token", None)
    forms.setdefault("shown_errors", SHOWN_ERRORS)
    context.update(forms)
    return _render("register/index.html", **context), status_code


def _table_answer(workshop, message, status_code=200, changed=True, focus=None):
    """The re-rendered table with a spoken status, after deletes and stale actions."""
    if _wants_fragment():
        body = join_fragments(_render("register/_table.html", **_context(workshop, focus=focus)),
                          _status(message))
        response = make_response((body, status_code))
        if changed:
            response.headers["HX-Trigger"] = CHANGED_EVENT
        if status_code >= 400:
            response.headers["HX-Retarget"] = "#register-table"
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    if status_code < 300:
        flash(message, "success")
        return redirect(_index_url(workshop))
    return _page(workshop, status_code, status=message)


def _gone(workshop, message=None):
    """A row someone deleted meanwhile: say so and show the register as it is now."""
    return _table_answer(
        workshop,
        message or _("This row is no longer in the register: someone deleted it meanwhile. "
                     "The table below is up to date."),
        status_code=409, changed=False,
    )


# --- the page ------------------------------------------------------------------------------


@bp.route("/workshops/<int:workshop_id>/register")
@login_required
def index(workshop_id):
    """The results register: which library runs which new service, and the tools to fill it."""
    workshop = workshop_for(current_user, workshop_id)
    if _wants_fragment():
        return _render("register/_table.html", **_context(workshop))
    return _page(workshop)


# --- rows ----------------------------------------------------------------------------------


@bp.route("/workshops/<int:workshop_id>/register/rows", methods=["POST"])
@login_required
@form_view
def add_row(workshop_id):
    """Append a library's row; the add form comes back empty and the table shows the row."""
    workshop = workshop_for(current_user, workshop_id)
    form = _add_form()
    if form.validate_on_submit():
        try:
            entry = services.add_entry(workshop, **form.values())
        except services.RegisterError as error:
            _refuse(form, error)
        else:
            message = _("Added the row for %(library)s.", library=_row_label(entry))
            if not _wants_fragment():
                flash(message, "success")
                return redirect(_index_url(workshop, entry))
            fresh = _add_form(fresh=True)
            focus_on(fresh.library_number)
            context = _context(workshop)
            return _changed(join_fragments(
                _render("register/_add_form.html", add_form=fresh, **context),
                _render("register/_table.html", **dict(context, oob=True)),
                _render("register/_fill_form.html",
                                fill_form=_fill_form(workshop, context["entries"], fresh=True),
                                **dict(context, oob=True)),
                _status(message),
            ))
    focus_first_error(form)
    return _add_form_answer(workshop, form, 422)


def _add_form_answer(workshop, form, status_code, message=None):
    """The add form with its errors and what was typed, as a fragment or on the whole page."""
    if _wants_fragment():
        parts = [_render("register/_add_form.html", add_form=form, **_context(workshop))]
        if message:
            parts.append(_status(message))
        return make_response((join_fragments(*parts), status_code))
    return _page(workshop, status_code, add_form=form, status=message)


@bp.route("/workshops/<int:workshop_id>/register/rows/<int:entry_id>")
@login_required
def row(workshop_id, entry_id):
    """One row as read (what Cancel brings back), or the page it is on."""
    workshop = workshop_for(current_user, workshop_id)
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        return _gone(workshop) if _wants_fragment() else abort(404)
    if not _wants_fragment():
        return redirect(_index_url(workshop, entry))
    return _render("register/_row.html", entry=entry,
                           **_context(workshop, focus=f"register-row-{entry.id}-edit"))


def _edit_answer(workshop, entry, form, status_code=200):
    context = _context(workshop, entry=entry, form=form)
    if _wants_fragment():
        return _render("register/_row_form.html", **context), status_code
    return _render("register/edit.html", **context), status_code


@bp.route("/workshops/<int:workshop_id>/register/rows/<int:entry_id>/edit")
@login_required
def edit_row(workshop_id, entry_id):
    """A row's edit form in its place (or on a page of its own without JavaScript)."""
    workshop = workshop_for(current_user, workshop_id)
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        return _gone(workshop) if _wants_fragment() else abort(404)
    form = _entry_form(entry, fresh=True)
    focus_on(form.library_number)
    return _edit_answer(workshop, entry, form)


def _stale_edit(workshop, entry_id):
    """The row was deleted while being edited: keep the typing in the add form and say so."""
    prefix = f"row-{entry_id}-"
    typed = MultiDict(
        (f"{ADD_PREFIX}-{key[len(prefix):]}", value)
        for key, value in request.form.items(multi=True)
        if key.startswith(prefix) and not key.endswith("csrf_token")
    )
    form = _add_form(formdata=typed)
    message = _("Someone deleted this row while you were editing it, so nothing was saved. "
                "Your text is kept in the “Add a row” form: add it again, or leave it.")
    form.form_errors.append(message)
    focus_on(form.library_number)
    response = _add_form_answer(workshop, form, 409, message=message)
    if _wants_fragment():
        response.headers["HX-Retarget"] = "#register-add-form"
        response.headers["HX-Reswap"] = "outerHTML"
        # The row being edited is gone: refresh the table too.
        response.set_data(response.get_data(as_text=True) + "\n" + _render(
            "register/_table.html", **_context(workshop, oob=True)))
    return response


@bp.route("/workshops/<int:workshop_id>/register/rows/<int:entry_id>", methods=["POST"])
@login_required
@form_view
def update_row(workshop_id, entry_id):
    """Save a row's edit form; the row comes back as read."""
    workshop = workshop_for(current_user, workshop_id)
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        return _stale_edit(workshop, entry_id)
    form = _entry_form(entry)
    if form.validate_on_submit():
        try:
            services.update_entry(entry, **form.values())
        except services.RegisterError as error:
            _refuse(form, error)
        else:
            message = _("Saved the row for %(library)s.", library=_row_label(entry))
            if not _wants_fragment():
                flash(message, "success")
                return redirect(_index_url(workshop, entry))
            context = _context(workshop, focus=f"register-row-{entry.id}-edit")
            return _changed(join_fragments(
                _render("register/_row.html", entry=entry, **context),
                _render("register/_fill_form.html",
                                fill_form=_fill_form(workshop, context["entries"], fresh=True),
                                **dict(context, oob=True)),
                _status(message),
            ))
    focus_first_error(form)
    return _edit_answer(workshop, entry, form, 422)


@bp.route("/workshops/<int:workshop_id>/register/rows/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete_row(workshop_id, entry_id):
    """Ask before deleting (GET, the no-JavaScript path), then delete (POST)."""
    workshop = workshop_for(current_user, workshop_id)
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        if request.method == "GET":
            abort(404)
        return _gone(workshop, _("This row had already been deleted. The table below is up to date."))
    if request.method == "GET":
        return _render("register/delete.html", **_context(workshop, entry=entry))
    label = _row_label(entry)
    rows = services.entries_of(workshop)
    index = rows.index(entry)
    rest = rows[:index] + rows[index + 1:]
    neighbour = rest[min(index, len(rest) - 1)] if rest else None
    services.delete_entry(entry)
    message = _("Deleted the row for %(library)s.", library=label)
    if not _wants_fragment():
        flash(message, "success")
        return redirect(_index_url(workshop))
    # Keep the keyboard where it was: on the next row's Edit button, or on the empty table's text.
    focus = f"register-row-{neighbour.id}-edit" if neighbour else "register-empty"
    context = _context(workshop, rest, focus=focus)
    return _changed(join_fragments(
        _render("register/_table.html", **context),
        _render("register/_fill_form.html",
                        fill_form=_fill_form(workshop, context["entries"], fresh=True), **dict(context, oob=True)),
        _status(message),
    ))


# --- filling a row from a group's result ---------------------------------------------------


@bp.route("/workshops/<int:workshop_id>/register/fill")
@login_required
def fill_form(workshop_id):
    """The fill form, with a row already chosen when the row's own button asked for it."""
    workshop = workshop_for(current_user, workshop_id)
    entry_id = request.args.get("entry", type=int)
    if entry_id is not None and (parse_id(str(entry_id)) is None or _load_entry(workshop, entry_id) is None):
        return _gone(workshop) if _wants_fragment() else abort(404)
    form = _fill_form(workshop, fresh=True, entry_id=entry_id)
    focus_on(form.group)
    if _wants_fragment():
        return _render("register/_fill_form.html", fill_form=form, **_context(workshop))
    return _page(workshop, fill_form=form)


@bp.route("/workshops/<int:workshop_id>/register/fill", methods=["POST"])
@login_required
@form_view
def fill(workshop_id):
    """Put a group's category, service and target group into the chosen row, or a new row."""
    workshop = workshop_for(current_user, workshop_id)
    form = _fill_form(workshop)
    if form.validate_on_submit():
        group = services.group_in(workshop, int(form.group.data))
        entry = None if form.is_new_row else _load_entry(workshop, int(form.entry.data))
        try:
            entry = services.fill_from_group(workshop, group, entry, **(form.new_row() if form.is_new_row else {}))
        except services.RegisterError as error:
            _refuse(form, error)
        else:
            message = _("Filled the row for %(library)s from %(group)s's result.", library=_row_label(entry),
                        group=group.name)
            if not _wants_fragment():
                flash(message, "success")
                return redirect(_index_url(workshop, entry))
            context = _context(workshop, focus=f"register-row-{entry.id}-edit")
            fresh = _fill_form(workshop, context["entries"], fresh=True)
            return _changed(join_fragments(
                _render("register/_fill_form.html", fill_form=fresh, **context),
                _render("register/_table.html", **dict(context, oob=True)),
                _status(message),
            ))
    focus_first_error(form)
    if _wants_fragment():
        return _render("register/_fill_form.html", fill_form=form, **_context(workshop)), 422
    return _page(workshop, 422, fill_form=form)


# --- export --------------------------------------------------------------------------------


def _download(body, mimetype, workshop, extension):
    response = make_response(body)
    response.mimetype = mimetype
    name = f"register-{workshop.starts_on.isoformat()}-{workshop.id}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/workshops/<int:workshop_id>/register.csv")
@login_required
def export_csv(workshop_id):
    """The register as CSV for Excel, headed and worded in the workshop's language."""
    workshop = workshop_for(current_user, workshop_id)
    body = spreadsheets.to_csv(services.entries_of(workshop), workshop.locale)
    response = _download(body, "text/csv", workshop, "csv")
    response.charset = "utf-8"
    return response


@bp.route("/workshops/<int:workshop_id>/register.xlsx")
@login_required
def export_xlsx(workshop_id):
    """The register as an Excel workbook, headed and worded in the workshop's language."""
    workshop = workshop_for(current_user, workshop_id)
    body = spreadsheets.to_xlsx(services.entries_of(workshop), workshop.locale)
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workshop, "xlsx")


# --- import --------------------------------------------------------------------------------


def _outcome_message(outcome):
    parts = []
    if outcome.added:
        parts.append(ngettext("Added %(num)d row.", "Added %(num)d rows.", len(outcome.added)))
    if outcome.updated:
        parts.append(ngettext("Updated %(num)d row whose library ID was already in the register.",
                              "Updated %(num)d rows whose library IDs were already in the register.",
                              len(outcome.updated)))
    if outcome.unchanged:
        parts.append(ngettext("%(num)d row was already up to date.", "%(num)d rows were already up to date.",
                              len(outcome.unchanged)))
    if outcome.skipped:
        parts.append(ngettext("%(num)d row was left out: see below.", "%(num)d rows were left out: see below.",
                              len(outcome.skipped)))
    return " ".join(parts) or _("The file had no rows to import.")


def _import_answer(workshop, status_code, changed=False, **panel):
    """The import panel (report, confirmation, outcome), with the table when rows changed."""
    panel.setdefault("import_form", ImportForm(formdata=None))
    panel.setdefault("report", None)
    panel.setdefault("outcome", None)
    panel.setdefault("token", None)
    panel.setdefault("shown_errors", SHOWN_ERRORS)
    if _wants_fragment():
        context = _context(workshop, **panel)
        parts = [_render("register/_import.html", **context)]
        if changed:
            parts.append(_render("register/_table.html", **dict(context, oob=True)))
            parts.append(_render("register/_fill_form.html",
                                         fill_form=_fill_form(workshop, context["entries"], fresh=True),
                                         **dict(context, oob=True)))
        if panel["outcome"] is not None:
            parts.append(_status(_outcome_message(panel["outcome"])))
        elif panel["report"] is not None:
            parts.append(_status(_("This file cannot be imported.") if panel["report"].fatal
                                 else _("The file has problems, so nothing was imported yet.")))
        response = make_response((join_fragments(*parts), status_code))
        if changed:
            response.headers["HX-Trigger"] = CHANGED_EVENT
        return response
    return _page(workshop, status_code, **panel)


def _imported(workshop, outcome):
    if not _wants_fragment() and not outcome.skipped:
        flash(_outcome_message(outcome), "success")
        return redirect(_index_url(workshop) + "#register-import")
    return _import_answer(workshop, 200, changed=bool(outcome.added or outcome.updated), outcome=outcome)


@bp.route("/workshops/<int:workshop_id>/register/import", methods=["POST"])
@login_required
@form_view
def import_file(workshop_id):
    """Read an uploaded CSV or XLSX file: import it if it is clean, else report each row's problems."""
    workshop = workshop_for(current_user, workshop_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_answer(workshop, 422, import_form=form)
    upload = form.file.data
    existing = Counter(entry.library_number for entry in services.entries_of(workshop))
    report = spreadsheets.parse_import(upload.read(), upload.filename or "", existing, workshop.locale)
    if not report.has_errors:
        return _imported(workshop, services.import_rows(workshop, report.rows))
    token = None
    if report.rows and not report.fatal:
        token = services.keep_pending_import(workshop, current_user, report.rows, upload.filename or "")
    return _import_answer(workshop, 422, report=report, token=token,
                          import_form=ImportForm(formdata=None))


@bp.route("/workshops/<int:workshop_id>/register/import/confirm", methods=["POST"])
@login_required
@form_view
def confirm_import(workshop_id):
    """Import only the valid rows of the file just checked, kept under the form's token."""
    workshop = workshop_for(current_user, workshop_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        import_form = ImportForm(formdata=None)
        import_form.form_errors.append(_("This form had expired, so nothing was imported. Upload the file again."))
        return _import_answer(workshop, 400, import_form=import_form)
    outcome = services.import_pending(workshop, current_user, form.token.data)
    if outcome is None:
        message = _("These rows are no longer waiting to be imported: they were imported already, or more "
                    "than an hour has passed. Check the table, and upload the file again if needed.")
        import_form = ImportForm(formdata=None)
        import_form.form_errors.append(message)
        return _import_answer(workshop, 409, import_form=import_form)
    return _imported(workshop, outcome)


@bp.errorhandler(413)
def too_large(error):
    """A file over the size limit: say so in the import panel instead of a bare error page."""
    if request.endpoint != "register.import_file" or not current_user.is_authenticated:
        return _render("errors/error.html", title=_("That was too much to send"),
                               message=_("The text or file is larger than we accept. Shorten it and try again.")), 413
    workshop = workshop_for(current_user, request.view_args["workshop_id"])
    form = ImportForm(formdata=None)
    megabytes = max(1, (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024))
    form.file.errors = [_("The file is larger than %(size)d MB, so it was not read. Split it into smaller files.",
                          size=megabytes)]
    return _import_answer(workshop, 413, import_form=form)
