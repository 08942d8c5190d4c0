"""Issue 10, finding 4: every way to try a code or a PIN is limited, per address and per workshop or group."""

import pytest

from facilitator.extensions import db

from .conftest import csrf

ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


def text(response):
    return response.get_data(as_text=True)


def from_address(app, address="203.0.113.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def assert_limited(response):
    """A 429 page that says when to try again, with the time in the Retry-After header."""
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in text(response) or "try again" in text(response).lower()


def test_guessing_codes_by_get_is_limited(app, workshop):
    app.config["CODE_RATE_LIMIT"] = "3 per minute"
    guesser = from_address(app)
    for guess in ("AAAAAA", "CCCCCC", "DDDDDD"):
        assert guesser.get(f"/j/{guess}").status_code == 404
    assert_limited(guesser.get("/j/EEEEEE"))
    # Once limited, even the right code answers 429: a hit must look like a miss.
    assert_limited(guesser.get(f"/j/{workshop.join_code}"))
    # Another address is not affected.
    assert from_address(app, "198.51.100.1").get("/j/AAAAAA").status_code == 404


def test_get_post_and_the_home_form_share_one_budget_of_wrong_codes(app, workshop):
    app.config["CODE_RATE_LIMIT"] = "3 per minute"
    guesser = from_address(app)
    token = csrf(text(guesser.get("/")))
    assert guesser.post("/join", data={"csrf_token": token, "code": "AAAAAA"}).status_code == 422
    assert guesser.post("/j/CCCCCC", data={"csrf_token": token, "display_name": "x"}).status_code == 404
    assert guesser.get("/j/DDDDDD").status_code == 404
    assert_limited(guesser.post("/join", data={"csrf_token": token, "code": workshop.join_code}))


def test_a_room_full_of_phones_behind_one_address_all_get_in(app, workshop, groups):
    """The venue's Wi-Fi puts everyone behind one address: right codes do not use up the budget."""
    app.config["CODE_RATE_LIMIT"] = "3 per minute"
    for _ in range(10):
        assert from_address(app).get(f"/j/{workshop.join_code}").status_code == 200


def test_joins_into_one_workshop_are_limited_across_addresses(app, workshop, groups):
    app.config["WORKSHOP_JOIN_RATE_LIMIT"] = "2 per minute"
    for n in range(3):
        phone = from_address(app, f"198.51.100.{n + 1}")
        token = csrf(text(phone.get(f"/j/{workshop.join_code}")))
        response = phone.post(
            f"/j/{workshop.join_code}",
            data={
                "csrf_token": token,
                "display_name": f"Гост {n}",
                "group": str(groups[0].id),
                "website": "",
                "homepage": "http://",
            },
        )
    assert_limited(response)


def rejoin(client, workshop, group, pin, name="Ana"):
    token = csrf(text(client.get(f"/j/{workshop.join_code}")))
    return client.post(
        f"/j/{workshop.join_code}/rejoin",
        data={"csrf_token": token, "display_name": name, "group": str(group.id), "pin": pin},
    )


def test_wrong_pins_are_limited_per_group_from_any_address(app, workshop, groups, join_as):
    app.config["PIN_RATE_LIMIT"] = "2 per minute"
    join_as("Ana")
    db.session.refresh(groups[0])
    for n, pin in enumerate(("11111111", "22222222")):
        assert rejoin(from_address(app, f"198.51.100.{n + 1}"), workshop, groups[0], pin).status_code == 422
    # A third address, and even the right PIN: the group is closed to PIN attempts for now.
    assert_limited(rejoin(from_address(app, "198.51.100.9"), workshop, groups[0], groups[0].join_pin))
    # Another group is not affected.
    join_as("Boris", groups[1])
    assert rejoin(from_address(app, "198.51.100.9"), workshop, groups[1], "33333333", "Boris").status_code == 422


def test_wrong_pins_are_limited_per_address_across_groups(app, workshop, groups, join_as):
    app.config["PIN_RATE_LIMIT"] = "2 per minute"
    join_as("Ana")
    join_as("Boris", groups[1])
    guesser = from_address(app)
    assert rejoin(guesser, workshop, groups[0], "11111111").status_code == 422
    assert rejoin(guesser, workshop, groups[1], "11111111", "Boris").status_code == 422
    assert_limited(rejoin(guesser, workshop, groups[0], "22222222"))


def test_the_right_pin_does_not_use_up_the_groups_budget(app, workshop, groups, join_as):
    app.config["PIN_RATE_LIMIT"] = "1 per minute"
    app.config["TAKEOVER_WINDOW_SECONDS"] = 0  # the seat is free to take at once
    join_as("Ana")
    db.session.refresh(groups[0])
    for n in range(3):
        response = rejoin(from_address(app, f"198.51.100.{n + 1}"), workshop, groups[0], groups[0].join_pin)
        assert response.status_code == 302


@pytest.mark.parametrize("language, words", [("pl", "Za dużo żądań"), ("bg", "Твърде много заявки")])
def test_the_limit_page_speaks_the_users_language(app, workshop, language, words):
    app.config["CODE_RATE_LIMIT"] = "1 per minute"
    guesser = from_address(app)
    headers = {"Accept-Language": language}
    guesser.get("/j/AAAAAA", headers=headers)
    response = guesser.get("/j/CCCCCC", headers=headers)
    assert response.status_code == 429 and words in text(response)
