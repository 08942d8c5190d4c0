"""Bad input from strangers and fuzzers gets a clear answer in the user's language, never a 500."""

import pytest

from tests.conftest import csrf_token_from

HUGE = 2**63


@pytest.mark.parametrize(
    "url",
    [
        f"/workshops/{HUGE}",
        f"/w/{HUGE}/g/1",
        f"/w/1/g/{HUGE}",
        f"/workshops/{HUGE * 10}/control",
        f"/workshops/{2**31}/agenda",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_an_id_too_large_is_not_found_for_a_signed_in_facilitator_either(client, as_facilitator, workshop):
    assert client.get(f"/workshops/{HUGE}").status_code == 404
    assert client.get(f"/workshops/{workshop.id}/control?group={HUGE}").status_code == 404


@pytest.mark.parametrize("next_value", ["/dashboard\r\nSet-Cookie: x=1", "/\nx", "/a\tb", "/a\x7fb"])
def test_control_characters_in_next_are_ignored_by_the_language_switch(client, next_value):
    token = csrf_token_from(client, "/")
    response = client.post("/language", data={"csrf_token": token, "lang": "pl", "next": next_value})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Set-Cookie: x" not in str(response.headers)


def test_control_characters_in_next_are_ignored_by_sign_in(client, facilitator):
    response = client.get("/signin?next=/dashboard%0D%0ALocation:%20http://evil.example")
    assert response.status_code == 200
    token = csrf_token_from(client, "/signin")
    response = client.post(
        "/signin?next=/dashboard%0D%0ALocation:%20http://evil.example",
        data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_a_form_sent_without_its_token_gets_a_400_in_the_users_language(client, facilitator):
    client.post("/language", data={"lang": "bg"})  # refused as well, so pick it by header instead
    response = client.post("/signout", headers={"Accept-Language": "bg"})
    assert response.status_code == 400
    assert "Формулярът" in response.get_data(as_text=True) or "формуляр" in response.get_data(as_text=True)


def test_an_expired_answer_form_shows_the_typed_text_to_copy(app, client, workshop):
    """Without JavaScript a member's expired form must not swallow the paragraph they wrote."""
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.participants import services as participants
    from facilitator.stages.models import Stage

    group = Group(workshop_id=workshop.id, name="Група 1", position=1)
    db.session.add(group)
    db.session.commit()
    participant = participants.join(workshop, group, "Ана")
    client.set_cookie(
        participants.cookie_name(workshop), participants.cookie_value(app.config["SECRET_KEY"], participant)
    )
    stage = db.session.scalars(db.select(Stage).filter_by(process_id=workshop.process_id)).first()
    field = stage.fields[0]
    response = client.post(
        f"/w/{workshop.id}/g/{group.id}/fields/{field.id}",
        data={
            "csrf_token": "stale-token-abc123",
            "base_version": "0",
            "value": "Компютърно обучение за <хора> с увреждания",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Компютърно обучение за &lt;хора&gt; с увреждания" in body
    assert "<хора>" not in body
    assert "stale-token-abc123" not in body  # the token itself is not what anyone typed


@pytest.mark.parametrize(
    "lang,phrase", [("pl", "Spróbuj ponownie za"), ("bg", "Опитайте отново след"), ("en", "Try again in")]
)
def test_a_limited_visitor_is_told_in_their_language_when_to_try_again(app, client, lang, phrase):
    app.config["JOIN_RATE_LIMIT"] = "2 per minute"
    headers = {"Accept-Language": lang}
    for _ in range(2):
        token = csrf_token_from(client, "/")
        client.post("/join", data={"csrf_token": token, "code": "QQQQQQ"}, headers=headers)
    token = csrf_token_from(client, "/")
    response = client.post("/join", data={"csrf_token": token, "code": "QQQQQQ"}, headers=headers)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    body = response.get_data(as_text=True)
    assert phrase in body


def test_a_huge_id_in_a_post_is_not_found_either(client):
    token = csrf_token_from(client, "/")
    response = client.post(f"/workshops/{HUGE}/agenda/items", data={"csrf_token": token})
    assert response.status_code == 404


def test_a_nul_byte_in_a_form_is_refused_plainly(client):
    token = csrf_token_from(client, "/")
    response = client.post("/join", data={"csrf_token": token, "code": "AB\x00CD"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Something in the request was wrong" in response.get_data(as_text=True)


def test_a_nul_byte_in_an_address_is_refused_plainly(client):
    assert client.get("/r/a%00b").status_code == 400


@pytest.mark.parametrize(
    "lang,seconds,words",
    [
        ("pl", 60, "1 minutę"),
        ("pl", 170, "3 minuty"),
        ("pl", 300, "5 minut"),
        ("pl", 901, "15 minut"),
        ("pl", 1, "1 sekundę"),
        ("bg", 60, "1 минута"),
        ("bg", 7200, "2 часа"),
        ("en", 45, "45 seconds"),
    ],
)
def test_the_wait_reads_right_after_try_again_in(app, lang, seconds, words):
    from flask_babel import force_locale

    from facilitator.core.errors import wait_for

    with app.test_request_context(), force_locale(lang):
        assert wait_for(seconds) == words
