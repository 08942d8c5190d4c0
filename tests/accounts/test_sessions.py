"""Facilitator sessions live on the server: signing out, a password change or "sign out
everywhere" ends them, whatever cookies someone copied before."""

from facilitator.accounts import services
from facilitator.extensions import db
from tests.conftest import csrf_token_from


def sign_in(client, remember=False, email="ana@example.org", password="correct horse"):
    data = {"csrf_token": csrf_token_from(client, "/signin"), "email": email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/signin", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post(client, url, data=None, page="/account"):
    return client.post(url, data={"csrf_token": csrf_token_from(client, page), **(data or {})})


def replay(app, name, value):
    """A fresh browser that holds nothing but one copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def is_signed_in(client):
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/signin")
    return response.status_code == 200


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(app, client, facilitator):
    sign_in(client)
    copied = client.get_cookie("session").value
    assert is_signed_in(replay(app, "session", copied))
    assert post(client, "/signout").status_code == 302
    assert not is_signed_in(replay(app, "session", copied))


def test_a_password_change_ends_every_other_session_but_keeps_this_one(app, client, facilitator):
    laptop = client
    sign_in(laptop)
    copied = laptop.get_cookie("session").value
    phone = app.test_client()
    sign_in(phone)
    changed = post(
        phone,
        "/account/password",
        {"current_password": "correct horse", "new_password": "new password!", "confirm": "new password!"},
    )
    assert changed.status_code == 302
    assert is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert not is_signed_in(replay(app, "session", copied))


def test_remember_cookie_is_new_at_every_sign_in(app, client, facilitator):
    sign_in(client, remember=True)
    first = client.get_cookie("remember_token").value
    post(client, "/signout")
    sign_in(client, remember=True)
    second = client.get_cookie("remember_token").value
    assert first != second
    # The first one was ended by the sign-out; the second one works on its own.
    assert not is_signed_in(replay(app, "remember_token", first))
    assert is_signed_in(replay(app, "remember_token", second))


def test_sign_out_everywhere_ends_copied_remember_and_session_cookies(app, client, facilitator):
    sign_in(client, remember=True)
    remembered = client.get_cookie("remember_token").value
    session_cookie = client.get_cookie("session").value
    other_device = app.test_client()
    sign_in(other_device)
    assert is_signed_in(replay(app, "remember_token", remembered))

    page = client.get("/account").get_data(as_text=True)
    assert "Sign out everywhere" in page
    response = post(client, "/account/sessions/end")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert not is_signed_in(client)
    assert not is_signed_in(other_device)
    assert not is_signed_in(replay(app, "remember_token", remembered))
    assert not is_signed_in(replay(app, "session", session_cookie))


def test_sign_out_everywhere_is_a_post_with_csrf(client, as_facilitator):
    assert client.get("/account/sessions/end").status_code == 405
    assert client.post("/account/sessions/end").status_code == 400
    assert is_signed_in(client)


def test_a_copied_remember_cookie_stops_after_a_password_change(app, client, facilitator):
    sign_in(client, remember=True)
    remembered = client.get_cookie("remember_token").value
    phone = app.test_client()
    sign_in(phone)
    post(
        phone,
        "/account/password",
        {"current_password": "correct horse", "new_password": "new password!", "confirm": "new password!"},
    )
    assert not is_signed_in(replay(app, "remember_token", remembered))


def test_csrf_token_from_before_sign_in_is_refused_after_it(client, facilitator):
    before = csrf_token_from(client, "/signin")
    response = client.post(
        "/signin", data={"csrf_token": before, "email": "ana@example.org", "password": "correct horse"}
    )
    assert response.status_code == 302
    refused = client.post("/signout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert is_signed_in(client)
    # The pages signed in carry a new token, which works.
    assert post(client, "/signout").status_code == 302
    assert not is_signed_in(client)


def test_account_page_lists_the_devices_signed_in(app, client, facilitator):
    sign_in(client)
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Android 14; Mobile)"
    sign_in(phone)
    page = client.get("/account").get_data(as_text=True)
    assert "Android 14" in page
    assert "This device" in page


def test_sessions_service_ends_all_but_the_one_kept(app, facilitator):
    from facilitator.accounts.models import FacilitatorSession

    kept = services.open_session(facilitator, "laptop")
    other = services.open_session(facilitator, "phone")
    services.end_all_sessions(facilitator, keep=kept)
    assert services.find_session(kept).facilitator == facilitator
    assert services.find_session(other) is None
    assert services.find_session("not a token") is None
    live = db.session.scalars(db.select(FacilitatorSession).filter_by(revoked_at=None)).all()
    assert [s.user_agent for s in live] == ["laptop"]
    # Only a hash of the token is stored.
    assert kept not in {s.token_hash for s in live}
