"""Group members: join with the code, then work in the group's workspace, live."""

from functools import cache

from flask import Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..answers import services as answer_services
from ..answers.models import AnswerRevision
from ..core.errors import form_view
from ..core.urls import MAX_ID
from ..extensions import db, limiter
from ..groups import pins
from ..groups.models import Group
from ..live.events import group_channel, publish, workshop_channel
from ..live.sse import stream_response
from ..room import services as room
from ..stages import state as stage_state
from ..stages.models import Stage, StageField
from ..workshops.joincode import find_open_workshop, normalise_code
from . import services
from .forms import JOIN_MESSAGES, CodeForm, JoinForm, RejoinForm
from .models import Participant, SeatTakeover, TakeoverStatus

bp = Blueprint("participants", __name__)

SAVE_MESSAGES = {
    "stage-closed": lambda: _("This stage is closed, so this text was not saved. Copy it if you need it."),
    "too-long": lambda: _(
        "This answer is too long: at most %(max)s characters. Shorten it and it will be saved.",
        max=f"{answer_services.MAX_ANSWER_LENGTH:,}".replace(",", "\u202f"),
    ),
    "workshop-finished": lambda: _("The workshop has finished; answers can no longer change."),
    "group-archived": lambda: _("This group was archived by the facilitator; answers can no longer change."),
    "not-a-choice": lambda: _("Please choose one of the options in the list."),
}


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
    group = _chosen_group(int(raw)) if raw.isdigit() else None
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


def _set_cookie(response, workshop, participant):
    response.set_cookie(
        services.cookie_name(workshop),
        services.cookie_value(current_app.config["SECRET_KEY"], participant),
        max_age=services.COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _current_participant(workshop):
    return services.participant_from_cookie(
        current_app.config["SECRET_KEY"], workshop, request.cookies.get(services.cookie_name(workshop))
    )


def _chosen_group(group_id):
    """The group a form names; None for nothing or an id no database could hold (services check the rest)."""
    return db.session.get(Group, group_id) if group_id and 0 < group_id <= MAX_ID else None


def _group_choices(form, workshop):
    form.group.choices = [(g.id, g.name) for g in services.joinable_groups(workshop)]


def _refuse(form, error):
    message = str(JOIN_MESSAGES[error.code]) % {"max": services.MAX_NAME}
    if error.field and hasattr(form, error.field):
        getattr(form, error.field).errors.append(message)
    else:
        form.form_errors.append(message)


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
            return redirect(url_for("participants.join", code=workshop.join_code))
        form = _no_such_code(form.code.data)
    return render_template("home/index.html", code_form=form), 422


@bp.route("/j/<code>", methods=["GET", "POST"])
@code_limit
@workshop_limit
@limiter.limit(_join_limit, methods=["POST"])
@form_view
def join(code):
    """Ask for a name and a group; the same device coming back goes straight in."""
    workshop = find_open_workshop(code)
    if workshop is None:
        return render_template("home/index.html", code_form=_no_such_code(code)), 404
    participant = _current_participant(workshop)
    if participant is not None and participant.group_id is not None:
        return redirect(url_for("participants.workspace", workshop_id=workshop.id, group_id=participant.group_id))
    form, rejoin_form = JoinForm(), RejoinForm(formdata=None)
    _group_choices(form, workshop)
    _group_choices(rejoin_form, workshop)
    status = 200
    if form.validate_on_submit():
        if form.caught_a_bot():
            # Tell a bot nothing about why; people never see these fields.
            form.form_errors.append(_("We could not add you. Please try again."))
            return render_template("participants/join.html", workshop=workshop, form=form, rejoin_form=rejoin_form), 400
        group = _chosen_group(form.group.data)
        try:
            participant = services.join(workshop, group, form.display_name.data)
        except services.JoinRefused as error:
            _refuse(form, error)
            if error.code == "name-taken":
                rejoin_form.display_name.data = form.display_name.data
                rejoin_form.group.data = form.group.data
        else:
            response = redirect(url_for("participants.workspace", workshop_id=workshop.id, group_id=group.id))
            return _set_cookie(response, workshop, participant)
    if form.is_submitted():
        status = 422
    return render_template("participants/join.html", workshop=workshop, form=form, rejoin_form=rejoin_form), status


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
    workshop = find_open_workshop(code)
    if workshop is None:
        return render_template("home/index.html", code_form=_no_such_code(code)), 404
    form, rejoin_form = JoinForm(formdata=None), RejoinForm()
    _group_choices(form, workshop)
    _group_choices(rejoin_form, workshop)
    if rejoin_form.validate_on_submit():
        group = _chosen_group(rejoin_form.group.data)
        window = current_app.config.get("TAKEOVER_WINDOW_SECONDS", services.TAKEOVER_WINDOW)
        try:
            result = services.rejoin(
                workshop, group, rejoin_form.display_name.data, rejoin_form.pin.data, window=window
            )
        except services.JoinRefused as error:
            g.pin_missed = error.code == "wrong-pin"
            _refuse(rejoin_form, error)
        else:
            if isinstance(result, SeatTakeover):
                response = redirect(url_for("participants.takeover_wait", workshop_id=workshop.id))
                response.set_cookie(
                    services.takeover_cookie_name(workshop),
                    services.takeover_cookie_value(current_app.config["SECRET_KEY"], result),
                    max_age=services.TAKEOVER_COOKIE_MAX_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                )
                return response
            response = redirect(url_for("participants.workspace", workshop_id=workshop.id, group_id=group.id))
            return _set_cookie(response, workshop, result)
    return render_template(
        "participants/join.html", workshop=workshop, form=form, rejoin_form=rejoin_form, show_rejoin=True
    ), 422


@bp.route("/w/<int:workshop_id>/takeover")
def takeover_wait(workshop_id):
    """The device that asked for an active member's seat waits here until a facilitator decides.

    htmx polls this page; once approved, the device gets the seat's cookie and goes to the
    group's workspace. Without the waiting cookie this is like any other seatless request.
    """
    cookie = services.takeover_cookie_name(workshop_id)
    takeover = services.takeover_from_cookie(current_app.config["SECRET_KEY"], workshop_id, request.cookies.get(cookie))
    if takeover is None:
        return _ask_to_rejoin()
    if takeover.status == TakeoverStatus.APPROVED and takeover.claimed_at is None:
        try:
            participant = services.claim_takeover(takeover)
        except services.TakeoverError:
            pass
        else:
            url = url_for("participants.workspace", workshop_id=participant.workshop_id, group_id=participant.group_id)
            if request.headers.get("HX-Request"):
                response = make_response("", 200)
                response.headers["HX-Redirect"] = url
            else:
                response = redirect(url)
            response.delete_cookie(cookie)
            return _set_cookie(response, participant.workshop, participant)
    return render_template(
        "participants/takeover.html", takeover=takeover, workshop_id=workshop_id, statuses=TakeoverStatus
    )


# --- the group's workspace -------------------------------------------------------------------


class Seat:
    """What every workspace request loads: the workshop, the group and who is asking."""

    def __init__(self, workshop, group, participant):
        self.workshop, self.group, self.participant = workshop, group, participant
        self._overrides = None

    @property
    def overrides(self):
        """The group's own stage states, read once per request."""
        if self._overrides is None:
            self._overrides = stage_state.overrides_for(self.group)
        return self._overrides

    def state_of(self, stage):
        return stage_state.stage_state_for(stage, self.group, self.overrides)


def _seat(workshop_id, group_id):
    """Load the workspace's workshop and group for the device's participant; refuse anyone else."""
    participant = services.participant_from_cookie(
        current_app.config["SECRET_KEY"], workshop_id, request.cookies.get(services.cookie_name(workshop_id))
    )
    if participant is None:
        # No seat: the same answer whether or not the workshop exists, so ids cannot be probed.
        return None
    workshop = participant.workshop
    if participant.group_id == group_id:
        return Seat(workshop, participant.group, participant)
    group = db.session.get(Group, group_id)
    if group is None or group.workshop_id != workshop.id:
        abort(404)
    if request.method == "GET" and request.endpoint == "participants.workspace" and participant.group_id:
        # The facilitator moved this person: take them to their new group.
        abort(redirect(url_for("participants.workspace", workshop_id=workshop.id, group_id=participant.group_id)))
    abort(403)


def _ask_to_rejoin():
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


@cache
def _field_query():
    """Built once, as every autosave runs it (see participants.services._seat_query)."""
    return db.select(StageField).options(joinedload(StageField.stage)).where(StageField.id == db.bindparam("field_id"))


def _field_in_workshop(seat, field_id):
    field = db.session.execute(_field_query(), {"field_id": field_id}).scalar_one_or_none()
    if field is None or field.stage.process_id != seat.workshop.process_id:
        abort(404)
    return field


def _stages(seat):
    return db.session.scalars(
        db.select(Stage).filter_by(process_id=seat.workshop.process_id).order_by(Stage.position)
    ).all()


def _field_context(seat, field, answer=None):
    writable = stage_state.writable(field.stage, seat.group, seat.workshop, overrides=seat.overrides)
    return {
        "seat": seat,
        "field": field,
        "answer": answer,
        "writable": writable,
        "max_length": answer_services.MAX_ANSWER_LENGTH,
    }


def _members(seat):
    return db.session.scalars(
        db.select(Participant).filter_by(group_id=seat.group.id, removed_at=None).order_by(Participant.display_name)
    ).all()


@bp.route("/w/<int:workshop_id>/g/<int:group_id>")
def workspace(workshop_id, group_id):
    """The group's stages in order: the open one to fill, closed ones to read, later ones locked."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    services.touch(seat.participant)
    stages = _stages(seat)
    answers = answer_services.answers_of(seat.group)
    comments = room.comments_by_stage(seat.group)
    response = make_response(
        render_template(
            "participants/workspace.html",
            seat=seat,
            stages=stages,
            answers=answers,
            progress=stage_state.progress(stages, seat.group, seat.overrides),
            members=_members(seat),
            stage_state_for=lambda stage, group: seat.state_of(stage),
            field_context=lambda field: _field_context(seat, field, answers.get(field.id)),
            comments_for=lambda stage: comments.get(stage.id, []),
            **_live_context(seat),
        )
    )
    return _set_cookie(response, seat.workshop, seat.participant)  # keep a returning device recognised


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/fields/<int:field_id>", methods=["GET"])
def field(workshop_id, group_id, field_id):
    """One field's current text, version and status: what a live update re-fetches."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    field = _field_in_workshop(seat, field_id)
    answer = answer_services.answer_for(seat.group, field)
    response = make_response(render_template("participants/_field.html", **_field_context(seat, field, answer)))
    response.headers["X-Answer-Version"] = str(answer.version if answer else 0)
    return response


def _parse_version(raw):
    try:
        return max(int(raw), 0)
    except (TypeError, ValueError):
        abort(400)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/fields/<int:field_id>", methods=["POST"])
@limiter.limit(
    lambda: current_app.config.get("SAVE_RATE_LIMIT", "120 per minute"),
    key_func=lambda: request.cookies.get(f"fp_{request.view_args['workshop_id']}", request.remote_addr),
)
def save(workshop_id, group_id, field_id):
    """Autosave: store the text if it builds on the current version, else show both texts."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    field = _field_in_workshop(seat, field_id)
    base_version = _parse_version(request.form.get("base_version"))
    value = request.form.get("value", "")
    try:
        result = answer_services.save_answer(
            seat.workshop, seat.group, field, value, base_version, seat.participant.display_name, seat.participant.id
        )
    except answer_services.SaveRefused as refused:
        status = 422 if refused.code in ("too-long", "not-a-choice") else 403
        response = make_response(
            render_template("participants/_save_refused.html", field=field, message=SAVE_MESSAGES[refused.code]()),
            status,
        )
        return response
    if isinstance(result, answer_services.Conflict):
        response = make_response(
            render_template("participants/_conflict.html", seat=seat, field=field, conflict=result), 409
        )
        response.headers["X-Answer-Version"] = str(result.answer.version)
        return response
    if request.headers.get("X-Autosave"):
        # The autosave script writes "Saved 14:03" itself; it needs only the new version.
        response = make_response("", 204)
    elif request.headers.get("HX-Request"):
        response = make_response(render_template("participants/_field_status.html", field=field, answer=result))
    else:
        return redirect(
            url_for("participants.workspace", workshop_id=workshop_id, group_id=group_id) + f"#field-{field.id}"
        )
    response.headers["X-Answer-Version"] = str(result.version)
    response.headers["HX-Trigger"] = "answer-saved"
    return response


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/fields/<int:field_id>/history")
def history(workshop_id, group_id, field_id):
    """Every saved version of the field, newest first, each restorable."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    field = _field_in_workshop(seat, field_id)
    answer = answer_services.answer_for(seat.group, field)
    revisions = answer_services.revisions_of(answer) if answer else []
    return render_template("participants/_history.html", **_field_context(seat, field, answer), revisions=revisions)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/fields/<int:field_id>/history/<int:version>/restore", methods=["POST"])
def restore(workshop_id, group_id, field_id, version):
    """Bring back an old version as a new one; the current text stays in the history."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    field = _field_in_workshop(seat, field_id)
    answer = answer_services.answer_for(seat.group, field)
    revision = answer and db.session.scalar(db.select(AnswerRevision).filter_by(answer_id=answer.id, version=version))
    if revision is None:
        abort(404)
    try:
        result = answer_services.restore_revision(
            seat.workshop, seat.group, field, revision, seat.participant.display_name, seat.participant.id
        )
    except answer_services.SaveRefused as refused:
        return render_template(
            "participants/_save_refused.html", field=field, message=SAVE_MESSAGES[refused.code]()
        ), 403
    if isinstance(result, answer_services.Conflict):
        abort(409)
    if request.headers.get("HX-Request"):
        response = make_response(render_template("participants/_field.html", **_field_context(seat, field, result)))
        response.headers["X-Answer-Version"] = str(result.version)
        return response
    return redirect(
        url_for("participants.workspace", workshop_id=workshop_id, group_id=group_id) + f"#field-{field.id}"
    )


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/stages/<int:stage_id>")
def stage_card(workshop_id, group_id, stage_id):
    """One stage's card, re-fetched when the facilitator opens or closes it."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    stage = db.session.get(Stage, stage_id)
    if stage is None or stage.process_id != seat.workshop.process_id:
        abort(404)
    answers = answer_services.answers_of(seat.group)
    return render_template(
        "participants/_stage_card.html",
        seat=seat,
        stage=stage,
        state=seat.state_of(stage),
        field_context=lambda field: _field_context(seat, field, answers.get(field.id)),
        comments_for=lambda stage: room.comments_for(seat.group, stage),
    )


def _live_context(seat):
    return {
        "timer": room.timer_state(seat.workshop),
        "timer_url": url_for("participants.timer", workshop_id=seat.workshop.id, group_id=seat.group.id),
        "help_request": room.open_help_request(seat.group),
        "messages": room.messages_for(seat.workshop, seat.group),
    }


def _fragment(template, workshop_id, group_id, **extra):
    """Render one of the workspace's live fragments for the device's own group."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    return render_template(template, seat=seat, **_live_context(seat), **extra)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/timer")
def timer(workshop_id, group_id):
    """The countdown, re-fetched whenever the facilitator changes it."""
    return _fragment("live/_timer.html", workshop_id, group_id)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/messages")
def messages(workshop_id, group_id):
    """The facilitator's latest messages to everyone and to this group."""
    return _fragment("participants/_messages.html", workshop_id, group_id)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/downloads")
def downloads(workshop_id, group_id):
    """Links to the group's and the workshop's PDFs, once the facilitator releases them."""
    return _fragment("participants/_downloads.html", workshop_id, group_id)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/help")
def help_box(workshop_id, group_id):
    """The help button, or the note that help is on the way."""
    return _fragment("participants/_help.html", workshop_id, group_id)


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/help", methods=["POST"])
def ask_help(workshop_id, group_id):
    """Raise the group's help flag in the control room."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    if seat.workshop.is_finished:
        abort(403)
    room.ask_for_help(seat.participant)
    if request.headers.get("HX-Request"):
        return render_template("participants/_help.html", seat=seat, **_live_context(seat))
    flash(_("Help is on the way: the facilitator sees your request."), "info")
    return redirect(url_for("participants.workspace", workshop_id=workshop_id, group_id=group_id))


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/progress")
def progress_bar(workshop_id, group_id):
    """How many stages are done, re-fetched when stages open or close."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    return render_template(
        "participants/_progress.html",
        seat=seat,
        progress=stage_state.progress(_stages(seat), seat.group, seat.overrides),
    )


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/stages/<int:stage_id>/comments")
def stage_comments(workshop_id, group_id, stage_id):
    """The facilitator's comments on this group's stage."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    stage = db.session.get(Stage, stage_id)
    if stage is None or stage.process_id != seat.workshop.process_id:
        abort(404)
    return render_template(
        "participants/_comments.html", seat=seat, stage=stage, comments=room.comments_for(seat.group, stage)
    )


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/members")
def members(workshop_id, group_id):
    """Who is in the group and who is typing where."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    return render_template("participants/_members.html", seat=seat, members=_members(seat))


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/presence", methods=["POST"])
def presence(workshop_id, group_id):
    """A member started or stopped typing in a field: tell the teammates."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    field_id = request.form.get("field", "")
    if field_id and not field_id.isdigit():
        abort(400)
    services.touch(seat.participant)
    publish(group_channel(seat.group.id), "presence", f"{seat.participant.id}:{field_id}")
    return "", 204


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/stream")
def stream(workshop_id, group_id):
    """The workspace's one SSE connection: the group's channel and the workshop's."""
    seat = _seat(workshop_id, group_id)
    if seat is None:
        return _ask_to_rejoin()
    channels = [group_channel(seat.group.id), workshop_channel(seat.workshop.id)]
    services.touch(seat.participant)  # an open workspace counts as active (see the takeover window)
    last_event_id = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    broker = current_app.extensions["broker"]
    db.session.remove()  # a stream may stay open for hours: give its connection back now
    return stream_response(
        broker, channels, last_event_id, heartbeat=current_app.config.get("SSE_HEARTBEAT_SECONDS", 15)
    )
