"""Driving a live workshop: stages, people, seat takeovers, run of show, co-facilitators, the overview.

Every function commits once and then tells the screens what changed, by event name only.
"""

import secrets
from datetime import timedelta

from ..accounts.models import utcnow
from ..accounts.services import find_facilitator
from ..agenda.models import AgendaItem
from ..answers.models import Answer
from ..core.domain import DomainError
from ..extensions import db
from ..groups.models import Group
from ..groups.services import active_groups
from ..live.events import control_channel, group_channel, publish, workshop_channel
from ..participants import cards
from ..participants.models import Participant, SeatTakeover, TakeoverStatus
from ..participants.services import MAX_NAME
from ..room import services as room
from ..stages import state as stage_state
from ..stages.models import Stage, StageField, StageState
from ..workshops import services as workshop_services
from ..workshops.models import FacilitatorRole, WorkshopFacilitator


def _announce_stages(workshop, stages, group=None, timer=False):
    """One word per change: each group's phones get their new cards in its news, then every stream
    (phones, control room, presenter) hears `stages-changed` once (see participants.cards)."""
    cards.announce(workshop, stages, None if group is None else [group], timer=timer)


# --- stages -------------------------------------------------------------------------------------


def set_stage_state(workshop, stage, state, group=None):
    """Open, close or keep locked a stage for every group (clearing per-group exceptions) or for one group."""
    try:
        stage_state.move(workshop, stage, state, group)
    except stage_state.MoveRefused as refused:
        raise DomainError(refused.code) from None
    stopped = group is None and state == StageState.CLOSED.value and room.stop_for(workshop, stage)
    db.session.commit()
    _announce_stages(workshop, [stage], group, timer=stopped)


def next_stage(workshop, seen_stage_id):
    """Close the stage the facilitator saw open and open the one after it (with its time box): once.

    A double click, or a second facilitator pressing the same button, finds that stage already
    closed and does nothing. Returns the newly opened stage, or None when there was nothing to do.
    """
    try:
        moved = stage_state.advance(workshop, stage_state.stages_of(workshop), seen_stage_id)
    except stage_state.MoveRefused as refused:
        raise DomainError(refused.code) from None
    if moved is None:
        db.session.rollback()
        return None
    changed, following = moved
    if following is None:  # the last stage closed: no stage left to count down for
        for stage in changed:
            room.stop_for(workshop, stage)
    elif following.time_box_minutes and not room.keeps_counting(workshop):
        room.count_down(workshop, following.time_box_minutes * 60, following)
    db.session.commit()
    _announce_stages(workshop, changed, timer=True)
    return following


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
    query = (
        db.select(SeatTakeover)
        .filter_by(workshop_id=workshop.id)
        .options(
            db.joinedload(SeatTakeover.participant),
            db.joinedload(SeatTakeover.group),
            db.joinedload(SeatTakeover.decided_by),
        )
    )
    pending = db.session.scalars(
        query.filter(SeatTakeover.status == TakeoverStatus.PENDING).order_by(SeatTakeover.requested_at, SeatTakeover.id)
    ).all()
    done = db.session.scalars(
        query.filter(SeatTakeover.status != TakeoverStatus.PENDING)
        .order_by(SeatTakeover.requested_at.desc(), SeatTakeover.id.desc())
        .limit(recent)
    ).all()
    return {"pending": pending, "done": done}


def move_participant(workshop, participant, group):
    if participant.workshop_id != workshop.id or group.workshop_id != workshop.id or group.is_archived:
        raise DomainError("foreign-group")
    old = participant.group
    participant.group_id = group.id
    participant.is_spokesperson = False
    db.session.commit()
    if old is not None:
        publish(group_channel(old.id), "moved", participant.id)
    _announce_people(workshop, *(g for g in (old, group) if g is not None))


def rename_participant(workshop, participant, name):
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("rename-empty")
    if len(name) > MAX_NAME:
        raise DomainError("rename-too-long")
    participant.display_name = name
    db.session.commit()
    _announce_people(workshop, participant.group)


def remove_participant(workshop, participant):
    """Take someone out: their cookie stops working; what they wrote stays."""
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
        raise DomainError("foreign-group")
    db.session.execute(
        db.update(Participant)
        .where(Participant.group_id == group.id)
        .values(is_spokesperson=False)
        .execution_options(synchronize_session=False)
    )
    if participant is not None:
        participant.is_spokesperson = True
    db.session.commit()
    db.session.expire_all()
    _announce_people(workshop, group)


# --- run of show and co-facilitators -----------------------------------------------------------


def set_current_item(workshop, item):
    """Mark the agenda item running now (None: nothing)."""
    if item is not None and item.workshop_id != workshop.id:
        raise DomainError("foreign-item")
    workshop.current_agenda_item_id = item.id if item is not None else None
    db.session.commit()
    publish(control_channel(workshop.id), "agenda-changed")  # only the control room shows the run of show


def invite_co_facilitator(workshop, email):
    """Give another facilitator account the same control of this workshop."""
    facilitator = find_facilitator(email)
    if facilitator is None:
        raise DomainError("no-account")
    exists = db.session.scalar(
        db.select(WorkshopFacilitator).filter_by(workshop_id=workshop.id, facilitator_id=facilitator.id)
    )
    if exists is not None:
        raise DomainError("already-facilitator")
    db.session.add(
        WorkshopFacilitator(
            workshop_id=workshop.id, facilitator_id=facilitator.id, role=FacilitatorRole.CO_FACILITATOR.value
        )
    )
    db.session.commit()
    publish(control_channel(workshop.id), "facilitators-changed")
    return facilitator


def remove_co_facilitator(workshop, facilitator_id):
    membership = db.session.scalar(
        db.select(WorkshopFacilitator).filter_by(workshop_id=workshop.id, facilitator_id=facilitator_id)
    )
    if membership is None or membership.role == FacilitatorRole.OWNER.value:
        raise DomainError("not-co-facilitator")
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
    now = now or utcnow()
    stages = stage_state.stages_of(workshop)
    groups = active_groups(workshop)
    fields_by_stage = {}
    for field in db.session.scalars(db.select(StageField).join(Stage).where(Stage.process_id == workshop.process_id)):
        fields_by_stage.setdefault(field.stage_id, []).append(field.id)
    answers = db.session.execute(
        db.select(Answer.group_id, Answer.field_id, Answer.value, Answer.updated_at)
        .join(Group, Answer.group_id == Group.id)
        .where(Group.workshop_id == workshop.id)
    ).all()
    filled, last = {}, {}
    for group_id, field_id, value, updated_at in answers:
        if value.strip():
            filled.setdefault(group_id, set()).add(field_id)
        updated_at = room.aware(updated_at)
        if updated_at and (group_id not in last or updated_at > last[group_id]):
            last[group_id] = updated_at
    people = participants_of(workshop)
    by_group = {}
    for person in people:
        by_group.setdefault(person.group_id, []).append(person)
    online_after = now - timedelta(seconds=90)
    help_groups = {h.group_id for h in room.open_help_requests(workshop)}
    # One query for every group's own stage states, and each group's people found at once: a
    # plenary's grid is a hundred rows.
    own_states = stage_state.overrides_for_groups([group.id for group in groups])
    rows = []
    for group in groups:
        overrides = own_states[group.id]
        cells = []
        for stage in stages:
            field_ids = fields_by_stage.get(stage.id, [])
            done = len(filled.get(group.id, set()) & set(field_ids))
            cells.append(
                {
                    "stage": stage,
                    "state": stage_state.stage_state_for(stage, group, overrides),
                    "filled": done,
                    "fields": len(field_ids),
                }
            )
        members = by_group.get(group.id, [])
        rows.append(
            {
                "group": group,
                "cells": cells,
                "last_activity": last.get(group.id),
                "members": members,
                "online": [
                    p for p in members if room.aware(p.last_seen_at) and room.aware(p.last_seen_at) >= online_after
                ],
                "needs_help": group.id in help_groups,
                "spokesperson": next((p for p in members if p.is_spokesperson), None),
            }
        )
    return {"stages": stages, "rows": rows, "unassigned": [p for p in people if p.group_id is None]}


# --- for the control room's page -----------------------------------------------------------------


def stage_in_focus(workshop, stages=None):
    """The stage the facilitator is driving: the one open for all, else the next to open, else the last."""
    stages = stages if stages is not None else stage_state.stages_of(workshop)
    open_now = stage_state.open_for_all(stages)
    if open_now is not None:
        return open_now
    return next((s for s in stages if s.state == stage_state.LOCKED), stages[-1] if stages else None)


def agenda_of(workshop):
    """The run of show: every agenda item, day by day, in order."""
    return db.session.scalars(
        db.select(AgendaItem)
        .filter_by(workshop_id=workshop.id)
        .order_by(AgendaItem.day_index, AgendaItem.position, AgendaItem.id)
    ).all()


def set_workshop_status(workshop, status):
    """Move the workshop to draft, live or finished, and tell every screen (finished: all read-only)."""
    try:
        workshop_services.set_status(workshop, status)
    except DomainError:
        raise DomainError("bad-status") from None
    _announce_stages(workshop, stage_state.stages_of(workshop))
    publish(workshop_channel(workshop.id), "status-changed")
