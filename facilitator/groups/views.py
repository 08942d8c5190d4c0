"""Groups section of a workshop: add, edit, reorder, remove (or archive) and restore breakout groups.

Every URL serves the full page, or for htmx the fragment it swaps. Changes answer htmx with the new
fragment and an announcement for the `#groups-status` live region; without JS they redirect back to
the page with a flash message.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import Area, submit, wants_fragment
from ..stages.categories import category_label
from ..workshops.loading import workshop_pages
from . import pins, services
from .forms import add_form, edit_form
from .palette import PALETTE

bp = workshop_pages("groups", __name__, "/groups")

INDEX = "groups/index.html"
SECTION = "groups/_groups.html"
ROW = "groups/_group_row.html"
FORM_ROW = "groups/_group_form_row.html"
#: A refusal's alert is read out where it appears, so the live region is emptied: nothing is read twice.
SILENCE = "groups/_silence.html"

ui = Area("groups-status")


@bp.context_processor
def group_helpers():
    """Colour and category names for the groups templates."""
    return {"colour_label": colour_label, "category_label": category_label, "spoken_pin": pins.spoken}


def colour_label(key):
    """The colour's name in the language in force."""
    return str(PALETTE[key][1]) if key in PALETTE else key


def _context(workshop, **extra):
    context = {
        "workshop": workshop,
        "section": "groups",
        "groups": services.pins_of(workshop),
        "archived": services.archived_groups(workshop),
        "editing_id": None,
        "edit_form": None,
        "confirming_id": None,
        "alert": None,
        "focus_id": None,
        **extra,
    }
    if "add_form" not in context:
        context["add_form"] = add_form(workshop, fresh=True)
    return context


def _changed(workshop, message, fragment=SECTION, **extra):
    """A change succeeded: htmx gets the fragment and the announcement, a plain form a redirect back."""
    redirect_to = url_for("groups.index", workshop_id=workshop.id)
    return ui.answer(INDEX, fragment, _context(workshop, **extra), announce=message, redirect_to=redirect_to)


def _stale(workshop, status, alert):
    """A stale request: say what happened above the current list, and change nothing.

    htmx does not swap 404/409 by itself; HX-Retarget marks this answer for static/js/groups.js,
    which lets it replace the whole section, wherever the request came from.
    """
    context = _context(workshop, alert=alert)
    return ui.refuse(INDEX, SECTION, context, status=status, also=[SILENCE], retarget="#groups")


def _group(workshop, group_id, archived=False):
    """The group the URL names; else the refusal is the answer (404 if gone, 409 if archived or back)."""
    group = services.find_group(workshop, group_id)
    if group is None:
        gone = _(
            "This group is no longer in the workshop: someone may have removed it. "
            "Nothing was changed. The list below is up to date."
        )
        abort(_stale(workshop, 404, gone))
    if group.is_archived and not archived:
        message = _(
            "“%(name)s” was archived meanwhile, so nothing was changed. Restore it first to change it.", name=group.name
        )
        abort(_stale(workshop, 409, message))
    if archived and not group.is_archived:
        message = _("“%(name)s” is already back in the list, so nothing was changed.", name=group.name)
        abort(_stale(workshop, 409, message))
    return group


bp.add_url_rule(
    "",
    "index",
    ui.page_view(INDEX, SECTION, _context, "The section: active groups in order, the add form, archived groups."),
)


@bp.route("", methods=["POST"])
@form_view
def add(workshop):
    """Add a group; refused input comes back next to its field with the typing kept."""
    form = add_form(workshop)
    group = submit(form, lambda: services.add_group(workshop, *form.values()))
    if group is None:
        return ui.refuse(INDEX, SECTION, _context(workshop, add_form=form))
    fresh = add_form(workshop, fresh=True, autofocus=True)
    return _changed(workshop, _("Group “%(name)s” added.", name=group.name), add_form=fresh)


@bp.route("/pins")
def pin_sheet(workshop):
    """A printable sheet of every group's PIN, one slip per group, for the facilitator's desk."""
    return render_template("groups/pins.html", workshop=workshop, groups=services.pins_of(workshop))


@bp.route("/<int:group_id>/pin", methods=["POST"])
def new_pin(workshop, group_id):
    """Give a group a new PIN, e.g. when the old one was seen by someone outside the group."""
    group = services.renew_pin(_group(workshop, group_id))
    message = _(
        "“%(name)s” has a new PIN: %(pin)s. The old one no longer works.",
        name=group.name,
        pin=pins.spoken(group.join_pin),
    )
    return _changed(workshop, message, ROW, group=group, focus_id=f"group-{group.id}-pin")


@bp.route("/<int:group_id>")
def row(workshop, group_id):
    """One group's row (htmx: after Cancel); without JS, the page."""
    group = _group(workshop, group_id)
    focus = request.args.get("focus")
    focus_id = f"group-{group.id}-{focus}" if focus in ("edit", "remove") else None
    return ui.answer(INDEX, ROW, _context(workshop, group=group, focus_id=focus_id))


def _form_row(workshop, group, form):
    """The row as its edit form: inline for htmx, in place on the page without; 422 once refused."""
    context = _context(workshop, group=group, editing_id=group.id, edit_form=form)
    return ui.answer(INDEX, FORM_ROW, context, status=422 if form.is_submitted() else 200)


@bp.route("/<int:group_id>/edit")
def edit(workshop, group_id):
    """The row turned into its edit form."""
    group = _group(workshop, group_id)
    return _form_row(workshop, group, edit_form(workshop, group, autofocus=True))


@bp.route("/<int:group_id>", methods=["POST"])
@form_view
def update(workshop, group_id):
    """Save a group's name, colour and category; refused input stays in the form."""
    group = _group(workshop, group_id)
    form = edit_form(workshop, group)
    if submit(form, lambda: services.update_group(group, *form.values())) is None:
        return _form_row(workshop, group, form)
    message = _("Group “%(name)s” saved.", name=group.name)
    return _changed(workshop, message, ROW, group=group, focus_id=f"group-{group.id}-edit")


def _at_the_end(workshop, group, direction):
    """A move past the first or last place changes nothing, and says so."""
    if direction == "up":
        message = _("“%(name)s” is already first.", name=group.name)
    else:
        message = _("“%(name)s” is already last.", name=group.name)
    if not wants_fragment():
        flash(message, "info")
        return redirect(url_for("groups.index", workshop_id=workshop.id))
    return ui.answer(INDEX, SECTION, _context(workshop, focus_id=f"group-{group.id}-{direction}"), announce=message)


@bp.route("/<int:group_id>/move", methods=["POST"])
def move(workshop, group_id):
    """Move a group one place up or down: the keyboard way to reorder."""
    group = _group(workshop, group_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        return _stale(workshop, 400, _("Choose “Move up” or “Move down”."))
    if not services.move_group(group, -1 if direction == "up" else 1):
        return _at_the_end(workshop, group, direction)
    position, count = services.position_of(group)
    message = _(
        "“%(name)s” is now number %(position)s of %(count)s.",
        name=group.name,
        position=format_decimal(position),
        count=format_decimal(count),
    )
    return _changed(workshop, message, focus_id=f"group-{group.id}-{direction}")


@bp.route("/<int:group_id>/remove", methods=["POST"])
def remove(workshop, group_id):
    """Delete an untouched group; a group with work is archived, after a confirmation step."""
    group = _group(workshop, group_id)
    name = group.name
    try:
        outcome = services.remove_group(group, confirmed=request.form.get("confirm") == "yes")
    except DomainError:  # needs-confirmation: it has work
        context = _context(workshop, confirming_id=group.id, focus_id=f"group-{group.id}-confirm")
        return ui.answer(INDEX, SECTION, context)
    if outcome == services.ARCHIVED:
        message = _("Group “%(name)s” archived. Its answers are kept.", name=name)
    else:
        message = _("Group “%(name)s” removed.", name=name)
    return _changed(workshop, message, focus_id="groups-heading")


@bp.route("/<int:group_id>/restore", methods=["POST"])
def restore(workshop, group_id):
    """Bring an archived group back to the end of the list."""
    group = _group(workshop, group_id, archived=True)
    try:
        services.restore_group(group)
    except DomainError:  # duplicate-name
        message = _(
            "Another group is already called “%(name)s”, so this one stays archived. "
            "Rename that group first, then restore this one.",
            name=group.name,
        )
        return _stale(workshop, 409, message)
    return _changed(workshop, _("Group “%(name)s” restored.", name=group.name), focus_id=f"group-{group.id}-edit")
