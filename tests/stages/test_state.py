"""The stage-state machine: moves it refuses, and the one answer to "may this group write here"."""

from datetime import timedelta

import pytest

from facilitator.accounts.models import utcnow
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.stages import state


@pytest.fixture
def groups(workshop):
    made = [Group(workshop_id=workshop.id, name=f"Група {n}", position=n) for n in (1, 2)]
    db.session.add_all(made)
    db.session.commit()
    return made


def refused(workshop, stage, target, group=None):
    with pytest.raises(state.MoveRefused) as refusal:
        state.move(workshop, stage, target, group)
    return refusal.value.code


def test_a_stage_once_open_never_becomes_not_open_yet_again(workshop, groups):
    stage = workshop.process.stages[0]
    state.move(workshop, stage, "locked")  # keeping it not open yet is fine
    state.move(workshop, stage, "open", groups[0])
    db.session.commit()
    assert refused(workshop, stage, "locked") == "bad-state"  # group 1 has it open
    assert refused(workshop, stage, "locked", groups[0]) == "bad-state"
    state.move(workshop, stage, "closed")
    db.session.commit()
    assert refused(workshop, stage, "locked") == "bad-state"
    assert refused(workshop, stage, "locked", groups[1]) == "bad-state"
    state.move(workshop, stage, "open")
    assert state.stage_state_for(stage, groups[0]) == "open" == state.stage_state_for(stage, groups[1])


def test_unknown_states_foreign_stages_and_groups_and_finished_workshops_are_refused(
    workshop, groups, create_workshop, template
):
    stage = workshop.process.stages[0]
    assert refused(workshop, stage, "half-open") == "bad-state"
    assert refused(workshop, template.stages[0], "open") == "foreign-stage"
    assert refused(workshop, create_workshop(title="Друга").process.stages[0], "open") == "foreign-stage"
    groups[1].archived_at = utcnow()
    assert refused(workshop, stage, "open", groups[1]) == "foreign-group"
    workshop.status = "finished"
    assert refused(workshop, stage, "open") == "finished"
    with pytest.raises(state.MoveRefused):
        state.advance(workshop, workshop.process.stages, None)
    assert stage.state == "locked"


def test_writable_is_one_answer_and_only_a_late_save_gets_the_grace(workshop, groups):
    stage = workshop.process.stages[0]
    assert state.refusal(stage, groups[0], workshop) == "stage-closed"
    state.move(workshop, stage, "open")
    db.session.commit()
    assert state.writable(stage, groups[0], workshop)
    state.move(workshop, stage, "closed", groups[0])
    db.session.commit()
    assert not state.writable(stage, groups[0], workshop)  # the inputs go read-only at once
    typing = utcnow() - timedelta(seconds=1)
    assert state.writable(stage, groups[0], workshop, typed_at=typing)  # the save on its way is kept
    later = utcnow() + state.LATE_SAVE_GRACE + timedelta(seconds=1)
    assert state.refusal(stage, groups[0], workshop, typed_at=typing, now=later) == "stage-closed"
    assert state.writable(stage, groups[1], workshop)
    groups[1].archived_at = utcnow()
    assert state.refusal(stage, groups[1], workshop) == "group-archived"
    workshop.status = "finished"
    assert state.refusal(stage, groups[0], workshop, typed_at=typing) == "workshop-finished"


def test_a_closed_stage_is_final_within_seconds(workshop, groups):
    """A phone that missed the close must not keep saving, and showing "Saved", for a minute."""
    stage = workshop.process.stages[0]
    state.move(workshop, stage, "open")
    state.move(workshop, stage, "closed")
    db.session.commit()
    soon = utcnow() + timedelta(seconds=3)
    typing = utcnow() - timedelta(seconds=2)
    assert state.writable(stage, groups[0], workshop, typed_at=typing, now=soon)  # typed as it closed
    quarter_minute = utcnow() + timedelta(seconds=15)
    assert state.refusal(stage, groups[0], workshop, typed_at=typing, now=quarter_minute) == "stage-closed"
    # Nobody typing there as it closed (a phone that missed the close, a hand-made request): refused at once.
    assert state.refusal(stage, groups[0], workshop, now=soon) == "stage-closed"
    long_before = utcnow() - state.TYPED_BEFORE_CLOSE - timedelta(seconds=5)
    assert state.refusal(stage, groups[0], workshop, typed_at=long_before, now=soon) == "stage-closed"
