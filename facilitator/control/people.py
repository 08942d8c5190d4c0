"""The control room's people: who is in which group, their names, spokespersons, and seats taken over."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..core.domain import DomainError, message_for
from ..core.errors import form_view
from ..core.htmx import wants_fragment
from ..groups.services import active_groups
from ..participants import services as participant_services
from ..participants.models import Participant
from . import services
from .forms import RenameForm, status_for
from .page import PEOPLE, TAKEOVERS, attempt, bp, group_in, named_in


@bp.route("/people")
def people(workshop):
    """Who is in which group, re-fetched when a facilitator moves, renames or removes someone."""
    return PEOPLE.show(workshop)


def _people_refused(workshop, key, error):
    """The people region with the refusal next to the control `key` names."""
    return PEOPLE.refuse(workshop, status_for(error.code), people_errors={key: message_for(error.code)})


@bp.route("/participants/<int:participant_id>/move", methods=["GET"])
def move_form(workshop, participant):
    """The groups a person can be moved to, when the facilitator opens "Move … to another group"
    (without JavaScript: the page with that form open)."""
    if wants_fragment():
        return render_template(
            "control/_move_form.html",
            workshop=workshop,
            p=participant,
            group=participant.group,
            move_targets=active_groups(workshop),
        )
    return PEOPLE.show(workshop, moving=participant.id)


@bp.route("/participants/<int:participant_id>/move", methods=["POST"])
def move(workshop, participant):
    """Move someone to another group; their device follows."""
    group = group_in(request.form, "group", workshop)
    try:
        if group is None:
            raise DomainError("foreign-group")
        services.move_participant(workshop, participant, group)
    except DomainError as error:
        return _people_refused(workshop, f"move-{participant.id}", error)
    return PEOPLE.done(workshop, _("%(name)s is now in %(group)s.", name=participant.display_name, group=group.name))


@bp.route("/participants/<int:participant_id>/rename", methods=["POST"])
@form_view
def rename(workshop, participant):
    """Correct how someone's name is shown."""
    form = RenameForm(prefix=f"rename-{participant.id}")
    old = participant.display_name
    _renamed, status = attempt(form, "name", lambda: services.rename_participant(workshop, participant, form.name.data))
    if status != 200:
        return PEOPLE.refuse(workshop, status, {participant.id: form})
    return PEOPLE.done(workshop, _("%(old)s is now called %(new)s.", old=old, new=participant.display_name))


@bp.route("/participants/<int:participant_id>/remove", methods=["POST"])
def remove(workshop, participant):
    """Take someone out of the workshop; what they wrote stays."""
    services.remove_participant(workshop, participant)
    return PEOPLE.done(
        workshop, _("%(name)s is removed from the workshop. What they wrote stays.", name=participant.display_name)
    )


@bp.route("/groups/<int:group_id>/spokesperson", methods=["POST"])
def spokesperson(workshop, group):
    """Choose who presents the group's result, or clear the choice."""
    participant = named_in(request.form, "participant", Participant, workshop_id=workshop.id, removed_at=None)
    try:
        services.set_spokesperson(workshop, group, participant)
    except DomainError as error:
        return _people_refused(workshop, "spokesperson", error)
    announce = (
        _("%(name)s will present for %(group)s.", name=participant.display_name, group=group.name)
        if participant
        else _("%(group)s has no spokesperson now.", group=group.name)
    )
    return PEOPLE.done(workshop, announce)


# --- seats taken over with a group PIN ------------------------------------------------------------


@bp.route("/takeovers")
def takeovers(workshop):
    """Seats taken over with a group PIN: requests to approve, and what happened to the others."""
    return TAKEOVERS.show(workshop)


def _decide(workshop, takeover, approve):
    name = takeover.participant.display_name
    try:
        participant_services.decide_takeover(takeover, current_user, approve)
    except participant_services.TakeoverError as error:
        return TAKEOVERS.refuse(workshop, status_for(error.code), message_for(error.code))
    if approve:
        announce = _("Approved: %(name)s's seat moves to the new device; the other device is signed out.", name=name)
    else:
        announce = _("Refused: %(name)s's seat stays on the device that is using it.", name=name)
    return TAKEOVERS.done(workshop, announce)


@bp.route("/takeovers/<int:takeover_id>/approve", methods=["POST"])
def approve_takeover(workshop, takeover):
    """Let the waiting device take the member's seat; the member's current device is signed out."""
    return _decide(workshop, takeover, approve=True)


@bp.route("/takeovers/<int:takeover_id>/refuse", methods=["POST"])
def refuse_takeover(workshop, takeover):
    """Keep the seat with the device that is using it; the waiting device is told so."""
    return _decide(workshop, takeover, approve=False)
