"""Group operations as plain functions: views call these, tests too."""

from ..accounts.models import utcnow
from ..answers.models import Answer
from ..core.domain import DomainError
from ..core.urls import MAX_ID
from ..extensions import db
from ..live.events import publish, workshop_channel
from ..stages.categories import SERVICE_CATEGORIES
from . import pins
from .models import Group
from .palette import PALETTE

MAX_NAME = 80

#: What remove_group did: a group without work goes, a group with work is kept, archived.
DELETED = "deleted"
ARCHIVED = "archived"


def _name_key(name):
    """How two names are compared: trimmed, case ignored in any alphabet (Cyrillic too)."""
    return " ".join((name or "").split()).casefold()


def _ordered(query):
    return query.order_by(Group.position, Group.id)


def _active(workshop_id):
    return db.session.scalars(_ordered(db.select(Group).filter_by(workshop_id=workshop_id, archived_at=None))).all()


def active_groups(workshop):
    """The workshop's groups in their agreed order, archived ones left out."""
    return _active(workshop.id)


def archived_groups(workshop):
    """Groups taken out of the workshop but kept with their work, most recently archived first."""
    return db.session.scalars(
        db.select(Group)
        .filter(Group.workshop_id == workshop.id, Group.archived_at.is_not(None))
        .order_by(Group.archived_at.desc(), Group.id.desc())
    ).all()


def find_group(workshop, group_id):
    """The group with this id if it belongs to this workshop, else None (deleted, or someone else's)."""
    if not 0 < group_id <= MAX_ID:
        return None
    group = db.session.get(Group, group_id)
    if group is None or group.workshop_id != workshop.id:
        return None
    return group


def group_has_work(group):
    """Whether deleting the group would lose something people made: any answer or any member.

    The one place that decides between delete and archive. Members count even after the
    facilitator removed them, since deleting the group would erase which group they were in.
    """
    has_answers = db.exists().where(Answer.group_id == group.id)
    has_members = db.exists().where(Group.id == group.id, Group.members.any())
    return bool(db.session.scalar(db.select(db.or_(has_answers, has_members))))


def next_colour(workshop):
    """The first palette colour no active group uses; when all are taken, the least used one."""
    used = [group.colour for group in active_groups(workshop)]
    return min(PALETTE, key=lambda key: used.count(key))


def _clean(workshop_id, name, colour, service_category, group=None):
    """Check one group's values; returns the trimmed name or raises DomainError."""
    name = (name or "").strip()
    if not name:
        raise DomainError("empty-name", "name")
    if len(name) > MAX_NAME:
        raise DomainError("long-name", "name", max=MAX_NAME)
    if colour not in PALETTE:
        raise DomainError("unknown-colour", "colour")
    if service_category is not None and service_category not in SERVICE_CATEGORIES:
        raise DomainError("unknown-service-category", "service_category")
    if _name_taken(workshop_id, name, group):
        raise DomainError("duplicate-name", "name")
    return name


def _name_taken(workshop_id, name, group=None):
    key = _name_key(name)
    return any(other is not group and _name_key(other.name) == key for other in _active(workshop_id))


def name_taken(workshop, name, group=None):
    """Whether another active group of the workshop already has this name (trimmed, any case)."""
    return _name_taken(workshop.id, name, group)


def _commit(workshop_id):
    """Save, then tell the workshop's live streams that its groups changed."""
    db.session.commit()
    publish(workshop_channel(workshop_id), "groups-changed")


def _end_position(workshop_id):
    last = db.session.scalar(
        db.select(db.func.max(Group.position)).filter_by(workshop_id=workshop_id, archived_at=None)
    )
    return 0 if last is None else last + 1


def add_group(workshop, name, colour=None, service_category=None, simple_mode=False):
    """Add a group at the end of the list; without a colour it gets the next free one."""
    colour = colour or next_colour(workshop)
    name = _clean(workshop.id, name, colour, service_category or None)
    group = Group(
        workshop_id=workshop.id,
        position=_end_position(workshop.id),
        name=name,
        colour=colour,
        service_category=service_category or None,
        simple_mode=simple_mode,
        join_pin=pins.new_pin(),  # at once, so the facilitator can print it before anyone joins
    )
    db.session.add(group)
    _commit(workshop.id)
    return group


def renew_pin(group):
    """Give the group a new PIN: the old one stops working (it leaked, or someone is guessing)."""
    _refuse_archived(group)
    old = group.join_pin
    while group.join_pin == old:
        group.join_pin = pins.new_pin()
    db.session.commit()
    return group


def pins_of(workshop):
    """Every active group with its PIN, giving a PIN to any group that has none yet."""
    groups = active_groups(workshop)
    if any(not group.join_pin for group in groups):
        for group in groups:
            pins.ensure_pin(group)
        db.session.commit()
    return groups


def _refuse_archived(group):
    if group.is_archived:
        raise DomainError("archived")


def update_group(group, name, colour, service_category, simple_mode=None):
    """Change a group's name, colour and category (and view, unless None); nothing changes unless all are valid."""
    _refuse_archived(group)
    name = _clean(group.workshop_id, name, colour, service_category or None, group=group)
    group.name = name
    group.colour = colour
    group.service_category = service_category or None
    if simple_mode is not None:
        group.simple_mode = simple_mode
    _commit(group.workshop_id)
    return group


def move_group(group, step):
    """Swap the group with its neighbour (-1 up, +1 down); False when it is already at that end."""
    if step not in (-1, 1):
        raise ValueError("step must be -1 or +1")
    _refuse_archived(group)
    groups = list(_active(group.workshop_id))
    index = groups.index(group)
    target = index + step
    if not 0 <= target < len(groups):
        return False
    groups[index], groups[target] = groups[target], groups[index]
    # Renumber all of them, so positions stay distinct even after deletions or old ties.
    for position, each in enumerate(groups):
        each.position = position
    _commit(group.workshop_id)
    return True


def remove_group(group, confirmed=False):
    """Delete an untouched group; a group with work is archived, and only once confirmed.

    Returns DELETED or ARCHIVED. Archiving keeps every answer, so it can be undone by restore_group.
    """
    _refuse_archived(group)
    workshop_id = group.workshop_id
    if not group_has_work(group):
        db.session.delete(group)
        _commit(workshop_id)
        return DELETED
    if not confirmed:
        raise DomainError("needs-confirmation")
    group.archived_at = utcnow()
    _commit(workshop_id)
    return ARCHIVED


def restore_group(group):
    """Bring an archived group back at the end of the list, unless its name is taken meanwhile."""
    if not group.is_archived:
        raise DomainError("not-archived")
    if _name_taken(group.workshop_id, group.name, group):
        raise DomainError("duplicate-name", "name")
    group.position = _end_position(group.workshop_id)
    group.archived_at = None
    _commit(group.workshop_id)
    return group


def position_of(group):
    """The group's place in the list (1-based) and the number of active groups, for announcements."""
    groups = _active(group.workshop_id)
    return groups.index(group) + 1, len(groups)
