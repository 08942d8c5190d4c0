"""Register pages and actions: the table, inline editing, filling from a group, import and export.

One URL serves the full page or its htmx fragment; every change answers htmx with the changed
parts and a spoken status, and without JavaScript redirects back to the page.
"""

from collections import Counter

from flask import abort, current_app, make_response, request, stream_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.domain import owned_row
from ..core.errors import form_view
from ..core.htmx import Area, focus_on, next_focus, retyped, submit, wants_fragment
from ..core.urls import parse_id
from ..extensions import db
from ..groups.models import Group
from ..stages.categories import category_label
from ..workshops.loading import workshop_pages
from ..workshops.services import workshop_for
from . import reading, services, spreadsheets
from .forms import ADD_PREFIX, ConfirmImportForm, ImportForm, add_form, entry_form, fill_form_for, row_label
from .models import RegisterEntry

bp = workshop_pages("register", __name__)

#: An import report lists at most this many problems; the rest are counted.
SHOWN_ERRORS = 300
#: Template output chunks rendered between two pauses: about 10 ms (a 2,000-row table has 170,000).
CHUNKS_PER_SLICE = 2000
INDEX = "register/index.html"
TABLE = "register/_table.html"
ROW = "register/_row.html"
ADD_FORM = "register/_add_form.html"
FILL = "register/_fill_form.html"
IMPORT = "register/_import.html"


# --- helpers -------------------------------------------------------------------------------


def _render(name, **context):
    """A template rendered in slices with pauses between: a 2,000-row register takes a second to render."""
    parts = []
    for index, part in enumerate(stream_template(name, **context), 1):
        parts.append(part)
        if index % CHUNKS_PER_SLICE == 0:
            reading.pause()
    return "".join(parts)


def _group_names(workshop):
    return dict(db.session.execute(db.select(Group.id, Group.name).filter_by(workshop_id=workshop.id)).all())


def _context(workshop, entries=None, **extra):
    """What every register template needs (the import panel starts empty)."""
    entries = services.entries_of(workshop) if entries is None else entries
    return {
        "workshop": workshop,
        "section": "register",
        "entries": entries,
        "group_names": _group_names(workshop),
        "category_label": lambda key: category_label(key, workshop.locale) if key else "",
        "focus": None,
        "report": None,
        "outcome": None,
        "token": None,
        "shown_errors": SHOWN_ERRORS,
        **extra,
    }


def _with_fill_form(context):
    """The fill form too, its list of rows following the context's (after rows changed, and on the page)."""
    if "fill_form" not in context:
        context["fill_form"] = fill_form_for(context["workshop"], context["entries"], fresh=True)
    return context


def _complete_page(context):
    """The whole page also shows the add, fill and import forms: empty, unless the answer brings one."""
    context.setdefault("add_form", add_form(fresh=True))
    context.setdefault("import_form", ImportForm(formdata=None))
    _with_fill_form(context)


ui = Area("register-status", complete_page=_complete_page, render=_render)


def _load_entry(workshop, entry_id):
    """The row; None if it was deleted meanwhile; 404 if it is another workshop's."""
    return owned_row(RegisterEntry, entry_id, workshop_id=workshop.id)


def _index_url(workshop, entry=None):
    url = url_for("register.index", workshop_id=workshop.id)
    return f"{url}#register-row-{entry.id}" if entry is not None else url


def _gone(workshop, message=None):
    """A row someone deleted meanwhile: say so and show the register as it is now."""
    message = message or _(
        "This row is no longer in the register: someone deleted it meanwhile. The table below is up to date."
    )
    return ui.refuse(INDEX, TABLE, _context(workshop), status=409, announce=message, retarget="#register-table")


# --- the page ------------------------------------------------------------------------------


@bp.route("/register")
def index(workshop):
    """The results register: which library runs which new service, and the tools to fill it."""
    return ui.answer(INDEX, TABLE, _context(workshop))


@bp.route("/register/rows", methods=["POST"])
@form_view
def add_row(workshop):
    """Append a library's row; the add form comes back empty and the table shows the row."""
    form = add_form()
    entry = submit(form, lambda: services.add_entry(workshop, **form.values()))
    if entry is None:
        return ui.refuse(INDEX, ADD_FORM, _context(workshop, add_form=form))
    fresh = add_form(fresh=True)
    focus_on(fresh.library_number)
    return ui.answer(
        INDEX,
        ADD_FORM,
        _with_fill_form(_context(workshop, add_form=fresh)),
        also=[TABLE, FILL],
        announce=_("Added the row for %(library)s.", library=row_label(entry)),
        redirect_to=_index_url(workshop, entry),
    )


@bp.route("/register/rows/<int:entry_id>")
def row(workshop, entry_id):
    """One row as read (what Cancel brings back), or the page it is on."""
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        return _gone(workshop) if wants_fragment() else abort(404)
    return ui.answer(
        INDEX,
        ROW,
        _context(workshop, entry=entry, focus=f"register-row-{entry.id}-edit"),
        redirect_to=_index_url(workshop, entry),
    )


def _edit_answer(workshop, entry, form, status=200):
    return ui.answer(
        "register/edit.html", "register/_row_form.html", _context(workshop, entry=entry, form=form), status=status
    )


@bp.route("/register/rows/<int:entry_id>/edit")
def edit_row(workshop, entry_id):
    """A row's edit form in its place (or on a page of its own without JavaScript)."""
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        return _gone(workshop) if wants_fragment() else abort(404)
    form = entry_form(entry, fresh=True)
    focus_on(form.library_number)
    return _edit_answer(workshop, entry, form)


def _stale_edit(workshop, entry_id):
    """The row was deleted while being edited: keep the typing in the add form, and refresh the table."""
    form = add_form(formdata=retyped(f"row-{entry_id}", ADD_PREFIX))
    message = _(
        "Someone deleted this row while you were editing it, so nothing was saved. "
        "Your text is kept in the “Add a row” form: add it again, or leave it."
    )
    form.form_errors.append(message)
    focus_on(form.library_number)
    return ui.refuse(
        INDEX,
        ADD_FORM,
        _context(workshop, add_form=form),
        status=409,
        announce=message,
        also=[TABLE],
        retarget="#register-add-form",
    )


@bp.route("/register/rows/<int:entry_id>", methods=["POST"])
@form_view
def update_row(workshop, entry_id):
    """Save a row's edit form; the row comes back as read."""
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        return _stale_edit(workshop, entry_id)
    form = entry_form(entry)
    if submit(form, lambda: services.update_entry(entry, **form.values())) is None:
        return _edit_answer(workshop, entry, form, 422)
    context = _with_fill_form(_context(workshop, entry=entry, focus=f"register-row-{entry.id}-edit"))
    return ui.answer(
        INDEX,
        ROW,
        context,
        announce=_("Saved the row for %(library)s.", library=row_label(entry)),
        also=[FILL],
        redirect_to=_index_url(workshop, entry),
    )


@bp.route("/register/rows/<int:entry_id>/delete", methods=["GET", "POST"])
def delete_row(workshop, entry_id):
    """Ask before deleting (GET, the no-JavaScript path), then delete (POST)."""
    entry = _load_entry(workshop, entry_id)
    if entry is None:
        if request.method == "GET":
            abort(404)
        return _gone(workshop, _("This row had already been deleted. The table below is up to date."))
    if request.method == "GET":
        return _render("register/delete.html", **_context(workshop, entry=entry))
    label, rows = row_label(entry), services.entries_of(workshop)
    neighbour = next_focus(rows, entry)
    services.delete_entry(entry)
    # Keep the keyboard where it was: on the next row's Edit button, or on the empty table's text.
    focus = f"register-row-{neighbour.id}-edit" if neighbour else "register-empty"
    context = _with_fill_form(_context(workshop, [row for row in rows if row is not entry], focus=focus))
    return ui.answer(
        INDEX,
        TABLE,
        context,
        announce=_("Deleted the row for %(library)s.", library=label),
        also=[FILL],
        redirect_to=_index_url(workshop),
    )


# --- filling a row from a group's result ---------------------------------------------------


@bp.route("/register/fill")
def fill_form(workshop):
    """The fill form, with a row already chosen when the row's own button asked for it."""
    entry_id = request.args.get("entry", type=int)
    if entry_id is not None and (parse_id(str(entry_id)) is None or _load_entry(workshop, entry_id) is None):
        return _gone(workshop) if wants_fragment() else abort(404)
    form = fill_form_for(workshop, fresh=True, entry_id=entry_id)
    focus_on(form.group)
    return ui.answer(INDEX, FILL, _context(workshop, fill_form=form))


def _fill(workshop, form):
    """Put the chosen group's result into the chosen row, or into the new row the form describes."""
    group = services.group_in(workshop, int(form.group.data))
    if form.is_new_row:
        return services.fill_from_group(workshop, group, None, **form.new_row())
    return services.fill_from_group(workshop, group, _load_entry(workshop, int(form.entry.data)))


@bp.route("/register/fill", methods=["POST"])
@form_view
def fill(workshop):
    """Put a group's category, service and target group into the chosen row, or a new row."""
    form = fill_form_for(workshop)
    entry = submit(form, lambda: _fill(workshop, form))
    if entry is None:
        return ui.refuse(INDEX, FILL, _context(workshop, fill_form=form))
    context = _with_fill_form(_context(workshop, focus=f"register-row-{entry.id}-edit"))
    message = _(
        "Filled the row for %(library)s from %(group)s's result.",
        library=row_label(entry),
        group=context["group_names"][entry.group_id],
    )
    return ui.answer(INDEX, FILL, context, announce=message, also=[TABLE], redirect_to=_index_url(workshop, entry))


# --- export --------------------------------------------------------------------------------


def _download(body, mimetype, workshop, extension):
    response = make_response(body)
    response.mimetype = mimetype
    name = f"register-{workshop.starts_on.isoformat()}-{workshop.id}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/register.csv")
def export_csv(workshop):
    """The register as CSV for Excel, headed and worded in the workshop's language."""
    body = spreadsheets.to_csv(services.entries_of(workshop), workshop.locale)
    response = _download(body, "text/csv", workshop, "csv")
    response.charset = "utf-8"
    return response


@bp.route("/register.xlsx")
def export_xlsx(workshop):
    """The register as an Excel workbook, headed and worded in the workshop's language."""
    body = spreadsheets.to_xlsx(services.entries_of(workshop), workshop.locale)
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workshop, "xlsx")


# --- import --------------------------------------------------------------------------------


def _outcome_message(outcome):
    parts = []
    if outcome.added:
        parts.append(ngettext("Added %(num)d row.", "Added %(num)d rows.", len(outcome.added)))
    if outcome.updated:
        parts.append(
            ngettext(
                "Updated %(num)d row whose library ID was already in the register.",
                "Updated %(num)d rows whose library IDs were already in the register.",
                len(outcome.updated),
            )
        )
    if outcome.unchanged:
        parts.append(
            ngettext(
                "%(num)d row was already up to date.", "%(num)d rows were already up to date.", len(outcome.unchanged)
            )
        )
    if outcome.skipped:
        parts.append(
            ngettext(
                "%(num)d row was left out: see below.", "%(num)d rows were left out: see below.", len(outcome.skipped)
            )
        )
    return " ".join(parts) or _("The file had no rows to import.")


def _import_announcement(report=None, outcome=None, **_panel):
    """What the import did, read out: the outcome, or why nothing was imported."""
    if outcome is not None:
        return _outcome_message(outcome)
    if report is not None:
        if report.fatal:
            return _("This file cannot be imported.")
        return _("The file has problems, so nothing was imported yet.")
    return None


def _import_answer(workshop, status, changed=False, redirect_to=None, **panel):
    """The import panel (report, confirmation, outcome), with the table and fill form when rows changed."""
    panel.setdefault("import_form", ImportForm(formdata=None))
    context = _context(workshop, **panel)
    if changed:
        _with_fill_form(context)
    return ui.answer(
        INDEX,
        IMPORT,
        context,
        status=status,
        announce=_import_announcement(**panel),
        also=[TABLE, FILL] if changed else [],
        redirect_to=redirect_to,
    )


def _imported(workshop, outcome):
    """After an import: back to the page, unless some rows were left out and the report must be read."""
    redirect_to = None if outcome.skipped else _index_url(workshop) + "#register-import"
    return _import_answer(
        workshop, 200, changed=bool(outcome.added or outcome.updated), outcome=outcome, redirect_to=redirect_to
    )


def _import_refused(workshop, status, message):
    """The upload form again, saying why nothing was imported."""
    form = ImportForm(formdata=None)
    form.form_errors.append(message)
    return _import_answer(workshop, status, import_form=form)


@bp.route("/register/import", methods=["POST"])
@form_view
def import_file(workshop):
    """Read an uploaded CSV or XLSX file: import it if it is clean, else report each row's problems."""
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
    return _import_answer(workshop, 422, report=report, token=token)


@bp.route("/register/import/confirm", methods=["POST"])
@form_view
def confirm_import(workshop):
    """Import only the valid rows of the file just checked, kept under the form's token."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        message = _("This form had expired, so nothing was imported. Upload the file again.")
        return _import_refused(workshop, 400, message)
    outcome = services.import_pending(workshop, current_user, form.token.data)
    if outcome is None:
        return _import_refused(
            workshop,
            409,
            _(
                "These rows are no longer waiting to be imported: they were imported already, or more "
                "than an hour has passed. Check the table, and upload the file again if needed."
            ),
        )
    return _imported(workshop, outcome)


@bp.errorhandler(413)
def too_large(error):
    """A file over the size limit: say so in the import panel instead of a bare error page."""
    if request.endpoint != "register.import_file" or not current_user.is_authenticated:
        return _render(
            "errors/error.html",
            title=_("That was too much to send"),
            message=_("The text or file is larger than we accept. Shorten it and try again."),
        ), 413
    # Too large to read is found by the CSRF check, before the blueprint loaded the workshop.
    workshop = request.view_args.get("workshop") or workshop_for(current_user, request.view_args["workshop_id"])
    form = ImportForm(formdata=None)
    megabytes = max(1, (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024))
    form.file.errors = [
        _("The file is larger than %(size)d MB, so it was not read. Split it into smaller files.", size=megabytes)
    ]
    return _import_answer(workshop, 413, import_form=form)
