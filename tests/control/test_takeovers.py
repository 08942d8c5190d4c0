"""Issue 10, finding 7: the right PIN and a member's name no longer push an active member's phone out.

A seat whose device was active in the last minutes changes hands only when a facilitator
approves it in the control room; an idle seat is taken at once, and the control room shows both.
"""

import re
from datetime import timedelta

import pytest
from flask_babel import format_time

from facilitator.accounts.models import utcnow
from facilitator.extensions import db
from facilitator.participants import services as participant_services
from facilitator.participants.models import Participant, SeatTakeover

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX = {"HX-Request": "true"}


def text(response):
    return response.get_data(as_text=True)


def token_of(client, url):
    return CSRF.search(text(client.get(url))).group(1)


@pytest.fixture
def open_stage(workshop):
    stage = workshop.process.stages[1]
    stage.state = "open"
    db.session.commit()
    return stage


@pytest.fixture
def ana(app, workshop, groups):
    """Ana's phone, in group 1, just used."""
    phone = app.test_client()
    token = token_of(phone, f"/j/{workshop.join_code}")
    joined = phone.post(
        f"/j/{workshop.join_code}",
        data={
            "csrf_token": token,
            "display_name": "Ана",
            "group": str(groups[0].id),
            "website": "",
            "homepage": "http://",
        },
    )
    assert joined.status_code == 302
    phone.workspace_url = joined.headers["Location"]
    phone.token = token_of(phone, phone.workspace_url)
    db.session.refresh(groups[0])
    return phone


def ana_seat():
    return db.session.scalar(db.select(Participant).filter_by(display_name="Ана"))


def rejoin_as_ana(app, workshop, group, pin=None):
    """A new device types Ana's name and the group's PIN."""
    device = app.test_client()
    token = token_of(device, f"/j/{workshop.join_code}")
    response = device.post(
        f"/j/{workshop.join_code}/rejoin",
        data={"csrf_token": token, "display_name": "ана", "group": str(group.id), "pin": pin or group.join_pin},
    )
    return device, response


def save(phone, field, value, base):
    return phone.post(
        f"{phone.workspace_url}/fields/{field.id}",
        data={"value": value, "base_version": str(base)},
        headers={"X-CSRFToken": phone.token, "X-Autosave": "1"},
    )


@pytest.fixture
def facilitator_client(app, as_facilitator, client):
    return client


def room_url(workshop):
    return f"/workshops/{workshop.id}/control"


def decide(client, workshop, takeover, decision, **kwargs):
    token = token_of(client, room_url(workshop))
    return client.post(f"{room_url(workshop)}/takeovers/{takeover.id}/{decision}", data={"csrf_token": token}, **kwargs)


def pending_takeover():
    return db.session.scalar(db.select(SeatTakeover).filter_by(status="pending"))


# --- an active seat waits for the facilitator --------------------------------------------------


def test_taking_an_active_seat_waits_and_the_old_device_keeps_working(app, workshop, groups, open_stage, ana):
    device, response = rejoin_as_ana(app, workshop, groups[0])
    assert response.status_code == 302
    waiting_url = response.headers["Location"]
    assert waiting_url == f"/w/{workshop.id}/takeover"
    waiting = device.get(waiting_url)
    assert waiting.status_code == 200 and "waiting for the facilitator" in text(waiting).lower()
    assert groups[0].join_pin not in text(waiting) and workshop.join_code not in text(waiting)
    # The new device has no seat yet; Ana's phone is still Ana's.
    assert device.get(ana.workspace_url).headers.get("Location") == "/"
    assert ana.get(ana.workspace_url).status_code == 200
    assert save(ana, open_stage.fields[0], "Още съм тук", 0).status_code == 204


def test_the_waiting_page_polls_and_works_without_javascript(app, workshop, groups, ana):
    device, response = rejoin_as_ana(app, workshop, groups[0])
    body = text(device.get(response.headers["Location"]))
    assert 'hx-trigger="every' in body
    assert f'href="/w/{workshop.id}/takeover"' in body  # the refresh button for a phone without JS


def test_the_control_room_shows_the_pending_takeover(app, facilitator_client, workshop, groups, ana):
    rejoin_as_ana(app, workshop, groups[0])
    takeover = pending_takeover()
    body = text(facilitator_client.get(room_url(workshop)))
    assert "Ана" in body and "Група 1" in body
    assert f"/takeovers/{takeover.id}/approve" in body and f"/takeovers/{takeover.id}/refuse" in body
    region = facilitator_client.get(room_url(workshop) + "/takeovers", headers=HX)
    assert region.status_code == 200 and f"/takeovers/{takeover.id}/approve" in text(region)
    assert "sse:takeovers-changed" in text(region)


def test_approving_moves_the_seat_to_the_new_device(app, facilitator_client, workshop, groups, open_stage, ana):
    device, response = rejoin_as_ana(app, workshop, groups[0])
    waiting_url = response.headers["Location"]
    approved = decide(facilitator_client, workshop, pending_takeover(), "approve", headers=HX)
    assert approved.status_code == 200 and "Approved" in text(approved)
    # Ana's old phone is signed out; the new device goes in from its waiting page.
    assert ana.get(ana.workspace_url).headers.get("Location") == "/"
    arrived = device.get(waiting_url)
    assert arrived.status_code == 302 and arrived.headers["Location"] == ana.workspace_url
    assert device.get(ana.workspace_url).status_code == 200
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1  # the same seat, not a new one
    # Polling with htmx gets a client-side redirect instead.
    assert device.get(waiting_url, headers=HX).headers.get("HX-Redirect") in (None, ana.workspace_url)


def test_the_new_device_is_let_in_by_htmx_polling(app, facilitator_client, workshop, groups, ana):
    device, response = rejoin_as_ana(app, workshop, groups[0])
    decide(facilitator_client, workshop, pending_takeover(), "approve")
    polled = device.get(response.headers["Location"], headers=HX)
    assert polled.headers["HX-Redirect"] == ana.workspace_url
    assert device.get(ana.workspace_url).status_code == 200


def test_refusing_keeps_the_seat_with_the_old_device(app, facilitator_client, workshop, groups, open_stage, ana):
    device, response = rejoin_as_ana(app, workshop, groups[0])
    refused = decide(facilitator_client, workshop, pending_takeover(), "refuse", headers=HX)
    assert refused.status_code == 200 and "Refused" in text(refused)
    waiting = device.get(response.headers["Location"])
    assert waiting.status_code == 200 and "did not approve" in text(waiting)
    assert device.get(ana.workspace_url).headers.get("Location") == "/"
    assert save(ana, open_stage.fields[0], "Моето място", 0).status_code == 204


def test_a_decided_takeover_cannot_be_decided_again(app, facilitator_client, workshop, groups, ana):
    rejoin_as_ana(app, workshop, groups[0])
    takeover = pending_takeover()
    assert decide(facilitator_client, workshop, takeover, "refuse", headers=HX).status_code == 200
    again = decide(facilitator_client, workshop, takeover, "approve", headers=HX)
    assert again.status_code == 409 and "already" in text(again)
    plain = decide(facilitator_client, workshop, takeover, "approve")
    assert plain.status_code == 409
    assert db.session.get(SeatTakeover, takeover.id).status == "refused"


def test_a_takeover_is_approved_only_with_the_csrf_token(app, facilitator_client, workshop, groups, ana):
    rejoin_as_ana(app, workshop, groups[0])
    takeover = pending_takeover()
    response = facilitator_client.post(f"{room_url(workshop)}/takeovers/{takeover.id}/approve")
    assert response.status_code == 400
    assert db.session.get(SeatTakeover, takeover.id).status == "pending"


def test_only_the_workshops_facilitators_decide(app, client, post_form, workshop, groups, ana, other_facilitator):
    rejoin_as_ana(app, workshop, groups[0])
    takeover = pending_takeover()
    url = f"{room_url(workshop)}/takeovers/{takeover.id}/approve"
    token = token_of(client, "/signin")
    anonymous = client.post(url, data={"csrf_token": token})
    assert anonymous.status_code == 302 and "/signin" in anonymous.headers["Location"]
    assert ana.post(url, data={"csrf_token": ana.token}).status_code in (302, 400)
    post_form("/signin", {"email": other_facilitator.email, "password": "another password"})
    assert client.post(url, data={"csrf_token": token_of(client, "/account")}).status_code == 404
    assert db.session.get(SeatTakeover, takeover.id).status == "pending"


def test_a_takeover_of_another_workshop_is_not_found(app, facilitator_client, create_workshop, workshop, groups, ana):
    rejoin_as_ana(app, workshop, groups[0])
    takeover = pending_takeover()
    mine = create_workshop(title="Друг семинар")
    token = token_of(facilitator_client, room_url(mine))
    response = facilitator_client.post(f"{room_url(mine)}/takeovers/{takeover.id}/approve", data={"csrf_token": token})
    assert response.status_code == 404
    assert db.session.get(SeatTakeover, takeover.id).status == "pending"


def test_without_the_waiting_cookie_the_waiting_page_is_the_home_page(app, workshop, groups, ana):
    rejoin_as_ana(app, workshop, groups[0])
    stranger = app.test_client()
    assert stranger.get(f"/w/{workshop.id}/takeover").headers["Location"] == "/"
    assert stranger.get("/w/999999/takeover").headers["Location"] == "/"


# --- an idle seat is taken at once, and the control room sees it -------------------------------


def test_an_idle_seat_is_taken_at_once_and_the_control_room_says_so(app, facilitator_client, workshop, groups, ana):
    seat = ana_seat()
    seat.last_seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    device, response = rejoin_as_ana(app, workshop, groups[0])
    assert response.status_code == 302 and response.headers["Location"] == ana.workspace_url
    assert device.get(ana.workspace_url).status_code == 200
    assert ana.get(ana.workspace_url).headers.get("Location") == "/"
    takeover = db.session.scalar(db.select(SeatTakeover))
    assert takeover.status == "taken"
    body = text(facilitator_client.get(room_url(workshop) + "/takeovers", headers=HX))
    assert "Ана" in body and "Taken over with the group PIN" in body
    with app.test_request_context():
        assert format_time(takeover.requested_at, "short") in body


def test_the_window_is_a_setting(app, workshop, groups, ana):
    app.config["TAKEOVER_WINDOW_SECONDS"] = 0
    device, response = rejoin_as_ana(app, workshop, groups[0])
    assert response.headers["Location"] == ana.workspace_url


def test_a_wrong_pin_creates_no_takeover(app, workshop, groups, ana):
    device, response = rejoin_as_ana(
        app, workshop, groups[0], pin="00000001" if groups[0].join_pin != "00000001" else "2"
    )
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(SeatTakeover.id))) == 0


# --- the services ------------------------------------------------------------------------------


def test_rejoining_an_active_seat_returns_a_pending_request(app, workshop, groups, members):
    member = members[0]
    member.last_seen_at = utcnow()
    db.session.commit()
    before = member.token
    result = participant_services.rejoin(workshop, groups[0], member.display_name, groups[0].join_pin)
    assert isinstance(result, SeatTakeover) and result.status == "pending" and result.participant_id == member.id
    assert db.session.get(Participant, member.id).token == before


def test_approving_a_request_signs_the_old_device_out(app, workshop, groups, members, facilitator):
    member = members[0]
    member.last_seen_at = utcnow()
    db.session.commit()
    before = member.token
    takeover = participant_services.rejoin(workshop, groups[0], member.display_name, groups[0].join_pin)
    participant_services.decide_takeover(takeover, facilitator, approve=True)
    assert takeover.status == "approved" and takeover.decided_by_id == facilitator.id
    assert db.session.get(Participant, member.id).token != before
    assert participant_services.claim_takeover(takeover) == member
    with pytest.raises(participant_services.TakeoverError):
        participant_services.claim_takeover(takeover)  # one claim per approval
