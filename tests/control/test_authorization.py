"""Every control route and the stream, for every role: only the workshop's facilitators get in.

The routes come from the app's URL map, so a route added later is tested here without anyone
having to remember it; a route with an id this file does not know fails until it is taught.
"""

import re

import pytest

from facilitator import create_app
from facilitator.config import TestingConfig
from facilitator.control import services
from facilitator.extensions import db
from facilitator.participants.models import Participant, SeatTakeover
from facilitator.room.models import Broadcast, StageTimer
from facilitator.stages import state as stage_state
from facilitator.stages.models import GroupStageState, Stage
from facilitator.workshops.models import WorkshopFacilitator

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HTMX = {"HX-Request": "true"}
ROLES = ["anonymous", "participant", "other facilitator", "owner", "co-facilitator"]
ALLOWED = {"owner", "co-facilitator"}


def control_routes():
    """(endpoint, method, rule) for every control route, read from a freshly built app."""
    app = create_app(TestingConfig)
    try:
        return sorted(
            (rule.endpoint, method, rule.rule)
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("control.")
            for method in rule.methods - {"HEAD", "OPTIONS"}
        )
    finally:
        app.extensions["broker"].close()


ROUTES = control_routes()


def test_the_route_list_is_the_control_room():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {
        "control.room",
        "control.stream",
        "control.next_stage",
        "control.timer_start",
        "control.grid",
        "control.comment",
        "control.send_message",
        "control.move",
        "control.mark_now",
        "control.set_status",
        "control.invite",
        "control.remove_facilitator",
    } <= endpoints
    assert len(ROUTES) >= 30


@pytest.fixture
def scene(app, workshop, groups, members, create_facilitator, other_facilitator):
    """Ids for every kind of URL argument, all belonging to the workshop."""
    from datetime import time

    from facilitator.agenda.models import AgendaItem

    item = AgendaItem(workshop_id=workshop.id, starts_at=time(10), title="Групова работа", kind="group-work")
    db.session.add(item)
    db.session.commit()
    co = create_facilitator(email="co@example.org", display_name="Co", password="co password")
    services.invite_co_facilitator(workshop, co.email)
    leaving = create_facilitator(email="leaving@example.org", display_name="Leaving", password="leaving pw")
    services.invite_co_facilitator(workshop, leaving.email)
    create_facilitator(email="new@example.org", display_name="New", password="new password")
    stage = stage_state.stages_of(workshop)[0]
    takeover = SeatTakeover(
        workshop_id=workshop.id, participant_id=members[0].id, group_id=groups[0].id, secret="waiting-device-secret"
    )
    db.session.add(takeover)
    db.session.commit()
    return {
        "ids": {
            "workshop_id": workshop.id,
            "group_id": groups[0].id,
            "stage_id": stage.id,
            "participant_id": members[0].id,
            "item_id": item.id,
            "facilitator_id": leaving.id,
            "takeover_id": takeover.id,
        },
        "form": {
            "seen_stage": "",
            "state": "open",
            "start-minutes": "5",
            "add-minutes": "1",
            f"comment-{stage.id}-text": "Коментар",
            "message-text": "Съобщение",
            "message-group": "",
            "group": str(groups[1].id),
            f"rename-{members[0].id}-name": "Анна",
            "participant": str(members[1].id),
            "status": "live",
            "invite-email": "new@example.org",
        },
        "passwords": {
            "owner": ("ana@example.org", "correct horse"),
            "co-facilitator": ("co@example.org", "co password"),
            "other facilitator": (other_facilitator.email, "another password"),
        },
    }


def become(client, role, scene, workshop, groups):
    """Make the client one role; return a CSRF token valid in its session."""
    if role == "participant":
        page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
        joined = client.post(
            f"/j/{workshop.join_code}",
            data={
                "csrf_token": CSRF.search(page).group(1),
                "display_name": "Гост",
                "group": str(groups[1].id),
                "website": "",
                "homepage": "http://",
            },
        )
        assert joined.status_code == 302 and "/w/" in joined.headers["Location"]
        assert client.get(joined.headers["Location"]).status_code == 200  # the cookie works
    page = client.get("/signin").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    if role in scene["passwords"]:
        email, password = scene["passwords"][role]
        assert (
            client.post("/signin", data={"csrf_token": token, "email": email, "password": password}).status_code == 302
        )
        token = CSRF.search(client.get("/account").get_data(as_text=True)).group(1)  # sign-in renews the token
    return token


def snapshot(workshop):
    """What a refused request must not have changed."""
    return {
        "stages": [s.state for s in stage_state.stages_of(workshop)],
        "overrides": db.session.scalar(db.select(db.func.count(GroupStageState.id))),
        "timer": db.session.scalar(db.select(db.func.count(StageTimer.id))),
        "messages": db.session.scalar(db.select(db.func.count(Broadcast.id))),
        "people": [
            (p.display_name, p.group_id, p.removed_at, p.is_spokesperson)
            for p in db.session.scalars(db.select(Participant).order_by(Participant.id))
        ],
        "facilitators": db.session.scalar(db.select(db.func.count(WorkshopFacilitator.id))),
        "status": workshop.status,
        "now": workshop.current_agenda_item_id,
        "stage_rows": db.session.scalar(db.select(db.func.count(Stage.id))),
    }


def url_for_rule(rule, ids):
    def fill(match):
        name = match.group(1).split(":")[-1]
        assert name in ids, f"teach test_authorization.py an id for <{name}> (route {rule})"
        return str(ids[name])

    return re.sub(r"<([^>]+)>", fill, rule)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint, method, rule", ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_only_the_workshops_facilitators_reach_a_control_route(
    app, client, scene, workshop, groups, endpoint, method, rule, role
):
    token = become(client, role, scene, workshop, groups)
    url = url_for_rule(rule, scene["ids"])
    before = snapshot(workshop)
    if method == "GET":
        response = client.get(url, headers={} if endpoint == "control.stream" else HTMX, buffered=False)
    else:
        response = client.post(url, data={"csrf_token": token, **scene["form"]}, headers=HTMX, buffered=False)
    try:
        status = response.status_code
        if role in ALLOWED:
            assert status in (200, 204), f"{role}: {method} {url} answered {status}"
            if endpoint == "control.stream":
                assert response.mimetype == "text/event-stream"
            return
        body = b"" if endpoint == "control.stream" and status == 200 else response.get_data()
        if role == "other facilitator":
            assert status == 404, f"{method} {url} answered {status}"
        else:
            assert status in (302, 401, 404), f"{role}: {method} {url} answered {status}"
            if status == 302:
                assert "/signin" in response.headers["Location"]
        assert status != 200 and workshop.title.encode() not in body and "Ана".encode() not in body
    finally:
        response.close()
    assert snapshot(workshop) == before, f"{role} changed something with {method} {url}"
