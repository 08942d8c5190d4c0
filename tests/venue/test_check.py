"""The check's throwaway workshop and its refusals: never near a live workshop, nothing left behind."""

import pytest

from facilitator.answers import services as answer_services
from facilitator.answers.models import Answer, AnswerRevision
from facilitator.extensions import db
from facilitator.groups.services import add_group
from facilitator.participants import services as participant_services
from facilitator.participants.models import Participant
from facilitator.stages.models import Process, StageState
from facilitator.venue import check
from facilitator.workshops import services as workshop_services
from facilitator.workshops.models import Workshop


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_the_check_refuses_to_copy_a_live_workshop(workshop):
    workshop_services.set_status(workshop, "live")
    with pytest.raises(check.CheckRefused) as refused:
        check.refuse_if_live(workshop)
    assert refused.value.code == "workshop-live"
    assert "is live: people are using it now" in check.refusal_message(refused.value)
    assert workshop.title in check.refusal_message(refused.value)


def test_the_check_refuses_while_any_workshop_on_the_server_is_live(workshop, create_workshop, other_facilitator):
    elsewhere = create_workshop(owner=other_facilitator, title="Кафе с читатели")
    workshop_services.set_status(elsewhere, "live")
    with pytest.raises(check.CheckRefused) as refused:
        check.refuse_if_live(workshop)
    assert refused.value.code == "server-live"
    assert "“Кафе с читатели”" in check.refusal_message(refused.value)
    workshop_services.set_status(elsewhere, "draft")
    check.refuse_if_live(workshop)  # nothing live: no refusal


def test_the_throwaway_copies_the_workshop_opens_every_stage_and_is_never_the_facilitators(workshop, facilitator):
    add_group(workshop, "Читалище")
    add_group(workshop, "Училище")
    throwaway = check.make_throwaway(60, workshop)
    assert throwaway.id != workshop.id and throwaway.title.startswith("Venue check ")
    assert throwaway.status == "draft"
    assert [g.name for g in check.active_groups(throwaway)] == ["Читалище", "Училище"]
    assert all(stage.state == StageState.OPEN.value for stage in throwaway.process.stages)
    assert throwaway not in workshop_services.workshops_of(facilitator)
    plan = check.phone_plan(throwaway, 60)
    assert len(plan) == 60 and len({p.source for p in plan}) == 60
    typing = [(p.group_id, p.field_id) for p in plan if p.field_id is not None]
    assert len(typing) == len(set(typing))  # nobody types over a teammate


def test_without_groups_to_copy_the_throwaway_has_one_group_per_five_phones(app):
    throwaway = check.make_throwaway(23)
    assert len(check.active_groups(throwaway)) == 5


def test_removing_the_throwaways_deletes_their_people_answers_revisions_and_process(workshop):
    before = {model: count(model) for model in (Workshop, Process, Participant, Answer, AnswerRevision)}
    throwaway = check.make_throwaway(10)
    group = check.active_groups(throwaway)[0]
    person = participant_services.join(throwaway, group, "Phone 1")
    field = next(f for s in throwaway.process.stages for f in s.fields if f.kind in check.TEXT_KINDS)
    answer_services.save_answer(throwaway, group, field, "текст", 0, person.display_name, person.id)
    assert count(Answer) == before[Answer] + 1 and count(AnswerRevision) > before[AnswerRevision]
    assert check.remove_throwaways() == 1
    assert {model: count(model) for model in before} == before
    assert db.session.get(Workshop, workshop.id) is not None  # the real workshop is untouched


def test_a_leftover_from_a_killed_run_is_removed_by_the_next(app):
    check.make_throwaway(10)
    check.make_throwaway(10)
    assert len(check.throwaways()) == 2
    assert check.remove_throwaways() == 2
    assert check.throwaways() == []


def test_the_command_refuses_a_live_server_with_a_reason_and_a_non_zero_exit(app, workshop, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "VENUE_CHECK_STATUS_FILE", str(tmp_path / "venue-check.json"))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    workshop_services.set_status(workshop, "live")
    result = app.test_cli_runner().invoke(args=["venue", "check", "--phones", "60", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert f"A workshop on this server is live right now (“{workshop.title}”)" in result.output
    result = app.test_cli_runner().invoke(
        args=["venue", "check", "--workshop", str(workshop.id), "--url", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 2 and "is live: people are using it now" in result.output
    assert check.throwaways() == []
