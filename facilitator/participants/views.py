"""A group's workspace: its stages to fill in together, live, from the seat the device's cookie holds.

Every view gets `seat` from `loading.seat_pages`, which answers devices without one (see there).
"""

from functools import cache

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..answers import services as answer_services
from ..answers.models import AnswerRevision
from ..core.domain import message_for
from ..core.htmx import Area, wants_fragment
from ..core.urls import parse_id
from ..extensions import db, limiter
from ..live.events import group_channel, news_channel, publish, workshop_channel
from ..live.sse import stream_of
from ..room import services as room
from ..stages import state as stage_state
from ..stages.models import Stage, StageField
from . import cards, services
from .loading import seat_pages, set_seat_cookie
from .models import Participant

bp = seat_pages("participants", __name__)
ui = Area("stage-announcer")

FIELD = "participants/_field.html"
FIELD_STATUS = "participants/_field_status.html"
CONFLICT = "participants/_conflict.html"
REFUSED = "participants/_save_refused.html"
#: The longest answer, as the refusal says it (a narrow space between thousands).
MAX_LENGTH = f"{answer_services.MAX_ANSWER_LENGTH:,}".replace(",", "\u202f")
#: Refusals the writer can mend by changing the text (422); the others are the stage's or the workshop's (403).
MENDABLE = ("too-long", "not-a-choice")


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


def _members(seat):
    return db.session.scalars(
        db.select(Participant).filter_by(group_id=seat.group.id, removed_at=None).order_by(Participant.display_name)
    ).all()


def _stage_in_workshop(seat, stage_id):
    stage = db.session.get(Stage, stage_id)
    if stage is None or stage.process_id != seat.workshop.process_id:
        abort(404)
    return stage


def _at(seat, field):
    """The field's place on the workspace page, where a plain form post comes back to."""
    return f"{seat.url}#field-{field.id}"


def _versioned(answer, response):
    """The response with the version the text is now at (0: never saved), which the autosave builds on."""
    response = make_response(response)
    response.headers["X-Answer-Version"] = str(answer.version if answer else 0)
    return response


def _refused(field, refused, status):
    """Why the text was not saved; it stays in the field, to mend or copy."""
    message = message_for("save-" + refused.code, max=MAX_LENGTH)
    return render_template(REFUSED, field=field, message=message), status


@bp.route("")
def workspace(seat):
    """The group's stages in order: the open one to fill, closed ones to read, later ones locked."""
    services.touch(seat.participant, locale=str(get_locale()))
    stages = _stages(seat)
    response = make_response(
        render_template(
            "participants/workspace.html",
            stages=stages,
            progress=stage_state.progress(stages, seat.group, seat.overrides),
            members=_members(seat),
            stage_state_for=lambda stage, group: seat.state_of(stage),
            **cards.cards_context(seat),
            **_live_context(seat),
        )
    )
    return set_seat_cookie(response, seat.workshop, seat.participant)  # keep a returning device recognised


#: The views a member can switch between, as the switch's button names them.
VIEWS = {"simple": True, "full": False}


@bp.route("/view", methods=["POST"])
def choose_view(seat):
    """The member switches between the simple view and the full one; the workspace opens in it."""
    view = request.form.get("view")
    if view not in VIEWS:
        abort(400)
    services.choose_view(seat.participant, VIEWS[view])
    return redirect(seat.url)


@bp.route("/fields/<int:field_id>", methods=["GET"])
def field(seat, field_id):
    """One field's current text, version and status: what a live update re-fetches."""
    field = _field_in_workshop(seat, field_id)
    answer = answer_services.answer_for(seat.group, field)
    return _versioned(answer, render_template(FIELD, **cards.field_context(seat, field, answer)))


#: No answer gets this many versions; a larger number (typed by hand) matches none, as it should,
#: and the version after it still fits PostgreSQL's integer.
MAX_VERSION = 2**31 - 2


def _parse_version(raw):
    try:
        return min(max(int(raw), 0), MAX_VERSION)
    except (TypeError, ValueError):
        abort(400)


@bp.route("/fields/<int:field_id>", methods=["POST"])
@limiter.limit(
    lambda: current_app.config.get("SAVE_RATE_LIMIT", "120 per minute"),
    key_func=lambda: request.cookies.get(services.cookie_name(request.view_args["seat"].workshop), request.remote_addr),
)
def save(seat, field_id):
    """Autosave: store the text if it builds on the current version, else show both texts."""
    field = _field_in_workshop(seat, field_id)
    base_version = _parse_version(request.form.get("base_version"))
    value = request.form.get("value", "")
    try:
        result = services.save_typed(seat, field, value, base_version)
    except answer_services.SaveRefused as refused:
        return _refused(field, refused, 422 if refused.code in MENDABLE else 403)
    if isinstance(result, answer_services.Conflict):
        return _versioned(result.answer, (render_template(CONFLICT, seat=seat, field=field, conflict=result), 409))
    if request.headers.get("X-Autosave"):
        return _versioned(result, ("", 204))  # the autosave script writes "Saved 14:03" itself
    return _versioned(
        result, ui.answer(None, FIELD_STATUS, {"field": field, "answer": result}, redirect_to=_at(seat, field))
    )


@bp.route("/fields/<int:field_id>/history")
def history(seat, field_id):
    """Every saved version of the field, newest first, each restorable."""
    field = _field_in_workshop(seat, field_id)
    answer = answer_services.answer_for(seat.group, field)
    revisions = answer_services.revisions_of(answer) if answer else []
    return render_template(
        "participants/_history.html", **cards.field_context(seat, field, answer), revisions=revisions
    )


@bp.route("/fields/<int:field_id>/history/<int:version>/restore", methods=["POST"])
def restore(seat, field_id, version):
    """Bring back an old version as a new one; the current text stays in the history."""
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
        return _refused(field, refused, 403)
    if isinstance(result, answer_services.Conflict):
        abort(409)
    return _versioned(
        result, ui.answer(None, FIELD, cards.field_context(seat, field, result), redirect_to=_at(seat, field))
    )


@bp.route("/stages/<int:stage_id>")
def stage_card(seat, stage_id):
    """One stage's card, re-fetched when the facilitator opens or closes it."""
    stage = _stage_in_workshop(seat, stage_id)
    return render_template(
        "participants/_stage_card.html", stage=stage, state=seat.state_of(stage), **cards.cards_context(seat)
    )


#: The most stages one request for news may name (a process has a handful).
MAX_NEWS_STAGES = 50


@bp.route("/news")
def stage_news(seat):
    """The news of a stage change for a phone that did not get it from its stream: the same
    fragment (the named stages' cards, the progress bar, the timer with `timer=1`)."""
    wanted = [parse_id(part) for part in request.args.get("stages", "").split(",")[:MAX_NEWS_STAGES] if part]
    if None in wanted:
        abort(400)
    stages = [stage for stage in _stages(seat) if stage.id in wanted]
    timer = room.timer_state(seat.workshop) if request.args.get("timer") == "1" else None
    return cards.news(seat, stages, request.args.get("n", "")[:32], timer)


def _live_context(seat):
    return {
        "timer": room.timer_state(seat.workshop),
        "timer_url": url_for("participants.timer", workshop_id=seat.workshop.id, group_id=seat.group.id),
        "timer_trigger": cards.PHONE_TIMER,
        "help_request": room.open_help_request(seat.group),
        "messages": room.messages_for(seat.workshop, seat.group),
    }


def _live(template, seat):
    """One of the workspace's live fragments for the device's own group."""
    return render_template(template, seat=seat, **_live_context(seat))


#: The workspace's live fragments, each re-fetched when the stream says it changed: the countdown,
#: the facilitator's messages to everyone and to this group, the links to the PDFs once released,
#: and the help button (or the note that help is on the way).
LIVE = {
    "timer": ("/timer", "live/_timer.html"),
    "messages": ("/messages", "participants/_messages.html"),
    "downloads": ("/downloads", "participants/_downloads.html"),
    "help_box": ("/help", "participants/_help.html"),
}
for endpoint, (rule, template) in LIVE.items():
    bp.add_url_rule(rule, endpoint, lambda seat, template=template: _live(template, seat))


@bp.route("/help", methods=["POST"])
def ask_help(seat):
    """Raise the group's help flag in the control room."""
    if seat.workshop.is_finished:
        abort(403)
    room.ask_for_help(seat.participant)
    if wants_fragment():
        return _live(LIVE["help_box"][1], seat)
    flash(_("Help is on the way: the facilitator sees your request."), "info")
    return redirect(seat.url)


@bp.route("/stages/<int:stage_id>/comments")
def stage_comments(seat, stage_id):
    """The facilitator's comments on this group's stage."""
    stage = _stage_in_workshop(seat, stage_id)
    return render_template(
        "participants/_comments.html", seat=seat, stage=stage, comments=room.comments_for(seat.group, stage)
    )


@bp.route("/members")
def members(seat):
    """Who is in the group and who is typing where."""
    return render_template("participants/_members.html", seat=seat, members=_members(seat))


@bp.route("/presence", methods=["POST"])
def presence(seat):
    """A member started or stopped typing in a field: tell the teammates."""
    raw = request.form.get("field", "")
    field_id = parse_id(raw)
    if raw and field_id is None:
        abort(400)
    services.touch(seat.participant, typing_in=_field_in_workshop(seat, field_id) if field_id else None)
    publish(group_channel(seat.group.id), "presence", f"{seat.participant.id}:{field_id or ''}")
    return "", 204


@bp.route("/stream")
def stream(seat):
    """The workspace's one SSE connection: the group's channel, the workshop's, and the group's news
    in this device's language."""
    locale = str(get_locale())
    channels = [group_channel(seat.group.id), workshop_channel(seat.workshop.id), news_channel(seat.group.id, locale)]
    # An open workspace counts as active (see the takeover window); its language gets the news.
    services.touch(seat.participant, locale=locale)
    return stream_of(channels)
