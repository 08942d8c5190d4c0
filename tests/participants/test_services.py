"""Joining without an account, the device cookie and rejoining with the group PIN."""

import pytest

from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.participants import services


@pytest.fixture
def group(workshop):
    group = Group(workshop_id=workshop.id, name="Група 1")
    db.session.add(group)
    db.session.commit()
    return group


def test_join_creates_a_member_and_gives_the_group_a_pin(workshop, group):
    participant = services.join(workshop, group, "  Мария   Иванова ")
    assert participant.display_name == "Мария Иванова"
    assert participant.group_id == group.id
    assert len(group.join_pin) == 8 and group.join_pin.isdigit()


def test_cookie_recognises_the_device_and_rejects_forgeries(app, workshop, group):
    participant = services.join(workshop, group, "Ana")
    key = app.config["SECRET_KEY"]
    value = services.cookie_value(key, participant)
    assert services.participant_from_cookie(key, workshop, value) == participant
    assert services.participant_from_cookie("another key", workshop, value) is None
    forged = value[:10] + ("A" if value[10] != "A" else "B") + value[11:]
    assert services.participant_from_cookie(key, workshop, forged) is None
    assert services.participant_from_cookie(key, workshop, "") is None


def test_expired_cookie_is_not_recognised(app, workshop, group, monkeypatch):
    participant = services.join(workshop, group, "Ana")
    value = services.cookie_value(app.config["SECRET_KEY"], participant)
    monkeypatch.setattr(services, "COOKIE_MAX_AGE", -1)
    assert services.participant_from_cookie(app.config["SECRET_KEY"], workshop, value) is None


def test_cookie_of_another_workshop_is_not_recognised(app, create_workshop, workshop, group):
    other = create_workshop(title="Друга")
    participant = services.join(workshop, group, "Ana")
    value = services.cookie_value(app.config["SECRET_KEY"], participant)
    assert services.participant_from_cookie(app.config["SECRET_KEY"], other, value) is None


def test_same_name_must_rejoin_with_the_pin(app, workshop, group):
    first = services.join(workshop, group, "Ana")
    old_cookie = services.cookie_value(app.config["SECRET_KEY"], first)
    with pytest.raises(DomainError) as taken:
        services.join(workshop, group, "ANA")
    assert taken.value.code == "name-taken"
    with pytest.raises(DomainError) as wrong:
        services.rejoin(workshop, group, "ana", "00000000" if group.join_pin != "00000000" else "11111111")
    assert wrong.value.code == "wrong-pin"
    again = services.rejoin(workshop, group, "ana", group.join_pin, window=0)  # the old device is idle
    assert again.id == first.id
    # The lost device is signed out; the new one is in.
    assert services.participant_from_cookie(app.config["SECRET_KEY"], workshop, old_cookie) is None


@pytest.mark.parametrize("name, code", [("", "name-missing"), ("   ", "name-missing"), ("x" * 61, "name-too-long")])
def test_bad_names(workshop, group, name, code):
    with pytest.raises(DomainError) as refused:
        services.join(workshop, group, name)
    assert refused.value.code == code


def test_finished_workshop_accepts_no_joins(workshop, group):
    workshop.status = "finished"
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.join(workshop, group, "Ana")
    assert refused.value.code == "no-new-members"


def test_archived_or_foreign_groups_cannot_be_joined(workshop, group, create_workshop):
    other = create_workshop(title="Друга")
    foreign = Group(workshop_id=other.id, name="Чужда")
    db.session.add(foreign)
    group.archived_at = workshop.created_at
    db.session.commit()
    for target in (group, foreign, None):
        with pytest.raises(DomainError) as refused:
            services.join(workshop, target, "Ana")
        assert refused.value.code == "group-missing"
