"""The register as files: CSV and XLSX downloads, and importing a spreadsheet (checked, then confirmed)."""

from collections import Counter

from flask import current_app, make_response, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.errors import form_view
from ..workshops.services import workshop_for
from . import services, spreadsheets
from .forms import ConfirmImportForm, ImportForm
from .page import (
    FILL,
    IMPORT,
    INDEX,
    TABLE,
    bp,
    context_for,
    index_url,
    render,
    ui,
    with_fill_form,
)

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
    context = context_for(workshop, **panel)
    if changed:
        with_fill_form(context)
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
    redirect_to = None if outcome.skipped else index_url(workshop) + "#register-import"
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
        return render(
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
