"""Agenda operations as plain functions: views call these, tests too.

Positions are kept dense (0, 1, 2, ...) and sorted by day, so the workshop-wide order
is also the order in which each day is shown and exported. Flags such as an overlap
are worked out when the agenda is read, never stored, so they cannot go stale.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from ..core.domain import DomainError
from ..extensions import db
from ..workshops.models import Workshop
from .models import AgendaItem, AgendaItemKind, Speaker

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MIN_DURATION = 1
#: Longer than a day is a typo (minutes typed as seconds, an extra zero), not a plan.
MAX_DURATION = 24 * 60
MAX_SPEAKER_NAME = 120
MAX_SPEAKER_ROLE = 200
MAX_SPEAKER_ORGANISATION = 200
MINUTES_PER_DAY = 24 * 60

KINDS = tuple(kind.value for kind in AgendaItemKind)


# --- reading -------------------------------------------------------------------------------


def minutes_of(t):
    """Minutes since midnight, the unit all agenda arithmetic uses."""
    return t.hour * 60 + t.minute


def time_of(minutes):
    """The clock time for minutes since midnight; past midnight wraps to the next morning."""
    minutes %= MINUTES_PER_DAY
    return time(minutes // 60, minutes % 60)


@dataclass
class AgendaEntry:
    """One item as shown: its times and the warnings it deserves."""

    item: AgendaItem
    #: Where the item stands within its day, from 1.
    number: int
    count: int
    overlaps_previous: bool = False
    past_day_end: bool = False

    @property
    def starts_at(self):
        return self.item.starts_at

    @property
    def end_minutes(self):
        return minutes_of(self.item.starts_at) + self.item.duration_minutes

    @property
    def ends_at(self):
        return time_of(self.end_minutes)

    @property
    def is_first(self):
        return self.number == 1

    @property
    def is_last(self):
        return self.number == self.count

    @property
    def flagged(self):
        return self.overlaps_previous or self.past_day_end


@dataclass
class AgendaDay:
    """One day of the workshop with its items in order."""

    index: int
    date: date
    #: True when items sit on a day after the workshop's last one (its dates were shortened).
    after_last_day: bool
    entries: list = field(default_factory=list)

    @property
    def number(self):
        return self.index + 1


@dataclass
class Agenda:
    """The whole agenda, grouped by day, with the computed flags."""

    workshop: object
    days: list

    @property
    def entries(self):
        return [entry for day in self.days for entry in day.entries]

    @property
    def items(self):
        return [entry.item for entry in self.entries]

    @property
    def items_past_end(self):
        return [entry.item for entry in self.entries if entry.past_day_end]

    @property
    def items_overlapping(self):
        return [entry.item for entry in self.entries if entry.overlaps_previous]

    @property
    def is_multi_day(self):
        return len(self.days) > 1

    def entry_for(self, item):
        return next((entry for entry in self.entries if entry.item.id == item.id), None)

    def day(self, index):
        return next((day for day in self.days if day.index == index), None)


def items_of(workshop):
    """The workshop's items in agenda order (day, then position)."""
    return list(
        db.session.scalars(
            db.select(AgendaItem)
            .filter_by(workshop_id=workshop.id)
            .order_by(AgendaItem.day_index, AgendaItem.position, AgendaItem.id)
        )
    )


def day_items(workshop, day_index):
    """The items of one day, in order."""
    return [item for item in items_of(workshop) if item.day_index == day_index]


def agenda_for(workshop):
    """The agenda grouped by day, each item flagged if it overlaps the previous one or ends after the day."""
    items = items_of(workshop)
    day_count = max([workshop.day_count] + [item.day_index + 1 for item in items])
    day_end = minutes_of(workshop.day_ends_at)
    days = []
    for index in range(day_count):
        day = AgendaDay(
            index=index,
            date=workshop.starts_on + timedelta(days=index),
            after_last_day=index >= workshop.day_count,
        )
        todays = [item for item in items if item.day_index == index]
        previous_end = None
        for number, item in enumerate(todays, start=1):
            entry = AgendaEntry(item=item, number=number, count=len(todays))
            entry.overlaps_previous = previous_end is not None and minutes_of(item.starts_at) < previous_end
            entry.past_day_end = entry.end_minutes > day_end
            previous_end = entry.end_minutes
            day.entries.append(entry)
        days.append(day)
    return Agenda(workshop=workshop, days=days)


def workshop_of(item):
    """The workshop an item belongs to (the model keeps only its id)."""
    return db.session.get(Workshop, item.workshop_id)


# --- checking values -----------------------------------------------------------------------


def _clean_title(title):
    title = (title or "").strip()
    if not title:
        raise DomainError("title-required", "title")
    if len(title) > MAX_TITLE:
        raise DomainError("title-too-long", "title", max=MAX_TITLE)
    return title


def _check_duration(duration_minutes):
    if duration_minutes is None:
        raise DomainError("duration-required", "duration_minutes")
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        raise DomainError("duration-not-a-number", "duration_minutes")
    if duration_minutes < MIN_DURATION:
        raise DomainError("duration-too-short", "duration_minutes", min=MIN_DURATION)
    if duration_minutes > MAX_DURATION:
        raise DomainError("duration-too-long", "duration_minutes", max=MAX_DURATION)
    return duration_minutes


def _check_kind(kind):
    kind = getattr(kind, "value", kind)
    if kind not in KINDS:
        raise DomainError("unknown-kind", "kind")
    return kind


def _clean_description(description):
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError("description-too-long", "description", max=MAX_DESCRIPTION)
    return description


def _check_day(workshop, day_index, allowed=()):
    if not isinstance(day_index, int) or isinstance(day_index, bool):
        raise DomainError("unknown-day", "day_index")
    if not (0 <= day_index < workshop.day_count or day_index in allowed):
        raise DomainError("unknown-day", "day_index")
    return day_index


def _check_time(starts_at):
    if not isinstance(starts_at, time):
        raise DomainError("bad-time", "starts_at")
    return starts_at.replace(second=0, microsecond=0, tzinfo=None)


def _renumber(workshop):
    """Make positions dense again, following day then current position."""
    for position, item in enumerate(items_of(workshop)):
        item.position = position


def _next_start(workshop, day_index, exclude=None):
    """When a new item on this day would start: as the last one ends, or at the start of the day."""
    todays = [item for item in day_items(workshop, day_index) if item is not exclude]
    if not todays:
        return workshop.day_starts_at
    last = todays[-1]
    return time_of(minutes_of(last.starts_at) + last.duration_minutes)


# --- items ---------------------------------------------------------------------------------


def add_item(
    workshop, title, starts_at=None, duration_minutes=30, kind=AgendaItemKind.TALK.value, description="", day_index=0
):
    """Append an item to the end of its day; with no start time it follows the day's last item."""
    title = _clean_title(title)
    duration_minutes = _check_duration(duration_minutes)
    kind = _check_kind(kind)
    description = _clean_description(description)
    day_index = _check_day(workshop, day_index)
    db.session.flush()
    if starts_at is None:
        starts_at = _next_start(workshop, day_index)
    starts_at = _check_time(starts_at)
    item = AgendaItem(
        workshop_id=workshop.id,
        position=len(items_of(workshop)),
        day_index=day_index,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        title=title,
        kind=kind,
        description=description,
    )
    db.session.add(item)
    db.session.flush()
    _renumber(workshop)
    db.session.commit()
    return item


def update_item(item, *, title, starts_at, duration_minutes, kind, description="", day_index=None):
    """Change an item's details; moving it to another day puts it at the end of that day."""
    workshop = workshop_of(item)
    title = _clean_title(title)
    duration_minutes = _check_duration(duration_minutes)
    kind = _check_kind(kind)
    description = _clean_description(description)
    if day_index is None:
        day_index = item.day_index
    day_index = _check_day(workshop, day_index, allowed=(item.day_index,))
    if starts_at is None:
        starts_at = _next_start(workshop, day_index, exclude=item) if day_index != item.day_index else item.starts_at
    starts_at = _check_time(starts_at)
    if day_index != item.day_index:
        item.day_index = day_index
        item.position = len(items_of(workshop)) + 1
        db.session.flush()
    item.title = title
    item.starts_at = starts_at
    item.duration_minutes = duration_minutes
    item.kind = kind
    item.description = description
    _renumber(workshop)
    db.session.commit()
    return item


def delete_item(item):
    """Remove an item and its speakers; the rest close up the gap."""
    workshop = workshop_of(item)
    db.session.delete(item)
    db.session.flush()
    _renumber(workshop)
    db.session.commit()


def move_item(item, direction):
    """Swap an item with its neighbour in the same day (keyboard reorder); False at either end."""
    if direction not in (-1, 1):
        raise DomainError("bad-direction")
    workshop = workshop_of(item)
    todays = day_items(workshop, item.day_index)
    index = todays.index(item)
    other = index + direction
    if not 0 <= other < len(todays):
        return False
    neighbour = todays[other]
    item.position, neighbour.position = neighbour.position, item.position
    db.session.flush()
    _renumber(workshop)
    db.session.commit()
    return True


def _parse_ids(ordered_item_ids):
    ids = []
    for value in ordered_item_ids:
        if isinstance(value, bool):
            raise DomainError("foreign-items")
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise DomainError("foreign-items") from None
    return ids


def reorder(workshop, ordered_item_ids):
    """Put these items in the given order (drag and drop); refuses ids that are not this workshop's.

    The ids may be one day's items only: they take the places those items held, in the new
    order, and every other item stays where it was.
    """
    ids = _parse_ids(ordered_item_ids)
    if not ids:
        raise DomainError("empty-order")
    if len(set(ids)) != len(ids):
        raise DomainError("duplicate-items")
    items = {item.id: item for item in items_of(workshop)}
    if any(item_id not in items for item_id in ids):
        raise DomainError("foreign-items")
    moved = [items[item_id] for item_id in ids]
    slots = sorted((item.day_index, item.position) for item in moved)
    for item, (day_index, position) in zip(moved, slots, strict=True):
        item.day_index = day_index
        item.position = position
    db.session.flush()
    _renumber(workshop)
    db.session.commit()
    return moved


def retime_day(workshop, day_index):
    """Shift times to follow the order: each item starts as the previous ends, the first at day start."""
    start = minutes_of(workshop.day_starts_at)
    todays = day_items(workshop, day_index)
    for item in todays:
        item.starts_at = time_of(start)
        start += item.duration_minutes
    db.session.commit()
    return todays


# --- speakers ------------------------------------------------------------------------------


def _clean_speaker(name, role, organisation):
    name = (name or "").strip()
    role = (role or "").strip()
    organisation = (organisation or "").strip()
    if not name:
        raise DomainError("name-required", "name")
    if len(name) > MAX_SPEAKER_NAME:
        raise DomainError("name-too-long", "name", max=MAX_SPEAKER_NAME)
    if len(role) > MAX_SPEAKER_ROLE:
        raise DomainError("role-too-long", "role", max=MAX_SPEAKER_ROLE)
    if len(organisation) > MAX_SPEAKER_ORGANISATION:
        raise DomainError("organisation-too-long", "organisation", max=MAX_SPEAKER_ORGANISATION)
    return name, role, organisation


def add_speaker(item, name, role="", organisation=""):
    """Add a named person to an item, after those already there."""
    name, role, organisation = _clean_speaker(name, role, organisation)
    speaker = Speaker(
        name=name,
        role=role,
        organisation=organisation,
        position=max((s.position for s in item.speakers), default=-1) + 1,
    )
    item.speakers.append(speaker)
    db.session.commit()
    return speaker


def update_speaker(speaker, name, role="", organisation=""):
    """Correct a speaker's name, role or organisation."""
    speaker.name, speaker.role, speaker.organisation = _clean_speaker(name, role, organisation)
    db.session.commit()
    return speaker


def remove_speaker(speaker):
    """Take a speaker off an item; the others close up."""
    item = speaker.item
    item.speakers.remove(speaker)
    for position, other in enumerate(item.speakers):
        other.position = position
    db.session.commit()


def speaker_line(speaker):
    """'Name, role, organisation' with empty parts left out, as the agenda and report print it."""
    return ", ".join(part for part in (speaker.name, speaker.role, speaker.organisation) if part)
