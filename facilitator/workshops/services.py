"""Workshop planning operations as plain functions."""

from flask import abort

from ..agenda.models import AgendaItem, Speaker
from ..extensions import db
from ..groups.models import Group
from ..stages import services as stage_services
from .joincode import assign_join_code
from .models import FacilitatorRole, Workshop, WorkshopFacilitator, WorkshopStatus


def workshops_of(facilitator):
    """Every workshop the facilitator may plan or drive, soonest first."""
    return db.session.scalars(
        db.select(Workshop)
        .join(WorkshopFacilitator)
        .where(WorkshopFacilitator.facilitator_id == facilitator.id)
        .order_by(Workshop.starts_on.desc(), Workshop.id.desc())
    ).all()


def can_manage(facilitator, workshop):
    return db.session.scalar(
        db.select(WorkshopFacilitator.id).filter_by(workshop_id=workshop.id, facilitator_id=facilitator.id)
    ) is not None


def workshop_for(facilitator, workshop_id):
    """The workshop if this facilitator may manage it; 404 otherwise, so ids reveal nothing."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or not can_manage(facilitator, workshop):
        abort(404)
    return workshop


def create_workshop(owner, title, starts_on, *, ends_on=None, description="", venue_place="",
                    venue_address="", locale="en", wifi_name="", template=None, day_starts_at=None,
                    day_ends_at=None):
    """A new draft workshop with its owner, a join code and its own copy of the process."""
    workshop = Workshop(
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        venue_place=venue_place,
        venue_address=venue_address,
        locale=locale,
        wifi_name=wifi_name,
        status=WorkshopStatus.DRAFT.value,
    )
    if day_starts_at is not None:
        workshop.day_starts_at = day_starts_at
    if day_ends_at is not None:
        workshop.day_ends_at = day_ends_at
    if template is None:
        workshop.process = stage_services.build_default_process(locale, is_template=False)
    else:
        workshop.process = stage_services.copy_process(template, is_template=False)
    workshop.memberships.append(WorkshopFacilitator(facilitator_id=owner.id, role=FacilitatorRole.OWNER.value))
    db.session.add(workshop)
    db.session.flush()
    assign_join_code(workshop)
    db.session.commit()
    return workshop


def copy_workshop(workshop, by, title):
    """Start the next meeting of a series from this one's plan: agenda, groups and process, no answers."""
    copy = Workshop(
        title=title,
        description=workshop.description,
        starts_on=workshop.starts_on,
        ends_on=workshop.ends_on,
        day_starts_at=workshop.day_starts_at,
        day_ends_at=workshop.day_ends_at,
        venue_place=workshop.venue_place,
        venue_address=workshop.venue_address,
        locale=workshop.locale,
        wifi_name=workshop.wifi_name,
        status=WorkshopStatus.DRAFT.value,
    )
    if workshop.process is not None:
        copy.process = stage_services.copy_process(workshop.process, is_template=False)
    copy.memberships.append(WorkshopFacilitator(facilitator_id=by.id, role=FacilitatorRole.OWNER.value))
    db.session.add(copy)
    db.session.flush()
    items = db.session.scalars(db.select(AgendaItem).filter_by(workshop_id=workshop.id).order_by(AgendaItem.position))
    for item in items:
        new_item = AgendaItem(
            workshop_id=copy.id, position=item.position, day_index=item.day_index, starts_at=item.starts_at,
            duration_minutes=item.duration_minutes, title=item.title, kind=item.kind, description=item.description,
        )
        new_item.speakers = [
            Speaker(position=s.position, name=s.name, role=s.role, organisation=s.organisation) for s in item.speakers
        ]
        db.session.add(new_item)
    groups = db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position)
    )
    for group in groups:
        db.session.add(Group(workshop_id=copy.id, position=group.position, name=group.name, colour=group.colour,
                             service_category=group.service_category))
    assign_join_code(copy)
    db.session.commit()
    return copy


#: The moves a workshop's status may make: it goes live, and either finishes or goes back to draft.
STATUS_MOVES = {
    WorkshopStatus.DRAFT.value: (WorkshopStatus.LIVE.value,),
    WorkshopStatus.LIVE.value: (WorkshopStatus.FINISHED.value, WorkshopStatus.DRAFT.value),
    WorkshopStatus.FINISHED.value: (),
}


class WorkshopError(Exception):
    """A refused workshop change; `code` says which rule, `field` which form field it concerns."""

    def __init__(self, code, field=None):
        super().__init__(code)
        self.code = code
        self.field = field


def update_workshop(workshop, *, title, starts_on, ends_on=None, description="", day_starts_at=None,
                    day_ends_at=None, venue_place="", venue_address="", locale="en", wifi_name=""):
    """Save what the facilitator says about the workshop; its process snapshot stays as it is.

    Changing `locale` changes the language of what is printed from now on, but does not
    rewrite the stages already copied into the workshop.
    """
    day_starts_at = day_starts_at or workshop.day_starts_at
    day_ends_at = day_ends_at or workshop.day_ends_at
    if ends_on is not None and ends_on < starts_on:
        raise WorkshopError("end-before-start", "ends_on")
    if day_ends_at <= day_starts_at:
        raise WorkshopError("day-end-before-start", "day_ends_at")
    workshop.title = title.strip()
    workshop.description = description
    workshop.starts_on = starts_on
    # One day is stored as no end date.
    workshop.ends_on = ends_on if ends_on != starts_on else None
    workshop.day_starts_at = day_starts_at
    workshop.day_ends_at = day_ends_at
    workshop.venue_place = venue_place
    workshop.venue_address = venue_address
    workshop.locale = locale
    workshop.wifi_name = wifi_name
    db.session.commit()
    return workshop


def allowed_statuses(workshop):
    """The statuses the workshop may move to from where it is."""
    return STATUS_MOVES.get(workshop.status, ())


def set_status(workshop, status):
    """Move the workshop along draft → live → finished (or live back to draft); refuse other moves."""
    if status not in allowed_statuses(workshop):
        raise WorkshopError("status-move")
    workshop.status = status
    db.session.commit()
    return workshop


def regenerate_join_code(workshop):
    """Give the workshop a new join code; the old one stops working at once."""
    if workshop.is_finished:
        raise WorkshopError("finished")
    code = assign_join_code(workshop)
    db.session.commit()
    return code


def group_counts(workshops):
    """How many current (not archived) groups each workshop has, by workshop id."""
    ids = [w.id for w in workshops]
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Group.workshop_id, db.func.count(Group.id))
        .where(Group.workshop_id.in_(ids), Group.archived_at.is_(None))
        .group_by(Group.workshop_id)
    )
    return {workshop_id: count for workshop_id, count in rows}


def plan_counts(workshop):
    """How much of the plan exists: agenda items, current groups and process stages."""
    agenda_items = db.session.scalar(
        db.select(db.func.count(AgendaItem.id)).where(AgendaItem.workshop_id == workshop.id)
    )
    return {
        "agenda_items": agenda_items or 0,
        "groups": group_counts([workshop]).get(workshop.id, 0),
        "stages": len(workshop.process.stages) if workshop.process is not None else 0,
    }
