"""What a participant's URL names, loaded once before the view: the seat their device's cookie holds.

Every page of a group's workspace (and the group's PDFs) lives under `/w/<id>/g/<id>` on a
blueprint made by `seat_pages`. Its views never read the ids or the cookie: they receive `seat`.
"""

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..groups.models import Group
from ..stages import state as stage_state
from . import services


class Seat:
    """What every workspace request loads: the workshop, the group and who is asking."""

    def __init__(self, workshop, group, participant, overrides=None):
        self.workshop, self.group, self.participant = workshop, group, participant
        self._overrides = overrides

    @property
    def overrides(self):
        """The group's own stage states, read once per request."""
        if self._overrides is None:
            self._overrides = stage_state.overrides_for(self.group)
        return self._overrides

    def state_of(self, stage):
        return stage_state.stage_state_for(stage, self.group, self.overrides)

    @property
    def simple(self):
        """Whether the workspace opens in the simple view: the member's own choice, else the group's or the workshop's."""
        own = self.participant.simple_mode
        return (self.group.simple_mode or self.workshop.simple_mode) if own is None else own

    @property
    def url(self):
        """The group's workspace page."""
        return url_for("participants.workspace", workshop_id=self.workshop.id, group_id=self.group.id)


def participant_on_device(workshop):
    """The participant this device's cookie names in the workshop (or its id), or None."""
    return services.participant_from_cookie(
        current_app.config["SECRET_KEY"], workshop, request.cookies.get(services.cookie_name(workshop))
    )


def set_device_cookie(response, name, value, max_age):
    """A cookie only this site's requests carry and no script reads."""
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax", secure=secure)
    return response


def set_seat_cookie(response, workshop, participant):
    """Let this device be recognised as the participant (renewed on each visit)."""
    value = services.cookie_value(current_app.config["SECRET_KEY"], participant)
    return set_device_cookie(response, services.cookie_name(workshop), value, services.COOKIE_MAX_AGE)


def workspace_url(participant):
    return url_for("participants.workspace", workshop_id=participant.workshop_id, group_id=participant.group_id)


def ask_to_rejoin():
    """A missing, forged or expired cookie: to the home page's join form (or a 401 for background requests).

    Never the workshop's join page: that would hand its code to anyone who guesses an id.
    """
    message = _("Your session on this device has ended. Please join the workshop again.")
    if (
        request.headers.get("HX-Request")
        or request.method != "GET"
        or request.accept_mimetypes.best == "text/event-stream"
    ):
        return make_response(render_template("participants/_rejoin_notice.html", message=message), 401)
    flash(message, "warning")
    return redirect(url_for("home.index"))


def _seat(participant, group_id):
    """The participant's seat in the group the URL names; refuse another group (404 if not this workshop's)."""
    if participant.group_id == group_id:
        return Seat(participant.workshop, participant.group, participant)
    group = db.session.get(Group, group_id)
    if group is None or group.workshop_id != participant.workshop_id:
        abort(404)
    if request.method == "GET" and request.endpoint == "participants.workspace" and participant.group_id:
        abort(redirect(workspace_url(participant)))  # the facilitator moved this person: to their new group
    abort(403)


def seat_pages(name, import_name, no_seat=ask_to_rejoin):
    """A blueprint for pages of one group's seat, all under `/w/<id>/g/<id>`; `no_seat` answers seatless devices.

    Without a seat the answer is the same whether or not the workshop exists, so ids cannot be probed.
    """
    blueprint = Blueprint(name, import_name, url_prefix="/w/<int:workshop_id>/g/<int:group_id>")

    @blueprint.before_request
    def load_seat():
        args = request.view_args
        participant = participant_on_device(args.pop("workshop_id"))
        group_id = args.pop("group_id")
        if participant is None:
            return no_seat()
        args["seat"] = _seat(participant, group_id)
        return None

    return blueprint
