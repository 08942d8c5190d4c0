"""Issue 10, finding 7: group PINs long enough to be hopeless to guess, seen and printed by the facilitator."""

from limits import parse_many

from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.groups import pins
from facilitator.groups.models import Group
from facilitator.participants import services as participant_services

HX = {"HX-Request": "true"}


def text(response):
    return response.get_data(as_text=True)


def test_a_new_group_gets_an_eight_digit_pin_at_once(add_group):
    group = add_group("Група 1")
    assert len(group.join_pin) == 8 and group.join_pin.isdigit()
    assert len({add_group(f"Група {n}").join_pin for n in range(2, 12)}) == 10


def test_a_group_made_another_way_gets_a_long_pin_when_someone_joins(workshop):
    group = Group(workshop_id=workshop.id, name="Група 1")
    db.session.add(group)
    db.session.commit()
    participant_services.join(workshop, group, "Ana")
    assert len(group.join_pin) == 8 and group.join_pin.isdigit()


def test_a_pin_is_read_aloud_in_two_halves_and_typed_any_way(add_group):
    assert pins.spoken("48217730") == "4821 7730"
    assert pins.normalise(" 4821-7730 ") == "48217730"
    assert pins.normalise("4821 7730") == "48217730"


def test_the_default_limits_make_guessing_a_pin_hopeless(app):
    """Over a whole two-day workshop, the per-group limit leaves a guesser almost no chance."""
    limit = app.config.get("PIN_RATE_LIMIT", pins.PIN_RATE_LIMIT)
    per_two_days = min(item.amount * (2 * 86400 // item.get_expiry()) for item in parse_many(limit))
    assert per_two_days / pins.SPACE < 1e-4
    assert pins.SPACE == 10**8


def test_the_facilitator_sees_every_pin_on_the_groups_page(as_facilitator, client, workshop, add_group, groups_url):
    first, second = add_group("Група 1"), add_group("Група 2")
    body = text(client.get(groups_url()))
    assert pins.spoken(first.join_pin) in body and pins.spoken(second.join_pin) in body


def test_the_facilitator_prints_the_pins(as_facilitator, client, workshop, add_group, groups_url):
    first, second = add_group("Група 1"), add_group("Група 2")
    sheet = client.get(groups_url() + "/pins")
    assert sheet.status_code == 200
    body = text(sheet)
    assert "Група 1" in body and pins.spoken(first.join_pin) in body and pins.spoken(second.join_pin) in body
    assert 'href="' + groups_url() + '/pins"' in text(client.get(groups_url()))


def test_nobody_else_sees_the_pins(client, workshop, add_group, groups_url, other_facilitator, post_form):
    group = add_group("Група 1")
    anonymous = client.get(groups_url() + "/pins")
    assert anonymous.status_code == 302 and "/signin" in anonymous.headers["Location"]
    post_form("/signin", {"email": other_facilitator.email, "password": "another password"})
    for url in (groups_url(), groups_url() + "/pins"):
        response = client.get(url)
        assert response.status_code == 404 and group.join_pin not in text(response)


def test_the_facilitator_gives_a_group_a_new_pin(as_facilitator, client, post_form, workshop, add_group, groups_url):
    group = add_group("Група 1")
    old = group.join_pin
    response = post_form(groups_url(group, "pin"), {}, page=groups_url(), headers=HX)
    assert response.status_code == 200
    db.session.refresh(group)
    assert group.join_pin != old and len(group.join_pin) == 8
    assert pins.spoken(group.join_pin) in text(response)
    participant_services.join(workshop, group, "Ana")
    try:
        participant_services.rejoin(workshop, group, "Ana", old)
    except DomainError as refused:
        assert refused.code == "wrong-pin"
    else:
        raise AssertionError("the old PIN still works")


def test_a_new_pin_needs_the_csrf_token(as_facilitator, client, workshop, add_group, groups_url):
    group = add_group("Група 1")
    old = group.join_pin
    assert client.post(groups_url(group, "pin")).status_code == 400
    db.session.refresh(group)
    assert group.join_pin == old


def test_a_pin_typed_in_other_scripts_is_simply_wrong(app, workshop):
    """A fuzzer found this: non-ASCII characters made the constant-time comparison raise (a 500)."""
    from facilitator.groups import pins
    from facilitator.groups.models import Group

    group = Group(workshop_id=workshop.id, name="Група 1", position=1, join_pin="48217730")
    assert not pins.matches(group, "４８２１７７３０ж")
    assert not pins.matches(group, "ПИН")
    assert pins.matches(group, "4821 7730")
