"""Joining a workshop without an account, and recognising the device afterwards."""

import hmac
from functools import cache
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from ..accounts.models import utcnow
from ..extensions import db
from ..groups.models import Group
from ..live.events import control_channel, group_channel, publish
from .models import Participant

MAX_NAME = 60
#: A device stays recognised this long after its last visit (the cookie is renewed each visit).
COOKIE_MAX_AGE = 14 * 24 * 3600


class JoinRefused(Exception):
    """Why a join or rejoin was refused; `field` names the form field it belongs to."""

    def __init__(self, code, field=None):
        super().__init__(code)
        self.code = code
        self.field = field


def cookie_name(workshop):
    """One cookie per workshop, so a phone can be in two workshops of a series."""
    return f"fp_{getattr(workshop, 'id', workshop)}"


def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt="facilitator-participant")


def cookie_value(secret_key, participant):
    return _serializer(secret_key).dumps({"p": participant.id, "t": participant.token})


@cache
def _seat_query():
    """Built once (on first use, when every model is known): every autosave runs it, and building
    a statement costs about as much as running it."""
    return (
        db.select(Participant)
        .options(joinedload(Participant.group), joinedload(Participant.workshop))
        .where(Participant.id == db.bindparam("participant_id"))
    )


def participant_from_cookie(secret_key, workshop, value):
    """The participant a cookie names, or None when it is missing, forged, expired or revoked.

    `workshop` may be the Workshop or its id; the participant comes with its group and workshop
    loaded in the same query, since every workspace request needs all three.
    """
    workshop_id = getattr(workshop, "id", workshop)
    if not value:
        return None
    try:
        data = _serializer(secret_key).loads(value, max_age=COOKIE_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    if not isinstance(data.get("p"), int):
        return None
    participant = db.session.execute(_seat_query(), {"participant_id": data["p"]}).scalar_one_or_none()
    if (
        participant is None
        or participant.workshop_id != workshop_id
        or participant.removed_at is not None
        or not hmac.compare_digest(participant.token, str(data.get("t", "")))
    ):
        return None
    return participant


def ensure_group_pin(group):
    """Give the group its four-digit PIN the first time someone needs it."""
    if not group.join_pin:
        group.join_pin = f"{secrets.randbelow(10_000):04d}"
    return group.join_pin


def joinable_groups(workshop):
    return db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position, Group.id)
    ).all()


def _clean_name(display_name):
    name = " ".join((display_name or "").split())
    if not name:
        raise JoinRefused("name-missing", "display_name")
    if len(name) > MAX_NAME:
        raise JoinRefused("name-too-long", "display_name")
    return name


def _check_open(workshop, group):
    if workshop.is_finished:
        raise JoinRefused("workshop-finished")
    if group is None or group.workshop_id != workshop.id or group.is_archived:
        raise JoinRefused("group-missing", "group")


def member_named(group, name):
    """The active member of the group with this name, ignoring case."""
    wanted = name.casefold()
    for participant in db.session.scalars(
        db.select(Participant).filter_by(group_id=group.id, removed_at=None)
    ):
        if participant.display_name.casefold() == wanted:
            return participant
    return None


def join(workshop, group, display_name):
    """Add a new member; a name already in the group must rejoin with the group's PIN."""
    _check_open(workshop, group)
    name = _clean_name(display_name)
    if member_named(group, name) is not None:
        raise JoinRefused("name-taken", "display_name")
    participant = Participant(workshop_id=workshop.id, group_id=group.id, display_name=name,
                              token=secrets.token_urlsafe(32))
    ensure_group_pin(group)
    db.session.add(participant)
    db.session.commit()
    publish(group_channel(group.id), "members-changed")
    publish(control_channel(workshop.id), "people-changed")
    return participant


def rejoin(workshop, group, display_name, pin):
    """A member who lost their cookie takes their place back with the group PIN."""
    _check_open(workshop, group)
    name = _clean_name(display_name)
    if not group.join_pin or not hmac.compare_digest(group.join_pin, (pin or "").strip()):
        raise JoinRefused("wrong-pin", "pin")
    participant = member_named(group, name)
    if participant is None:
        participant = Participant(workshop_id=workshop.id, group_id=group.id, display_name=name,
                                  token=secrets.token_urlsafe(32))
        db.session.add(participant)
    else:
        participant.token = secrets.token_urlsafe(32)  # the lost device is signed out
    db.session.commit()
    publish(group_channel(group.id), "members-changed")
    publish(control_channel(workshop.id), "people-changed")
    return participant


#: Someone not seen for this long shows as offline in the control room.
ONLINE_WINDOW = 90


def touch(participant):
    """Remember when the device was last here; tell the control room when someone comes back."""
    now = utcnow()
    last = participant.last_seen_at
    if last is not None and last.tzinfo is None:
        from datetime import timezone

        last = last.replace(tzinfo=timezone.utc)
    participant.last_seen_at = now
    db.session.commit()
    if last is None or (now - last).total_seconds() > ONLINE_WINDOW:
        publish(control_channel(participant.workshop_id), "people-changed")
