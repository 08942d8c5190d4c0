"""Groups section of a workshop: add, edit, reorder, remove (or archive) and restore breakout groups.

Every URL serves the full page, or for htmx the fragment it swaps. Changes answer htmx with the new
fragment, an announcement for the `#groups-status` live region and `HX-Trigger: groups-changed`;
without JS they redirect back to the page with a flash message.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import form_view
from ..stages.categories import category_label
from ..workshops.services import workshop_for
from . import pins, services
from .forms import GROUP_MESSAGES, GroupForm
from .palette import PALETTE

bp = Blueprint("groups", __name__)

#: Other widgets (and later the live views) reload on this event.
CHANGED = {"HX-Trigger": "groups-changed"}


@bp.context_processor
def group_helpers():
    """Colour and category names for the groups templates."""
    return {"colour_label": colour_label, "category_label": category_label, "spoken_pin": pins.spoken}


def colour_label(key):
    """The colour's name in the language in force."""
    return str(PALETTE[key][1]) if key in PALETTE else key


def _wants_fragment():
    return bool(request.htmx) and not request.htmx.boosted


def _add_form(workshop, autofocus=False):
    """An empty add form, its colour set to the next one no group uses."""
    form = GroupForm(formdata=None, data={"colour": services.next_colour(workshop), "service_category": ""})
    if autofocus:
        form.name.render_kw = {**form.name.render_kw, "autofocus": True}
    return form


def _edit_form(group, autofocus=False):
    """The inline edit form of one group; on a POST it holds what was sent."""
    form = GroupForm(
        prefix=f"group-{group.id}",
        data={"name": group.name, "colour": group.colour, "service_category": group.service_category or ""},
    )
    if autofocus:
        form.name.render_kw = {**form.name.render_kw, "autofocus": True}
    return form


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
    }
    context.update(extra)
    if context.get("add_form") is None:
        context["add_form"] = _add_form(workshop)
    return context


def _render(fragment, workshop, status=200, message=None, headers=None, **extra):
    """The fragment (plus the announcement) for htmx, else the whole page with it in place."""
    context = _context(workshop, **extra)
    if _wants_fragment():
        body = render_template(fragment, **context)
        if message is not None:
            body += render_template("groups/_status.html", message=message)
    else:
        body = render_template("groups/index.html", **context)
    return body, status, headers or {}


def _section(workshop, **kwargs):
    return _render("groups/_groups.html", workshop, **kwargs)


def _done(workshop, message, **extra):
    """A change succeeded: htmx gets the fresh section and the event, a plain form a redirect."""
    if not _wants_fragment():
        flash(message, "success")
        return redirect(url_for(".index", workshop_id=workshop.id))
    return _section(workshop, message=message, headers=CHANGED, **extra)


def _refusal(workshop, status, alert):
    """A stale request: say what happened above the current list, and change nothing.

    htmx does not swap 404/409 by itself; HX-Retarget marks this answer for static/js/groups.js,
    which lets it replace the whole section, wherever the request came from.
    """
    headers = {"HX-Retarget": "#groups", "HX-Reswap": "outerHTML"} if _wants_fragment() else None
    # The alert is announced where it appears; the live region is emptied so nothing is read twice.
    return _section(workshop, status=status, message="", headers=headers, alert=alert)


def _gone(workshop):
    return _refusal(
        workshop,
        404,
        _(
            "This group is no longer in the workshop: someone may have removed it. "
            "Nothing was changed. The list below is up to date."
        ),
    )


def _load(workshop, group_id, archived=False):
    """The group named in the URL, or the refusal to send instead (404 if gone, 409 if archived/back)."""
    group = services.find_group(workshop, group_id)
    if group is None:
        return None, _gone(workshop)
    if group.is_archived and not archived:
        return None, _refusal(
            workshop,
            409,
            _(
                "“%(name)s” was archived meanwhile, so nothing was changed. Restore it first to change it.",
                name=group.name,
            ),
        )
    if archived and not group.is_archived:
        return None, _refusal(
            workshop, 409, _("“%(name)s” is already back in the list, so nothing was changed.", name=group.name)
        )
    return group, None


def _put_error(form, error):
    """Put a service's refusal next to the field it concerns."""
    message = str(GROUP_MESSAGES[error.code]) % {"max": services.MAX_NAME}
    getattr(form, error.field).errors.append(message)


def _check_name(workshop, form, group=None):
    """Flag a taken name along with the form's other errors, so all of them show at once."""
    name = form.name.data
    if name and not form.name.errors and services.name_taken(workshop, name, group):
        form.name.errors.append(str(GROUP_MESSAGES["duplicate-name"]))


def _status_of(form):
    """422 for refused input, with the first field to fix focused."""
    if not form.is_submitted():
        return 200
    for f in form:
        if f.errors and f.type != "CSRFTokenField":
            f.render_kw = {**(f.render_kw or {}), "autofocus": True}
            break
    return 422


@bp.route("/workshops/<int:workshop_id>/groups")
@login_required
def index(workshop_id):
    """The section: active groups in order, the add form, archived groups."""
    workshop = workshop_for(current_user, workshop_id)
    return _section(workshop)


@bp.route("/workshops/<int:workshop_id>/groups", methods=["POST"])
@login_required
@form_view
def add(workshop_id):
    """Add a group; refused input comes back next to its field with the typing kept."""
    workshop = workshop_for(current_user, workshop_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.add_group(workshop, form.name.data, form.colour.data, form.service_category.data or None)
        except services.GroupError as error:
            _put_error(form, error)
        else:
            return _done(
                workshop, _("Group “%(name)s” added.", name=group.name), add_form=_add_form(workshop, autofocus=True)
            )
    else:
        _check_name(workshop, form)
    return _section(workshop, status=_status_of(form), add_form=form)


@bp.route("/workshops/<int:workshop_id>/groups/pins")
@login_required
def pin_sheet(workshop_id):
    """A printable sheet of every group's PIN, one slip per group, for the facilitator's desk."""
    workshop = workshop_for(current_user, workshop_id)
    return render_template("groups/pins.html", workshop=workshop, groups=services.pins_of(workshop))


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>/pin", methods=["POST"])
@login_required
def new_pin(workshop_id, group_id):
    """Give a group a new PIN, e.g. when the old one was seen by someone outside the group."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id)
    if refusal:
        return refusal
    services.renew_pin(group)
    message = _(
        "“%(name)s” has a new PIN: %(pin)s. The old one no longer works.",
        name=group.name,
        pin=pins.spoken(group.join_pin),
    )
    if not _wants_fragment():
        flash(message, "success")
        return redirect(url_for(".index", workshop_id=workshop.id))
    return _render("groups/_group_row.html", workshop, message=message, group=group, focus_id=f"group-{group.id}-pin")


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>")
@login_required
def row(workshop_id, group_id):
    """One group's row (htmx: after Cancel); without JS, the page."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id)
    if refusal:
        return refusal
    focus = request.args.get("focus")
    focus_id = f"group-{group.id}-{focus}" if focus in ("edit", "remove") else None
    return _render("groups/_group_row.html", workshop, group=group, focus_id=focus_id)


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>/edit")
@login_required
def edit(workshop_id, group_id):
    """The row turned into its edit form (inline with htmx, in place on the page without)."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id)
    if refusal:
        return refusal
    return _render(
        "groups/_group_form_row.html",
        workshop,
        group=group,
        editing_id=group.id,
        edit_form=_edit_form(group, autofocus=True),
    )


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>", methods=["POST"])
@login_required
@form_view
def update(workshop_id, group_id):
    """Save a group's name, colour and category; refused input stays in the form."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id)
    if refusal:
        return refusal
    form = _edit_form(group)
    if form.validate_on_submit():
        try:
            services.update_group(group, form.name.data, form.colour.data, form.service_category.data or None)
        except services.GroupError as error:
            _put_error(form, error)
        else:
            message = _("Group “%(name)s” saved.", name=group.name)
            if not _wants_fragment():
                flash(message, "success")
                return redirect(url_for(".index", workshop_id=workshop.id))
            return _render(
                "groups/_group_row.html",
                workshop,
                message=message,
                headers=CHANGED,
                group=group,
                focus_id=f"group-{group.id}-edit",
            )
    else:
        _check_name(workshop, form, group)
    return _render(
        "groups/_group_form_row.html",
        workshop,
        status=_status_of(form),
        group=group,
        editing_id=group.id,
        edit_form=form,
    )


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>/move", methods=["POST"])
@login_required
def move(workshop_id, group_id):
    """Move a group one place up or down: the keyboard way to reorder."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id)
    if refusal:
        return refusal
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        return _refusal(workshop, 400, _("Choose “Move up” or “Move down”."))
    focus_id = f"group-{group.id}-{direction}"
    if not services.move_group(group, -1 if direction == "up" else 1):
        message = (
            _("“%(name)s” is already first.", name=group.name)
            if direction == "up"
            else _("“%(name)s” is already last.", name=group.name)
        )
        if not _wants_fragment():
            flash(message, "info")
            return redirect(url_for(".index", workshop_id=workshop.id))
        return _section(workshop, message=message, focus_id=focus_id)
    position, count = services.position_of(group)
    message = _(
        "“%(name)s” is now number %(position)s of %(count)s.",
        name=group.name,
        position=format_decimal(position),
        count=format_decimal(count),
    )
    return _done(workshop, message, focus_id=focus_id)


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>/remove", methods=["POST"])
@login_required
def remove(workshop_id, group_id):
    """Delete an untouched group; a group with work is archived, after a confirmation step."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id)
    if refusal:
        return refusal
    name = group.name
    try:
        outcome = services.remove_group(group, confirmed=request.form.get("confirm") == "yes")
    except services.GroupError:  # needs-confirmation: it has work
        return _section(workshop, confirming_id=group.id, focus_id=f"group-{group.id}-confirm")
    if outcome == services.ARCHIVED:
        message = _("Group “%(name)s” archived. Its answers are kept.", name=name)
    else:
        message = _("Group “%(name)s” removed.", name=name)
    return _done(workshop, message, focus_id="groups-heading")


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>/restore", methods=["POST"])
@login_required
def restore(workshop_id, group_id):
    """Bring an archived group back to the end of the list."""
    workshop = workshop_for(current_user, workshop_id)
    group, refusal = _load(workshop, group_id, archived=True)
    if refusal:
        return refusal
    try:
        services.restore_group(group)
    except services.GroupError:  # duplicate-name
        return _refusal(
            workshop,
            409,
            _(
                "Another group is already called “%(name)s”, so this one stays archived. "
                "Rename that group first, then restore this one.",
                name=group.name,
            ),
        )
    return _done(workshop, _("Group “%(name)s” restored.", name=group.name), focus_id=f"group-{group.id}-edit")
