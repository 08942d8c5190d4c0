"""One workshop: who may manage it, what it says about itself, its status and its join code."""

from flask import abort

from ..core.domain import DomainError
from ..extensions import db
from .joincode import assign_join_code
from .models import Workshop, WorkshopFacilitator, WorkshopStatus


def workshops_of(facilitator):
    """Every workshop the facilitator may plan or drive, soonest first."""
    return db.session.scalars(
        db.select(Workshop)
        .join(WorkshopFacilitator)
        .where(WorkshopFacilitator.facilitator_id == facilitator.id)
        .order_by(Workshop.starts_on.desc(), Workshop.id.desc())
    ).all()


def managed_workshop(facilitator, workshop_id):
    """The workshop if this facilitator may manage it, else None: missing and not theirs look the same."""
    return db.session.scalar(
        db.select(Workshop)
        .join(WorkshopFacilitator)
        .where(Workshop.id == workshop_id, WorkshopFacilitator.facilitator_id == facilitator.id)
    )


def workshop_for(facilitator, workshop_id):
    """The workshop if this facilitator may manage it; 404 otherwise, so ids reveal nothing."""
    workshop = managed_workshop(facilitator, workshop_id)
    if workshop is None:
        abort(404)
    return workshop


#: The moves a workshop's status may make: it goes live, and either finishes or goes back to draft.
STATUS_MOVES = {
    WorkshopStatus.DRAFT.value: (WorkshopStatus.LIVE.value,),
    WorkshopStatus.LIVE.value: (WorkshopStatus.FINISHED.value, WorkshopStatus.DRAFT.value),
    WorkshopStatus.FINISHED.value: (),
}


def update_workshop(
    workshop,
    *,
    title,
    starts_on,
    ends_on=None,
    description="",
    day_starts_at=None,
    day_ends_at=None,
    venue_place="",
    venue_address="",
    locale="en",
    wifi_name="",
    wifi_password="",
    simple_mode=False,
):
    """Save what the facilitator says about the workshop; its process snapshot stays as it is.

    Changing `locale` changes the language of what is printed from now on, but does not
    rewrite the stages already copied into the workshop.
    """
    day_starts_at = day_starts_at or workshop.day_starts_at
    day_ends_at = day_ends_at or workshop.day_ends_at
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("end-before-start", "ends_on")
    if day_ends_at <= day_starts_at:
        raise DomainError("day-end-before-start", "day_ends_at")
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
    workshop.wifi_password = wifi_password
    workshop.simple_mode = simple_mode
    db.session.commit()
    return workshop


def allowed_statuses(workshop):
    """The statuses the workshop may move to from where it is."""
    return STATUS_MOVES.get(workshop.status, ())


def set_status(workshop, status):
    """Move the workshop along draft → live → finished (or live back to draft); refuse other moves."""
    if status not in allowed_statuses(workshop):
        raise DomainError("status-move")
    workshop.status = status
    db.session.commit()
    return workshop


def regenerate_join_code(workshop):
    """Give the workshop a new join code; the old one stops working at once."""
    if workshop.is_finished:
        raise DomainError("finished")
    code = assign_join_code(workshop)
    db.session.commit()
    return code
