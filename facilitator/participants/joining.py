"""Joining with the code: the home page's code form, the join page, rejoining with the PIN, a takeover's wait."""

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.domain import DomainError, show_on
from ..core.errors import form_view
from ..core.htmx import wants_fragment
from ..core.urls import MAX_ID
from ..extensions import db, limiter
from ..groups import pins
from ..groups.models import Group
from ..workshops.joincode import find_open_workshop, normalise_code
from . import services
from .forms import CodeForm, JoinForm, RejoinForm
from .loading import ask_to_rejoin, participant_on_device, set_device_cookie, set_seat_cookie, workspace_url
from .models import SeatTakeover, TakeoverStatus

bp = Blueprint("joining", __name__)

#: Every way to try a code or a PIN is limited; app.config overrides each default (tests lower them).
#: Only wrong codes and wrong PINs use up their budgets, so a room of phones behind the venue's one
#: address all get in; once a budget is spent even the right code or PIN answers 429, so a hit looks
#: like a miss. Why these numbers make guessing hopeless: groups/pins.py and workshops/joincode.py.
LIMITS = {
    "CODE_RATE_LIMIT": "10 per minute;60 per hour",  # wrong codes per address (GET/POST /j/<code>, /join)
    "JOIN_RATE_LIMIT": "30 per minute",  # join and rejoin forms sent per address
    "WORKSHOP_JOIN_RATE_LIMIT": "300 per minute",  # join and rejoin forms sent into one workshop
    "PIN_RATE_LIMIT": pins.PIN_RATE_LIMIT,  # wrong PINs per group, and per address
}


def _limit(name):
    return lambda: current_app.config.get(name, LIMITS[name])


def _join_limit():
    return current_app.config.get("JOIN_RATE_LIMIT", LIMITS["JOIN_RATE_LIMIT"])


def _workshop_key():
    """Join attempts into one workshop, whoever sends them."""
    return "workshop-" + normalise_code(request.view_args.get("code"))


def _pin_group_key():
    """PIN attempts at one group (and its current PIN: a new PIN starts afresh)."""
    raw = (request.form.get("group") or "").strip()
    group = _chosen_group(int(raw)) if raw.isdigit() and len(raw) <= len(str(MAX_ID)) else None
    if group is None:
        return "group-none"
    return pins.attempt_key(current_app.config["SECRET_KEY"], group)


def _code_missed(response):
    return g.get("code_missed", False)


def _pin_missed(response):
    return g.get("pin_missed", False)


#: Wrong codes, counted per address across the home form and the join link (GET and POST).
code_limit = limiter.shared_limit(_limit("CODE_RATE_LIMIT"), scope="join-code", deduct_when=_code_missed)
#: Join and rejoin forms into one workshop, from all addresses together.
workshop_limit = limiter.shared_limit(
    _limit("WORKSHOP_JOIN_RATE_LIMIT"), scope="join-workshop", key_func=_workshop_key, methods=["POST"]
)
#: Wrong PINs, per group from any address, and per address across groups.
pin_group_limit = limiter.shared_limit(
    _limit("PIN_RATE_LIMIT"), scope="pin-group", key_func=_pin_group_key, deduct_when=_pin_missed
)
pin_address_limit = limiter.shared_limit(_limit("PIN_RATE_LIMIT"), scope="pin-address", deduct_when=_pin_missed)


def _no_such_code(code=""):
    """The home page's join form saying the code is wrong (and counting the miss)."""
    g.code_missed = True
    form = CodeForm(code=normalise_code(code))
    form.code.errors = [_("No open workshop has this code. Check it with the facilitator.")]
    return form


def _open_workshop(code):
    """The open workshop the code names; for any other code, the home page saying it is wrong (404)."""
    workshop = find_open_workshop(code)
    if workshop is None:
        abort(make_response(render_template("home/index.html", code_form=_no_such_code(code)), 404))
    return workshop


def _chosen_group(group_id):
    """The group a form names; None for nothing or an id no database could hold (services check the rest)."""
    return db.session.get(Group, group_id) if group_id and 0 < group_id <= MAX_ID else None


def _forms(workshop, rejoining=False):
    """The join form and the rejoin form, the one being sent read from the request."""
    form = JoinForm(formdata=None) if rejoining else JoinForm()
    if not form.is_submitted():
        form.simple.data = workshop.simple_mode  # the workshop's default view, ticked or not
    rejoin_form = RejoinForm() if rejoining else RejoinForm(formdata=None)
    form.group.choices = rejoin_form.group.choices = [(g.id, g.name) for g in services.joinable_groups(workshop)]
    return form, rejoin_form


def _join_page(workshop, form, rejoin_form, status, **extra):
    page = render_template("participants/join.html", workshop=workshop, form=form, rejoin_form=rejoin_form, **extra)
    return page, status


def _seated(workshop, participant):
    """To the group's workspace, the device now recognised as the participant."""
    return set_seat_cookie(redirect(workspace_url(participant)), workshop, participant)


def _waiting(workshop, takeover):
    """To the page where this device waits for a facilitator to let it take the seat."""
    response = redirect(url_for("joining.takeover_wait", workshop_id=workshop.id))
    value = services.takeover_cookie_value(current_app.config["SECRET_KEY"], takeover)
    return set_device_cookie(response, services.takeover_cookie_name(workshop), value, services.TAKEOVER_COOKIE_MAX_AGE)


@bp.route("/join", methods=["POST"])
@code_limit
@limiter.limit(_join_limit, methods=["POST"])
@form_view
def enter_code():
    """The code typed on the home page: go to that workshop's join page, or say plainly it is wrong."""
    form = CodeForm()
    if form.validate_on_submit():
        workshop = find_open_workshop(form.code.data)
        if workshop is not None:
            return redirect(url_for("joining.join", code=workshop.join_code))
        form = _no_such_code(form.code.data)
    return render_template("home/index.html", code_form=form), 422


@bp.route("/j/<code>", methods=["GET", "POST"])
@code_limit
@workshop_limit
@limiter.limit(_join_limit, methods=["POST"])
@form_view
def join(code):
    """Ask for a name and a group; the same device coming back goes straight in."""
    workshop = _open_workshop(code)
    participant = participant_on_device(workshop)
    if participant is not None and participant.group_id is not None:
        return redirect(workspace_url(participant))
    form, rejoin_form = _forms(workshop)
    if not form.validate_on_submit():
        return _join_page(workshop, form, rejoin_form, 422 if form.is_submitted() else 200)
    if form.caught_a_bot():
        form.form_errors.append(_("We could not add you. Please try again."))  # tell a bot nothing about why
        return _join_page(workshop, form, rejoin_form, 400)
    try:
        # Kept only when it differs from the workshop's default, so a changed default still reaches them.
        simple = form.simple.data if form.simple.data != workshop.simple_mode else None
        participant = services.join(workshop, _chosen_group(form.group.data), form.display_name.data, simple)
    except DomainError as error:
        show_on(form, error)
        if error.code == "name-taken":  # perhaps them on another device: the rejoin form comes filled in
            rejoin_form.display_name.data, rejoin_form.group.data = form.display_name.data, form.group.data
        return _join_page(workshop, form, rejoin_form, 422)
    return _seated(workshop, participant)


@bp.route("/j/<code>/rejoin", methods=["POST"])
@code_limit
@workshop_limit
@pin_group_limit
@pin_address_limit
@limiter.limit(_join_limit)
@form_view
def rejoin(code):
    """Someone who lost their cookie takes their place back with the group's PIN.

    If the seat's own device was active a moment ago, the seat is not taken: the new device
    waits for a facilitator to approve (takeover_wait), and the other device keeps working.
    """
    workshop = _open_workshop(code)
    form, rejoin_form = _forms(workshop, rejoining=True)
    if rejoin_form.validate_on_submit():
        window = current_app.config.get("TAKEOVER_WINDOW_SECONDS", services.TAKEOVER_WINDOW)
        group, name, pin = _chosen_group(rejoin_form.group.data), rejoin_form.display_name.data, rejoin_form.pin.data
        try:
            seat = services.rejoin(workshop, group, name, pin, window=window)
        except DomainError as error:
            g.pin_missed = error.code == "wrong-pin"
            show_on(rejoin_form, error)
        else:
            return _waiting(workshop, seat) if isinstance(seat, SeatTakeover) else _seated(workshop, seat)
    return _join_page(workshop, form, rejoin_form, 422, show_rejoin=True)


def _claimed(takeover):
    """The seat's participant if the facilitator approved and this device took it now; else None."""
    if takeover.status != TakeoverStatus.APPROVED or takeover.claimed_at is not None:
        return None
    try:
        return services.claim_takeover(takeover)
    except services.TakeoverError:
        return None


@bp.route("/w/<int:workshop_id>/takeover")
def takeover_wait(workshop_id):
    """The device that asked for an active member's seat waits here until a facilitator decides.

    htmx polls this page; once approved, the device gets the seat's cookie and goes to the
    group's workspace. Without the waiting cookie this is like any other seatless request.
    """
    cookie = services.takeover_cookie_name(workshop_id)
    takeover = services.takeover_from_cookie(current_app.config["SECRET_KEY"], workshop_id, request.cookies.get(cookie))
    if takeover is None:
        return ask_to_rejoin()
    participant = _claimed(takeover)
    if participant is None:
        return render_template(
            "participants/takeover.html", takeover=takeover, workshop_id=workshop_id, statuses=TakeoverStatus
        )
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = workspace_url(participant)
    else:
        response = redirect(workspace_url(participant))
    response.delete_cookie(cookie)
    return set_seat_cookie(response, participant.workshop, participant)
