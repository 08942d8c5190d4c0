"""A forgotten password: the reset command for whoever runs the laptop, and a mailed link
(tested against a real SMTP server on 127.0.0.1)."""

import email
import email.policy
import queue
import re
import socket
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale, gettext

from facilitator.accounts import services
from facilitator.config import Config
from tests.conftest import CSRF_INPUT, csrf_token_from

from .test_sessions import is_signed_in, replay, sign_in

RECEIVED_WITHIN = 10  # seconds; a message normally arrives in milliseconds


class Inbox:
    """aiosmtpd handler: every message the server accepts lands in a queue."""

    def __init__(self):
        self.messages = queue.Queue()

    async def handle_DATA(self, server, session, envelope):
        self.messages.put((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 Message accepted"

    def next(self):
        return self.messages.get(timeout=RECEIVED_WITHIN)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False, MAIL_SENDER="workshops@example.org"
    )
    yield handler
    controller.stop()


def ask_for_link(client, address, **kwargs):
    token = csrf_token_from(client, "/password/forgot")
    return client.post("/password/forgot", data={"csrf_token": token, "email": address}, **kwargs)


def link_in(message):
    return re.search(r"https?://\S+", message.get_content()).group(0)


# -- the command ------------------------------------------------------------------------------


def test_reset_password_command_prompts_twice_and_ends_every_session(app, client, facilitator):
    sign_in(client)
    result = app.test_cli_runner().invoke(
        args=["accounts", "reset-password", "ANA@example.org"], input="brand new password\nbrand new password\n"
    )
    assert result.exit_code == 0, result.output
    assert "ana@example.org" in result.output
    assert not is_signed_in(client)
    assert services.authenticate("ana@example.org", "brand new password") == facilitator


def test_reset_password_command_takes_password_option_for_scripts(app, facilitator):
    result = app.test_cli_runner().invoke(
        args=["accounts", "reset-password", "ana@example.org", "--password", "scripted password"]
    )
    assert result.exit_code == 0, result.output
    assert services.authenticate("ana@example.org", "scripted password") == facilitator


def test_reset_password_command_refuses_an_unknown_email_and_a_short_password(app, facilitator):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["accounts", "reset-password", "nobody@example.org", "--password", "long enough"])
    assert unknown.exit_code != 0
    assert "No facilitator account uses nobody@example.org" in unknown.output
    short = runner.invoke(args=["accounts", "reset-password", "ana@example.org", "--password", "short"])
    assert short.exit_code != 0
    assert "at least 8 characters" in short.output
    assert services.authenticate("ana@example.org", "correct horse") == facilitator


# -- without a mail server -----------------------------------------------------------------------


def test_without_mail_the_sign_in_page_says_who_can_reset_a_password(client):
    page = client.get("/signin").get_data(as_text=True)
    assert "accounts reset-password" in page
    assert "/password/forgot" not in page
    assert client.get("/password/forgot").status_code == 404


# -- with a mail server --------------------------------------------------------------------------


def test_a_mailed_link_sets_a_new_password_once(app, client, facilitator, inbox):
    sign_in(client)
    stolen = client.get_cookie("session").value
    client.post("/signout", data={"csrf_token": csrf_token_from(client, "/account")})

    page = client.get("/signin").get_data(as_text=True)
    assert "Forgot your password?" in page and "/password/forgot" in page
    answer = ask_for_link(client, "Ana@Example.org", headers={"Accept-Language": "pl"})
    assert answer.status_code == 302

    recipients, message = inbox.next()
    assert recipients == ["ana@example.org"]
    assert message["From"] == "workshops@example.org"
    assert message["Content-Language"] == "pl"
    with force_locale("pl"):
        assert message["Subject"] == gettext("Set a new password for Facilitator")
    link = link_in(message)
    assert link.startswith("http://localhost/password/reset/")

    path = urlsplit(link).path
    form = client.get(path)
    assert form.status_code == 200
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.get_data(as_text=True)).group(1)
    mismatch = client.post(
        path, data={"csrf_token": token, "new_password": "chosen at home", "confirm": "chosen at hom"}
    )
    assert mismatch.status_code == 422 and "The two passwords are not the same." in mismatch.get_data(as_text=True)
    done = client.post(path, data={"csrf_token": token, "new_password": "chosen at home", "confirm": "chosen at home"})
    assert done.status_code == 302 and done.headers["Location"] == "/signin"

    # The old session is over, the new password signs in, the old one no longer does.
    assert not is_signed_in(replay(app, "session", stolen))
    sign_in(client, password="chosen at home")
    client.post("/signout", data={"csrf_token": csrf_token_from(client, "/account")})

    # Once only: the same link now refuses, and cannot set another password.
    again = client.get(path)
    assert again.status_code == 410
    assert "This link no longer works" in again.get_data(as_text=True)
    replayed = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(client, "/signin"),
            "new_password": "attacker's choice",
            "confirm": "attacker's choice",
        },
    )
    assert replayed.status_code == 410
    assert services.authenticate("ana@example.org", "chosen at home") == facilitator


CSRF_META = re.compile(r'<meta name="csrf-token" content="[^"]+">')


def test_the_answer_is_the_same_whether_an_account_uses_the_email(client, facilitator, inbox):
    answers = []
    for address in ("nobody@example.org", "ana@example.org"):
        response = ask_for_link(client, address)
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        # The CSRF token is signed with the time, in the form and in its <meta>: not part of the answer.
        answers.append(CSRF_META.sub("", CSRF_INPUT.sub("", page)))
    assert answers[0] == answers[1]
    assert "If an account uses this email, we sent it a link" in answers[0]
    # Only the real account got mail.
    recipients, _ = inbox.next()
    assert recipients == ["ana@example.org"]
    assert inbox.messages.empty()


def test_an_expired_link_is_refused(app, client, facilitator, inbox):
    token = services.password_reset_token(facilitator)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # as if the hour had passed
    assert client.get(f"/password/reset/{token}").status_code == 410
    app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert client.get(f"/password/reset/{token}").status_code == 200
    assert client.get(f"/password/reset/{token[:-2]}").status_code == 410
    assert client.get("/password/reset/nonsense").status_code == 410


def test_reset_requests_are_rate_limited_per_email(app, client, facilitator, inbox):
    app.config["PASSWORD_RESET_RATE_LIMIT"] = "2 per hour"
    for n in range(2):
        assert (
            ask_for_link(client, "ana@example.org", environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code == 302
        )
    blocked = ask_for_link(client, "ana@example.org", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert blocked.status_code == 429
    assert "Too many requests for a reset link." in blocked.get_data(as_text=True)
    assert 'value="ana@example.org"' in blocked.get_data(as_text=True)


def test_a_mail_server_that_is_down_changes_nothing_for_the_visitor(app, client, facilitator):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    assert ask_for_link(client, "ana@example.org").status_code == 302


def test_mail_settings_come_from_the_environment(monkeypatch):
    for name, value in {
        "MAIL_SERVER": "smtp.example.org",
        "MAIL_PORT": "2525",
        "MAIL_USERNAME": "ana",
        "MAIL_PASSWORD": " secret ",
        "MAIL_USE_TLS": "false",
        "MAIL_SENDER": "w@example.org",
    }.items():
        monkeypatch.setenv("FACILITATOR_" + name, value)
    config = {}
    Config.from_environment(config)
    assert config["MAIL_SERVER"] == "smtp.example.org" and config["MAIL_PORT"] == 2525
    assert config["MAIL_USERNAME"] == "ana" and config["MAIL_PASSWORD"] == " secret "
    assert config["MAIL_USE_TLS"] is False and config["MAIL_SENDER"] == "w@example.org"
    monkeypatch.setenv("FACILITATOR_MAIL_USE_TLS", "maybe")
    with pytest.raises(ValueError, match="FACILITATOR_MAIL_USE_TLS"):
        Config.from_environment({})
