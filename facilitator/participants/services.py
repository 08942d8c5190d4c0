"""Joining a workshop without an account, and recognising the device afterwards."""

import hmac
import secrets
from datetime import UTC
from functools import cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from ..accounts.models import utcnow
from ..answers import services as answer_services
from ..core.domain import DomainError
from ..extensions import db
from ..groups import pins
from ..groups.models import Group
from ..live.events import control_channel, group_channel, publish
from ..stages import state as stage_state
from ..stages.models import StageField
from .models import Participant, SeatTakeover, TakeoverStatus

MAX_NAME = 60
#: A device stays recognised this long after its last visit (the cookie is renewed each visit).
COOKIE_MAX_AGE = 14 * 24 * 3600
#: A seat whose device was seen this recently is taken over only with a facilitator's approval
#: (app.config["TAKEOVER_WINDOW_SECONDS"] overrides it).
TAKEOVER_WINDOW = 300
#: How long a device may wait for the facilitator to approve its takeover.
TAKEOVER_COOKIE_MAX_AGE = 24 * 3600


class TakeoverError(DomainError):
    """A takeover that cannot be decided or claimed (any more); caught apart by those who decide or wait."""


def cookie_name(workshop):
    """One cookie per workshop, so a phone can be in two workshops of a series."""
    return f"fp_{getattr(workshop, 'id', workshop)}"


def _serializer(secret_key, salt="facilitator-participant"):
    """Signed cookie values; each kind of cookie has its own salt, so one can never pass for another."""
    return URLSafeTimedSerializer(secret_key, salt=salt)


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
    """Give the group its PIN the first time someone needs it (groups made before PINs were given)."""
    return pins.ensure_pin(group)


def joinable_groups(workshop):
    return db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position, Group.id)
    ).all()


def _clean_name(display_name):
    name = " ".join((display_name or "").split())
    if not name:
        raise DomainError("name-missing", "display_name")
    if len(name) > MAX_NAME:
        raise DomainError("name-too-long", "display_name", max=MAX_NAME)
    return name


def _check_open(workshop, group):
    if workshop.is_finished:
        raise DomainError("no-new-members")
    if group is None or group.workshop_id != workshop.id or group.is_archived:
        raise DomainError("group-missing", "group")


def member_named(group, name):
    """The active member of the group with this name, ignoring case."""
    wanted = name.casefold()
    for participant in db.session.scalars(db.select(Participant).filter_by(group_id=group.id, removed_at=None)):
        if participant.display_name.casefold() == wanted:
            return participant
    return None


def join(workshop, group, display_name, simple_mode=None):
    """Add a new member; a name already in the group must rejoin with the group's PIN.

    `simple_mode` is the view the member chose on the join page (None: the workshop's default).
    """
    _check_open(workshop, group)
    name = _clean_name(display_name)
    if member_named(group, name) is not None:
        raise DomainError("name-taken", "display_name")
    ensure_group_pin(group)
    return _new_member(workshop, group, name, simple_mode)


def _new_member(workshop, group, name, simple_mode=None):
    participant = Participant(
        workshop_id=workshop.id,
        group_id=group.id,
        display_name=name,
        token=secrets.token_urlsafe(32),
        simple_mode=simple_mode,
    )
    db.session.add(participant)
    db.session.commit()
    publish(group_channel(group.id), "members-changed")
    publish(control_channel(workshop.id), "people-changed")
    return participant


def _aware(moment):
    """SQLite gives back naive datetimes; they are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def recently_active(participant, window, now=None):
    """Whether the member's device was seen in the last `window` seconds."""
    last = _aware(participant.last_seen_at)
    return window > 0 and last is not None and ((now or utcnow()) - last).total_seconds() < window


def _announce_seat(workshop_id, group_id):
    publish(group_channel(group_id), "members-changed")
    publish(control_channel(workshop_id), "people-changed")
    publish(control_channel(workshop_id), "takeovers-changed")


def rejoin(workshop, group, display_name, pin, window=TAKEOVER_WINDOW):
    """A member who lost their cookie takes their place back with the group PIN.

    Returns the Participant whose seat this device now holds, or a pending SeatTakeover when
    the seat's own device was active in the last `window` seconds: then the seat changes hands
    only when a facilitator approves, and the member's device keeps working until then.
    """
    _check_open(workshop, group)
    name = _clean_name(display_name)
    if not pins.matches(group, pin):
        raise DomainError("wrong-pin", "pin")
    participant = member_named(group, name)
    if participant is None:
        return _new_member(workshop, group, name)
    now = utcnow()
    takeover = SeatTakeover(
        workshop_id=workshop.id,
        participant_id=participant.id,
        group_id=group.id,
        secret=secrets.token_urlsafe(32),
        requested_at=now,
    )
    db.session.add(takeover)
    if recently_active(participant, window, now):
        takeover.status = TakeoverStatus.PENDING
        db.session.commit()
        publish(control_channel(workshop.id), "takeovers-changed")
        return takeover
    # The seat's device is idle: take it now, and let the facilitators see that it happened.
    takeover.status = TakeoverStatus.TAKEN
    takeover.decided_at = takeover.claimed_at = now
    participant.token = secrets.token_urlsafe(32)  # the lost device is signed out
    participant.last_seen_at = now
    db.session.commit()
    _announce_seat(workshop.id, group.id)
    return participant


def decide_takeover(takeover, facilitator, approve):
    """A facilitator lets the waiting device take the seat (signing the seat's device out) or not.

    One conditional UPDATE, so two facilitators deciding at once cannot both win.
    """
    participant = takeover.participant
    if approve and (participant is None or participant.removed_at is not None):
        raise TakeoverError("seat-gone")
    now = utcnow()
    decided = db.session.execute(
        db.update(SeatTakeover)
        .where(SeatTakeover.id == takeover.id, SeatTakeover.status == TakeoverStatus.PENDING)
        .values(
            status=TakeoverStatus.APPROVED if approve else TakeoverStatus.REFUSED,
            decided_at=now,
            decided_by_id=facilitator.id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not decided:
        db.session.rollback()
        raise TakeoverError("already-decided")
    if approve:
        participant.token = secrets.token_urlsafe(32)  # the seat's device is signed out now
    db.session.commit()
    db.session.refresh(takeover)
    _announce_seat(takeover.workshop_id, participant.group_id or takeover.group_id)
    return takeover


def claim_takeover(takeover):
    """The waiting device takes the seat its takeover was approved for; once per approval."""
    now = utcnow()
    claimed = db.session.execute(
        db.update(SeatTakeover)
        .where(
            SeatTakeover.id == takeover.id,
            SeatTakeover.status == TakeoverStatus.APPROVED,
            SeatTakeover.claimed_at.is_(None),
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    participant = takeover.participant
    if not claimed or participant is None or participant.removed_at is not None:
        db.session.rollback()
        raise TakeoverError("not-approved")
    participant.token = secrets.token_urlsafe(32)
    participant.last_seen_at = now
    db.session.commit()
    db.session.refresh(takeover)
    publish(group_channel(participant.group_id), "members-changed")
    return participant


def takeover_cookie_name(workshop):
    return f"fpt_{getattr(workshop, 'id', workshop)}"


def takeover_cookie_value(secret_key, takeover):
    return _serializer(secret_key, "facilitator-takeover").dumps({"k": takeover.id, "s": takeover.secret})


def takeover_from_cookie(secret_key, workshop_id, value):
    """The takeover this waiting device asked for, or None when the cookie is missing or forged."""
    if not value:
        return None
    try:
        data = _serializer(secret_key, "facilitator-takeover").loads(value, max_age=TAKEOVER_COOKIE_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("k"), int):
        return None
    takeover = db.session.get(SeatTakeover, data["k"])
    if (
        takeover is None
        or takeover.workshop_id != workshop_id
        or not hmac.compare_digest(takeover.secret, str(data.get("s", "")))
    ):
        return None
    return takeover


#: Someone not seen for this long shows as offline in the control room.
ONLINE_WINDOW = 90


def touch(participant, typing_in=None, locale=None):
    """Remember when the device was last here (and the field it types in, and the language it
    reads in); tell the control room when someone comes back."""
    now = utcnow()
    last = _aware(participant.last_seen_at)
    participant.last_seen_at = now
    if typing_in is not None:
        participant.typing_field_id, participant.typing_at = typing_in.id, now
    if locale is not None and participant.locale != locale:
        participant.locale = locale
    db.session.commit()
    if last is None or (now - last).total_seconds() > ONLINE_WINDOW:
        publish(control_channel(participant.workshop_id), "people-changed")


# --- text typed as a stage closes -----------------------------------------------------------------


def typed_at(participant, field):
    """When the person last typed in this field (None if elsewhere): what a late save needs."""
    return participant.typing_at if participant.typing_field_id == field.id else None


def save_typed(seat, field, value, base_version):
    """Save what the person typed. A save the grace let through after the close is the last one:
    their typing mark is spent, so the close is final once their words are in."""
    participant = seat.participant
    result = answer_services.save_answer(
        seat.workshop,
        seat.group,
        field,
        value,
        base_version,
        participant.display_name,
        participant.id,
        typed_at=typed_at(participant, field),
        overrides=seat.overrides,
    )
    if not isinstance(result, answer_services.Conflict) and seat.state_of(field.stage) != stage_state.OPEN:
        participant.typing_field_id = None
        db.session.commit()
        publish(control_channel(seat.workshop.id), "late-saves-changed")
    return result


def typing_as_closed(workshop, now=None):
    """Who was typing in a stage that closed seconds ago and may still be saving it, by group.

    What the control room shows right after a close: the close is final for them once their save
    is in (see save_typed) or the grace has passed.
    """
    now = now or utcnow()
    since = now - stage_state.LATE_SAVE_GRACE - stage_state.TYPED_BEFORE_CLOSE
    typing = db.session.execute(
        db.select(Participant, StageField)
        .join(StageField, StageField.id == Participant.typing_field_id)
        .options(joinedload(Participant.group), joinedload(StageField.stage))
        .where(
            Participant.workshop_id == workshop.id,
            Participant.removed_at.is_(None),
            Participant.group_id.is_not(None),
            Participant.typing_at >= since,
        )
        .order_by(Participant.display_name)
    ).all()
    waiting = {}
    overrides = stage_state.overrides_for_groups({participant.group_id for participant, _ in typing})
    for participant, field in typing:
        group, stage = participant.group, field.stage
        if stage_state.takes_late_save(stage, group, participant.typing_at, now, overrides[group.id]):
            until = stage_state.closed_at_for(stage, group, overrides[group.id]) + stage_state.LATE_SAVE_GRACE
            entry = waiting.setdefault(group.id, {"group": group, "names": [], "until": until})
            entry["names"].append(participant.display_name)
            entry["until"] = max(entry["until"], until)
    return sorted(waiting.values(), key=lambda entry: entry["group"].position)


def choose_view(participant, simple):
    """The member's own choice of view, kept with their seat (it follows them to another device)."""
    participant.simple_mode = bool(simple)
    db.session.commit()
