"""The facilitator's control room: drive the stages, keep time, watch every group live.

One page, one SSE connection, and regions that re-fetch their own fragment when the stream
names their event. Every action is a POST that answers the updated fragment to htmx (with a
line for the page's status region) and redirects back to the page without it.
"""

from babel.lists import format_list
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..agenda.models import AgendaItem, AgendaItemKind
from ..answers import services as answer_services
from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.urls import parse_id
from ..extensions import db
from ..groups import pins
from ..groups.models import Group
from ..live.events import control_channel, workshop_channel
from ..live.sse import stream_response
from ..participants import services as participant_services
from ..participants.models import Participant, SeatTakeover, TakeoverStatus
from ..room import services as room_services
from ..stages.models import Stage, StageState
from ..stages.state import current_stage, next_step, overrides_for, stage_state_for, stages_of
from ..workshops import services as workshop_services
from ..workshops.models import FacilitatorRole, WorkshopStatus
from ..workshops.services import workshop_for
from . import services
from .forms import (
    AddMinutesForm,
    CommentForm,
    InviteForm,
    MessageForm,
    RenameForm,
    StartTimerForm,
    control_message,
    kind_label,
    status_for,
)

bp = Blueprint("control", __name__)

PREFIX = "/workshops/<int:workshop_id>/control"


@bp.app_template_filter("name_list")
def name_list(names):
    """'Ana, Boris and Vera' in the reader's language."""
    names = [str(n) for n in names]
    return format_list(names, locale=str(get_locale())) if names else ""


@bp.errorhandler(404)
def gone(error):
    """Something in the address is not there (any more), or the workshop is not theirs: say so plainly."""
    workshop_id = (request.view_args or {}).get("workshop_id")
    return render_template(
        "workshops/problem.html",
        title=_("This is not available"),
        message=_(
            "It may have been removed meanwhile by another facilitator, or it belongs to another "
            "workshop. Nothing was changed."
        ),
        back_url=url_for("planning.dashboard")
        if workshop_id is None
        else url_for("control.room", workshop_id=workshop_id),
        back_label=_("Back to the control room"),
    ), 404


# --- loading what the URL names ----------------------------------------------------------------


def _wants_fragment():
    return request.htmx and not request.htmx.boosted


def _group(workshop, group_id):
    group = db.session.get(Group, group_id)
    if group is None or group.workshop_id != workshop.id:
        abort(404)
    return group


def _stage(workshop, stage_id):
    stage = db.session.get(Stage, stage_id)
    if stage is None or stage.process_id != workshop.process_id:
        abort(404)
    return stage


def _participant(workshop, participant_id):
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id or participant.removed_at is not None:
        abort(404)
    return participant


def _takeover(workshop, takeover_id):
    takeover = db.session.get(SeatTakeover, takeover_id)
    if takeover is None or takeover.workshop_id != workshop.id:
        abort(404)
    return takeover


def _item(workshop, item_id):
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.workshop_id != workshop.id:
        abort(404)
    return item


def _id_from_form(name):
    """An optional id in a form field: None when empty, 404 when it is not a number."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    if parse_id(raw) is None:  # not a number, or past any id the database holds
        abort(404)
    return parse_id(raw)


def _minutes_text(form):
    """What was typed, with a decimal comma read as a point (Polish and Bulgarian keyboards)."""
    return (form.minutes.data or "").strip().replace(",", ".")


# --- what each region shows ---------------------------------------------------------------------


def _active_groups(workshop):
    return db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position, Group.id)
    ).all()


def stage_bar_context(workshop, stage_error=None):
    stages = stages_of(workshop)
    current, following, can_advance = next_step(stages)
    return {
        "stages": stages,
        "current": current,
        "following": following,
        "can_advance": can_advance,
        "stage_error": stage_error,
    }


def timer_context(workshop, start_form=None, add_form=None):
    focus = services.stage_in_focus(workshop)
    default = focus.time_box_minutes if focus is not None and focus.time_box_minutes else 10
    return {
        "timer": room_services.timer_state(workshop),
        "timer_url": url_for("control.timer", workshop_id=workshop.id),
        "start_form": start_form or StartTimerForm(formdata=None, prefix="start", minutes=str(default)),
        "add_form": add_form or AddMinutesForm(formdata=None, prefix="add", minutes="5"),
    }


def grid_context(workshop, selected=None, grid_error=None):
    grid = services.overview(workshop)
    focus = services.stage_in_focus(workshop, grid["stages"])
    index = grid["stages"].index(focus) if focus is not None else None
    return {
        "grid": grid,
        "focus": focus,
        "focus_index": index,
        "selected": selected,
        "grid_error": grid_error,
        "help_rows": [row for row in grid["rows"] if row["needs_help"]],
    }


def help_context(workshop):
    help_groups = {h.group_id for h in room_services.open_help_requests(workshop)}
    return {"help_rows": [{"group": g} for g in _active_groups(workshop) if g.id in help_groups]}


def group_context(workshop, group, comment_forms=None):
    if group is None:
        return {"selected": None}
    stages = stages_of(workshop)
    overrides = overrides_for(group)
    forms = comment_forms or {}
    return {
        "selected": group,
        "detail_stages": [
            {
                "stage": stage,
                "state": stage_state_for(stage, group, overrides),
                "comments": room_services.comments_for(group, stage),
                "form": forms.get(stage.id) or CommentForm(formdata=None, prefix=f"comment-{stage.id}"),
            }
            for stage in stages
        ],
        "answers": answer_services.answers_of(group),
        "help_request": room_services.open_help_request(group),
    }


def message_form_context(workshop, form=None):
    if form is None:
        form = MessageForm(formdata=None, prefix="message")
    form.set_groups(_active_groups(workshop))
    return {"message_form": form}


def messages_context(workshop):
    names = {g.id: g.name for g in db.session.scalars(db.select(Group).filter_by(workshop_id=workshop.id))}
    return {"recent_messages": room_services.recent_messages(workshop), "group_names": names}


def people_context(workshop, rename_forms=None, people_errors=None):
    groups = _active_groups(workshop)
    people = services.participants_of(workshop)
    active_ids = {g.id for g in groups}
    forms = rename_forms or {}
    return {
        "people_groups": [{"group": g, "members": [p for p in people if p.group_id == g.id]} for g in groups],
        "unassigned": [p for p in people if p.group_id not in active_ids],
        "move_targets": groups,
        "rename_forms": {
            p.id: forms.get(p.id) or RenameForm(formdata=None, prefix=f"rename-{p.id}", name=p.display_name)
            for p in people
        },
        "people_errors": people_errors or {},
        "spoken_pin": pins.spoken,
    }


def takeovers_context(workshop, takeover_error=None):
    return {
        "takeovers": services.takeovers_of(workshop),
        "takeover_statuses": TakeoverStatus,
        "takeover_error": takeover_error,
    }


def run_of_show_context(workshop, agenda_error=None):
    items = services.agenda_of(workshop)
    current = next((i for i in items if i.id == workshop.current_agenda_item_id), None)
    return {
        "agenda": items,
        "current_item": current,
        "group_work_now": current is not None and current.kind == AgendaItemKind.GROUP_WORK.value,
        "kind_label": kind_label,
        "status_moves": workshop_services.allowed_statuses(workshop),
        "agenda_error": agenda_error,
    }


def facilitators_context(workshop, invite_form=None, facilitator_error=None):
    return {
        "memberships": services.facilitators_of(workshop),
        "owner_role": FacilitatorRole.OWNER.value,
        "invite_form": invite_form or InviteForm(formdata=None, prefix="invite"),
        "facilitator_error": facilitator_error,
    }


def room_context(workshop, selected=None, **overrides):
    """Everything the page shows; `overrides` replace one region's context (e.g. a refused form)."""
    context = {"workshop": workshop, "section": "control"}
    for part in (
        stage_bar_context(workshop),
        timer_context(workshop),
        grid_context(workshop, selected),
        group_context(workshop, selected),
        message_form_context(workshop),
        messages_context(workshop),
        people_context(workshop),
        takeovers_context(workshop),
        run_of_show_context(workshop),
        facilitators_context(workshop),
    ):
        context.update(part)
    context.update(overrides)
    return context


# --- answering -----------------------------------------------------------------------------------


def _fragment(template, status=200, announce=None, **context):
    """One region's fragment, plus (out of band) a line for the page's status region."""
    html = render_template(template, **context)
    if announce:
        html += render_template("control/_announce.html", announce=announce)
    return make_response(html, status)


def _done(workshop, template, context, announce, anchor):
    """A successful action: the fresh fragment for htmx, else back to the page at that region."""
    if _wants_fragment():
        return _fragment(template, announce=announce, workshop=workshop, **context)
    flash(announce, "success")
    return redirect(url_for("control.room", workshop_id=workshop.id) + "#" + anchor)


def _refused(workshop, template, context, status, selected=None):
    """A refused action: the region with its message (422/409), as a fragment or within the page."""
    if _wants_fragment():
        return _fragment(template, status=status, workshop=workshop, **context)
    overrides = dict(context)
    selected = overrides.pop("selected", selected)
    return render_template("control/room.html", **room_context(workshop, selected, **overrides)), status


def _region(workshop, template, context, selected=None):
    """A region for htmx, or the whole page for anyone else (a bookmark, no JavaScript)."""
    if _wants_fragment():
        return render_template(template, workshop=workshop, **context)
    return render_template("control/room.html", **room_context(workshop, selected))


# --- the page and its stream -------------------------------------------------------------------


@bp.route(PREFIX)
@login_required
def room(workshop_id):
    """The cockpit: stages, timer, every group live, messages, people, run of show, co-facilitators."""
    workshop = workshop_for(current_user, workshop_id)
    group_id = parse_id(request.args.get("group"))
    if request.args.get("group") and group_id is None:
        abort(404)
    selected = _group(workshop, group_id) if group_id else None
    return render_template("control/room.html", **room_context(workshop, selected))


@bp.route(PREFIX + "/stream")
@login_required
def stream(workshop_id):
    """The control room's one SSE connection: the workshop's channel and the facilitators' own."""
    workshop = workshop_for(current_user, workshop_id)
    channels = [workshop_channel(workshop.id), control_channel(workshop.id)]
    last_event_id = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    broker = current_app.extensions["broker"]
    db.session.remove()  # a stream may stay open for hours: give its connection back now
    return stream_response(
        broker, channels, last_event_id, heartbeat=current_app.config.get("SSE_HEARTBEAT_SECONDS", 15)
    )


# --- stages --------------------------------------------------------------------------------------


@bp.route(PREFIX + "/stages")
@login_required
def stage_bar(workshop_id):
    """The stages and their state, re-fetched whenever a stage opens or closes."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_stage_bar.html", stage_bar_context(workshop))


@bp.route(PREFIX + "/stages/next", methods=["POST"])
@login_required
def next_stage(workshop_id):
    """Close the stage this page showed open and open the next: once, however often it is pressed."""
    workshop = workshop_for(current_user, workshop_id)
    seen_id = _id_from_form("seen_stage")
    seen = _stage(workshop, seen_id) if seen_id is not None else None
    try:
        opened = services.next_stage(workshop, seen.id if seen else None)
    except DomainError as error:
        return _refused(
            workshop,
            "control/_stage_bar.html",
            stage_bar_context(workshop, control_message(error.code)),
            status_for(error.code),
        )
    if opened is not None:
        announce = _("Stage “%(title)s” is open for all groups.", title=opened.title)
    elif seen is not None and seen == stages_of(workshop)[-1]:
        announce = _("The last stage is closed.")
    else:
        announce = _("Nothing changed: the stages had already moved on. This is where they are now.")
    return _done(workshop, "control/_stage_bar.html", stage_bar_context(workshop), announce, "stage-bar")


def _state_announcement(stage, state, group=None):
    if group is None:
        return {
            StageState.OPEN.value: _("Stage “%(title)s” is open for all groups.", title=stage.title),
            StageState.CLOSED.value: _("Stage “%(title)s” is closed for all groups.", title=stage.title),
        }.get(state, _("Stage “%(title)s” is not open yet for any group.", title=stage.title))
    return {
        StageState.OPEN.value: _("Stage “%(title)s” is open for %(group)s.", title=stage.title, group=group.name),
        StageState.CLOSED.value: _("Stage “%(title)s” is closed for %(group)s.", title=stage.title, group=group.name),
    }.get(state, _("Stage “%(title)s” is not open yet for %(group)s.", title=stage.title, group=group.name))


@bp.route(PREFIX + "/stages/<int:stage_id>/state", methods=["POST"])
@login_required
def stage_state(workshop_id, stage_id):
    """Open or close one stage for every group."""
    workshop = workshop_for(current_user, workshop_id)
    stage = _stage(workshop, stage_id)
    state = request.form.get("state", "")
    try:
        services.set_stage_state(workshop, stage, state)
    except DomainError as error:
        return _refused(
            workshop,
            "control/_stage_bar.html",
            stage_bar_context(workshop, control_message(error.code)),
            status_for(error.code),
        )
    return _done(
        workshop, "control/_stage_bar.html", stage_bar_context(workshop), _state_announcement(stage, state), "stage-bar"
    )


@bp.route(PREFIX + "/groups/<int:group_id>/stages/<int:stage_id>/state", methods=["POST"])
@login_required
def group_stage_state(workshop_id, group_id, stage_id):
    """Open or close one stage for one group only (a group that needs longer, or finished early)."""
    workshop = workshop_for(current_user, workshop_id)
    group = _group(workshop, group_id)
    stage = _stage(workshop, stage_id)
    state = request.form.get("state", "")
    try:
        services.set_stage_state(workshop, stage, state, group)
    except DomainError as error:
        return _refused(
            workshop,
            "control/_grid.html",
            grid_context(workshop, grid_error=control_message(error.code)),
            status_for(error.code),
        )
    return _done(
        workshop, "control/_grid.html", grid_context(workshop), _state_announcement(stage, state, group), "grid"
    )


# --- the timer -----------------------------------------------------------------------------------


@bp.route(PREFIX + "/timer")
@login_required
def timer(workshop_id):
    """The shared countdown, re-fetched whenever a facilitator changes it."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(
        workshop,
        "live/_timer.html",
        {"timer": room_services.timer_state(workshop), "timer_url": url_for("control.timer", workshop_id=workshop.id)},
    )


@bp.route(PREFIX + "/timer/controls")
@login_required
def timer_controls(workshop_id):
    """The timer's buttons, which change with its state."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_timer_controls.html", timer_context(workshop))


def _timer_done(workshop, announce):
    return _done(workshop, "control/_timer_panel.html", timer_context(workshop), announce, "timer-panel")


@bp.route(PREFIX + "/timer/start", methods=["POST"])
@login_required
@form_view
def timer_start(workshop_id):
    """Count down the given minutes for everyone, from now."""
    workshop = workshop_for(current_user, workshop_id)
    form = StartTimerForm(prefix="start")
    status = 400  # the token had expired: the form comes back with the minutes kept
    if form.validate_on_submit():
        try:
            minutes = room_services.check_minutes(_minutes_text(form), room_services.MAX_TIMER_MINUTES)
            room_services.start_timer(workshop, round(minutes * 60), current_stage(workshop))
        except DomainError as error:
            form.minutes.errors.append(control_message(error.code))
            status = status_for(error.code)
        else:
            return _timer_done(workshop, _("The timer is running."))
    return _refused(workshop, "control/_timer_panel.html", timer_context(workshop, start_form=form), status)


@bp.route(PREFIX + "/timer/add", methods=["POST"])
@login_required
@form_view
def timer_add(workshop_id):
    """More time for everyone, running, paused or just ended."""
    workshop = workshop_for(current_user, workshop_id)
    form = AddMinutesForm(prefix="add")
    status = 400
    if form.validate_on_submit():
        try:
            room_services.add_minutes(workshop, _minutes_text(form))
        except DomainError as error:
            form.minutes.errors.append(control_message(error.code, add_minutes=True))
            status = status_for(error.code)
        else:
            return _timer_done(workshop, _("More time is added."))
    return _refused(workshop, "control/_timer_panel.html", timer_context(workshop, add_form=form), status)


@bp.route(PREFIX + "/timer/pause", methods=["POST"])
@login_required
def timer_pause(workshop_id):
    """Hold the countdown where it is."""
    workshop = workshop_for(current_user, workshop_id)
    room_services.pause_timer(workshop)
    return _timer_done(workshop, _("The timer is paused."))


@bp.route(PREFIX + "/timer/resume", methods=["POST"])
@login_required
def timer_resume(workshop_id):
    """Count down again from where it was paused."""
    workshop = workshop_for(current_user, workshop_id)
    room_services.resume_timer(workshop)
    return _timer_done(workshop, _("The timer is running."))


@bp.route(PREFIX + "/timer/reset", methods=["POST"])
@login_required
def timer_reset(workshop_id):
    """Stop the countdown and clear it from every screen."""
    workshop = workshop_for(current_user, workshop_id)
    room_services.reset_timer(workshop)
    return _timer_done(workshop, _("The timer is stopped."))


# --- the grid, help and one group's answers ------------------------------------------------------


@bp.route(PREFIX + "/grid")
@login_required
def grid(workshop_id):
    """Every group by every stage, re-fetched as answers, stages, help and people change."""
    workshop = workshop_for(current_user, workshop_id)
    selected_id = request.args.get("selected", "")
    selected = _group(workshop, parse_id(selected_id)) if parse_id(selected_id) else None
    return _region(workshop, "control/_grid.html", grid_context(workshop, selected))


@bp.route(PREFIX + "/help")
@login_required
def help_alerts(workshop_id):
    """The groups asking for help, for the page's polite live region."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_help_alerts.html", help_context(workshop))


@bp.route(PREFIX + "/groups/<int:group_id>/help/clear", methods=["POST"])
@login_required
def clear_help(workshop_id, group_id):
    """The facilitator went over to the group: lower its flag."""
    workshop = workshop_for(current_user, workshop_id)
    group = _group(workshop, group_id)
    room_services.clear_help(workshop, group)
    return _done(
        workshop,
        "control/_grid.html",
        grid_context(workshop),
        _("The help flag of %(group)s is cleared.", group=group.name),
        "grid",
    )


@bp.route(PREFIX + "/groups/<int:group_id>")
@login_required
def group_detail(workshop_id, group_id):
    """One group's answers to every stage and the comments on them, updating live."""
    workshop = workshop_for(current_user, workshop_id)
    group = _group(workshop, group_id)
    context = group_context(workshop, group)
    if _wants_fragment() and request.args.get("select"):
        # Chosen in the table: the table marks the chosen row, so it comes along out of band.
        context.update(grid_context(workshop, group), oob_grid=True)
    return _region(workshop, "control/_group_detail.html", context, selected=group)


@bp.route(PREFIX + "/groups/<int:group_id>/stages/<int:stage_id>/comments", methods=["POST"])
@login_required
@form_view
def comment(workshop_id, group_id, stage_id):
    """Leave the group a comment on one of its stages; it appears on their screen at once."""
    workshop = workshop_for(current_user, workshop_id)
    group = _group(workshop, group_id)
    stage = _stage(workshop, stage_id)
    form = CommentForm(prefix=f"comment-{stage.id}")
    status = 400
    if form.validate_on_submit():
        try:
            room_services.comment_on_stage(workshop, group, stage, form.text.data, current_user.display_name)
        except DomainError as error:
            form.text.errors.append(control_message(error.code))
            status = status_for(error.code)
        else:
            if not _wants_fragment():
                flash(_("Your comment is on the screen of %(group)s.", group=group.name), "success")
                return redirect(
                    url_for("control.room", workshop_id=workshop.id, group=group.id) + f"#group-stage-{stage.id}"
                )
            return _fragment(
                "control/_group_detail.html",
                workshop=workshop,
                **group_context(workshop, group),
                announce=_("Your comment is on the screen of %(group)s.", group=group.name),
            )
    context = group_context(workshop, group, {stage.id: form})
    return _refused(workshop, "control/_group_detail.html", context, status, selected=group)


# --- messages ------------------------------------------------------------------------------------


@bp.route(PREFIX + "/messages")
@login_required
def messages(workshop_id):
    """The latest messages sent to the groups, re-fetched when anyone sends one."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_messages.html", messages_context(workshop))


@bp.route(PREFIX + "/messages", methods=["POST"])
@login_required
@form_view
def send_message(workshop_id):
    """A short message on every group’s screen, or on one group's."""
    workshop = workshop_for(current_user, workshop_id)
    form = MessageForm(prefix="message")
    form.set_groups(_active_groups(workshop))
    status = 400
    if form.validate_on_submit():
        group_id = (form.group.data or "").strip()
        if group_id and parse_id(group_id) is None:
            abort(404)
        group = _group(workshop, parse_id(group_id)) if group_id else None
        try:
            room_services.broadcast(workshop, form.text.data, current_user.display_name, group)
        except DomainError as error:
            form.text.errors.append(control_message(error.code))
            status = status_for(error.code)
        else:
            announce = (
                _("Your message is on the screens of %(group)s.", group=group.name)
                if group
                else _("Your message is on every group’s screen.")
            )
            return _done(
                workshop, "control/_message_form.html", message_form_context(workshop), announce, "messages-heading"
            )
    return _refused(workshop, "control/_message_form.html", message_form_context(workshop, form), status)


# --- people --------------------------------------------------------------------------------------


@bp.route(PREFIX + "/people")
@login_required
def people(workshop_id):
    """Who is in which group, re-fetched when a facilitator moves, renames or removes someone."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_people.html", people_context(workshop))


def _people_refused(workshop, key, error):
    return _refused(
        workshop,
        "control/_people.html",
        people_context(workshop, people_errors={key: control_message(error.code)}),
        status_for(error.code),
    )


@bp.route(PREFIX + "/participants/<int:participant_id>/move", methods=["POST"])
@login_required
def move(workshop_id, participant_id):
    """Move someone to another group; their device follows."""
    workshop = workshop_for(current_user, workshop_id)
    participant = _participant(workshop, participant_id)
    group_id = _id_from_form("group")
    if group_id is None:
        return _people_refused(workshop, f"move-{participant.id}", DomainError("foreign-group"))
    group = _group(workshop, group_id)
    try:
        services.move_participant(workshop, participant, group)
    except DomainError as error:
        return _people_refused(workshop, f"move-{participant.id}", error)
    return _done(
        workshop,
        "control/_people.html",
        people_context(workshop),
        _("%(name)s is now in %(group)s.", name=participant.display_name, group=group.name),
        "people",
    )


@bp.route(PREFIX + "/participants/<int:participant_id>/rename", methods=["POST"])
@login_required
@form_view
def rename(workshop_id, participant_id):
    """Correct how someone's name is shown."""
    workshop = workshop_for(current_user, workshop_id)
    participant = _participant(workshop, participant_id)
    form = RenameForm(prefix=f"rename-{participant.id}")
    status = 400
    if form.validate_on_submit():
        old = participant.display_name
        try:
            services.rename_participant(workshop, participant, form.name.data)
        except DomainError as error:
            form.name.errors.append(control_message(error.code))
            status = status_for(error.code)
        else:
            return _done(
                workshop,
                "control/_people.html",
                people_context(workshop),
                _("%(old)s is now called %(new)s.", old=old, new=participant.display_name),
                "people",
            )
    return _refused(workshop, "control/_people.html", people_context(workshop, {participant.id: form}), status)


@bp.route(PREFIX + "/participants/<int:participant_id>/remove", methods=["POST"])
@login_required
def remove(workshop_id, participant_id):
    """Take someone out of the workshop; what they wrote stays."""
    workshop = workshop_for(current_user, workshop_id)
    participant = _participant(workshop, participant_id)
    services.remove_participant(workshop, participant)
    return _done(
        workshop,
        "control/_people.html",
        people_context(workshop),
        _("%(name)s is removed from the workshop. What they wrote stays.", name=participant.display_name),
        "people",
    )


@bp.route(PREFIX + "/groups/<int:group_id>/spokesperson", methods=["POST"])
@login_required
def spokesperson(workshop_id, group_id):
    """Choose who presents the group's result, or clear the choice."""
    workshop = workshop_for(current_user, workshop_id)
    group = _group(workshop, group_id)
    participant_id = _id_from_form("participant")
    participant = _participant(workshop, participant_id) if participant_id is not None else None
    try:
        services.set_spokesperson(workshop, group, participant)
    except DomainError as error:
        return _people_refused(workshop, "spokesperson", error)
    announce = (
        _("%(name)s will present for %(group)s.", name=participant.display_name, group=group.name)
        if participant
        else _("%(group)s has no spokesperson now.", group=group.name)
    )
    return _done(workshop, "control/_people.html", people_context(workshop), announce, "people")


# --- seats taken over with a group PIN ------------------------------------------------------------

#: Why a takeover could not be decided; said above the list of takeovers.
TAKEOVER_MESSAGES = {
    "already-decided": lambda: _(
        "This request was already decided, perhaps by another facilitator. The list below is up to date."
    ),
    "seat-gone": lambda: _("This person was removed from the workshop meanwhile, so there is no seat to move."),
}


@bp.route(PREFIX + "/takeovers")
@login_required
def takeovers(workshop_id):
    """Seats taken over with a group PIN: requests to approve, and what happened to the others."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_takeovers.html", takeovers_context(workshop))


def _decide(workshop_id, takeover_id, approve):
    workshop = workshop_for(current_user, workshop_id)
    takeover = _takeover(workshop, takeover_id)
    name = takeover.participant.display_name
    try:
        participant_services.decide_takeover(takeover, current_user, approve)
    except participant_services.TakeoverError as error:
        return _refused(
            workshop, "control/_takeovers.html", takeovers_context(workshop, TAKEOVER_MESSAGES[error.code]()), 409
        )
    if approve:
        announce = _("Approved: %(name)s's seat moves to the new device; the other device is signed out.", name=name)
    else:
        announce = _("Refused: %(name)s's seat stays on the device that is using it.", name=name)
    return _done(workshop, "control/_takeovers.html", takeovers_context(workshop), announce, "takeovers-heading")


@bp.route(PREFIX + "/takeovers/<int:takeover_id>/approve", methods=["POST"])
@login_required
def approve_takeover(workshop_id, takeover_id):
    """Let the waiting device take the member's seat; the member's current device is signed out."""
    return _decide(workshop_id, takeover_id, approve=True)


@bp.route(PREFIX + "/takeovers/<int:takeover_id>/refuse", methods=["POST"])
@login_required
def refuse_takeover(workshop_id, takeover_id):
    """Keep the seat with the device that is using it; the waiting device is told so."""
    return _decide(workshop_id, takeover_id, approve=False)


# --- run of show and the workshop's status ------------------------------------------------------


@bp.route(PREFIX + "/agenda")
@login_required
def run_of_show(workshop_id):
    """The agenda with what runs now, and the workshop's status."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_run_of_show.html", run_of_show_context(workshop))


@bp.route(PREFIX + "/agenda/<int:item_id>/now", methods=["POST"])
@login_required
def mark_now(workshop_id, item_id):
    """Mark the agenda item running now."""
    workshop = workshop_for(current_user, workshop_id)
    item = _item(workshop, item_id)
    services.set_current_item(workshop, item)
    announce = _("Now: %(title)s.", title=item.title)
    if item.kind == AgendaItemKind.GROUP_WORK.value:
        announce = _("Now: %(title)s. The groups are below, in the table.", title=item.title)
    return _done(workshop, "control/_run_of_show.html", run_of_show_context(workshop), announce, "run-of-show")


@bp.route(PREFIX + "/agenda/now/clear", methods=["POST"])
@login_required
def clear_now(workshop_id):
    """Nothing on the agenda runs now (before the start, or after the end)."""
    workshop = workshop_for(current_user, workshop_id)
    services.set_current_item(workshop, None)
    return _done(
        workshop,
        "control/_run_of_show.html",
        run_of_show_context(workshop),
        _("No agenda item is marked as running now."),
        "run-of-show",
    )


@bp.route(PREFIX + "/status", methods=["POST"])
@login_required
def set_status(workshop_id):
    """Move the workshop to draft, live or finished; finishing locks every answer."""
    workshop = workshop_for(current_user, workshop_id)
    status = request.form.get("status", "")
    try:
        services.set_workshop_status(workshop, status)
    except DomainError as error:
        return _refused(
            workshop,
            "control/_run_of_show.html",
            run_of_show_context(workshop, control_message(error.code)),
            status_for(error.code),
        )
    announce = {
        WorkshopStatus.LIVE.value: _("The workshop is live."),
        WorkshopStatus.DRAFT.value: _("The workshop is a draft again."),
        WorkshopStatus.FINISHED.value: _("The workshop is finished: every answer is now read-only."),
    }[status]
    return _done(workshop, "control/_run_of_show.html", run_of_show_context(workshop), announce, "run-of-show")


# --- co-facilitators -----------------------------------------------------------------------------


@bp.route(PREFIX + "/facilitators")
@login_required
def facilitators(workshop_id):
    """Who drives this workshop, re-fetched when someone is invited or removed."""
    workshop = workshop_for(current_user, workshop_id)
    return _region(workshop, "control/_facilitators.html", facilitators_context(workshop))


@bp.route(PREFIX + "/facilitators", methods=["POST"])
@login_required
@form_view
def invite(workshop_id):
    """Give another facilitator account the same control of this workshop."""
    workshop = workshop_for(current_user, workshop_id)
    form = InviteForm(prefix="invite")
    status = 400
    if form.validate_on_submit():
        try:
            invited = services.invite_co_facilitator(workshop, form.email.data or "")
        except DomainError as error:
            form.email.errors.append(control_message(error.code))
            status = status_for(error.code)
        else:
            return _done(
                workshop,
                "control/_facilitators.html",
                facilitators_context(workshop),
                _("%(name)s can now drive this workshop with you.", name=invited.display_name),
                "facilitators",
            )
    return _refused(workshop, "control/_facilitators.html", facilitators_context(workshop, form), status)


@bp.route(PREFIX + "/facilitators/<int:facilitator_id>/remove", methods=["POST"])
@login_required
def remove_facilitator(workshop_id, facilitator_id):
    """Take a co-facilitator off this workshop; the owner stays."""
    workshop = workshop_for(current_user, workshop_id)
    try:
        services.remove_co_facilitator(workshop, facilitator_id)
    except DomainError as error:
        if not any(m.facilitator_id == facilitator_id for m in services.facilitators_of(workshop)):
            abort(404)
        return _refused(
            workshop,
            "control/_facilitators.html",
            facilitators_context(workshop, facilitator_error=control_message(error.code)),
            status_for(error.code),
        )
    if facilitator_id == current_user.id:
        # They took themselves off: this control room is no longer theirs.
        flash(_("You no longer drive this workshop."), "info")
        if _wants_fragment():
            response = make_response("", 204)
            response.headers["HX-Redirect"] = url_for("planning.dashboard")
            return response
        return redirect(url_for("planning.dashboard"))
    return _done(
        workshop,
        "control/_facilitators.html",
        facilitators_context(workshop),
        _("The co-facilitator is removed from this workshop."),
        "facilitators",
    )
