"""Driving the workshop: stages, timer, messages, help, comments, people, co-facilitators."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event as sqlalchemy_event

from facilitator.accounts.models import utcnow
from facilitator.answers import services as answer_services
from facilitator.control import services
from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.participants.models import Participant
from facilitator.room import services as room
from facilitator.stages import state as stage_state
from facilitator.stages.state import stage_state_for


def spokesperson_of(group):
    """Who presents the group's result now (None: nobody)."""
    return db.session.scalar(db.select(Participant).filter_by(group_id=group.id, is_spokesperson=True, removed_at=None))


def states(workshop, group=None):
    return [stage_state_for(s, group) for s in stage_state.stages_of(workshop)]


def test_next_stage_opens_the_first_then_moves_on_once(workshop, groups):
    first = services.next_stage(workshop, None)
    assert first.position == 0 and states(workshop)[:2] == ["open", "locked"]
    # Both facilitators saw stage 1 open and pressed "next" at the same moment.
    second = services.next_stage(workshop, first.id)
    again = services.next_stage(workshop, first.id)
    assert second.position == 1 and again is None
    assert states(workshop)[:3] == ["closed", "open", "locked"]
    assert services.next_stage(workshop, None) is None


def test_next_stage_starts_the_stages_time_box(workshop):
    stage = services.next_stage(workshop, None)
    timer = room.timer_state(workshop)
    assert timer["state"] == "running" and timer["stage_id"] == stage.id
    assert stage.time_box_minutes * 60 - 2 <= timer["remaining"] <= stage.time_box_minutes * 60


def test_open_for_one_group_only_and_reset_for_all(workshop, groups):
    stage = stage_state.stages_of(workshop)[3]
    services.set_stage_state(workshop, stage, "open", groups[0])
    assert stage_state_for(stage, groups[0]) == "open" and stage_state_for(stage, groups[1]) == "locked"
    services.set_stage_state(workshop, stage, "closed")
    assert stage_state_for(stage, groups[0]) == "closed" == stage_state_for(stage, groups[1])


def heard(app, screens, action):
    """The events each screen's stream (its channels) delivers while `action` runs, in order."""
    broker = app.extensions["broker"]
    subs = {screen: broker.subscribe(channels) for screen, channels in screens.items()}
    try:
        action()
        return {screen: [m.event for m in iter(lambda: sub.get(timeout=0.3), None)] for screen, sub in subs.items()}  # noqa: B023
    finally:
        for sub in subs.values():
            sub.close()


def screens_of(workshop, group, locale="bg"):
    """The channels of each kind of screen (see the three stream views)."""
    return {
        "phone": [f"group:{group.id}", f"workshop:{workshop.id}", f"news:{group.id}:{locale}"],
        "control room": [f"workshop:{workshop.id}", f"control:{workshop.id}"],
        "presenter": [f"control:{workshop.id}", f"workshop:{workshop.id}"],
    }


def heard_all(app, screens, action):
    """Like `heard`, with each message's data."""
    broker = app.extensions["broker"]
    subs = {screen: broker.subscribe(channels) for screen, channels in screens.items()}
    try:
        action()
        return {screen: list(iter(lambda: sub.get(timeout=0.3), None)) for screen, sub in subs.items()}  # noqa: B023
    finally:
        for sub in subs.values():
            sub.close()


@pytest.fixture
def readers(members):
    """Ana and Boris read group 1's workspace in Bulgarian, Vera group 2's in English."""
    for member, locale in zip(members[:3], ("bg", "bg", "en"), strict=True):
        member.locale = locale
    db.session.commit()
    return members


def test_every_screen_hears_a_stage_change_once_and_phones_get_their_cards_in_it(app, workshop, groups, readers):
    first, second = stage_state.stages_of(workshop)[:2]
    screens = {**screens_of(workshop, groups[0]), "other group's phone": screens_of(workshop, groups[1], "en")["phone"]}
    opened = heard_all(app, screens, lambda: services.set_stage_state(workshop, first, "open"))
    for screen, messages in opened.items():
        # One word of it on every screen, and nothing else for any stage or the timer.
        assert [m.event for m in messages] == (
            ["stages", "stages-changed"] if "phone" in screen else ["stages-changed"]
        ), screen
    said = json.loads(opened["phone"][-1].data)
    assert said["stages"] == [first.id] and said["groups"] is None and said["timer"] is False
    news = opened["phone"][0].data
    # The phone's new card comes in the message: open, its fields to write in.
    assert f'id="stage-card-{first.id}" data-state="open"' in news and 'hx-swap-oob="true"' in news
    assert f'id="answer-{first.fields[1].id}"' in news and "<textarea" in news
    assert "Отворен</span>" in news and f'data-serial="{said["n"]}"' in news
    assert 'id="workspace-progress"' in news and 'id="timer"' not in news
    # No device's own token: one rendering serves the whole group.
    assert 'name="csrf_token" value=""' in news
    other = opened["other group's phone"][0].data
    assert "Open now" in other  # group 2's card, in English
    assert f"/g/{groups[1].id}/fields/" in other and f"/g/{groups[0].id}/" not in other

    answer_services.save_answer(workshop, groups[0], first.fields[1], "Аудио приказки", 0, "Ана")

    # "Next stage" closes one, opens the next and starts its time box: one word, both cards, the timer.
    moved = heard_all(app, screens, lambda: services.next_stage(workshop, first.id))
    for screen, messages in moved.items():
        # (The save's own word may still be on its way through Redis: it is not the stage change's.)
        messages[:] = [m for m in messages if not m.event.startswith("field-") and m.event != "answer-saved"]
        assert [m.event for m in messages] == (
            ["stages", "stages-changed"] if "phone" in screen else ["stages-changed"]
        ), screen
    news = moved["phone"][0].data
    closed, opened_now = news.split(f'id="stage-card-{second.id}"')
    assert f'id="stage-card-{first.id}" data-state="closed"' in closed and "<textarea" not in closed
    assert "Аудио приказки" in closed and "answer-readonly" in closed  # read, not written, now
    assert 'data-state="open"' in opened_now and "<textarea" in opened_now
    assert 'id="timer"' in news and 'data-state="running"' in news
    # Each news says when it was read: a phone never swaps in news older than what it shows.
    read_at = [float(re.search(r'data-at="([0-9.]+)"', m[0].data).group(1)) for m in (opened["phone"], moved["phone"])]
    assert read_at[0] < read_at[1]
    assert json.loads(moved["control room"][0].data)["timer"] is True


def test_a_stage_opened_for_one_group_is_news_for_that_group_only(app, workshop, groups, readers):
    stage = stage_state.stages_of(workshop)[3]
    screens = {
        "first": screens_of(workshop, groups[0])["phone"],
        "second": screens_of(workshop, groups[1], "en")["phone"],
    }
    heard_now = heard_all(app, screens, lambda: services.set_stage_state(workshop, stage, "open", groups[0]))
    assert [m.event for m in heard_now["first"]] == ["stages", "stages-changed"]
    assert f'id="stage-card-{stage.id}" data-state="open"' in heard_now["first"][0].data
    # The other group's phones hear that something changed, for group 1 only: nothing to fetch.
    assert [m.event for m in heard_now["second"]] == ["stages-changed"]
    assert json.loads(heard_now["second"][0].data)["groups"] == [groups[0].id]


def test_nobody_reading_no_news_rendered_but_the_change_is_still_said(app, workshop, groups, members):
    """Devices that never opened the workspace have no language yet: they fetch on load."""
    stage = stage_state.stages_of(workshop)[0]
    heard_now = heard_all(
        app, {"phone": screens_of(workshop, groups[0])["phone"]}, lambda: services.next_stage(workshop, None)
    )
    assert [m.event for m in heard_now["phone"]] == ["stages-changed"]
    assert json.loads(heard_now["phone"][0].data)["stages"] == [stage.id]


def test_news_that_cannot_be_rendered_still_says_the_change(app, workshop, groups, readers, monkeypatch):
    from facilitator.participants import cards

    def broken(*args, **kwargs):
        raise RuntimeError("template gone")

    monkeypatch.setattr(cards, "news", broken)
    heard_now = heard_all(
        app, {"phone": screens_of(workshop, groups[0])["phone"]}, lambda: services.next_stage(workshop, None)
    )
    assert [m.event for m in heard_now["phone"]] == ["stages-changed"]  # the phone fetches its cards


def test_a_message_to_all_reaches_each_screen_once(app, workshop, groups):
    screens = {
        **screens_of(workshop, groups[0]),
        "other group's phone": [f"group:{groups[1].id}", f"workshop:{workshop.id}"],
    }
    for screen, events in heard(app, screens, lambda: room.broadcast(workshop, "Пет минути почивка", "Ана")).items():
        assert events.count("message") == 1, (screen, events)
    # One group's message: that group's phones and the facilitators' screens, once each; not the others.
    to_one = heard(app, screens, lambda: room.broadcast(workshop, "Група 1: време е", "Ана", groups[0]))
    assert [to_one[s].count("message") for s in screens] == [1, 1, 1, 0], to_one


def test_text_typed_as_the_stage_closes_is_still_saved(workshop, groups):
    stage = services.next_stage(workshop, None)
    field = stage.fields[1]
    answer_services.save_answer(workshop, groups[0], field, "draft", 0, "Ана")
    services.next_stage(workshop, stage.id)
    # The save that was on its way when the stage closed:
    saved = answer_services.save_answer(workshop, groups[0], field, "draft, finished", 1, "Ана", typed_at=utcnow())
    assert saved.value == "draft, finished"
    # After the grace, a closed stage refuses.
    stage.closed_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    with pytest.raises(answer_services.SaveRefused):
        answer_services.save_answer(workshop, groups[0], field, "too late", 2, "Ана", typed_at=utcnow())


def test_timer_counts_from_a_server_deadline(workshop):
    room.start_timer(workshop, 300)
    state = room.timer_state(workshop)
    assert state["state"] == "running" and 298 <= state["remaining"] <= 300
    later = room.timer_state(workshop, now=state["deadline"] - timedelta(seconds=60))
    assert later["remaining"] == 60
    room.pause_timer(workshop)
    paused = room.timer_state(workshop)
    assert paused["state"] == "paused" and paused["deadline"] is None
    room.add_minutes(workshop, 2)
    assert room.timer_state(workshop)["remaining"] == paused["remaining"] + 120
    room.resume_timer(workshop)
    assert room.timer_state(workshop)["state"] == "running"
    room.reset_timer(workshop)
    assert room.timer_state(workshop)["state"] == "stopped"


def test_timer_survives_a_restart_because_it_lives_in_the_database(workshop):
    room.start_timer(workshop, 600)
    db.session.expunge_all()
    from facilitator.workshops.models import Workshop

    again = db.session.get(Workshop, workshop.id)
    assert 595 <= room.timer_state(again)["remaining"] <= 600


@pytest.mark.parametrize("minutes", [-5, 0, 481, "abc", "nan", None])
def test_absurd_timer_values_are_refused(workshop, minutes):
    with pytest.raises(DomainError) as refused:
        room.start_timer(workshop, float(minutes) * 60 if isinstance(minutes, int) else 0)
    assert refused.value.code == "bad-minutes"
    with pytest.raises(DomainError):
        room.add_minutes(workshop, minutes)


def test_broadcasts_to_all_and_to_one_group(workshop, groups):
    room.broadcast(workshop, "Пет минути до края", "Фасилитатор")
    room.broadcast(workshop, "Група 2: добре сте", "Фасилитатор", groups[1])
    assert [m.text for m in room.messages_for(workshop, groups[0])] == ["Пет минути до края"]
    assert [m.text for m in room.messages_for(workshop, groups[1])] == ["Група 2: добре сте", "Пет минути до края"]
    with pytest.raises(DomainError) as empty:
        room.broadcast(workshop, "   ", "Ф")
    assert empty.value.code == "message-empty"
    with pytest.raises(DomainError) as long:
        room.broadcast(workshop, "x" * 501, "Ф")
    assert long.value.code == "message-too-long"


def test_help_flag_is_raised_once_and_cleared(app, workshop, groups, members):
    with app.extensions["broker"].subscribe([f"control:{workshop.id}"]) as sub:
        room.ask_for_help(members[0])
        room.ask_for_help(members[1])
        assert sub.get(timeout=1).event == "help-changed"
    assert [h.group_id for h in room.open_help_requests(workshop)] == [groups[0].id]
    room.clear_help(workshop, groups[0])
    assert room.open_help_requests(workshop) == []


def test_comments_on_a_groups_stage(workshop, groups):
    stage = stage_state.stages_of(workshop)[2]
    room.comment_on_stage(workshop, groups[0], stage, "Уточнете възрастта.", "Фасилитатор")
    assert [c.text for c in room.comments_for(groups[0], stage)] == ["Уточнете възрастта."]
    assert room.comments_for(groups[1], stage) == []


def test_people_move_rename_remove_and_spokesperson(app, workshop, groups, members):
    ana, boris, vera = members
    services.set_spokesperson(workshop, groups[0], ana)
    assert spokesperson_of(groups[0]) == ana
    services.set_spokesperson(workshop, groups[0], boris)
    assert spokesperson_of(groups[0]) == boris
    services.move_participant(workshop, boris, groups[1])
    assert boris.group_id == groups[1].id and spokesperson_of(groups[0]) is None
    services.rename_participant(workshop, vera, "  Вера   Петрова ")
    assert vera.display_name == "Вера Петрова"
    from facilitator.participants import services as participant_services

    cookie = participant_services.cookie_value(app.config["SECRET_KEY"], ana)
    services.remove_participant(workshop, ana)
    assert participant_services.participant_from_cookie(app.config["SECRET_KEY"], workshop, cookie) is None
    assert ana not in services.participants_of(workshop)
    with pytest.raises(DomainError):
        services.rename_participant(workshop, vera, " ")


def test_co_facilitators(workshop, other_facilitator, facilitator):
    from facilitator.workshops.services import workshop_for

    services.invite_co_facilitator(workshop, "BORIS@example.bg")
    assert workshop_for(other_facilitator, workshop.id) == workshop
    with pytest.raises(DomainError) as twice:
        services.invite_co_facilitator(workshop, "boris@example.bg")
    assert twice.value.code == "already-facilitator"
    with pytest.raises(DomainError) as unknown:
        services.invite_co_facilitator(workshop, "nobody@example.org")
    assert unknown.value.code == "no-account"
    with pytest.raises(DomainError):
        services.remove_co_facilitator(workshop, facilitator.id)  # the owner stays
    services.remove_co_facilitator(workshop, other_facilitator.id)
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        workshop_for(other_facilitator, workshop.id)


def test_finished_workshop_refuses_control(workshop):
    workshop.status = "finished"
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.next_stage(workshop, None)
    assert refused.value.code == "finished"


def test_overview_grid(workshop, groups, members):
    stage = services.next_stage(workshop, None)
    answer_services.save_answer(workshop, groups[0], stage.fields[1], "Име", 0, "Ана")
    room.ask_for_help(members[2])
    grid = services.overview(workshop)
    first, second = grid["rows"]
    assert first["cells"][0] == {"stage": stage, "state": "open", "filled": 1, "fields": 3}
    assert first["last_activity"] is not None and second["last_activity"] is None
    assert [p.display_name for p in first["online"]] == ["Ана", "Борис"]
    assert second["needs_help"] and not first["needs_help"]


def test_adding_minutes_to_a_timer_never_started_starts_it(workshop):
    room.add_minutes(workshop, 3)
    state = room.timer_state(workshop)
    assert state["state"] == "running" and 178 <= state["remaining"] <= 180


def test_joining_and_coming_back_online_reach_the_control_room(app, workshop, groups):
    from datetime import timedelta

    from facilitator.participants import services as participant_services

    with app.extensions["broker"].subscribe([f"control:{workshop.id}"]) as sub:
        ana = participant_services.join(workshop, groups[0], "Ана")
        assert sub.get(timeout=1).event == "people-changed"
        participant_services.touch(ana)  # seen a moment ago: nothing new to say
        assert sub.get(timeout=0.2) is None
        ana.last_seen_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
        participant_services.touch(ana)
        assert sub.get(timeout=1).event == "people-changed"


def test_each_stage_action_commits_once(workshop, groups):
    commits = []
    sqlalchemy_event.listen(db.session(), "after_commit", commits.append)
    stage = services.next_stage(workshop, None)  # opens the first stage and starts its time box
    assert len(commits) == 1 and room.timer_state(workshop)["stage_id"] == stage.id
    services.set_stage_state(workshop, stage, "closed", groups[0])
    services.next_stage(workshop, stage.id)
    assert len(commits) == 3


# --- the timer and the stages (issue 12, item 6) ------------------------------------------------


def test_next_stage_keeps_a_timer_the_facilitator_set_by_hand(workshop, groups):
    first = services.next_stage(workshop, None)
    room.start_timer(workshop, 5 * 60, first)  # "5 more minutes for this stage", typed by hand
    second = services.next_stage(workshop, first.id)
    timer = room.timer_state(workshop)
    assert second.time_box_minutes and second.time_box_minutes * 60 != 5 * 60
    assert 5 * 60 - 3 <= timer["remaining"] <= 5 * 60, "the hand-set 5 minutes were replaced"
    assert timer["by_hand"] is True


def test_next_stage_replaces_the_previous_stages_time_box(workshop, groups):
    first = services.next_stage(workshop, None)
    second = services.next_stage(workshop, first.id)
    timer = room.timer_state(workshop)
    assert timer["stage_id"] == second.id and timer["by_hand"] is False


def test_closing_the_last_stage_stops_its_countdown(workshop, groups):
    stages = stage_state.stages_of(workshop)
    seen = None
    for _stage in stages:
        opened = services.next_stage(workshop, seen)
        seen = opened.id
    assert room.timer_state(workshop)["state"] == "running"
    assert services.next_stage(workshop, seen) is None  # closes the last stage
    assert room.timer_state(workshop)["state"] == "stopped"


def test_closing_the_timed_stage_for_everyone_stops_its_countdown(workshop, groups):
    stage = services.next_stage(workshop, None)
    services.set_stage_state(workshop, stage, "closed", groups[0])  # one group only: it keeps running
    assert room.timer_state(workshop)["state"] == "running"
    services.set_stage_state(workshop, stage, "closed")
    assert room.timer_state(workshop)["state"] == "stopped"
