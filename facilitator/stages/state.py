"""Which stages a group may see and edit right now."""

from .models import StageState


def stage_state_for(stage, group):
    """The stage's state as this group sees it (per-group overrides come with the control room)."""
    return stage.state


def progress(stages, group):
    """How many of the stages are done (closed) or under way, for the progress bar."""
    states = [stage_state_for(stage, group) for stage in stages]
    return {
        "closed": states.count(StageState.CLOSED.value),
        "open": states.count(StageState.OPEN.value),
        "total": len(states),
    }
