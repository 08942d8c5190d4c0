"""Saving answers: versions, conflicts, revisions, refusals, events."""

import pytest

from facilitator.answers import services
from facilitator.answers.models import Answer, AnswerRevision
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.stages.models import StageState


@pytest.fixture
def group(workshop):
    group = Group(workshop_id=workshop.id, name="Група 1", colour="blue")
    db.session.add(group)
    db.session.commit()
    return group


@pytest.fixture
def goal_field(workshop):
    stage = workshop.process.stages[1]
    stage.state = StageState.OPEN.value
    db.session.commit()
    return stage.fields[0]


def test_first_save_creates_version_1_and_a_revision(workshop, group, goal_field):
    answer = services.save_answer(workshop, group, goal_field, "Цел\r\nна услугата", 0, "Ана")
    assert isinstance(answer, Answer)
    assert (answer.value, answer.version, answer.updated_by) == ("Цел\nна услугата", 1, "Ана")
    revisions = services.revisions_of(answer)
    assert [(r.version, r.value, r.author) for r in revisions] == [(1, "Цел\nна услугата", "Ана")]


def test_saves_based_on_the_current_version_advance_it(workshop, group, goal_field):
    services.save_answer(workshop, group, goal_field, "one", 0, "Ана")
    answer = services.save_answer(workshop, group, goal_field, "one two", 1, "Борис")
    assert (answer.value, answer.version, answer.updated_by) == ("one two", 2, "Борис")
    assert [r.value for r in services.revisions_of(answer)] == ["one two", "one"]


def test_a_save_based_on_an_old_version_is_a_conflict_and_changes_nothing(workshop, group, goal_field):
    services.save_answer(workshop, group, goal_field, "base", 0, "Ана")
    services.save_answer(workshop, group, goal_field, "Ana's newer text", 1, "Ана")
    result = services.save_answer(workshop, group, goal_field, "Boris's text", 1, "Борис")
    assert isinstance(result, services.Conflict)
    assert (result.mine, result.theirs) == ("Boris's text", "Ana's newer text")
    answer = services.answer_for(group, goal_field)
    assert (answer.value, answer.version) == ("Ana's newer text", 2)
    assert db.session.scalar(db.select(db.func.count(AnswerRevision.id))) == 2


def test_two_first_saves_conflict(workshop, group, goal_field):
    services.save_answer(workshop, group, goal_field, "first", 0, "Ана")
    result = services.save_answer(workshop, group, goal_field, "second", 0, "Борис")
    assert isinstance(result, services.Conflict) and result.theirs == "first"


def test_a_repeated_save_of_the_same_text_is_not_a_conflict(workshop, group, goal_field):
    services.save_answer(workshop, group, goal_field, "same", 0, "Ана")
    again = services.save_answer(workshop, group, goal_field, "same", 0, "Ана")
    assert isinstance(again, Answer) and again.version == 1


@pytest.fixture
def members(workshop, group):
    from facilitator.participants import services as participants

    return participants.join(workshop, group, "Ана"), participants.join(workshop, group, "Борис")


def test_a_save_whose_answer_the_wifi_lost_and_then_more_typing_is_not_a_conflict(workshop, group, goal_field, members):
    ana, _ = members
    # The server stored "Written offline" (version 1), but the phone never heard so: it still builds on 0.
    services.save_answer(workshop, group, goal_field, "Written offline", 0, "Ана", participant_id=ana.id)
    later = services.save_answer(
        workshop, group, goal_field, "Written offline, and more", 0, "Ана", participant_id=ana.id
    )
    assert isinstance(later, Answer) and (later.value, later.version) == ("Written offline, and more", 2)
    assert [r.value for r in services.revisions_of(later)] == ["Written offline, and more", "Written offline"]


def test_a_teammates_version_in_between_is_still_a_conflict(workshop, group, goal_field, members):
    ana, boris = members
    services.save_answer(workshop, group, goal_field, "Ana's first", 0, "Ана", participant_id=ana.id)
    services.save_answer(workshop, group, goal_field, "Boris's edit", 1, "Борис", participant_id=boris.id)
    stale = services.save_answer(workshop, group, goal_field, "Ana's first, and more", 0, "Ана", participant_id=ana.id)
    assert isinstance(stale, services.Conflict) and stale.theirs == "Boris's edit"
    assert services.answer_for(group, goal_field).version == 2


@pytest.mark.parametrize("stage_state", [StageState.LOCKED.value, StageState.CLOSED.value])
def test_saving_to_a_stage_that_is_not_open_is_refused(workshop, group, goal_field, stage_state):
    goal_field.stage.state = stage_state
    db.session.commit()
    with pytest.raises(services.SaveRefused) as refused:
        services.save_answer(workshop, group, goal_field, "text", 0, "Ана")
    assert refused.value.code == "stage-closed"
    assert services.answer_for(group, goal_field) is None


def test_too_long_answers_are_refused_and_the_saved_text_stays(workshop, group, goal_field):
    services.save_answer(workshop, group, goal_field, "kept", 0, "Ана")
    with pytest.raises(services.SaveRefused) as refused:
        services.save_answer(workshop, group, goal_field, "x" * (services.MAX_ANSWER_LENGTH + 1), 1, "Ана")
    assert refused.value.code == "too-long"
    assert services.answer_for(group, goal_field).value == "kept"


def test_finished_workshop_and_archived_group_refuse_saves(workshop, group, goal_field):
    group.archived_at = workshop.created_at
    db.session.commit()
    with pytest.raises(services.SaveRefused) as archived:
        services.save_answer(workshop, group, goal_field, "x", 0, "Ана")
    assert archived.value.code == "group-archived"
    group.archived_at = None
    workshop.status = "finished"
    db.session.commit()
    with pytest.raises(services.SaveRefused) as finished:
        services.save_answer(workshop, group, goal_field, "x", 0, "Ана")
    assert finished.value.code == "workshop-finished"


def test_restore_makes_a_new_version(workshop, group, goal_field):
    services.save_answer(workshop, group, goal_field, "first idea", 0, "Ана")
    services.save_answer(workshop, group, goal_field, "second idea", 1, "Борис")
    answer = services.answer_for(group, goal_field)
    oldest = services.revisions_of(answer)[-1]
    restored = services.restore_revision(workshop, group, goal_field, oldest, "Ана")
    assert (restored.value, restored.version) == ("first idea", 3)
    newest = services.revisions_of(restored)[0]
    assert (newest.version, newest.restored_from) == (3, 1)
    assert len(services.revisions_of(restored)) == 3


def test_a_save_tells_the_group_and_the_control_room(app, workshop, group, goal_field):
    broker = app.extensions["broker"]
    with broker.subscribe([f"group:{group.id}", f"control:{workshop.id}"]) as sub:
        services.save_answer(workshop, group, goal_field, "text", 0, "Ана")
        got = {(m.channel, m.event, m.data) for m in (sub.get(timeout=2), sub.get(timeout=2))}
    assert got == {
        (f"group:{group.id}", f"field-{goal_field.id}", '{"v":1,"t":"text","by":"Ана"}'),
        (f"control:{workshop.id}", "answer-saved", f"{group.id}:{goal_field.id}"),
    }


def test_a_choice_field_takes_only_its_choices(workshop, group):
    stage = workshop.process.stages[0]
    stage.state = StageState.OPEN.value
    db.session.commit()
    category = stage.fields[0]
    answer = services.save_answer(workshop, group, category, "e-health", 0, "Ана")
    assert answer.value == "e-health"
    with pytest.raises(services.SaveRefused) as refused:
        services.save_answer(workshop, group, category, "<b>e-anything</b>", 1, "Ана")
    assert refused.value.code == "not-a-choice"
    assert services.save_answer(workshop, group, category, "", 1, "Ана").value == ""


def test_long_texts_travel_without_their_text(app, workshop, group, goal_field):
    """Teammates fetch a long answer instead, which keeps the replay buffers small."""
    import json

    with app.extensions["broker"].subscribe([f"group:{group.id}"]) as sub:
        services.save_answer(workshop, group, goal_field, "x" * (services.LIVE_TEXT_LIMIT + 1), 0, "Ана")
        assert json.loads(sub.get(timeout=2).data) == {"v": 1}
