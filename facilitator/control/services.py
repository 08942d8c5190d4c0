"""Driving a live workshop: stages, the timer, messages, help, comments, people, run of show.

Every function commits once and then tells the screens what changed, by event name only.
"""

from datetime import timedelta

from ..accounts.models import utcnow
from ..accounts.services import find_facilitator
from ..extensions import db
from ..groups.models import Group
from ..live.events import control_channel, group_channel, publish, workshop_channel
from ..participants.models import Participant, SeatTakeover, TakeoverStatus
from ..stages import state as stage_state
from ..stages.models import Stage
from ..workshops.models import FacilitatorRole, WorkshopFacilitator
from .models import Broadcast, HelpRequest, StageComment, StageTimer

MAX_TIMER_MINUTES = 480
MAX_ADD_MINUTES = 120
MAX_MESSAGE = 500
MAX_COMMENT = 1000


class ControlError(Exception):
    """A refused control action; `code` says why, for a message in the user's language."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _refuse_if_finished(workshop):
    if workshop.is_finished:
        raise ControlError("finished")


def stages_of(workshop):
    return db.session.scalars(db.select(Stage).filter_by(process_id=workshop.process_id).order_by(Stage.position)).all()


def _announce_stages(workshop, *stages):
    for stage in stages:
        publish(workshop_channel(workshop.id), f"stage-{stage.id}")
    publish(workshop_channel(workshop.id), "stages-changed")
    publish(control_channel(workshop.id), "stages-changed")


# --- stages -------------------------------------------------------------------------------------

def set_stage_state(workshop, stage, state, group=None):
    """Open, close or keep locked a stage for every group (clearing per-group exceptions) or for one group."""
    try:
        stage_state.move(workshop, stage, state, group)
    except stage_state.MoveRefused as refused:
        raise ControlError(refused.code) from None
    db.session.commit()
    _announce_stages(workshop, stage)


def current_stage(workshop):
    """The stage open for everyone, if any (the first one, should several be open)."""
    return stage_state.open_for_all(stages_of(workshop))


def next_stage(workshop, seen_stage_id):
    """Close the stage the facilitator saw open and open the one after it (with its time box): once.

    A double click, or a second facilitator pressing the same button, finds that stage already
    closed and does nothing. Returns the newly opened stage, or None when there was nothing to do.
    """
    try:
        moved = stage_state.advance(workshop, stages_of(workshop), seen_stage_id)
    except stage_state.MoveRefused as refused:
        raise ControlError(refused.code) from None
    if moved is None:
        db.session.rollback()
        return None
    changed, following = moved
    if following is not None and following.time_box_minutes:
        _count_down(workshop, following.time_box_minutes * 60, following)
    db.session.commit()
    _announce_stages(workshop, *changed)
    publish(workshop_channel(workshop.id), "timer-changed")
    return following


# --- the timer ----------------------------------------------------------------------------------

def timer_of(workshop):
    return db.session.scalar(db.select(StageTimer).filter_by(workshop_id=workshop.id))


def _aware(moment):
    from datetime import timezone

    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def timer_state(workshop, now=None):
    """What every screen shows: running or paused, seconds left, and the deadline to count down to."""
    timer = timer_of(workshop)
    now = now or utcnow()
    if timer is None or (timer.deadline is None and timer.remaining_seconds is None):
        return {"state": "stopped", "remaining": 0, "deadline": None, "stage_id": None, "duration": 0}
    if timer.deadline is not None:
        deadline = _aware(timer.deadline)
        remaining = max(0, int(round((deadline - now).total_seconds())))
        return {"state": "running" if remaining else "ended", "remaining": remaining, "deadline": deadline,
                "stage_id": timer.stage_id, "duration": timer.duration_seconds}
    return {"state": "paused", "remaining": timer.remaining_seconds, "deadline": None,
            "stage_id": timer.stage_id, "duration": timer.duration_seconds}


def _timer_for_update(workshop):
    timer = timer_of(workshop)
    if timer is None:
        timer = StageTimer(workshop_id=workshop.id)
        db.session.add(timer)
    return timer


def _announce_timer(workshop):
    publish(workshop_channel(workshop.id), "timer-changed")
    publish(control_channel(workshop.id), "timer-changed")


def check_minutes(minutes, limit):
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise ControlError("bad-minutes") from None
    if not (0 < value <= limit) or value != value:
        raise ControlError("bad-minutes")
    return value


def _count_down(workshop, seconds, stage=None):
    timer = _timer_for_update(workshop)
    timer.stage_id = stage.id if stage is not None else timer.stage_id
    timer.duration_seconds = int(seconds)
    timer.deadline = utcnow() + timedelta(seconds=int(seconds))
    timer.remaining_seconds = None


def start_timer(workshop, seconds, stage=None):
    """Count down `seconds` from now."""
    _refuse_if_finished(workshop)
    check_minutes(seconds / 60, MAX_TIMER_MINUTES)
    _count_down(workshop, seconds, stage)
    db.session.commit()
    _announce_timer(workshop)


def pause_timer(workshop):
    state = timer_state(workshop)
    if state["state"] != "running":
        return
    timer = timer_of(workshop)
    timer.remaining_seconds = state["remaining"]
    timer.deadline = None
    db.session.commit()
    _announce_timer(workshop)


def resume_timer(workshop):
    timer = timer_of(workshop)
    if timer is None or timer.remaining_seconds is None:
        return
    timer.deadline = utcnow() + timedelta(seconds=timer.remaining_seconds)
    timer.remaining_seconds = None
    db.session.commit()
    _announce_timer(workshop)


def add_minutes(workshop, minutes):
    """More time for everyone, whether the timer runs, is paused, has ended or never started."""
    _refuse_if_finished(workshop)
    seconds = int(check_minutes(minutes, MAX_ADD_MINUTES) * 60)
    state = timer_state(workshop)
    timer = _timer_for_update(workshop)
    if state["state"] == "paused":
        timer.remaining_seconds += seconds
    else:
        if state["state"] == "stopped":  # nothing to add to: count down from now, for this stage
            stage = current_stage(workshop)
            timer.stage_id = stage.id if stage is not None else timer.stage_id
        timer.deadline = utcnow() + timedelta(seconds=state["remaining"] + seconds)
        timer.remaining_seconds = None
    if state["remaining"] + seconds > MAX_TIMER_MINUTES * 60:
        db.session.rollback()
        raise ControlError("bad-minutes")
    timer.duration_seconds = max(timer.duration_seconds or 0, state["remaining"] + seconds)
    db.session.commit()
    _announce_timer(workshop)


def reset_timer(workshop):
    timer = timer_of(workshop)
    if timer is None:
        return
    timer.deadline = None
    timer.remaining_seconds = None
    db.session.commit()
    _announce_timer(workshop)


# --- messages, help and comments ----------------------------------------------------------------

def _clean_text(text, limit, code):
    text = (text or "").strip()
    if not text:
        raise ControlError(f"{code}-empty")
    if len(text) > limit:
        raise ControlError(f"{code}-too-long")
    return text


def broadcast(workshop, text, author, group=None):
    """A short message on every group's screen, or on one group's."""
    text = _clean_text(text, MAX_MESSAGE, "message")
    if group is not None and group.workshop_id != workshop.id:
        raise ControlError("foreign-group")
    message = Broadcast(workshop_id=workshop.id, group_id=group.id if group else None, text=text, author=author)
    db.session.add(message)
    db.session.commit()
    channel = group_channel(group.id) if group else workshop_channel(workshop.id)
    publish(channel, "message")
    publish(control_channel(workshop.id), "message")
    return message


def messages_for(workshop, group, limit=3):
    """The latest messages a group sees: those to everyone and those to it."""
    query = (db.select(Broadcast).where(Broadcast.workshop_id == workshop.id)
             .where((Broadcast.group_id.is_(None)) | (Broadcast.group_id == (group.id if group else -1)))
             .order_by(Broadcast.created_at.desc(), Broadcast.id.desc()).limit(limit))
    return db.session.scalars(query).all()


def ask_for_help(participant):
    """Raise the group's help flag (once: asking twice keeps one flag)."""
    group = participant.group
    request = db.session.scalar(db.select(HelpRequest).filter_by(group_id=group.id, cleared_at=None))
    if request is None:
        request = HelpRequest(workshop_id=group.workshop_id, group_id=group.id, participant_id=participant.id)
        db.session.add(request)
        db.session.commit()
    publish(control_channel(group.workshop_id), "help-changed")
    publish(group_channel(group.id), "help-changed")
    return request


def open_help_request(group):
    return db.session.scalar(db.select(HelpRequest).filter_by(group_id=group.id, cleared_at=None))


def open_help_requests(workshop):
    return db.session.scalars(
        db.select(HelpRequest).filter_by(workshop_id=workshop.id, cleared_at=None).order_by(HelpRequest.created_at)
    ).all()


def clear_help(workshop, group):
    """The facilitator went over: lower the group's flag."""
    request = open_help_request(group)
    if request is None or group.workshop_id != workshop.id:
        return
    request.cleared_at = utcnow()
    db.session.commit()
    publish(control_channel(workshop.id), "help-changed")
    publish(group_channel(group.id), "help-changed")


def comment_on_stage(workshop, group, stage, text, author):
    """The facilitator's note on one group's stage, shown to that group live."""
    text = _clean_text(text, MAX_COMMENT, "comment")
    if group.workshop_id != workshop.id or stage.process_id != workshop.process_id:
        raise ControlError("foreign-group")
    comment = StageComment(group_id=group.id, stage_id=stage.id, text=text, author=author)
    db.session.add(comment)
    db.session.commit()
    publish(group_channel(group.id), f"comments-{stage.id}")
    publish(control_channel(workshop.id), "comment")
    return comment


def comments_by_stage(group):
    """All the facilitator's comments to a group, keyed by stage: one query for a whole workspace."""
    by_stage = {}
    for comment in db.session.scalars(
        db.select(StageComment).filter_by(group_id=group.id).order_by(StageComment.created_at)
    ):
        by_stage.setdefault(comment.stage_id, []).append(comment)
    return by_stage


def comments_for(group, stage):
    return db.session.scalars(
        db.select(StageComment).filter_by(group_id=group.id, stage_id=stage.id).order_by(StageComment.created_at)
    ).all()


# --- people -------------------------------------------------------------------------------------

def _announce_people(workshop, *groups):
    for group in groups:
        publish(group_channel(group.id), "members-changed")
    publish(control_channel(workshop.id), "people-changed")


def participants_of(workshop):
    return db.session.scalars(
        db.select(Participant).filter_by(workshop_id=workshop.id, removed_at=None).order_by(Participant.display_name)
    ).all()


def takeovers_of(workshop, recent=10):
    """Seats taken over with a group PIN: the pending requests (oldest first), then the latest others.

    What lets a facilitator notice that someone else took a member's seat, and approve or refuse
    a takeover while the member's own device is still in use.
    """
    query = (db.select(SeatTakeover).filter_by(workshop_id=workshop.id)
             .options(db.joinedload(SeatTakeover.participant), db.joinedload(SeatTakeover.group),
                      db.joinedload(SeatTakeover.decided_by)))
    pending = db.session.scalars(query.filter(SeatTakeover.status == TakeoverStatus.PENDING)
                                 .order_by(SeatTakeover.requested_at, SeatTakeover.id)).all()
    done = db.session.scalars(query.filter(SeatTakeover.status != TakeoverStatus.PENDING)
                              .order_by(SeatTakeover.requested_at.desc(), SeatTakeover.id.desc())
                              .limit(recent)).all()
    return {"pending": pending, "done": done}


def move_participant(workshop, participant, group):
    if participant.workshop_id != workshop.id or group.workshop_id != workshop.id or group.is_archived:
        raise ControlError("foreign-group")
    old = participant.group
    participant.group_id = group.id
    participant.is_spokesperson = False
    db.session.commit()
    if old is not None:
        publish(group_channel(old.id), "moved", participant.id)
    _announce_people(workshop, *(g for g in (old, group) if g is not None))


def rename_participant(workshop, participant, name):
    from ..participants.services import MAX_NAME

    name = " ".join((name or "").split())
    if not name:
        raise ControlError("name-empty")
    if len(name) > MAX_NAME:
        raise ControlError("name-too-long")
    participant.display_name = name
    db.session.commit()
    _announce_people(workshop, participant.group)


def remove_participant(workshop, participant):
    """Take someone out: their cookie stops working; what they wrote stays."""
    import secrets

    participant.removed_at = utcnow()
    participant.token = secrets.token_urlsafe(32)
    participant.is_spokesperson = False
    db.session.commit()
    if participant.group is not None:
        publish(group_channel(participant.group.id), "moved", participant.id)
    _announce_people(workshop, *(g for g in (participant.group,) if g is not None))


def set_spokesperson(workshop, group, participant):
    """Who presents the group's result; None clears it."""
    if group.workshop_id != workshop.id or (participant is not None and participant.group_id != group.id):
        raise ControlError("foreign-group")
    db.session.execute(db.update(Participant).where(Participant.group_id == group.id).values(is_spokesperson=False)
                       .execution_options(synchronize_session=False))
    if participant is not None:
        participant.is_spokesperson = True
    db.session.commit()
    db.session.expire_all()
    _announce_people(workshop, group)


def spokesperson_of(group):
    return db.session.scalar(db.select(Participant).filter_by(group_id=group.id, is_spokesperson=True,
                                                              removed_at=None))


# --- run of show and co-facilitators -----------------------------------------------------------

def set_current_item(workshop, item):
    """Mark the agenda item running now (None: nothing)."""
    if item is not None and item.workshop_id != workshop.id:
        raise ControlError("foreign-item")
    workshop.current_agenda_item_id = item.id if item is not None else None
    db.session.commit()
    publish(control_channel(workshop.id), "agenda-changed")
    publish(workshop_channel(workshop.id), "agenda-changed")


def invite_co_facilitator(workshop, email):
    """Give another facilitator account the same control of this workshop."""
    facilitator = find_facilitator(email)
    if facilitator is None:
        raise ControlError("no-account")
    exists = db.session.scalar(db.select(WorkshopFacilitator).filter_by(workshop_id=workshop.id,
                                                                         facilitator_id=facilitator.id))
    if exists is not None:
        raise ControlError("already-facilitator")
    db.session.add(WorkshopFacilitator(workshop_id=workshop.id, facilitator_id=facilitator.id,
                                       role=FacilitatorRole.CO_FACILITATOR.value))
    db.session.commit()
    publish(control_channel(workshop.id), "facilitators-changed")
    return facilitator


def remove_co_facilitator(workshop, facilitator_id):
    membership = db.session.scalar(db.select(WorkshopFacilitator).filter_by(workshop_id=workshop.id,
                                                                             facilitator_id=facilitator_id))
    if membership is None or membership.role == FacilitatorRole.OWNER.value:
        raise ControlError("not-co-facilitator")
    db.session.delete(membership)
    db.session.commit()
    publish(control_channel(workshop.id), "facilitators-changed")


def facilitators_of(workshop):
    return db.session.scalars(
        db.select(WorkshopFacilitator).filter_by(workshop_id=workshop.id).order_by(WorkshopFacilitator.id)
    ).all()


# --- the overview -------------------------------------------------------------------------------

def overview(workshop, now=None):
    """The control room's grid: per group, each stage's fill state, last activity, who is online, help."""
    from ..answers.models import Answer
    from ..stages.models import StageField
    now = now or utcnow()
    stages = stages_of(workshop)
    groups = db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position, Group.id)
    ).all()
    fields_by_stage = {}
    for field in db.session.scalars(db.select(StageField).join(Stage).where(Stage.process_id == workshop.process_id)):
        fields_by_stage.setdefault(field.stage_id, []).append(field.id)
    answers = db.session.execute(
        db.select(Answer.group_id, Answer.field_id, Answer.value, Answer.updated_at)
        .join(Group, Answer.group_id == Group.id).where(Group.workshop_id == workshop.id)
    ).all()
    filled, last = {}, {}
    for group_id, field_id, value, updated_at in answers:
        if value.strip():
            filled.setdefault(group_id, set()).add(field_id)
        updated_at = _aware(updated_at)
        if updated_at and (group_id not in last or updated_at > last[group_id]):
            last[group_id] = updated_at
    people = participants_of(workshop)
    online_after = now - timedelta(seconds=90)
    help_groups = {h.group_id for h in open_help_requests(workshop)}
    rows = []
    for group in groups:
        overrides = stage_state.overrides_for(group)
        cells = []
        for stage in stages:
            field_ids = fields_by_stage.get(stage.id, [])
            done = len(filled.get(group.id, set()) & set(field_ids))
            cells.append({"stage": stage, "state": stage_state.stage_state_for(stage, group, overrides),
                          "filled": done, "fields": len(field_ids)})
        members = [p for p in people if p.group_id == group.id]
        rows.append({
            "group": group, "cells": cells, "last_activity": last.get(group.id),
            "members": members,
            "online": [p for p in members if _aware(p.last_seen_at) and _aware(p.last_seen_at) >= online_after],
            "needs_help": group.id in help_groups,
            "spokesperson": next((p for p in members if p.is_spokesperson), None),
        })
    return {"stages": stages, "rows": rows, "unassigned": [p for p in people if p.group_id is None]}


# --- for the control room's page -----------------------------------------------------------------

def recent_messages(workshop, limit=10):
    """The latest messages of the whole workshop, to every group or to one, newest first."""
    return db.session.scalars(
        db.select(Broadcast).where(Broadcast.workshop_id == workshop.id)
        .order_by(Broadcast.created_at.desc(), Broadcast.id.desc()).limit(limit)
    ).all()


def stage_in_focus(workshop, stages=None):
    """The stage the facilitator is driving: the one open for all, else the next to open, else the last."""
    stages = stages if stages is not None else stages_of(workshop)
    open_now = stage_state.open_for_all(stages)
    if open_now is not None:
        return open_now
    return next((s for s in stages if s.state == stage_state.LOCKED), stages[-1] if stages else None)


def agenda_of(workshop):
    """The run of show: every agenda item, day by day, in order."""
    from ..agenda.models import AgendaItem

    return db.session.scalars(
        db.select(AgendaItem).filter_by(workshop_id=workshop.id)
        .order_by(AgendaItem.day_index, AgendaItem.position, AgendaItem.id)
    ).all()


def set_workshop_status(workshop, status):
    """Move the workshop to draft, live or finished, and tell every screen (finished: all read-only)."""
    from ..workshops import services as workshop_services

    try:
        workshop_services.set_status(workshop, status)
    except workshop_services.WorkshopError:
        raise ControlError("bad-status") from None
    for stage in stages_of(workshop):
        publish(workshop_channel(workshop.id), f"stage-{stage.id}")
    for channel in (workshop_channel(workshop.id), control_channel(workshop.id)):
        publish(channel, "stages-changed")
        publish(channel, "status-changed")
