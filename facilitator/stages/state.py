"""A stage's state: what it is for a group, the moves allowed, and whether a group may write in it.

A workshop's stage is locked, open or closed for all its groups (`Stage.state`); one group may have
its own state for it (`GroupStageState`), which wins until the next move for all groups. The moves
here only change rows: the caller commits once for the whole action, then tells the screens.
"""

from datetime import UTC, timedelta
from functools import cache

from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import utcnow
from ..extensions import db
from .models import GroupStageState, Stage, StageState

#: Text typed as a stage closes is still accepted this long after the close: an autosave waits for a
#: pause in typing and a request on a venue's Wi-Fi takes a second or two. Longer, and a phone that
#: missed the close keeps saving (and showing "Saved") into a stage the room has left.
LATE_SAVE_GRACE = timedelta(seconds=10)
#: Only from someone who was typing in the field this shortly before the close (a phone says where
#: it types at most every 3 s): anyone else's save is refused the moment the stage closes.
TYPED_BEFORE_CLOSE = timedelta(seconds=10)

LOCKED, OPEN, CLOSED = StageState.LOCKED.value, StageState.OPEN.value, StageState.CLOSED.value

#: Where each state may go. A stage once open never becomes "not open yet" again: that would hide
#: what the groups wrote there as if the stage had never started.
MOVES = {
    LOCKED: frozenset({LOCKED, OPEN, CLOSED}),
    OPEN: frozenset({OPEN, CLOSED}),
    CLOSED: frozenset({OPEN, CLOSED}),
}


class MoveRefused(Exception):
    """A move the stage cannot make; `code` is the control room's code for the message."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


# --- reading ---------------------------------------------------------------------------------------


@cache
def _overrides_query():
    """Built once (on first use): every autosave asks it."""
    return db.select(GroupStageState).where(GroupStageState.group_id == db.bindparam("group_id"))


def overrides_for(group):
    """The group's own stage states, keyed by stage id (one query for a whole page)."""
    if group is None:
        return {}
    return {o.stage_id: o for o in db.session.scalars(_overrides_query(), {"group_id": group.id})}


def overrides_for_groups(group_ids):
    """Many groups' own stage states in one query: {group id: {stage id: override}}."""
    found = {group_id: {} for group_id in group_ids}
    for override in db.session.scalars(db.select(GroupStageState).where(GroupStageState.group_id.in_(group_ids))):
        found[override.group_id][override.stage_id] = override
    return found


def stage_state_for(stage, group, overrides=None):
    """The stage's state as this group sees it."""
    if overrides is None:
        overrides = overrides_for(group)
    override = overrides.get(stage.id)
    return override.state if override is not None else stage.state


def _aware(moment):
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=UTC)
    return moment


def closed_at_for(stage, group, overrides=None):
    """When the stage closed for this group (None if it never did, or opened again since)."""
    if overrides is None:
        overrides = overrides_for(group)
    override = overrides.get(stage.id)
    return _aware(override.closed_at if override is not None else stage.closed_at)


def takes_late_save(stage, group, typed_at, now=None, overrides=None):
    """Does a stage that closed for the group less than the grace ago still take the save of
    someone who was typing in it (`typed_at`) as it closed: the one kind of save the grace is for."""
    if typed_at is None:
        return False
    if overrides is None:
        overrides = overrides_for(group)
    if stage_state_for(stage, group, overrides) != CLOSED:
        return False
    closed_at = closed_at_for(stage, group, overrides)
    return (
        closed_at is not None
        and (now or utcnow()) - closed_at <= LATE_SAVE_GRACE
        and _aware(typed_at) >= closed_at - TYPED_BEFORE_CLOSE
    )


def refusal(stage, group, workshop, *, typed_at=None, overrides=None, now=None):
    """Why the group may not write in the stage now (a code), or None when it may.

    `typed_at`: when the person saving last typed in the field. A stage closed less than the grace
    ago still takes their save if they were typing as it closed, so that text is kept; a phone that
    missed the close, or a hand-made request, is refused at once.
    """
    if workshop.is_finished:
        return "workshop-finished"
    if group.is_archived:
        return "group-archived"
    if overrides is None:
        overrides = overrides_for(group)
    if stage_state_for(stage, group, overrides) == OPEN or takes_late_save(stage, group, typed_at, now, overrides):
        return None
    return "stage-closed"


def writable(stage, group, workshop, **options):
    """May the group write in the stage now: the one answer for saving and for showing inputs."""
    return refusal(stage, group, workshop, **options) is None


def progress(stages, group, overrides=None):
    """How many of the stages are done (closed) or under way, for the progress bar."""
    if overrides is None:
        overrides = overrides_for(group)
    states = [stage_state_for(stage, group, overrides) for stage in stages]
    return {"closed": states.count(CLOSED), "open": states.count(OPEN), "total": len(states)}


def open_for_all(stages):
    """The first stage open for every group, or None."""
    return next((s for s in stages if s.state == OPEN), None)


def next_step(stages):
    """What "next stage" (see advance) would do now: the stage open for all (or None), the one
    it opens (None past the last) and whether it can (from nothing open, only before any start)."""
    current = open_for_all(stages)
    if current is not None:
        return current, next((s for s in stages if s.position > current.position), None), True
    return None, (stages[0] if stages else None), bool(stages) and all(s.state == LOCKED for s in stages)


# --- moving ---------------------------------------------------------------------------------------


def _check(workshop, stage, state, group):
    if workshop.is_finished:
        raise MoveRefused("finished")
    if stage.process_id != workshop.process_id:
        raise MoveRefused("foreign-stage")
    if group is not None and (group.workshop_id != workshop.id or group.is_archived):
        raise MoveRefused("foreign-group")
    if state not in MOVES:
        raise MoveRefused("bad-state")


def move(workshop, stage, state, group=None, now=None):
    """Open, close or keep locked a stage for every group (clearing per-group states) or for one group.

    Refuses a finished workshop, a stage or group of another workshop, an unknown state and a move
    `MOVES` does not allow (for every group: from the stage's state and from each group's own).
    """
    _check(workshop, stage, state, group)
    now = now or utcnow()
    closed_at = now if state == CLOSED else None
    if group is None:
        own = db.session.scalars(db.select(GroupStageState.state).filter_by(stage_id=stage.id)).all()
        if any(state not in MOVES.get(current, ()) for current in {stage.state, *own}):
            raise MoveRefused("bad-state")
        stage.state, stage.closed_at = state, closed_at
        db.session.execute(db.delete(GroupStageState).where(GroupStageState.stage_id == stage.id))
        return
    override = db.session.scalar(db.select(GroupStageState).filter_by(group_id=group.id, stage_id=stage.id))
    current = override.state if override is not None else stage.state
    if state not in MOVES.get(current, ()):
        raise MoveRefused("bad-state")
    if override is None:
        override = GroupStageState(group_id=group.id, stage_id=stage.id)
        db.session.add(override)
    override.state, override.closed_at = state, closed_at


def _set(stage_id, process_id, values, where):
    """One compare-and-set UPDATE: two facilitators, or two processes, never both win it."""
    return (
        db.session.execute(
            db.update(Stage)
            .where(Stage.id == stage_id, Stage.process_id == process_id, where)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def advance(workshop, stages, seen_stage_id, now=None):
    """Close the stage the facilitator saw open and open the one after it, for every group.

    `seen_stage_id` is what their screen showed (None: nothing open yet). Returns the stages that
    changed and the one now open (or None past the last), or None when another click moved the
    stages first: then nothing was written, and the caller rolls back to end the transaction.
    """
    if workshop.is_finished:
        raise MoveRefused("finished")
    now = now or utcnow()
    changed = []
    if seen_stage_id is None:
        if any(s.state != LOCKED for s in stages):
            return None
        following = stages[0] if stages else None
        if following is not None and not _set(
            following.id, workshop.process_id, {"state": OPEN, "closed_at": None}, Stage.state != OPEN
        ):
            return None
    else:
        if not _set(seen_stage_id, workshop.process_id, {"state": CLOSED, "closed_at": now}, Stage.state == OPEN):
            return None
        seen = next(s for s in stages if s.id == seen_stage_id)
        changed.append(seen)
        _committed(seen, CLOSED, now)
        following = next((s for s in stages if s.position > seen.position), None)
        if following is not None:
            _set(following.id, workshop.process_id, {"state": OPEN, "closed_at": None}, Stage.state != OPEN)
    if following is not None:
        changed.append(following)
        _committed(following, OPEN, None)
    db.session.execute(db.delete(GroupStageState).where(GroupStageState.stage_id.in_([s.id for s in changed])))
    return changed, following


def _committed(stage, state, closed_at):
    """The row now holds these values; tell the session so without reading it back."""
    set_committed_value(stage, "state", state)
    set_committed_value(stage, "closed_at", closed_at)


def stages_of(workshop):
    """The workshop's own stages, in order."""
    return db.session.scalars(db.select(Stage).filter_by(process_id=workshop.process_id).order_by(Stage.position)).all()


def current_stage(workshop):
    """The stage open for everyone, if any (the first one, should several be open)."""
    return open_for_all(stages_of(workshop))
