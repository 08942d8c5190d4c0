"""The control room through the test client, as the facilitator's browser (with and without htmx) uses it."""

import html
import json
import re
from datetime import time, timedelta

import pytest

from facilitator.accounts.models import utcnow
from facilitator.agenda.models import AgendaItem
from facilitator.answers import services as answer_services
from facilitator.control import services
from facilitator.control.page import closing_context
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.participants import services as participant_services
from facilitator.participants.models import Participant
from facilitator.room import services as room_services
from facilitator.room.models import Broadcast, StageComment
from facilitator.stages import state as stage_state
from facilitator.stages.state import stage_state_for
from facilitator.workshops.models import WorkshopFacilitator

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HTMX = {"HX-Request": "true"}


def text(response):
    return response.get_data(as_text=True)


def spokesperson_of(group):
    """Who presents the group's result now (None: nobody)."""
    return db.session.scalar(db.select(Participant).filter_by(group_id=group.id, is_spokesperson=True, removed_at=None))


class Room:
    """The control room of one workshop, driven the way its page does it."""

    def __init__(self, client, workshop):
        self.client, self.workshop = client, workshop
        self.base = f"/workshops/{workshop.id}/control"
        self._token = None

    def url(self, path=""):
        return self.base + path

    @property
    def token(self):
        if self._token is None:
            self._token = CSRF.search(text(self.client.get(self.base))).group(1)
        return self._token

    def get(self, path="", htmx=True, **kwargs):
        return self.client.get(self.url(path), headers=HTMX if htmx else {}, **kwargs)

    def post(self, path, data=None, htmx=True, token=True):
        data = dict(data or {})
        if token:
            data["csrf_token"] = self.token
        return self.client.post(self.url(path), data=data, headers=HTMX if htmx else {})


@pytest.fixture
def room(client, as_facilitator, workshop, groups):
    return Room(client, workshop)


def stages(workshop):
    return stage_state.stages_of(workshop)


def states(workshop, group=None):
    return [stage_state_for(s, group) for s in stages(workshop)]


def fragment_root(body):
    """The id of the fragment's first element."""
    match = re.search(r'<[a-z]+\b[^>]*\bid="([^"]+)"', body)
    return match.group(1) if match else None


def assert_no_inline_script_or_style(body):
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert " style=" not in body and "<style" not in body
    assert not re.search(r"\son[a-z]+=", body)
    assert "hx-on" not in body


def drain(subscription):
    return [(m.channel.split(":")[0], m.event, m.data) for m in iter(lambda: subscription.get(timeout=0.3), None)]


# The page ---------------------------------------------------------------------------------------


def test_the_page_shows_every_region_on_one_stream(room, workshop):
    response = room.get(htmx=False)
    body = text(response)
    assert response.status_code == 200 and "<html" in body
    assert f'sse-connect="/workshops/{workshop.id}/control/stream"' in body and 'hx-ext="sse"' in body
    for region in (
        "stage-bar",
        "timer-panel",
        "timer",
        "timer-controls",
        "grid",
        "group-detail",
        "message-form",
        "control-messages",
        "people",
        "run-of-show",
        "facilitators",
        "help-alerts",
        "control-status",
    ):
        assert f'id="{region}"' in body, region
    for asset in ("js/control.js", "js/timer.js", "htmx-ext-sse/sse.min.js", "css/control.css", "css/timer.css"):
        assert asset in body
    assert f'href="/workshops/{workshop.id}/control"\n               aria-current="page"' in body
    assert "HX-Request" in response.headers["Vary"]
    assert body.count("sse-connect=") == 1
    assert_no_inline_script_or_style(body)


def test_regions_refresh_on_their_events_without_polling(room):
    body = text(room.get(htmx=False))
    assert 'hx-trigger="sse:answer-saved"' in body  # the pulse control.js throttles
    assert "answers-changed from:body, sse:stages-changed, sse:help-changed, sse:people-changed" in body
    assert 'hx-trigger="sse:timer-changed, sse:stages-changed"' in body  # a stage's time box may start
    assert "sse:message" in body and "sse:people-changed" in body and "sse:agenda-changed" in body
    assert "sse:facilitators-changed" in body and "sse:help-changed" in body
    assert "every " not in body and "load delay" not in body


@pytest.mark.parametrize(
    "path, root",
    [
        ("/stages", "stage-bar"),
        ("/timer", "timer"),
        ("/timer/controls", "timer-controls"),
        ("/grid", "grid"),
        ("/messages", "control-messages"),
        ("/people", "people"),
        ("/agenda", "run-of-show"),
        ("/facilitators", "facilitators"),
    ],
)
def test_each_region_is_a_fragment_for_htmx_and_the_page_otherwise(room, path, root):
    fragment = room.get(path)
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert fragment_root(text(fragment)) == root
    page = room.get(path, htmx=False)
    assert page.status_code == 200 and "<html" in text(page) and 'id="stage-bar"' in text(page)


def test_help_region_is_the_inside_of_the_live_region(room, workshop, members):
    assert text(room.get("/help")).strip() == ""
    room_services.ask_for_help(members[2])
    body = text(room.get("/help"))
    assert "Help requested" in body and "Група 2" in body and "Група 1" not in body
    assert 'id="help-alerts"' not in body  # swapped inside the persistent role="status" element


def test_the_control_room_is_a_tab_of_the_workshop(client, as_facilitator, workshop):
    body = text(client.get(f"/workshops/{workshop.id}"))
    assert f'href="/workshops/{workshop.id}/control"' in body and "Control room" in body


def test_a_group_chosen_by_address_shows_its_answers(room, groups):
    body = text(room.get(f"?group={groups[1].id}", htmx=False))
    assert "Answers of Група 2" in body
    assert room.get(f"?group={groups[1].id + 100}", htmx=False).status_code == 404
    assert room.get("?group=abc", htmx=False).status_code == 404


def test_other_facilitators_get_404(client, workshop, other_facilitator, post_form):
    post_form("/signin", {"email": other_facilitator.email, "password": "another password"})
    assert client.get(f"/workshops/{workshop.id}/control").status_code == 404
    assert client.get(f"/workshops/{workshop.id}/control/grid", headers=HTMX).status_code == 404


# The stream -------------------------------------------------------------------------------------


def read_events(response, count):
    events, buffer = [], ""
    chunks = response.response
    while len(events) < count:
        buffer += next(chunks).decode()
        while "\n\n" in buffer:
            raw, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in raw.split("\n") if ": " in line)
            if "event" in fields:
                events.append(fields)
    return events


def test_the_stream_carries_the_workshop_and_control_channels(app, room, workshop, groups):
    app.config["SSE_HEARTBEAT_SECONDS"] = 0.05
    response = room.get("/stream", htmx=False, buffered=False)
    assert response.mimetype == "text/event-stream" and response.headers["Cache-Control"] == "no-cache"
    assert read_events(response, 1)[0]["event"] == "stream-open"
    stage = services.next_stage(workshop, None)
    answer_services.save_answer(workshop, groups[0], stage.fields[1], "Аудио приказки", 0, "Ана")
    events = read_events(response, 2)
    response.close()
    names = [e["event"] for e in events]
    # Said once, though the stream listens to two channels (the next event is the save's); the
    # stage change names the stages and that the timer moved too.
    assert names == ["stages-changed", "answer-saved"]
    said = json.loads(events[0]["data"])
    assert said["stages"] == [stage.id] and said["timer"] is True and said["groups"] is None
    saved = next(e for e in events if e["event"] == "answer-saved")
    assert saved["data"] == f"{groups[0].id}:{stage.fields[1].id}"


# Stages -----------------------------------------------------------------------------------------


def test_next_stage_starts_then_advances_and_says_so(room, workshop):
    first = room.post("/stages/next", {"seen_stage": ""})
    body = text(first)
    assert first.status_code == 200 and fragment_root(body) == "stage-bar"
    assert "Open for all groups now: <strong>1." in body
    assert 'hx-swap-oob="innerHTML:#control-status"' in body and "is open for all groups" in body
    assert f'name="seen_stage" value="{stages(workshop)[0].id}"' in body
    assert 'hx-disabled-elt="find button"' in body
    second = room.post("/stages/next", {"seen_stage": str(stages(workshop)[0].id)})
    assert "Open for all groups now: <strong>2." in text(second)
    assert states(workshop)[:3] == ["closed", "open", "locked"]


def test_a_double_click_on_next_stage_advances_once(room, workshop):
    services.next_stage(workshop, None)
    seen = str(stages(workshop)[0].id)
    responses = [room.post("/stages/next", {"seen_stage": seen}) for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200]
    assert states(workshop)[:3] == ["closed", "open", "locked"]
    assert "Nothing changed: the stages had already moved on" in text(responses[1])
    # Two facilitators who both saw "nothing open" start the workshop once, too.
    services.set_stage_state(workshop, stages(workshop)[1], "closed")
    assert room.post("/stages/next", {"seen_stage": ""}).status_code == 200
    assert states(workshop)[:3] == ["closed", "closed", "locked"]


def test_next_stage_on_the_last_stage_closes_it(room, workshop):
    last = stages(workshop)[-1]
    services.set_stage_state(workshop, last, "open")
    body = text(room.post("/stages/next", {"seen_stage": str(last.id)}))
    assert "The last stage is closed." in body and states(workshop)[-1] == "closed"
    assert 'id="next-stage"' not in body  # nothing is open and not everything is locked


def test_next_stage_without_htmx_redirects_back_with_a_message(room, client, workshop):
    response = room.post("/stages/next", {"seen_stage": ""}, htmx=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}/control#stage-bar")
    assert "is open for all groups" in text(client.get(response.headers["Location"]))


def test_next_stage_refuses_a_stage_of_another_workshop(room, create_workshop):
    other = create_workshop(title="Друга")
    assert room.post("/stages/next", {"seen_stage": str(stages(other)[0].id)}).status_code == 404
    assert room.post("/stages/next", {"seen_stage": "first"}).status_code == 404


def test_open_and_close_a_stage_for_all_groups(room, workshop, groups):
    stage = stages(workshop)[1]
    services.set_stage_state(workshop, stage, "closed", groups[0])
    body = text(room.post(f"/stages/{stage.id}/state", {"state": "open"}))
    assert stage_state_for(stage, groups[0]) == "open" == stage_state_for(stage, groups[1])
    assert f'id="stage-{stage.id}-close"' in body and "“Цел” is open for all groups" in body
    room.post(f"/stages/{stage.id}/state", {"state": "closed"})
    assert states(workshop)[1] == "closed"


def test_a_bad_stage_state_is_refused_in_words(room, workshop):
    stage = stages(workshop)[1]
    response = room.post(f"/stages/{stage.id}/state", {"state": "half-open"})
    assert response.status_code == 422 and 'role="alert"' in text(response)
    assert "Choose to open the stage, close it or keep it not open yet." in text(response)
    assert states(workshop)[1] == "locked"


def test_stage_ids_of_another_workshop_are_404(room, create_workshop, groups):
    other = create_workshop(title="Друга")
    foreign = stages(other)[0]
    assert room.post(f"/stages/{foreign.id}/state", {"state": "open"}).status_code == 404
    assert room.post(f"/groups/{groups[0].id}/stages/{foreign.id}/state", {"state": "open"}).status_code == 404
    assert foreign.state == "locked"


def test_open_and_close_the_stage_in_focus_for_one_group(room, workshop, groups):
    services.next_stage(workshop, None)
    stage = stages(workshop)[0]
    body = text(room.post(f"/groups/{groups[1].id}/stages/{stage.id}/state", {"state": "closed"}))
    assert fragment_root(body) == "grid" and f'id="group-{groups[1].id}-open"' in body
    assert f'id="group-{groups[0].id}-close"' in body and "is closed for Група 2" in body
    assert stage_state_for(stage, groups[1]) == "closed" and stage_state_for(stage, groups[0]) == "open"
    room.post(f"/groups/{groups[1].id}/stages/{stage.id}/state", {"state": "open"})
    assert stage_state_for(stage, groups[1]) == "open"
    bad = room.post(f"/groups/{groups[1].id}/stages/{stage.id}/state", {"state": ""})
    assert bad.status_code == 422 and "Choose to open the stage" in text(bad)


def test_group_ids_of_another_workshop_are_404(room, workshop, create_workshop):
    other = create_workshop(title="Друга")
    foreign = Group(workshop_id=other.id, name="Чужда")
    db.session.add(foreign)
    db.session.commit()
    stage = stages(workshop)[0]
    for path in (
        f"/groups/{foreign.id}/stages/{stage.id}/state",
        f"/groups/{foreign.id}/help/clear",
        f"/groups/{foreign.id}/spokesperson",
        f"/groups/{foreign.id}/stages/{stage.id}/comments",
    ):
        assert room.post(path, {"state": "open", "comment-%d-text" % stage.id: "x"}).status_code == 404, path
    assert room.get(f"/groups/{foreign.id}").status_code == 404
    assert room.post("/messages", {"message-text": "Здравейте", "message-group": str(foreign.id)}).status_code == 404


def test_a_finished_workshop_is_read_only_in_the_control_room(room, workshop):
    workshop.status = "finished"
    db.session.commit()
    body = text(room.get(htmx=False))
    assert "The workshop has finished: every answer is read-only." in body
    assert 'id="next-stage"' not in body and '-open"' not in body and 'id="timer-start"' not in body
    refused = room.post("/stages/next", {"seen_stage": ""})
    assert refused.status_code == 409 and "The workshop has finished" in text(refused)
    assert room.post(f"/stages/{stages(workshop)[0].id}/state", {"state": "open"}).status_code == 409
    assert states(workshop)[0] == "locked"


# The timer --------------------------------------------------------------------------------------


def test_start_pause_resume_add_and_reset_the_timer(room, workshop):
    started = room.post("/timer/start", {"start-minutes": "5"})
    body = text(started)
    assert started.status_code == 200 and fragment_root(body) == "timer-panel"
    assert 'id="timer"' in body and 'data-state="running"' in body and "The timer is running." in body
    assert 295 <= room_services.timer_state(workshop)["remaining"] <= 300
    paused = text(room.post("/timer/pause"))
    assert 'data-state="paused"' in paused and 'id="timer-resume"' in paused and 'id="timer-pause"' not in paused
    left = room_services.timer_state(workshop)["remaining"]
    room.post("/timer/add", {"add-minutes": "2"})
    assert room_services.timer_state(workshop)["remaining"] == left + 120
    resumed = text(room.post("/timer/resume"))
    assert 'data-state="running"' in resumed and 'id="timer-pause"' in resumed
    stopped = text(room.post("/timer/reset"))
    assert 'data-state="stopped"' in stopped and "The timer is stopped." in stopped
    assert room_services.timer_state(workshop)["state"] == "stopped"


def test_the_timer_starts_with_the_current_stages_time_box(room, workshop):
    stage = services.next_stage(workshop, None)
    body = text(room.get("/timer/controls"))
    assert (
        f'id="start-minutes" inputmode="decimal" name="start-minutes" size="5" type="text" value="{stage.time_box_minutes}"'
        in body
    )
    room.post("/timer/start", {"start-minutes": "2,5"})  # a decimal comma, as typed in Polish or Bulgarian
    assert 148 <= room_services.timer_state(workshop)["remaining"] <= 150
    assert room_services.timer_state(workshop)["stage_id"] == stage.id


@pytest.mark.parametrize("minutes", ["-5", "0", "481", "100000", "abc", "nan", "inf", "", "  ", "1e9", "0.001"])
def test_absurd_timer_values_are_refused_next_to_the_input(room, workshop, minutes):
    response = room.post("/timer/start", {"start-minutes": minutes})
    body = text(response)
    assert response.status_code == 422
    assert 'id="start-minutes-error"' in body and "at most 480" in body
    assert 'aria-invalid="true"' in body and f'value="{minutes}"' in body
    assert room_services.timer_state(workshop)["state"] == "stopped"


@pytest.mark.parametrize("minutes", ["-1", "0", "121", "abc", ""])
def test_bad_minutes_to_add_are_refused(room, workshop, minutes):
    room_services.start_timer(workshop, 300)
    response = room.post("/timer/add", {"add-minutes": minutes})
    assert response.status_code == 422 and 'id="add-minutes-error"' in text(response)
    assert "at most 120" in text(response)
    assert 295 <= room_services.timer_state(workshop)["remaining"] <= 300


def test_adding_beyond_the_timers_ceiling_is_refused(room, workshop):
    room_services.start_timer(workshop, 470 * 60)
    response = room.post("/timer/add", {"add-minutes": "60"})
    assert response.status_code == 422 and "at most 480 minutes in all" in text(response)


def test_bad_minutes_without_htmx_show_the_whole_page_with_the_error(room, workshop):
    response = room.post("/timer/start", {"start-minutes": "-3"}, htmx=False)
    assert response.status_code == 422 and "<html" in text(response) and 'id="start-minutes-error"' in text(response)


def test_the_timer_fragment_serves_the_shared_countdown(room, workshop):
    room_services.start_timer(workshop, 120)
    body = text(room.get("/timer"))
    assert fragment_root(body) == "timer" and 'data-state="running"' in body
    assert f'hx-get="/workshops/{workshop.id}/control/timer"' in body


def test_no_timer_shows_no_zero_clock_and_a_running_one_names_its_stage(room, workshop):
    stopped = text(room.get("/timer"))
    assert "No timer running" in stopped
    assert "0:00" not in stopped and ">Time left<" not in stopped  # read as "time is up" before anything began
    stage = services.next_stage(workshop, None)
    running = text(room.get("/timer"))
    assert 'data-state="running"' in running and ">Time left<" in running
    assert f"Stage 1: {stage.title}" in running


def test_next_stage_says_when_it_keeps_the_timer_set_by_hand(room, workshop):
    first = services.next_stage(workshop, None)
    room_services.start_timer(workshop, 5 * 60, first)
    body = text(room.post("/stages/next", {"seen_stage": first.id}))
    assert "The timer you set keeps running" in body


# The grid, help and one group's answers --------------------------------------------------------


def test_the_grid_shows_fill_state_activity_presence_and_help(room, workshop, groups, members):
    stage = services.next_stage(workshop, None)
    answer_services.save_answer(workshop, groups[0], stage.fields[1], "Аудио приказки", 0, "Ана")
    room_services.ask_for_help(members[2])
    body = text(room.get("/grid"))
    assert '<th scope="col">Group</th>' in body and '<th scope="row">' in body
    assert '<th scope="col" class="control-grid__stage control-grid__stage--focus">' in body
    assert "1/3 filled" in body and "0/3 filled" in body
    assert "<time datetime=" in body
    assert "Ана and Борис" in body and "Вера" in body
    assert body.count("Needs help") == 1 and f'id="clear-help-{groups[1].id}"' in body
    row = body.split(f'id="grid-row-{groups[1].id}"')[1]
    assert "control-grid__row--help" in body.split(f'id="grid-row-{groups[1].id}"')[0][-80:] + row[:80]


def test_clearing_the_help_flag(app, room, workshop, groups, members):
    room_services.ask_for_help(members[0])
    with app.extensions["broker"].subscribe([f"group:{groups[0].id}"]) as sub:
        response = room.post(f"/groups/{groups[0].id}/help/clear")
        assert ("group", "help-changed", "") in drain(sub)
    assert response.status_code == 200 and "Needs help" not in text(response)
    assert "The help flag of Група 1 is cleared." in text(response)
    assert room_services.open_help_requests(workshop) == []


def test_a_groups_answers_are_shown_escaped_with_a_comment_form_per_open_stage(room, workshop, groups):
    stage = services.next_stage(workshop, None)
    answer_services.save_answer(workshop, groups[0], stage.fields[1], "<script>alert(1)</script>\nред 2", 0, "Ана")
    body = text(room.get(f"/groups/{groups[0].id}"))
    assert fragment_root(body) == "group-detail" and "Answers of Група 1" in body
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert f'id="comment-{stage.id}-text"' in body
    assert "Not open for this group yet." in body  # the later stages
    assert f'id="comment-{stages(workshop)[3].id}-text"' not in body
    assert "hx-swap-oob" not in body
    chosen = text(room.get(f"/groups/{groups[0].id}?select=1"))
    assert 'id="grid" hx-swap-oob="true"' in chosen and 'aria-current="true"' in chosen


def test_a_comment_reaches_the_group(app, room, workshop, groups):
    stage = services.next_stage(workshop, None)
    with app.extensions["broker"].subscribe([f"group:{groups[0].id}", f"control:{workshop.id}"]) as sub:
        response = room.post(
            f"/groups/{groups[0].id}/stages/{stage.id}/comments", {f"comment-{stage.id}-text": "Уточнете възрастта."}
        )
        events = drain(sub)
    assert response.status_code == 200 and "Уточнете възрастта." in text(response)
    assert ("group", f"comments-{stage.id}", "") in events and ("control", "comment", "") in events
    assert [c.text for c in room_services.comments_for(groups[0], stage)] == ["Уточнете възрастта."]
    assert room_services.comments_for(groups[1], stage) == []


@pytest.mark.parametrize(
    "comment, message", [("   ", "Write the comment first."), ("д" * 1001, "at most 1000 characters")]
)
def test_bad_comments_are_refused_and_kept(room, workshop, groups, comment, message):
    stage = services.next_stage(workshop, None)
    response = room.post(f"/groups/{groups[0].id}/stages/{stage.id}/comments", {f"comment-{stage.id}-text": comment})
    assert response.status_code == 422 and message in text(response)
    assert f'id="comment-{stage.id}-text-error"' in text(response)
    if comment.strip():
        assert comment in text(response)
    assert db.session.scalar(db.select(db.func.count(StageComment.id))) == 0


def test_comment_without_htmx_goes_back_to_the_group(room, workshop, groups):
    stage = services.next_stage(workshop, None)
    response = room.post(
        f"/groups/{groups[0].id}/stages/{stage.id}/comments", {f"comment-{stage.id}-text": "Добре"}, htmx=False
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/control?group={groups[0].id}#group-stage-{stage.id}")


# Messages ---------------------------------------------------------------------------------------


def test_broadcast_to_everyone_and_to_one_group(app, room, workshop, groups):
    with app.extensions["broker"].subscribe([f"workshop:{workshop.id}", f"group:{groups[1].id}"]) as sub:
        everyone = room.post("/messages", {"message-text": "Пет минути до края", "message-group": ""})
        one = room.post("/messages", {"message-text": "Група 2: добре сте", "message-group": str(groups[1].id)})
        events = drain(sub)
    assert everyone.status_code == 200 and fragment_root(text(everyone)) == "message-form"
    assert "Пет минути" not in text(everyone)  # the form is empty again
    assert "Your message is on every group’s screen." in text(everyone)
    assert "Your message is on the screens of Група 2." in text(one)
    assert ("workshop", "message", "") in events and ("group", "message", "") in events
    log = text(room.get("/messages"))
    assert log.index("Група 2: добре сте") < log.index("Пет минути до края")
    assert "To Група 2" in log and "To all groups" in log and "Ana Nowak" in log


@pytest.mark.parametrize(
    "message, error",
    [("", "Write the message first."), ("   ", "Write the message first."), ("м" * 501, "at most 500 characters")],
)
def test_bad_messages_are_refused_and_kept(room, message, error):
    response = room.post("/messages", {"message-text": message, "message-group": ""})
    assert response.status_code == 422 and error in text(response)
    assert 'id="message-text-error"' in text(response)
    if message.strip():
        assert message in text(response)
    assert db.session.scalar(db.select(db.func.count(Broadcast.id))) == 0


def test_the_message_form_offers_all_groups_and_each_group(room, groups):
    body = text(room.get(htmx=False))
    assert '<option selected value="">All groups</option>' in body or '<option value="">All groups</option>' in body
    assert f'<option value="{groups[1].id}">Група 2</option>' in body


# People -----------------------------------------------------------------------------------------


def test_people_per_group_and_unassigned(room, workshop, groups, members):
    stray = Participant(workshop_id=workshop.id, group_id=None, display_name="Галя", token="t-stray")
    db.session.add(stray)
    db.session.commit()
    body = text(room.get("/people"))
    assert fragment_root(body) == "people"
    assert body.index("Ана") < body.index("Борис") < body.index("Вера") < body.index("Not in a group")
    assert "Галя" in body.split("Not in a group")[1]
    assert f'id="remove-{members[0].id}"' in body and "Yes, remove Ана" in body
    # The groups to move someone to come when the facilitator opens that: a plenary's page would
    # otherwise list every group for every person (300 people x 60 groups: 18,000 options, 1.8 MB).
    assert "<option" not in body and "<select" not in body
    assert "Move Ана to another group" in body and f'hx-get="/workshops/{workshop.id}/control/participants/' in body
    form = text(room.get(f"/participants/{members[0].id}/move"))
    assert f'<label for="move-{members[0].id}-group">Move Ана to</label>' in form
    assert f'<option value="{groups[1].id}">Група 2</option>' in form and f'value="{groups[0].id}"' not in form
    # Without JavaScript the link opens the page with that form open.
    page = text(room.get(f"/participants/{members[0].id}/move", htmx=False))
    assert "<html" in page and f'<details class="person__move" id="move-{members[0].id}" open>' in page
    assert f'<label for="move-{members[0].id}-group">Move Ана to</label>' in page


def test_move_someone_to_another_group(app, room, workshop, groups, members):
    ana = members[0]
    with app.extensions["broker"].subscribe([f"group:{groups[0].id}", f"control:{workshop.id}"]) as sub:
        response = room.post(f"/participants/{ana.id}/move", {"group": str(groups[1].id)})
        events = drain(sub)
    assert response.status_code == 200 and "Ана is now in Група 2." in text(response)
    assert ana.group_id == groups[1].id
    assert ("group", "moved", str(ana.id)) in events and ("control", "people-changed", "") in events


def test_move_needs_a_group_of_this_workshop(room, workshop, groups, members, create_workshop):
    other = create_workshop(title="Друга")
    foreign = Group(workshop_id=other.id, name="Чужда")
    db.session.add(foreign)
    db.session.commit()
    assert room.post(f"/participants/{members[0].id}/move", {"group": str(foreign.id)}).status_code == 404
    missing = room.post(f"/participants/{members[0].id}/move", {"group": ""})
    assert missing.status_code == 422 and f'id="move-{members[0].id}-error"' in text(missing)
    groups[1].archived_at = workshop.created_at
    db.session.commit()
    archived = room.post(f"/participants/{members[0].id}/move", {"group": str(groups[1].id)})
    assert archived.status_code == 422 and "archived" in text(archived)
    assert members[0].group_id == groups[0].id


def test_rename_someone(room, members):
    response = room.post(f"/participants/{members[0].id}/rename", {f"rename-{members[0].id}-name": "  Анна  Петрова "})
    assert response.status_code == 200 and "Ана is now called Анна Петрова." in text(response)
    assert members[0].display_name == "Анна Петрова"


@pytest.mark.parametrize("name, error", [(" ", "Enter a name."), ("я" * 61, "at most 60 characters")])
def test_bad_names_are_refused_and_kept(room, members, name, error):
    pid = members[0].id
    response = room.post(f"/participants/{pid}/rename", {f"rename-{pid}-name": name})
    body = text(response)
    assert response.status_code == 422 and error in body and f'id="rename-{pid}-name-error"' in body
    assert f'id="rename-{pid}" open' in body
    if name.strip():
        assert name in body
    assert members[0].display_name == "Ана"


def test_remove_someone_keeps_what_they_wrote(room, workshop, groups, members):
    stage = services.next_stage(workshop, None)
    answer_services.save_answer(workshop, groups[0], stage.fields[1], "Текст на Ана", 0, "Ана", members[0].id)
    response = room.post(f"/participants/{members[0].id}/remove")
    assert response.status_code == 200 and "Ана is removed from the workshop" in text(response)
    assert members[0].removed_at is not None and members[0] not in services.participants_of(workshop)
    assert answer_services.answer_for(groups[0], stage.fields[1]).value == "Текст на Ана"
    # A second click on the stale page finds nobody there.
    assert room.post(f"/participants/{members[0].id}/remove").status_code == 404
    assert room.post(f"/participants/{members[0].id}/rename", {f"rename-{members[0].id}-name": "X"}).status_code == 404


def test_set_and_clear_the_spokesperson(room, workshop, groups, members):
    response = room.post(f"/groups/{groups[0].id}/spokesperson", {"participant": str(members[1].id)})
    assert response.status_code == 200 and "Борис will present for Група 1." in text(response)
    assert spokesperson_of(groups[0]) == members[1]
    assert f'id="spokesperson-{members[1].id}"' in text(response) and "No longer spokesperson" in text(response)
    cleared = room.post(f"/groups/{groups[0].id}/spokesperson", {"participant": ""})
    assert "Група 1 has no spokesperson now." in text(cleared) and spokesperson_of(groups[0]) is None
    wrong = room.post(f"/groups/{groups[0].id}/spokesperson", {"participant": str(members[2].id)})
    assert wrong.status_code == 422 and 'role="alert"' in text(wrong)


def test_participant_ids_of_another_workshop_are_404(room, workshop, groups, create_workshop):
    other = create_workshop(title="Друга")
    stranger = Participant(workshop_id=other.id, display_name="Чужд", token="t-other")
    db.session.add(stranger)
    db.session.commit()
    for path, data in (
        (f"/participants/{stranger.id}/move", {"group": str(groups[0].id)}),
        (f"/participants/{stranger.id}/rename", {f"rename-{stranger.id}-name": "X"}),
        (f"/participants/{stranger.id}/remove", {}),
        (f"/groups/{groups[0].id}/spokesperson", {"participant": str(stranger.id)}),
    ):
        assert room.post(path, data).status_code == 404, path
    assert stranger.removed_at is None and stranger.display_name == "Чужд"


# Run of show and status -------------------------------------------------------------------------


@pytest.fixture
def agenda(workshop):
    items = [
        AgendaItem(workshop_id=workshop.id, day_index=d, position=p, starts_at=t, title=title, kind=kind)
        for d, p, t, title, kind in [
            (1, 0, time(9), "Втори ден", "talk"),
            (0, 1, time(10), "Групова работа I", "group-work"),
            (0, 0, time(9), "Откриване", "greeting"),
        ]
    ]
    db.session.add_all(items)
    db.session.commit()
    return items


def test_the_run_of_show_lists_the_agenda_in_order(room, agenda):
    body = text(room.get("/agenda"))
    assert body.index("Откриване") < body.index("Групова работа I") < body.index("Втори ден")
    assert "Greeting" in body and "Group work" in body and "Day 2" in body
    assert "aria-current" not in body and body.count(">Mark as now</button>") == 3


def test_mark_the_group_work_as_now_leads_to_the_grid(app, room, workshop, agenda):
    with app.extensions["broker"].subscribe([f"control:{workshop.id}"]) as sub:
        response = room.post(f"/agenda/{agenda[1].id}/now")
        assert ("control", "agenda-changed", "") in drain(sub)
    body = text(response)
    assert workshop.current_agenda_item_id == agenda[1].id
    current = body.split(f'id="agenda-now-{agenda[1].id}"')[1][:80]
    assert 'aria-current="true"' in current
    assert "Now: group work (“Групова работа I”)." in body and 'href="#grid-heading"' in body
    assert "The groups are below, in the table." in body
    room.post(f"/agenda/{agenda[0].id}/now")
    assert "Now: group work" not in text(room.get("/agenda"))
    cleared = room.post("/agenda/now/clear")
    assert "aria-current" not in text(cleared) and workshop.current_agenda_item_id is None


def test_agenda_items_of_another_workshop_are_404(room, create_workshop):
    other = create_workshop(title="Друга")
    item = AgendaItem(workshop_id=other.id, starts_at=time(9), title="Чужда точка")
    db.session.add(item)
    db.session.commit()
    assert room.post(f"/agenda/{item.id}/now").status_code == 404


def test_status_goes_live_then_finished_and_finishing_locks_answers(app, room, workshop, groups):
    stage = services.next_stage(workshop, None)
    live = room.post("/status", {"status": "live"}, htmx=False)
    assert live.status_code == 302 and live.headers["Location"].endswith("/control#run-of-show")
    assert workshop.status == "live"
    with app.extensions["broker"].subscribe([f"workshop:{workshop.id}"]) as sub:
        finished = room.post("/status", {"status": "finished"})
        events = drain(sub)
    assert finished.status_code == 200 and "every answer is now read-only" in text(finished)
    assert workshop.status == "finished"
    said = [json.loads(data) for _, event, data in events if event == "stages-changed"]
    assert len(said) == 1 and stage.id in said[0]["stages"] and said[0]["groups"] is None
    assert ("workshop", "status-changed", "") in events
    with pytest.raises(answer_services.SaveRefused):
        answer_services.save_answer(workshop, groups[0], stage.fields[1], "too late", 0, "Ана")


def test_an_impossible_status_change_is_refused(room, workshop):
    response = room.post("/status", {"status": "finished"})  # a draft cannot finish
    assert response.status_code == 409 and "That change is not possible now" in text(response)
    assert room.post("/status", {"status": "bogus"}).status_code == 409
    assert workshop.status == "draft"


# Co-facilitators --------------------------------------------------------------------------------


def test_invite_and_remove_a_co_facilitator(app, room, workshop, other_facilitator):
    with app.extensions["broker"].subscribe([f"control:{workshop.id}"]) as sub:
        response = room.post("/facilitators", {"invite-email": " Boris@Example.bg "})
        assert ("control", "facilitators-changed", "") in drain(sub)
    assert response.status_code == 200 and "Борис can now drive this workshop with you." in text(response)
    assert "Co-facilitator" in text(response)
    again = room.post("/facilitators", {"invite-email": "boris@example.bg"})
    assert again.status_code == 422 and "already runs this workshop" in text(again)
    removed = room.post(f"/facilitators/{other_facilitator.id}/remove")
    assert removed.status_code == 200 and "Борис" not in text(removed).split('class="invite-form"')[0]


@pytest.mark.parametrize("email", ["nobody@example.org", "", "not an email"])
def test_inviting_someone_without_an_account_says_what_to_do(room, email):
    response = room.post("/facilitators", {"invite-email": email})
    body = text(response)
    assert response.status_code == 422 and "Ask them to sign up first" in body
    assert 'id="invite-email-error"' in body and f'value="{email}"' in body


def test_the_owner_cannot_be_removed(room, workshop, facilitator):
    response = room.post(f"/facilitators/{facilitator.id}/remove")
    assert response.status_code == 409 and "the workshop’s owner stays" in text(response)
    assert room.post("/facilitators/9999/remove").status_code == 404
    assert len(services.facilitators_of(workshop)) == 1


def test_a_co_facilitator_drives_too_and_may_step_down(client, workshop, groups, other_facilitator, post_form):
    services.invite_co_facilitator(workshop, other_facilitator.email)
    post_form("/signin", {"email": other_facilitator.email, "password": "another password"})
    boris = Room(client, workshop)
    assert boris.post("/stages/next", {"seen_stage": ""}).status_code == 200
    assert states(workshop)[0] == "open"
    response = boris.post(f"/facilitators/{other_facilitator.id}/remove")
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/dashboard"
    assert db.session.scalar(db.select(WorkshopFacilitator).filter_by(facilitator_id=other_facilitator.id)) is None
    assert client.get(boris.url()).status_code == 404


# CSRF -------------------------------------------------------------------------------------------


def test_actions_without_a_csrf_token_are_refused(room, workshop):
    response = room.post("/stages/next", {"seen_stage": ""}, token=False)
    assert response.status_code == 400 and states(workshop)[0] == "locked"
    assert room.post("/timer/pause", token=False).status_code == 400
    assert room.post("/stages/next", {"seen_stage": "", "csrf_token": "forged"}, token=False).status_code == 400


def test_a_form_without_a_csrf_token_comes_back_with_the_typing_kept(room, workshop):
    response = room.post("/messages", {"message-text": "Почивка след 5 минути"}, htmx=False, token=False)
    body = text(response)
    assert response.status_code == 400 and "Почивка след 5 минути" in body
    assert "This form had expired" in body
    assert db.session.scalar(db.select(db.func.count(Broadcast.id))) == 0


def test_adding_minutes_to_a_stopped_timer_starts_it(room, workshop):
    response = room.post("/timer/add", {"add-minutes": "3"})
    assert response.status_code == 200 and 'data-state="running"' in text(response)
    assert 178 <= room_services.timer_state(workshop)["remaining"] <= 180
    assert room.post("/timer/add", {"add-minutes": "200"}).status_code == 422


def test_after_a_close_the_room_names_who_may_still_be_saving_until_the_grace_ends(room, workshop, groups, members):
    stage = services.next_stage(workshop, None)
    ana, _, vera = members
    participant_services.touch(ana, typing_in=stage.fields[0])
    participant_services.touch(vera, typing_in=stage.fields[0])
    vera.typing_at = utcnow() - timedelta(minutes=2)  # typed there long ago: nothing on its way
    db.session.commit()
    assert "Still saving" not in text(room.get("/closing"))  # the stage is still open
    room.post(f"/stages/{stage.id}/state", {"state": "closed"})
    body = text(room.get("/closing"))
    assert "Still saving what was typed as the stage closed" in body
    assert f"{groups[0].name}</strong> (Ана)" in body and groups[1].name not in body
    assert re.search(r'hx-trigger="[^"]*load delay:(9|10)s', body)  # it asks again as the grace ends
    later = utcnow() + stage_state.LATE_SAVE_GRACE + timedelta(seconds=1)
    assert closing_context(workshop, now=later) == {"closing": [], "closing_seconds": 0}
    # The whole page shows it too, for a facilitator who reloads.
    assert "Still saving" in text(room.get(htmx=False))


def test_the_stream_says_which_screen_made_a_change_and_which_region_it_answered(app, room, workshop):
    page = text(room.get(htmx=False))
    screen = re.search(r'data-screen="([A-Za-z0-9_-]+)"', page).group(1)
    assert f'hx-headers=\'{{"X-Screen": "{screen}"}}\'' in page
    first, second = stages(workshop)[:2]
    with app.extensions["broker"].subscribe([f"workshop:{workshop.id}"]) as sub:
        room.client.post(
            room.url(f"/stages/{first.id}/state"),
            data={"state": "open", "csrf_token": room.token},
            headers={**HTMX, "X-Screen": screen},
        )
        room.client.post(
            room.url("/timer/start"),
            data={"start-minutes": "5", "csrf_token": room.token},
            headers={**HTMX, "X-Screen": screen},
        )
        room.post(f"/stages/{second.id}/state", {"state": "open"})  # another screen (no header)
        room.client.post(
            room.url(f"/stages/{second.id}/state"),
            data={"state": "closed", "csrf_token": room.token},
            headers={**HTMX, "X-Screen": "<script>"},  # not a screen name: ignored
        )
        said = [
            (m.event, json.loads(m.data)["origin"] if m.event == "stages-changed" else m.data)
            for m in iter(lambda: sub.get(timeout=0.3), None)
            if m.event.endswith("-changed")
        ]
    assert said == [
        ("stages-changed", f"{screen} stage-bar"),
        ("timer-changed", f"{screen} timer-panel"),
        ("stages-changed", ""),
        ("stages-changed", ""),
    ]


# The projector and the keyboard ----------------------------------------------------------------


def test_the_page_offers_to_present_on_the_other_screen(room, workshop):
    body = html.unescape(text(room.get(htmx=False)))
    link = re.search(r'<a [^>]*id="present-other-screen"[^>]*>([^<]*)</a>', body)
    assert link and link.group(1) == "Present on the other screen"
    # Without JavaScript, a plain link to the presenter, in one named tab however often it is clicked.
    assert f'href="/workshops/{workshop.id}/present"' in link.group(0)
    assert 'target="facilitator-presenter"' in link.group(0) and 'aria-keyshortcuts="P"' in link.group(0)
    assert "Drag the new window to the projector, then press F there for full screen." in body
    assert body.index("js/shortcuts.js") < body.index("js/control.js") and "css/shortcuts.css" in body


def test_the_page_lists_its_keyboard_shortcuts(room):
    body = html.unescape(text(room.get(htmx=False)))
    assert re.search(
        r'<button [^>]*id="control-shortcuts-button"[^>]*><kbd>\?</kbd><span class="visually-hidden"> Shortcuts</span></button>',
        body,
    )
    dialog = body[
        body.index('<dialog id="control-shortcuts"') : body.index("</dialog>", body.index("control-shortcuts"))
    ]
    rows = [
        (" ".join(re.sub(r"<[^>]+>", " ", keys).split()), what.strip())
        for keys, what in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", dialog, re.S)
    ]
    assert rows == [("P", "Present on the other screen"), ("?", "this list"), ("Esc", "close a list")]
    assert "Single-key shortcuts (letters and ?)" in dialog and "They wait while you type in a field." in dialog


def test_the_projector_button_and_the_shortcuts_speak_polish(room, client):
    with client.session_transaction() as session:
        session["lang"] = "pl"
    body = html.unescape(text(room.get(htmx=False)))
    assert re.search(r'id="present-other-screen"[^>]*>Pokaż na drugim ekranie</a>', body)
    assert re.search(
        r'id="control-shortcuts-button"[^>]*><kbd>\?</kbd><span class="visually-hidden"> Skróty</span></button>', body
    )
    assert "Przeciągnij nowe okno na projektor i naciśnij w nim F" in body
    assert "Skróty jednym klawiszem (litery i ?)" in body and "Present on the other screen" not in body
