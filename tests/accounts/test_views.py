"""Account pages through the test client, as a browser would use them."""

import re
from datetime import timedelta

from flask_babel import force_locale, format_timedelta, gettext

from facilitator.accounts.models import Facilitator
from facilitator.extensions import db
from tests.conftest import CSRF_INPUT, csrf_token_from


def text(response):
    return response.get_data(as_text=True)


def test_sign_up_creates_account_and_signs_in(client, post_form):
    response = post_form(
        "/signup",
        {
            "display_name": "Maria Ivanova",
            "email": "maria@example.bg",
            "password": "long enough",
            "confirm": "long enough",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Hello, Maria Ivanova" in text(dashboard)
    assert db.session.scalar(db.select(Facilitator).filter_by(email="maria@example.bg")) is not None


def test_sign_up_bad_input_is_explained_next_to_the_field_and_kept(client, post_form):
    response = post_form(
        "/signup", {"display_name": "Maria", "email": "not-an-email", "password": "short", "confirm": "other"}
    )
    body = text(response)
    assert response.status_code == 422
    assert 'id="email-error"' in body and "does not look like an email address" in body
    assert "needs at least 8 characters" in body
    assert "The two passwords are not the same." in body
    # What was typed stays (passwords are never echoed back).
    assert 'value="not-an-email"' in body and 'value="Maria"' in body
    assert 'value="short"' not in body
    assert 'aria-invalid="true"' in body


def test_sign_up_empty_fields(client, post_form):
    response = post_form("/signup", {"display_name": "", "email": "", "password": "", "confirm": ""})
    assert response.status_code == 422
    assert text(response).count("Please fill in this field.") == 4


def test_sign_up_duplicate_account(client, post_form, facilitator):
    response = post_form(
        "/signup",
        {"display_name": "Ana 2", "email": "ANA@example.org", "password": "long enough", "confirm": "long enough"},
    )
    assert response.status_code == 422
    assert "An account with this email already exists." in text(response)


def test_sign_up_oversized_fields(client, post_form):
    response = post_form(
        "/signup",
        {"display_name": "x" * 121, "email": "a" * 250 + "@example.org", "password": "p" * 201, "confirm": "p" * 201},
    )
    body = text(response)
    assert response.status_code == 422
    assert body.count("This is too long") == 3
    assert db.session.scalar(db.select(db.func.count(Facilitator.id))) == 0


def test_sign_up_without_csrf_token_is_refused_and_keeps_typing(client):
    client.get("/signup")
    response = client.post(
        "/signup",
        data={
            "display_name": "Maria",
            "email": "maria@example.bg",
            "password": "long enough",
            "confirm": "long enough",
        },
    )
    body = text(response)
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in body
    assert 'value="maria@example.bg"' in body
    assert db.session.scalar(db.select(db.func.count(Facilitator.id))) == 0
    # The re-rendered form carries a fresh token: sending it again works.
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    again = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "display_name": "Maria",
            "email": "maria@example.bg",
            "password": "long enough",
            "confirm": "long enough",
        },
    )
    assert again.status_code == 302


def test_sign_in_and_out(client, post_form, facilitator):
    response = post_form("/signin", {"email": "ana@example.org", "password": "correct horse"})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    response = post_form("/signout", {}, page="/account")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_sign_out_is_post_only(client, as_facilitator):
    assert client.get("/signout").status_code == 405
    assert client.get("/dashboard").status_code == 200


def test_sign_out_without_csrf_is_refused(client, as_facilitator):
    response = client.post("/signout")
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert client.get("/dashboard").status_code == 200


CSRF_HEADER = re.compile(r'<meta name="csrf-token" content="[^"]+"')


def test_sign_in_wrong_password_and_unknown_email_answer_alike(client, post_form, facilitator):
    wrong = post_form("/signin", {"email": "ana@example.org", "password": "wrong horse"})
    unknown = post_form("/signin", {"email": "nobody@example.org", "password": "correct horse"})
    assert wrong.status_code == unknown.status_code == 422
    assert "The email or password is wrong." in text(wrong)
    assert 'value="ana@example.org"' in text(wrong)

    def without_token_and_email(response, email):
        # The CSRF token is signed with the time, in the form and in <meta name=csrf-token>: not part of the answer.
        return CSRF_HEADER.sub("", CSRF_INPUT.sub("", text(response))).replace(email, "EMAIL")

    assert without_token_and_email(wrong, "ana@example.org") == without_token_and_email(unknown, "nobody@example.org")
    assert client.get("/dashboard").status_code == 302


def test_many_addresses_cannot_share_out_the_guessing_of_one_password(app, client, post_form, facilitator):
    app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"] = "10 per 15 minutes"
    addresses = [f"198.51.100.{n}" for n in range(1, 6)]
    for attempt in range(10):
        address = {"REMOTE_ADDR": addresses[attempt % 5]}
        guess = post_form(
            "/signin", {"email": "ANA@example.org ", "password": f"guess {attempt}"}, environ_base=address
        )
        assert guess.status_code == 422
    # Even the right password, from a sixth address, waits now; in the language the person reads.
    token = csrf_token_from(client, "/signin")
    blocked = client.post(
        "/signin",
        data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
        headers={"Accept-Language": "pl"},
    )
    assert blocked.status_code == 429
    assert '<html lang="pl">' in text(blocked)
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60 + 1
    with force_locale("pl"):
        expected = gettext(
            "Too many failed sign-ins for this account. Try again in %(when)s.",
            when=format_timedelta(timedelta(minutes=15), threshold=2),
        )
    assert expected in text(blocked)
    assert 'value="ana@example.org"' in text(blocked)
    assert client.get("/dashboard").status_code == 302
    # Another account is not held up by it.
    assert (
        post_form(
            "/signin", {"email": "boris@example.bg", "password": "x"}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
        ).status_code
        == 422
    )


def test_sign_in_follows_only_local_next(client, post_form, facilitator):
    response = client.get("/account")
    assert response.status_code == 302 and "/signin?next=%2Faccount" in response.headers["Location"]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get("/signin"))).group(1)
    ok = client.post(
        "/signin?next=/account", data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse"}
    )
    assert ok.headers["Location"] == "/account"
    post_form("/signout", {}, page="/account")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get("/signin"))).group(1)
    evil = client.post(
        "/signin?next=https://evil.example/",
        data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse"},
    )
    assert evil.headers["Location"] == "/dashboard"


def test_sign_in_is_rate_limited_with_a_clear_message(app, client, post_form, facilitator):
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert post_form("/signin", {"email": "ana@example.org", "password": "wrong"}).status_code == 422
    blocked = post_form("/signin", {"email": "ana@example.org", "password": "correct horse"})
    assert blocked.status_code == 429
    assert "Too many sign-in attempts from your address." in text(blocked)
    assert 'value="ana@example.org"' in text(blocked)
    assert client.get("/dashboard").status_code == 302


def test_successful_sign_ins_do_not_use_up_the_allowance(app, client, post_form, facilitator):
    app.config["SIGN_IN_RATE_LIMIT"] = "2 per minute"
    for _ in range(4):
        assert post_form("/signin", {"email": "ana@example.org", "password": "correct horse"}).status_code == 302
        post_form("/signout", {}, page="/account")


def test_change_password(client, post_form, as_facilitator):
    page = client.get("/account")
    assert "ana@example.org" in text(page)
    wrong = post_form(
        "/account/password",
        {"current_password": "nope", "new_password": "new password!", "confirm": "new password!"},
        page="/account",
    )
    assert wrong.status_code == 422 and "The password is wrong." in text(wrong)
    short = post_form(
        "/account/password",
        {"current_password": "correct horse", "new_password": "short", "confirm": "short"},
        page="/account",
    )
    assert short.status_code == 422 and "needs at least 8 characters" in text(short)
    ok = post_form(
        "/account/password",
        {"current_password": "correct horse", "new_password": "new password!", "confirm": "new password!"},
        page="/account",
    )
    assert ok.status_code == 302
    assert "Your password is changed." in text(client.get("/account"))
    as_facilitator.sign_out()
    assert as_facilitator.sign_in(password="correct horse").status_code == 422
    assert as_facilitator.sign_in(password="new password!").status_code == 302


def test_account_pages_need_sign_in(client):
    assert client.get("/account").status_code == 302
    assert client.post("/account/password").status_code in (302, 400)


def test_signed_in_user_skips_sign_in_page(client, as_facilitator):
    assert client.get("/signin").headers["Location"] == "/dashboard"
    assert client.get("/signup").headers["Location"] == "/dashboard"


def test_demo_facilitator_signs_in_with_the_printed_credentials(app, client, post_form):
    """`make run` prints these; they must work in the sign-in form itself."""
    runner = app.test_cli_runner()
    output = runner.invoke(args=["demo", "load"]).output
    email, password = app.config["DEMO_EMAIL"], app.config["DEMO_PASSWORD"]
    assert f"{email}  /  {password}" in output
    response = post_form("/signin", {"email": email, "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    again = runner.invoke(args=["demo", "load"]).output
    assert "already there" in again
