"""Issue 10, finding 1: nobody without a seat learns a join code, a PIN or a group's work.

Every participant route comes from the app's URL map, so a route added later is checked too.
"""

import re

import pytest

from facilitator import create_app
from facilitator.config import TestingConfig
from facilitator.extensions import db
from facilitator.stages import state as stage_state

from .conftest import csrf

UNKNOWN_WORKSHOP = 999_999
CSRF_TOKEN = re.compile(r'(?<=name="csrf-token" content=")[^"]+|(?<=name="csrf_token" value=")[^"]+')


def participant_routes():
    """(endpoint, method, rule) of every route under /w/, read from a freshly built app."""
    app = create_app(TestingConfig)
    try:
        return sorted(
            (rule.endpoint, method, rule.rule)
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/w/")
            for method in rule.methods - {"HEAD", "OPTIONS"}
        )
    finally:
        app.extensions["broker"].close()


ROUTES = participant_routes()


def fill(rule, ids):
    def value(match):
        name = match.group(1).split(":")[-1]
        assert name in ids, f"teach test_no_leaks.py an id for <{name}> (route {rule})"
        return str(ids[name])

    return re.sub(r"<([^>]+)>", value, rule)


@pytest.fixture
def scene(app, workshop, groups, open_stage, join_as):
    """A group at work: a member, a saved answer, a PIN; the ids every URL needs."""
    ana = join_as("Ana")
    field = open_stage.fields[0]
    saved = ana.post(
        f"{ana.workspace_url}/fields/{field.id}",
        data={"value": "Тайният отговор", "base_version": "0"},
        headers={"X-CSRFToken": ana.token, "X-Autosave": "1"},
    )
    assert saved.status_code == 204
    db.session.refresh(groups[0])
    return {
        "workshop_id": workshop.id,
        "group_id": groups[0].id,
        "field_id": field.id,
        "stage_id": open_stage.id,
        "version": 1,
    }


def secrets_of(workshop, groups):
    return [workshop.join_code, groups[0].join_pin, "Тайният отговор"]


def anonymous_answer(app, method, url, headers=None):
    """What a device without a seat gets: it has a session (and so a CSRF token) but no seat."""
    stranger = app.test_client()
    token = csrf(stranger.get("/").get_data(as_text=True))
    if method == "GET":
        response = stranger.get(url, headers=headers or {})
    else:
        response = stranger.post(
            url,
            data={"value": "x", "base_version": "0", "field": ""},
            headers={"X-CSRFToken": token, **(headers or {})},
        )
    return response.status_code, response.headers.get("Location"), response.get_data(as_text=True)


def test_the_route_list_is_the_participants_side():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {
        "participants.workspace",
        "participants.save",
        "participants.stream",
        "participants.presence",
        "participant_pdfs.group_pdf",
        "participant_pdfs.workshop_pdf",
    } <= endpoints


def test_anonymous_workspace_goes_to_the_home_page_not_to_the_join_code(client, workshop, groups, scene):
    response = client.get(f"/w/{workshop.id}/g/{groups[0].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert workshop.join_code not in response.headers["Location"]
    home = client.get("/")
    assert "Your session on this device has ended" in home.get_data(as_text=True)
    assert workshop.join_code not in home.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["page", "htmx", "stream"])
@pytest.mark.parametrize("endpoint, method, rule", ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_no_participant_route_shows_a_code_pin_or_answer_without_a_seat(
    app, workshop, groups, scene, endpoint, method, rule, kind
):
    headers = {"page": {}, "htmx": {"HX-Request": "true"}, "stream": {"Accept": "text/event-stream"}}[kind]
    status, location, body = anonymous_answer(app, method, fill(rule, scene), headers)
    assert status in (302, 401, 403), f"{method} {rule} answered {status}"
    for secret in secrets_of(workshop, groups):
        assert secret not in (location or "") and secret not in body, f"{method} {rule} shows {secret!r}"
    assert workshop.title not in body
    if location is not None:
        assert location == "/"


@pytest.mark.parametrize("kind", ["page", "htmx", "stream"])
@pytest.mark.parametrize("endpoint, method, rule", ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_without_a_seat_a_real_workshop_and_a_missing_one_answer_alike(
    app, workshop, groups, scene, endpoint, method, rule, kind
):
    """Walking workshop ids tells a stranger nothing: no 404 for a missing one, no redirect for a real one."""
    headers = {"page": {}, "htmx": {"HX-Request": "true"}, "stream": {"Accept": "text/event-stream"}}[kind]
    real_url, missing_url = fill(rule, scene), fill(rule, {**scene, "workshop_id": UNKNOWN_WORKSHOP})
    status, location, body = anonymous_answer(app, method, real_url, headers)
    missing = anonymous_answer(app, method, missing_url, headers)
    assert (status, location, same(body, real_url)) == (*missing[:2], same(missing[2], missing_url))


def same(body, url):
    """A page as it would read for any id: pages carry their own address (the language switcher's
    `next`) and each device's own CSRF token; nothing else may differ."""
    return CSRF_TOKEN.sub("<token>", body.replace(url, "<url>"))


def test_a_removed_member_is_sent_home_without_the_code(app, workshop, groups, join_as):
    from facilitator.control import services as control
    from facilitator.participants.models import Participant

    ana = join_as("Ana")
    control.remove_participant(workshop, db.session.scalar(db.select(Participant).filter_by(display_name="Ana")))
    response = ana.get(ana.workspace_url)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    notice = ana.post(ana.workspace_url + "/presence", data={"field": ""}, headers={"X-CSRFToken": ana.token})
    assert notice.status_code == 401
    assert workshop.join_code not in notice.get_data(as_text=True)
    assert 'href="/"' in notice.get_data(as_text=True)


def test_the_workspace_does_not_show_the_group_pin(workshop, groups, open_stage, join_as):
    """Finding 1 and 7: the PIN was in every member's banner; now only the facilitator has it."""
    ana = join_as("Ana")
    db.session.refresh(groups[0])
    pin = groups[0].join_pin
    body = ana.get(ana.workspace_url).get_data(as_text=True)
    assert "Group PIN" not in body
    assert pin not in body
    stage_ids = ",".join(str(stage.id) for stage in stage_state.stages_of(workshop))
    for fragment in ("/members", "/messages", "/help", "/downloads", f"/news?stages={stage_ids}&timer=1", "/timer"):
        assert pin not in ana.get(ana.workspace_url + fragment).get_data(as_text=True)


def test_a_wrong_pin_says_to_ask_the_facilitator(app, workshop, groups, join_as):
    join_as("Ana")
    stranger = app.test_client()
    token = csrf(stranger.get(f"/j/{workshop.join_code}").get_data(as_text=True))
    wrong = stranger.post(
        f"/j/{workshop.join_code}/rejoin",
        data={"csrf_token": token, "display_name": "Ana", "group": str(groups[0].id), "pin": "12345678"},
    )
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Ask the facilitator" in body
    assert "teammate" not in body
