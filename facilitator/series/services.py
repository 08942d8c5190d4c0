"""A series of meetings: its partners in the order they host, its meetings, and who plans them.

Each meeting is an ordinary workshop (planning, control, reports work as for any other); the
series adds its number, its host and the people who plan every meeting together.
"""

from datetime import date

from ..accounts.services import find_facilitator
from ..core.domain import DomainError
from ..extensions import db
from ..planning import services as planning
from ..workshops.models import FacilitatorRole, Workshop, WorkshopFacilitator
from .models import Series, SeriesFacilitator, SeriesPartner

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_NAME = 200
MAX_PLACE = 200
#: A series of a programme has a handful of partners; the seeds' have four and twenty-eight regions.
MAX_PARTNERS = 50


def _clean(text, code, field, most, required=True, one_line=True):
    """The text as stored (a name on one line; a description keeps its lines), or a refusal."""
    text = " ".join((text or "").split()) if one_line else (text or "").strip()
    if required and not text:
        raise DomainError(f"{code}-missing", field)
    if len(text) > most:
        raise DomainError(f"{code}-too-long", field, max=most)
    return text


def create_series(owner, title, description=""):
    """A new series, planned by `owner`; partners and meetings come next."""
    series = Series(
        title=_clean(title, "series-title", "title", MAX_TITLE),
        description=_clean(
            description, "series-description", "description", MAX_DESCRIPTION, required=False, one_line=False
        ),
    )
    series.memberships.append(SeriesFacilitator(facilitator_id=owner.id, role=FacilitatorRole.OWNER.value))
    db.session.add(series)
    db.session.commit()
    return series


def series_of(facilitator):
    """Every series the facilitator plans, newest first."""
    return db.session.scalars(
        db.select(Series)
        .join(SeriesFacilitator)
        .where(SeriesFacilitator.facilitator_id == facilitator.id)
        .order_by(Series.created_at.desc(), Series.id.desc())
    ).all()


def managed_series(facilitator, series_id):
    """The series if this facilitator plans it, else None: missing and not theirs look the same."""
    return db.session.scalar(
        db.select(Series)
        .join(SeriesFacilitator)
        .where(Series.id == series_id, SeriesFacilitator.facilitator_id == facilitator.id)
    )


def add_partner(series, name, place=""):
    """Add a partner organisation at the end of the hosting order."""
    name = _clean(name, "partner-name", "name", MAX_NAME)
    place = _clean(place, "partner-place", "place", MAX_PLACE, required=False)
    if any(partner.name.casefold() == name.casefold() for partner in series.partners):
        raise DomainError("partner-taken", "name")
    if len(series.partners) >= MAX_PARTNERS:
        raise DomainError("too-many-partners", "name", max=MAX_PARTNERS)
    partner = SeriesPartner(name=name, place=place, position=len(series.partners))
    series.partners.append(partner)
    db.session.commit()
    return partner


def meetings_of(series):
    """The series' meetings in their order."""
    return db.session.scalars(
        db.select(Workshop).filter_by(series_id=series.id).order_by(Workshop.series_number, Workshop.id)
    ).all()


def next_host(series, meetings=None):
    """The partner whose turn it is: the one after the last meeting's host (round again after the
    last partner), the first partner when nothing is hosted yet; None without partners."""
    partners = series.partners
    if not partners:
        return None
    meetings = meetings_of(series) if meetings is None else meetings
    hosted = [meeting.host_partner_id for meeting in meetings if meeting.host_partner_id is not None]
    if not hosted:
        return partners[0]
    ids = [partner.id for partner in partners]
    last = ids.index(hosted[-1]) if hosted[-1] in ids else -1
    return partners[(last + 1) % len(partners)]


def _let_plan(workshop, facilitator_id):
    """Make the facilitator a co-facilitator of the workshop, unless they already plan it (read from
    the table: a membership added elsewhere in this session may not be in the loaded list)."""
    db.session.flush()
    planners = db.session.scalars(
        db.select(WorkshopFacilitator.facilitator_id).filter_by(workshop_id=workshop.id)
    ).all()
    if facilitator_id not in planners:
        db.session.add(
            WorkshopFacilitator(
                workshop_id=workshop.id, facilitator_id=facilitator_id, role=FacilitatorRole.CO_FACILITATOR.value
            )
        )


def _join(series, workshop, host):
    """Number the workshop in the series, give it its host (and the host's place as its venue, when
    it has none), and let everyone who plans the series plan it."""
    meetings = meetings_of(series)
    workshop.series_id = series.id
    workshop.series_number = max((m.series_number or 0 for m in meetings), default=0) + 1
    workshop.host_partner_id = host.id if host else None
    if host and host.place and not workshop.venue_place:
        workshop.venue_place = host.place
    for membership in series.memberships:
        _let_plan(workshop, membership.facilitator_id)


def add_meeting(series, workshop, host=None):
    """Make an existing workshop the series' next meeting, hosted by `host` (a partner of the series)."""
    if workshop.series_id is not None:
        raise DomainError("already-in-series")
    if host is not None and host.series_id != series.id:
        raise DomainError("foreign-partner", "host")
    _join(series, workshop, host)
    db.session.commit()
    return workshop


def plan_next_meeting(series, by, title):
    """The next meeting, planned from the last one's (agenda, groups, process; no answers) and hosted
    by the partner whose turn it is, at that partner's place."""
    meetings = meetings_of(series)
    host = next_host(series, meetings)
    if meetings:
        workshop = planning.copy_workshop(meetings[-1], by, title)
        workshop.venue_place = host.place if host and host.place else workshop.venue_place
        workshop.venue_address = "" if host and host.place else workshop.venue_address
    else:
        workshop = planning.create_workshop(by, title, date.today())
    _join(series, workshop, host)
    db.session.commit()
    return workshop


def invite_co_facilitator(series, email):
    """A partner's person plans the whole series: every meeting so far and every one to come."""
    facilitator = find_facilitator(email)
    if facilitator is None:
        raise DomainError("no-account", "email")
    if any(m.facilitator_id == facilitator.id for m in series.memberships):
        raise DomainError("already-series-facilitator", "email")
    series.memberships.append(
        SeriesFacilitator(facilitator_id=facilitator.id, role=FacilitatorRole.CO_FACILITATOR.value)
    )
    for meeting in meetings_of(series):
        _let_plan(meeting, facilitator.id)
    db.session.commit()
    return facilitator
