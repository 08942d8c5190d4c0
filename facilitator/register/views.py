"""Register pages and row actions: the table, inline editing, filling from a group (files: files.py).

One URL serves the full page or its htmx fragment; every change answers htmx with the changed
parts and a spoken status, and without JavaScript redirects back to the page.
"""

from flask import abort, request
from flask_babel import gettext as _

from ..core.errors import form_view
from ..core.htmx import focus_on, next_focus, retyped, submit, wants_fragment
from ..core.urls import parse_id
from . import (
    files,  # noqa: F401  (its routes are on this blueprint)
    services,
)
from .forms import ADD_PREFIX, add_form, entry_form, fill_form_for, row_label
from .page import (
    ADD_FORM,
    FILL,
    INDEX,
    ROW,
    TABLE,
    bp,
    context_for,
    gone,
    index_url,
    load_entry,
    render,
    ui,
    with_fill_form,
)

bp.add_url_rule(
    "/register",
    "index",
    ui.page_view(
        INDEX,
        TABLE,
        context_for,
        "The results register: which library runs which new service, and the tools to fill it.",
    ),
)


@bp.route("/register/rows", methods=["POST"])
@form_view
def add_row(workshop):
    """Append a library's row; the add form comes back empty and the table shows the row."""
    form = add_form()
    entry = submit(form, lambda: services.add_entry(workshop, **form.values()))
    if entry is None:
        return ui.refuse(INDEX, ADD_FORM, context_for(workshop, add_form=form))
    fresh = add_form(fresh=True)
    focus_on(fresh.library_number)
    return ui.answer(
        INDEX,
        ADD_FORM,
        with_fill_form(context_for(workshop, add_form=fresh)),
        also=[TABLE, FILL],
        announce=_("Added the row for %(library)s.", library=row_label(entry)),
        redirect_to=index_url(workshop, entry),
    )


@bp.route("/register/rows/<int:entry_id>")
def row(workshop, entry_id):
    """One row as read (what Cancel brings back), or the page it is on."""
    entry = load_entry(workshop, entry_id)
    if entry is None:
        return gone(workshop) if wants_fragment() else abort(404)
    return ui.answer(
        INDEX,
        ROW,
        context_for(workshop, entry=entry, focus=f"register-row-{entry.id}-edit"),
        redirect_to=index_url(workshop, entry),
    )


def _edit_answer(workshop, entry, form, status=200):
    return ui.answer(
        "register/edit.html", "register/_row_form.html", context_for(workshop, entry=entry, form=form), status=status
    )


@bp.route("/register/rows/<int:entry_id>/edit")
def edit_row(workshop, entry_id):
    """A row's edit form in its place (or on a page of its own without JavaScript)."""
    entry = load_entry(workshop, entry_id)
    if entry is None:
        return gone(workshop) if wants_fragment() else abort(404)
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
        context_for(workshop, add_form=form),
        status=409,
        announce=message,
        also=[TABLE],
        retarget="#register-add-form",
    )


@bp.route("/register/rows/<int:entry_id>", methods=["POST"])
@form_view
def update_row(workshop, entry_id):
    """Save a row's edit form; the row comes back as read."""
    entry = load_entry(workshop, entry_id)
    if entry is None:
        return _stale_edit(workshop, entry_id)
    form = entry_form(entry)
    if submit(form, lambda: services.update_entry(entry, **form.values())) is None:
        return _edit_answer(workshop, entry, form, 422)
    context = with_fill_form(context_for(workshop, entry=entry, focus=f"register-row-{entry.id}-edit"))
    return ui.answer(
        INDEX,
        ROW,
        context,
        announce=_("Saved the row for %(library)s.", library=row_label(entry)),
        also=[FILL],
        redirect_to=index_url(workshop, entry),
    )


@bp.route("/register/rows/<int:entry_id>/delete", methods=["GET", "POST"])
def delete_row(workshop, entry_id):
    """Ask before deleting (GET, the no-JavaScript path), then delete (POST)."""
    entry = load_entry(workshop, entry_id)
    if entry is None:
        if request.method == "GET":
            abort(404)
        return gone(workshop, _("This row had already been deleted. The table below is up to date."))
    if request.method == "GET":
        return render("register/delete.html", **context_for(workshop, entry=entry))
    label, rows = row_label(entry), services.entries_of(workshop)
    neighbour = next_focus(rows, entry)
    services.delete_entry(entry)
    # Keep the keyboard where it was: on the next row's Edit button, or on the empty table's text.
    focus = f"register-row-{neighbour.id}-edit" if neighbour else "register-empty"
    context = with_fill_form(context_for(workshop, [row for row in rows if row is not entry], focus=focus))
    return ui.answer(
        INDEX,
        TABLE,
        context,
        announce=_("Deleted the row for %(library)s.", library=label),
        also=[FILL],
        redirect_to=index_url(workshop),
    )


# --- filling a row from a group's result ---------------------------------------------------


@bp.route("/register/fill")
def fill_form(workshop):
    """The fill form, with a row already chosen when the row's own button asked for it."""
    entry_id = request.args.get("entry", type=int)
    if entry_id is not None and (parse_id(str(entry_id)) is None or load_entry(workshop, entry_id) is None):
        return gone(workshop) if wants_fragment() else abort(404)
    form = fill_form_for(workshop, fresh=True, entry_id=entry_id)
    focus_on(form.group)
    return ui.answer(INDEX, FILL, context_for(workshop, fill_form=form))


def _fill(workshop, form):
    """Put the chosen group's result into the chosen row, or into the new row the form describes."""
    group = services.group_in(workshop, int(form.group.data))
    if form.is_new_row:
        return services.fill_from_group(workshop, group, None, **form.new_row())
    return services.fill_from_group(workshop, group, load_entry(workshop, int(form.entry.data)))


@bp.route("/register/fill", methods=["POST"])
@form_view
def fill(workshop):
    """Put a group's category, service and target group into the chosen row, or a new row."""
    form = fill_form_for(workshop)
    entry = submit(form, lambda: _fill(workshop, form))
    if entry is None:
        return ui.refuse(INDEX, FILL, context_for(workshop, fill_form=form))
    context = with_fill_form(context_for(workshop, focus=f"register-row-{entry.id}-edit"))
    message = _(
        "Filled the row for %(library)s from %(group)s's result.",
        library=row_label(entry),
        group=context["group_names"][entry.group_id],
    )
    return ui.answer(INDEX, FILL, context, announce=message, also=[TABLE], redirect_to=index_url(workshop, entry))
