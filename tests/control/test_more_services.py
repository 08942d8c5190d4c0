"""The services the control room page adds: recent messages, the stage in focus, the run of show, status."""

from datetime import time

import pytest

from facilitator.agenda.models import AgendaItem
from facilitator.answers import services as answer_services
from facilitator.control import services
from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.room import services as room
from facilitator.stages import state as stage_state


def test_recent_messages_are_the_whole_workshops_newest_first(workshop, groups):
    room.broadcast(workshop, "Първо", "Ф")
    room.broadcast(workshop, "Към група 2", "Ф", groups[1])
    room.broadcast(workshop, "Трето", "Ф")
    assert [m.text for m in room.recent_messages(workshop)] == ["Трето", "Към група 2", "Първо"]
    assert [m.text for m in room.recent_messages(workshop, limit=1)] == ["Трето"]


def test_the_stage_in_focus_follows_the_workshop(workshop):
    stages = stage_state.stages_of(workshop)
    assert services.stage_in_focus(workshop) == stages[0]  # nothing open yet: the first to open
    services.next_stage(workshop, None)
    services.next_stage(workshop, stages[0].id)
    assert services.stage_in_focus(workshop) == stages[1]  # open for all
    services.set_stage_state(workshop, stages[1], "closed")
    assert services.stage_in_focus(workshop) == stages[2]  # the next one not yet open
    for stage in stages:
        services.set_stage_state(workshop, stage, "closed")
    assert services.stage_in_focus(workshop) == stages[-1]


def test_the_run_of_show_is_day_by_day_in_order(workshop):
    db.session.add_all(
        [
            AgendaItem(workshop_id=workshop.id, day_index=1, position=0, starts_at=time(9), title="Ден 2"),
            AgendaItem(workshop_id=workshop.id, day_index=0, position=1, starts_at=time(10), title="Групи"),
            AgendaItem(workshop_id=workshop.id, day_index=0, position=0, starts_at=time(9), title="Откриване"),
        ]
    )
    db.session.commit()
    assert [i.title for i in services.agenda_of(workshop)] == ["Откриване", "Групи", "Ден 2"]


def test_finishing_the_workshop_tells_every_screen_and_locks_answers(app, workshop, groups):
    stage = services.next_stage(workshop, None)
    services.set_workshop_status(workshop, "live")
    channels = [f"workshop:{workshop.id}", f"control:{workshop.id}"]
    with app.extensions["broker"].subscribe(channels) as sub:
        services.set_workshop_status(workshop, "finished")
        events = {(m.channel.split(":")[0], m.event) for m in iter(lambda: sub.get(timeout=0.3), None)}
    assert workshop.status == "finished"
    assert {("workshop", "stages-changed"), ("workshop", "status-changed")} <= events
    # The control room and the presenter listen to both channels: they hear each change once.
    assert ("control", "stages-changed") not in events and ("control", "status-changed") not in events
    with pytest.raises(answer_services.SaveRefused):
        answer_services.save_answer(workshop, groups[0], stage.fields[1], "късно", 0, "Ана")


@pytest.mark.parametrize("status", ["finished", "draft", "bogus", ""])
def test_impossible_status_moves_are_refused(workshop, status):
    with pytest.raises(DomainError) as refused:
        services.set_workshop_status(workshop, status)  # from draft only "live" is possible
    assert refused.value.code == "bad-status" and workshop.status == "draft"
