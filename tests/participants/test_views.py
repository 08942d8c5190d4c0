"""Joining from a phone and working in the group's workspace, through the test client."""

import json
import re

from facilitator.answers import services as answer_services
from facilitator.answers.models import Answer
from facilitator.control import services as control
from facilitator.extensions import db
from facilitator.participants import services as participant_services
from facilitator.participants.models import Participant
from facilitator.stages import state as stage_state

from .conftest import csrf


def text(response):
    return response.get_data(as_text=True)


def field_url(client, field):
    return f"{client.workspace_url}/fields/{field.id}"


def save(client, field, value, base, **headers):
    return client.post(
        field_url(client, field),
        data={"value": value, "base_version": str(base)},
        headers={"X-CSRFToken": client.token, "X-Autosave": "1", **headers},
    )


# --- joining ----------------------------------------------------------------------------------


def test_home_page_code_leads_to_the_join_page(client, workshop, groups):
    token = csrf(text(client.get("/")))
    response = client.post("/join", data={"csrf_token": token, "code": workshop.join_code.lower()})
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{workshop.join_code}"


def test_wrong_code_says_so_plainly(client, workshop):
    token = csrf(text(client.get("/")))
    response = client.post("/join", data={"csrf_token": token, "code": "ZZZZZZ"})
    assert response.status_code == 422
    assert "No open workshop has this code." in text(response)
    assert 'value="ZZZZZZ"' in text(response)
    assert client.get("/j/ZZZZZZ").status_code == 404


def test_join_lands_in_the_groups_workspace_and_the_device_is_remembered(app, workshop, groups, join_as):
    device = join_as("Мария", groups[1])
    page = device.get(device.workspace_url)
    assert page.status_code == 200
    body = text(page)
    assert "Група 2" in body and "Мария" in body
    assert "Group PIN" not in body  # only the facilitator sees it
    # Coming back to the join link goes straight in.
    again = device.get(f"/j/{workshop.join_code}")
    assert again.status_code == 302 and again.headers["Location"] == device.workspace_url


def test_join_errors_keep_the_typing(client, workshop, groups):
    token = csrf(text(client.get(f"/j/{workshop.join_code}")))
    response = client.post(
        f"/j/{workshop.join_code}",
        data={"csrf_token": token, "display_name": "x" * 61, "group": str(groups[0].id), "homepage": "http://"},
    )
    assert response.status_code == 422
    assert "This is too long: at most 60 characters." in text(response)
    assert 'value="' + "x" * 61 + '"' in text(response)


def test_honeypot_rejects_bots_without_saying_why(client, workshop, groups):
    token = csrf(text(client.get(f"/j/{workshop.join_code}")))
    response = client.post(
        f"/j/{workshop.join_code}",
        data={
            "csrf_token": token,
            "display_name": "Bot",
            "group": str(groups[0].id),
            "website": "http://spam.example",
            "homepage": "http://",
        },
    )
    assert response.status_code == 400
    assert "We could not add you." in text(response)
    assert "honeypot" not in text(response).lower()
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_taken_name_offers_rejoin_with_pin(app, workshop, groups, join_as):
    join_as("Ana")
    stranger = app.test_client()
    token = csrf(text(stranger.get(f"/j/{workshop.join_code}")))
    taken = stranger.post(
        f"/j/{workshop.join_code}",
        data={"csrf_token": token, "display_name": "ana", "group": str(groups[0].id), "homepage": "http://"},
    )
    assert taken.status_code == 422 and "rejoin below with your group" in text(taken)
    wrong = stranger.post(
        f"/j/{workshop.join_code}/rejoin",
        data={"csrf_token": token, "display_name": "ana", "group": str(groups[0].id), "pin": "99999"},
    )
    assert wrong.status_code == 422 and "That is not this group&#39;s PIN." in text(wrong)
    db.session.refresh(groups[0])
    ok = stranger.post(
        f"/j/{workshop.join_code}/rejoin",
        data={"csrf_token": token, "display_name": "ana", "group": str(groups[0].id), "pin": groups[0].join_pin},
    )
    assert ok.status_code == 302


def test_join_is_rate_limited_per_address(app, client, workshop, groups):
    app.config["JOIN_RATE_LIMIT"] = "2 per minute"
    token = csrf(text(client.get(f"/j/{workshop.join_code}")))
    for _ in range(2):
        client.post(f"/j/{workshop.join_code}", data={"csrf_token": token, "display_name": ""})
    assert client.post(f"/j/{workshop.join_code}", data={"csrf_token": token, "display_name": ""}).status_code == 429


def test_finished_workshop_accepts_no_joins(client, workshop, groups):
    workshop.status = "finished"
    db.session.commit()
    response = client.get(f"/j/{workshop.join_code}")
    assert response.status_code == 404
    assert "No open workshop has this code." in text(response)


def test_forged_or_missing_cookie_is_asked_to_rejoin(app, workshop, groups, join_as):
    device = join_as("Ana")
    url = device.workspace_url
    stranger = app.test_client()
    response = stranger.get(url)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    stranger.set_cookie(f"fp_{workshop.id}", "forged.value.here")
    assert stranger.get(url).status_code == 302
    background = stranger.post(
        url + "/fields/1", data={"value": "x", "base_version": "0"}, headers={"X-CSRFToken": device.token}
    )
    assert background.status_code in (400, 401)


# --- the workspace ----------------------------------------------------------------------------


def test_workspace_shows_open_closed_and_locked_stages(workshop, groups, open_stage, join_as):
    device = join_as("Ana")
    body = text(device.get(device.workspace_url))
    assert body.count("Not open yet") == 7 and body.count("Open now") == 1
    assert f'id="answer-{open_stage.fields[0].id}"' in body and "<textarea" in body
    assert "0 of 8 stages done" in body


def test_save_and_see_it_from_a_teammate(workshop, groups, open_stage, join_as):
    ana, boris = join_as("Ana"), join_as("Boris")
    field = open_stage.fields[0]
    response = save(ana, field, "Достъп до информация", 0)
    assert response.status_code == 204
    assert response.headers["X-Answer-Version"] == "1"
    # Without the autosave script (htmx or a plain form), the status line comes back as HTML.
    again = ana.post(
        field_url(ana, field),
        data={"value": "Достъп до информация!", "base_version": "1"},
        headers={"X-CSRFToken": ana.token, "HX-Request": "true"},
    )
    assert again.status_code == 200 and "Saved" in text(again) and "by Ana" in text(again)
    fragment = boris.get(field_url(boris, field))
    assert "Достъп до информация!" in text(fragment) and fragment.headers["X-Answer-Version"] == "2"


def test_a_save_claiming_a_version_of_an_answer_that_does_not_exist_is_kept(workshop, groups, open_stage, join_as):
    """A page that thinks there is a version 3 (an odd client, a reset database): no text to lose, so save."""
    ana = join_as("Ana")
    field = open_stage.fields[0]
    response = save(ana, field, "Текст от телефона", 3)
    assert response.status_code == 204 and response.headers["X-Answer-Version"] == "1"
    assert answer_services.answer_for(groups[0], field).value == "Текст от телефона"


def test_stale_save_is_a_conflict_showing_both_texts(workshop, groups, open_stage, join_as):
    ana, boris = join_as("Ana"), join_as("Boris")
    field = open_stage.fields[0]
    save(ana, field, "base", 0)
    save(ana, field, "Ana's version", 1)
    conflict = save(boris, field, "Boris's version", 1)
    assert conflict.status_code == 409
    body = text(conflict)
    assert "Ana&#39;s version" in body and "Boris&#39;s version" in body
    assert "Keep mine" in body and "Keep theirs" in body and "Merge both" in body
    assert conflict.headers["X-Answer-Version"] == "2"
    # Keep mine: save again on top of the version shown.
    assert save(boris, field, "Boris's version", 2).status_code == 204


def test_html_in_answers_is_shown_as_text(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    field = open_stage.fields[0]
    save(ana, field, "<script>alert(1)</script><b>bold</b>", 0)
    body = text(ana.get(ana.workspace_url))
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in body


def test_too_long_answer_is_refused_with_a_message(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    field = open_stage.fields[0]
    save(ana, field, "kept", 0)
    response = save(ana, field, "x" * 20_001, 1)
    assert response.status_code == 422
    assert "This answer is too long" in text(response)
    assert answer_services.answer_for(ana_group(workshop), field).value == "kept"


def ana_group(workshop):
    return db.session.scalar(db.select(Participant).filter_by(display_name="Ana")).group


def test_save_to_a_closed_stage_is_refused(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    locked = workshop.process.stages[2].fields[0]
    response = save(ana, locked, "text", 0)
    assert response.status_code == 403
    assert "This stage is closed" in text(response)


def test_save_to_another_group_or_workshop_is_refused(app, create_workshop, workshop, groups, open_stage, join_as):
    ana = join_as("Ana", groups[0])
    field = open_stage.fields[0]
    other_group_url = ana.workspace_url.replace(f"/g/{groups[0].id}", f"/g/{groups[1].id}")
    response = ana.post(
        f"{other_group_url}/fields/{field.id}",
        data={"value": "x", "base_version": "0"},
        headers={"X-CSRFToken": ana.token},
    )
    assert response.status_code == 403
    other = create_workshop(title="Друга")
    foreign_field = other.process.stages[1].fields[0]
    assert save(ana, foreign_field, "x", 0).status_code == 404
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 0


def test_save_needs_csrf(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    response = ana.post(field_url(ana, open_stage.fields[0]), data={"value": "x", "base_version": "0"})
    assert response.status_code == 400


def test_save_flood_is_rate_limited_and_the_last_text_is_kept(app, workshop, groups, open_stage, join_as):
    app.config["SAVE_RATE_LIMIT"] = "3 per minute"
    ana = join_as("Ana")
    field = open_stage.fields[0]
    for version in range(3):
        assert save(ana, field, f"text {version}", version).status_code == 204
    limited = save(ana, field, "the last text", 3)
    assert limited.status_code == 429
    assert answer_services.answer_for(groups[0], field).value == "text 2"


def test_history_and_restore(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    field = open_stage.fields[0]
    save(ana, field, "first", 0)
    save(ana, field, "second", 1)
    history = text(ana.get(field_url(ana, field) + "/history"))
    assert "Version 2" in history and "Version 1" in history and "Restore version 1" in history
    restored = ana.post(
        field_url(ana, field) + "/history/1/restore", headers={"X-CSRFToken": ana.token, "HX-Request": "true"}
    )
    assert restored.status_code == 200 and restored.headers["X-Answer-Version"] == "3"
    assert ">first</textarea>" in text(restored)
    assert "restored from version 1" in text(ana.get(field_url(ana, field) + "/history"))


def test_no_js_fallback_save_redirects_back(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    field = open_stage.fields[0]
    page = text(ana.get(ana.workspace_url))
    token = re.search(
        r'<form method="post" action="[^"]*/fields/%d"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
        % field.id,
        page,
    ).group(1)
    response = ana.post(field_url(ana, field), data={"csrf_token": token, "value": "no js", "base_version": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#field-{field.id}")


def test_presence_is_published_to_the_group(app, workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    broker = app.extensions["broker"]
    me = db.session.scalar(db.select(Participant).filter_by(display_name="Ana"))
    with broker.subscribe([f"group:{groups[0].id}"]) as sub:
        response = ana.post(
            ana.workspace_url + "/presence",
            data={"field": str(open_stage.fields[0].id)},
            headers={"X-CSRFToken": ana.token},
        )
        assert response.status_code == 204
        message = sub.get(timeout=2)
    assert (message.event, message.data) == ("presence", f"{me.id}:{open_stage.fields[0].id}")


def test_stream_needs_the_groups_cookie(app, workshop, groups, join_as):
    ana = join_as("Ana", groups[0])
    other_group = ana.workspace_url.replace(f"/g/{groups[0].id}", f"/g/{groups[1].id}")
    assert ana.get(other_group + "/stream").status_code == 403
    assert (
        app.test_client().get(ana.workspace_url + "/stream", headers={"Accept": "text/event-stream"}).status_code == 401
    )


def read_events(response, count):
    """Read `count` SSE events (not heartbeats) from a streamed test response."""
    events, buffer = [], ""
    chunks = response.response
    while len(events) < count:
        buffer += next(chunks).decode()
        while "\n\n" in buffer:
            raw, buffer = buffer.split("\n\n", 1)
            lines = [line.split(": ", 1) for line in raw.split("\n") if ": " in line]
            fields = {name: value for name, value in lines if name != "data"}
            fields["data"] = "\n".join(value for name, value in lines if name == "data")
            if "event" in fields:
                events.append(fields)
    return events


def test_stream_replays_what_a_reconnecting_client_missed(app, workshop, groups, open_stage, join_as):
    app.config["SSE_HEARTBEAT_SECONDS"] = 0.05
    ana, boris = join_as("Ana"), join_as("Boris")
    field = open_stage.fields[0]
    first = ana.get(ana.workspace_url + "/stream", buffered=False)
    assert first.mimetype == "text/event-stream" and first.headers["Cache-Control"] == "no-cache"
    opened = read_events(first, 1)[0]
    assert opened["event"] == "stream-open"
    first.close()  # the phone drops off the network...
    save(boris, field, "while you were away", 0)
    save(boris, field, "and more", 1)
    again = ana.get(ana.workspace_url + "/stream", headers={"Last-Event-ID": opened["id"]}, buffered=False)
    events = read_events(again, 3)
    again.close()
    assert [e["event"] for e in events[:2]] == [f"field-{field.id}", f"field-{field.id}"]
    import json

    assert [json.loads(e["data"]) for e in events[:2]] == [
        {"v": 1, "t": "while you were away", "by": "Boris"},
        {"v": 2, "t": "and more", "by": "Boris"},
    ]
    assert events[2]["event"] == "stream-open"


def test_the_stream_brings_the_groups_stage_news_live_and_a_reconnect_the_word_of_it(app, workshop, groups, join_as):
    """News of a stage change comes live in the device's language; a phone that was away when it
    came gets the workshop's word of the change replayed (and fetches its cards then), not old cards."""

    app.config["SSE_HEARTBEAT_SECONDS"] = 0.05
    ana = join_as("Ana")
    stream = ana.get(ana.workspace_url + "/stream", headers={"Accept-Language": "pl"}, buffered=False)
    assert read_events(stream, 1)[0]["event"] == "stream-open"
    ana_row = db.session.scalar(db.select(Participant).filter_by(display_name="Ana"))
    assert ana_row.locale == "pl"  # the group's news is rendered in it
    first, second = stage_state.stages_of(workshop)[:2]
    control.set_stage_state(workshop, first, "open")
    news, said = read_events(stream, 2)
    stream.close()
    assert news["event"] == "stages" and f'id="stage-card-{first.id}" data-state="open"' in news["data"]
    assert "Otwarty</span>" in news["data"]
    assert said["event"] == "stages-changed" and json.loads(said["data"])["stages"] == [first.id]
    control.set_stage_state(workshop, second, "open")  # while the phone is away
    again = ana.get(ana.workspace_url + "/stream", headers={"Last-Event-ID": said["id"]}, buffered=False)
    replayed = read_events(again, 2)
    again.close()
    assert [e["event"] for e in replayed] == ["stages-changed", "stream-open"]
    assert json.loads(replayed[0]["data"])["stages"] == [second.id]


def test_a_phone_whose_news_did_not_come_fetches_the_same_cards_once(workshop, groups, open_stage, join_as):
    ana = join_as("Ana")
    stages = stage_state.stages_of(workshop)
    locked = stages[2]
    answer_services.save_answer(workshop, groups[0], open_stage.fields[0], "Аудио приказки", 0, "Ана")
    news = text(ana.get(ana.workspace_url + f"/news?stages={open_stage.id},{locked.id}&timer=1&n=abc"))
    assert f'id="stage-card-{open_stage.id}" data-state="open"' in news and "Аудио приказки" in news
    assert f'id="stage-card-{locked.id}" data-state="locked"' in news
    assert news.count('hx-swap-oob="true"') == 5  # two cards, the progress bar, the timer, the marker
    assert 'data-serial="abc"' in news and 'name="csrf_token" value=""' in news
    # Without the timer: no timer; a stage of another workshop's process is no card of this one.
    quiet = text(ana.get(ana.workspace_url + f"/news?stages={open_stage.id},999999"))
    assert 'id="timer"' not in quiet and quiet.count('class="stage-card ') == 1
    for bad in ("x", "1,,x", "-1", str(2**63)):
        assert ana.get(ana.workspace_url + f"/news?stages={bad}").status_code == 400, bad


def test_joining_tells_the_group(app, workshop, groups, join_as):
    with app.extensions["broker"].subscribe([f"group:{groups[0].id}"]) as sub:
        join_as("Ana")
        assert sub.get(timeout=2).event == "members-changed"


def test_a_group_id_no_database_could_hold_is_a_plain_refusal(client, workshop, groups):
    token = csrf(text(client.get(f"/j/{workshop.join_code}")))
    for url, extra in (
        (f"/j/{workshop.join_code}", {"homepage": "http://"}),
        (f"/j/{workshop.join_code}/rejoin", {"pin": "12345678"}),
    ):
        response = client.post(url, data={"csrf_token": token, "display_name": "Ana", "group": str(2**63), **extra})
        assert response.status_code == 422 and "Please choose your group." in text(response)


# --- closing a stage while people type -------------------------------------------------------------


def typing(client, field):
    return client.post(
        client.workspace_url + "/presence", data={"field": str(field.id)}, headers={"X-CSRFToken": client.token}
    )


def test_a_close_is_final_at_once_except_for_the_words_being_typed(app, workshop, groups, open_stage, join_as):
    """A phone that missed the close (or a hand-made request) is refused at once; someone typing
    as it closed gets their last save in, and only that one."""
    ana, boris = join_as("Ana", groups[0]), join_as("Boris", groups[0])
    field = open_stage.fields[0]
    assert save(boris, field, "Boris was here", 0).status_code == 204
    assert save(ana, field, "Ana's first words", 1).status_code == 204
    assert typing(ana, field).status_code == 204  # Ana is typing on as the facilitator closes
    control.set_stage_state(workshop, open_stage, "closed")
    assert [(e["group"].name, e["names"]) for e in participant_services.typing_as_closed(workshop)] == [
        (groups[0].name, ["Ana"])
    ]

    refused = save(boris, field, "Boris missed the close", 2)
    assert refused.status_code == 403 and "This stage is closed" in text(refused)
    assert save(ana, field, "Ana's first words, finished", 2).status_code == 204
    assert participant_services.typing_as_closed(workshop) == []  # the close is final now
    assert save(ana, field, "Ana, once more", 3).status_code == 403
    assert answer_services.answer_for(groups[0], field).value == "Ana's first words, finished"


def test_presence_in_another_workshops_field_is_refused(create_workshop, workshop, groups, open_stage, join_as):
    ana = join_as("Ana", groups[0])
    foreign = create_workshop(title="Друга").process.stages[0].fields[0]
    assert typing(ana, foreign).status_code == 404
