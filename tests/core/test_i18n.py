"""The UI speaks Polish, Bulgarian and English, chosen by the user first, then the browser."""

from datetime import UTC, datetime

import pytest

from facilitator.accounts.models import Facilitator
from facilitator.extensions import db


def text(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "header, lang, phrase",
    [
        ("pl-PL,pl;q=0.9", "pl", "Zaloguj się"),
        ("bg", "bg", "Вход"),
        ("de-DE,en;q=0.5", "en", "Sign in"),
        ("fr", "en", "Sign in"),
    ],
)
def test_browser_language_is_used_when_nothing_was_chosen(client, header, lang, phrase):
    page = text(client.get("/signin", headers={"Accept-Language": header}))
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{phrase}</h1>" in page


def test_chosen_language_wins_over_the_browser_and_is_remembered(client, post_form):
    response = post_form("/language", {"lang": "bg", "next": "/signin"}, page="/signin")
    assert response.status_code == 302 and response.headers["Location"] == "/signin"
    page = text(client.get("/signin", headers={"Accept-Language": "pl"}))
    assert '<html lang="bg">' in page and "Вход" in page
    # The language form names the current language as selected.
    assert '<option value="bg" lang="bg" selected>Български</option>' in page


def test_unknown_language_is_ignored(client, post_form):
    post_form("/language", {"lang": "xx", "next": "/"}, page="/")
    assert '<html lang="en">' in text(client.get("/"))


def test_language_switch_refuses_foreign_next(client, post_form):
    response = post_form("/language", {"lang": "pl", "next": "//evil.example/"}, page="/")
    assert response.headers["Location"] == "/"


def test_language_switch_needs_csrf(client):
    response = client.post("/language", data={"lang": "bg"})
    assert response.status_code == 400
    assert '<html lang="en">' in text(client.get("/"))


def test_signed_in_choice_is_kept_on_the_account(app, client, post_form, as_facilitator, facilitator):
    post_form("/language", {"lang": "pl", "next": "/account"}, page="/account")
    assert db.session.get(Facilitator, facilitator.id).locale == "pl"
    # Another browser: signing in brings the language along.
    other = app.test_client()
    page = text(other.get("/signin"))
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    other.post("/signin", data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse"})
    assert "Dzień dobry, Ana Nowak" in text(other.get("/dashboard"))


def test_dates_follow_the_language(client, post_form, as_facilitator, facilitator):
    facilitator.created_at = datetime(2012, 6, 6, 9, 0, tzinfo=UTC)
    db.session.commit()
    assert "June 6, 2012" in text(client.get("/account"))
    post_form("/language", {"lang": "pl", "next": "/account"}, page="/account")
    assert "6 czerwca 2012" in text(client.get("/account"))
    post_form("/language", {"lang": "bg", "next": "/account"}, page="/account")
    assert "6 юни 2012" in text(client.get("/account"))


@pytest.mark.parametrize(
    "lang, message",
    [
        ("pl", "Wypełnij to pole."),
        ("bg", "Моля, попълнете това поле."),
    ],
)
def test_form_errors_are_in_the_users_language(client, lang, message):
    import re

    page = text(client.get("/signup", headers={"Accept-Language": lang}))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/signup", data={"csrf_token": token}, headers={"Accept-Language": lang})
    assert response.status_code == 422
    assert text(response).count(message) == 4


def test_one_english_word_takes_the_right_word_in_each_language(client, post_form, as_facilitator, workshop):
    """ "Name" of a group is not a person's name; "Open" as a state is not the button."""
    from facilitator.control import services as control

    control.set_stage_state(workshop, workshop.process.stages[0], "open")
    post_form("/language", {"lang": "pl", "next": "/account"}, page="/account")
    assert "<dt>Imię i nazwisko</dt>" in text(client.get("/account"))
    groups = text(client.get(f"/workshops/{workshop.id}/groups"))
    assert ">Nazwa<" in groups and "Imię i nazwisko" not in groups
    post_form("/language", {"lang": "bg", "next": "/account"}, page="/account")
    room = text(client.get(f"/workshops/{workshop.id}/control"))
    assert '<span class="stage-chip__state">Отворен</span>' in room
    assert ">Отвори</button>" in room
