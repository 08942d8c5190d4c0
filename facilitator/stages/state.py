"""Which stages a group may see and edit right now: the stage's own state, or the group's override."""

from datetime import timedelta
from functools import cache

from ..accounts.models import utcnow
from ..extensions import db
from .models import GroupStageState, StageState

#: Text typed as a stage closes is still accepted this long after the close.
LATE_SAVE_GRACE = timedelta(seconds=60)


@cache
def _overrides_query():
    """Built once (on first use): every autosave asks it."""
    return db.select(GroupStageState).where(GroupStageState.group_id == db.bindparam("group_id"))


def overrides_for(group):
    """The group's own stage states, keyed by stage id (one query for a whole page)."""
    if group is None:
        return {}
    return {o.stage_id: o for o in db.session.scalars(_overrides_query(), {"group_id": group.id})}


def stage_state_for(stage, group, overrides=None):
    """The stage's state as this group sees it."""
    if overrides is None:
        overrides = overrides_for(group)
    override = overrides.get(stage.id)
    return override.state if override is not None else stage.state


def closed_recently(stage, group, now=None):
    """Closed less than the grace ago, for this group: a save typed as it closed still counts."""
    override = overrides_for(group).get(stage.id)
    closed_at = override.closed_at if override is not None else stage.closed_at
    if closed_at is None:
        return False
    if closed_at.tzinfo is None:  # SQLite hands back naive UTC
        from datetime import timezone

        closed_at = closed_at.replace(tzinfo=timezone.utc)
    return (now or utcnow()) - closed_at <= LATE_SAVE_GRACE


def progress(stages, group, overrides=None):
    """How many of the stages are done (closed) or under way, for the progress bar."""
    if overrides is None:
        overrides = overrides_for(group)
    states = [stage_state_for(stage, group, overrides) for stage in stages]
    return {
        "closed": states.count(StageState.CLOSED.value),
        "open": states.count(StageState.OPEN.value),
        "total": len(states),
    }
