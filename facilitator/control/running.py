"""The control room's run of show, the workshop's status, and who else drives it."""

from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..agenda.models import AgendaItemKind
from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import wants_fragment
from ..workshops.models import WorkshopStatus
from . import services
from .forms import InviteForm
from .page import FACILITATORS, RUN_OF_SHOW, attempt, bp


@bp.route("/agenda")
def run_of_show(workshop):
    """The agenda with what runs now, and the workshop's status."""
    return RUN_OF_SHOW.show(workshop)


@bp.route("/agenda/<int:item_id>/now", methods=["POST"])
def mark_now(workshop, item):
    """Mark the agenda item running now."""
    services.set_current_item(workshop, item)
    if item.kind == AgendaItemKind.GROUP_WORK.value:
        return RUN_OF_SHOW.done(workshop, _("Now: %(title)s. The groups are below, in the table.", title=item.title))
    return RUN_OF_SHOW.done(workshop, _("Now: %(title)s.", title=item.title))


@bp.route("/agenda/now/clear", methods=["POST"])
def clear_now(workshop):
    """Nothing on the agenda runs now (before the start, or after the end)."""
    services.set_current_item(workshop, None)
    return RUN_OF_SHOW.done(workshop, _("No agenda item is marked as running now."))


def _status_announcement(status):
    return {
        WorkshopStatus.LIVE.value: _("The workshop is live."),
        WorkshopStatus.DRAFT.value: _("The workshop is a draft again."),
        WorkshopStatus.FINISHED.value: _("The workshop is finished: every answer is now read-only."),
    }[status]


@bp.route("/status", methods=["POST"])
def set_status(workshop):
    """Move the workshop to draft, live or finished; finishing locks every answer."""
    status = request.form.get("status", "")
    try:
        services.set_workshop_status(workshop, status)
    except DomainError as error:
        return RUN_OF_SHOW.refuse_error(workshop, error, "agenda_error")
    return RUN_OF_SHOW.done(workshop, _status_announcement(status))


# --- co-facilitators -----------------------------------------------------------------------------


@bp.route("/facilitators")
def facilitators(workshop):
    """Who drives this workshop, re-fetched when someone is invited or removed."""
    return FACILITATORS.show(workshop)


@bp.route("/facilitators", methods=["POST"])
@form_view
def invite(workshop):
    """Give another facilitator account the same control of this workshop."""
    form = InviteForm(prefix="invite")
    invited, status = attempt(form, "email", lambda: services.invite_co_facilitator(workshop, form.email.data or ""))
    if status != 200:
        return FACILITATORS.refuse(workshop, status, form)
    return FACILITATORS.done(workshop, _("%(name)s can now drive this workshop with you.", name=invited.display_name))


def _left():
    """They took themselves off: this control room is no longer theirs, so off to their workshops."""
    flash(_("You no longer drive this workshop."), "info")
    if not wants_fragment():
        return redirect(url_for("planning.dashboard"))
    response = make_response("", 204)
    response.headers["HX-Redirect"] = url_for("planning.dashboard")
    return response


@bp.route("/facilitators/<int:facilitator_id>/remove", methods=["POST"])
def remove_facilitator(workshop, facilitator_id):
    """Take a co-facilitator off this workshop; the owner stays."""
    try:
        services.remove_co_facilitator(workshop, facilitator_id)
    except DomainError as error:
        if not any(m.facilitator_id == facilitator_id for m in services.facilitators_of(workshop)):
            abort(404)
        return FACILITATORS.refuse_error(workshop, error, "facilitator_error")
    if facilitator_id == current_user.id:
        return _left()
    return FACILITATORS.done(workshop, _("The co-facilitator is removed from this workshop."))
