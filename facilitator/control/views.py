"""The facilitator's control room: drive the stages, keep time, watch every group live.

One page, one SSE connection, and regions that re-fetch their own fragment when the stream
names their event (`page.py`). This module serves the page, its stream, the stages and the
groups; the timer and messages, the people and the run of show have modules of their own on
the same blueprint, imported at the bottom so that registering `bp` registers them all.
"""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import wants_fragment
from ..core.urls import parse_id
from ..groups.models import Group
from ..live.events import control_channel, workshop_channel
from ..live.sse import stream_of
from ..room import services as room_services
from ..stages.models import Stage, StageState
from ..stages.state import stages_of
from . import people, running, services, timer  # noqa: F401  (people, running, timer: their routes)
from .forms import CommentForm
from .page import (
    CLOSING,
    GRID,
    GROUP,
    HELP,
    ROOM,
    STAGE_BAR,
    attempt,
    bp,
    found,
    grid_context,
    group_in,
    named_in,
    room_context,
)

# --- the page and its stream -------------------------------------------------------------------


@bp.route("")
def room(workshop):
    """The cockpit: stages, timer, every group live, messages, people, run of show, co-facilitators."""
    selected = group_in(request.args, "group", workshop)
    return render_template(ROOM, **room_context(workshop, selected))


@bp.route("/stream")
def stream(workshop):
    """The control room's one SSE connection: the workshop's channel and the facilitators' own."""
    channels = [workshop_channel(workshop.id), control_channel(workshop.id)]
    return stream_of(channels)


# --- stages --------------------------------------------------------------------------------------


@bp.route("/stages")
def stage_bar(workshop):
    """The stages and their state, re-fetched whenever a stage opens or closes."""
    return STAGE_BAR.show(workshop)


def _next_announcement(workshop, seen, opened):
    if opened is not None:
        said = _("Stage “%(title)s” is open for all groups.", title=opened.title)
        if opened.time_box_minutes and room_services.keeps_counting(workshop):
            said += " " + _(
                "The timer you set keeps running; start the stage's own time from the timer if you want it."
            )
        return said
    if seen is not None and seen == stages_of(workshop)[-1]:
        return _("The last stage is closed.")
    return _("Nothing changed: the stages had already moved on. This is where they are now.")


@bp.route("/stages/next", methods=["POST"])
def next_stage(workshop):
    """Close the stage this page showed open and open the next: once, however often it is pressed."""
    seen = named_in(request.form, "seen_stage", Stage, process_id=workshop.process_id)
    try:
        opened = services.next_stage(workshop, seen.id if seen else None)
    except DomainError as error:
        return STAGE_BAR.refuse_error(workshop, error, "stage_error")
    return STAGE_BAR.done(workshop, _next_announcement(workshop, seen, opened))


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


@bp.route("/stages/<int:stage_id>/state", methods=["POST"])
def stage_state(workshop, stage):
    """Open or close one stage for every group."""
    state = request.form.get("state", "")
    try:
        services.set_stage_state(workshop, stage, state)
    except DomainError as error:
        return STAGE_BAR.refuse_error(workshop, error, "stage_error")
    return STAGE_BAR.done(workshop, _state_announcement(stage, state))


@bp.route("/groups/<int:group_id>/stages/<int:stage_id>/state", methods=["POST"])
def group_stage_state(workshop, group, stage):
    """Open or close one stage for one group only (a group that needs longer, or finished early)."""
    state = request.form.get("state", "")
    try:
        services.set_stage_state(workshop, stage, state, group)
    except DomainError as error:
        return GRID.refuse_error(workshop, error, "grid_error")
    return GRID.done(workshop, _state_announcement(stage, state, group))


# --- the grid, help and one group's answers ------------------------------------------------------


@bp.route("/grid")
def grid(workshop):
    """Every group by every stage, re-fetched as answers, stages, help and people change."""
    selected_id = parse_id(request.args.get("selected", ""))
    selected = found(Group, selected_id, workshop_id=workshop.id) if selected_id else None
    return GRID.show(workshop, selected)


@bp.route("/closing")
def closing(workshop):
    """Who may still be saving what they typed as a stage closed; re-fetched until nobody is."""
    return CLOSING.show(workshop)


@bp.route("/help")
def help_alerts(workshop):
    """The groups asking for help, for the page's polite live region."""
    return HELP.show(workshop)


@bp.route("/groups/<int:group_id>/help/clear", methods=["POST"])
def clear_help(workshop, group):
    """The facilitator went over to the group: lower its flag."""
    room_services.clear_help(workshop, group)
    return GRID.done(workshop, _("The help flag of %(group)s is cleared.", group=group.name))


@bp.route("/groups/<int:group_id>")
def group_detail(workshop, group):
    """One group's answers to every stage and the comments on them, updating live."""
    if wants_fragment() and request.args.get("select"):
        # Chosen in the table: the table marks the chosen row, so it comes along out of band.
        return GROUP.show(workshop, group, extra=dict(grid_context(workshop, group), oob_grid=True))
    return GROUP.show(workshop, group)


@bp.route("/groups/<int:group_id>/stages/<int:stage_id>/comments", methods=["POST"])
@form_view
def comment(workshop, group, stage):
    """Leave the group a comment on one of its stages; it appears on their screen at once."""
    form = CommentForm(prefix=f"comment-{stage.id}")
    author = current_user.display_name
    _comment, status = attempt(
        form, "text", lambda: room_services.comment_on_stage(workshop, group, stage, form.text.data, author)
    )
    if status != 200:
        return GROUP.refuse(workshop, status, group, {stage.id: form})
    announce = _("Your comment is on the screen of %(group)s.", group=group.name)
    return GROUP.done(workshop, announce, group, query={"group": group.id}, anchor=f"group-stage-{stage.id}")
