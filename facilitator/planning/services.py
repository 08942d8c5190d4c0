"""Planning meetings: a new workshop with its own process, the next meeting copied from the last.

What composes the areas below it (a workshop's agenda, groups and process) lives here, so that
those areas need not know one another.
"""

from ..agenda.models import AgendaItem, Speaker
from ..extensions import db
from ..groups.models import Group
from ..stages import services as stage_services
from ..workshops.joincode import assign_join_code
from ..workshops.models import FacilitatorRole, Workshop, WorkshopFacilitator, WorkshopStatus


def create_workshop(
    owner,
    title,
    starts_on,
    *,
    ends_on=None,
    description="",
    venue_place="",
    venue_address="",
    locale="en",
    wifi_name="",
    wifi_password="",
    simple_mode=False,
    template=None,
    day_starts_at=None,
    day_ends_at=None,
):
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
        wifi_password=wifi_password,
        simple_mode=simple_mode,
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


#: What the next meeting of a series takes over from the last one, row by row.
WORKSHOP_PLAN = (
    "description",
    "starts_on",
    "ends_on",
    "day_starts_at",
    "day_ends_at",
    "venue_place",
    "venue_address",
    "locale",
    "wifi_name",
    "wifi_password",
    "simple_mode",
)
ITEM_PLAN = ("position", "day_index", "starts_at", "duration_minutes", "title", "kind", "description")
SPEAKER_PLAN = ("position", "name", "role", "organisation")
GROUP_PLAN = ("position", "name", "colour", "service_category", "simple_mode")


def _copied(row, model, columns, **values):
    """A new `model` row holding `row`'s values of `columns`, and `values`."""
    return model(**{name: getattr(row, name) for name in columns}, **values)


def copy_workshop(workshop, by, title):
    """Start the next meeting of a series from this one's plan: agenda, groups and process, no answers."""
    copy = _copied(workshop, Workshop, WORKSHOP_PLAN, title=title, status=WorkshopStatus.DRAFT.value)
    if workshop.process is not None:
        copy.process = stage_services.copy_process(workshop.process, is_template=False)
    copy.memberships.append(WorkshopFacilitator(facilitator_id=by.id, role=FacilitatorRole.OWNER.value))
    db.session.add(copy)
    db.session.flush()
    items = db.session.scalars(db.select(AgendaItem).filter_by(workshop_id=workshop.id).order_by(AgendaItem.position))
    for item in items:
        speakers = [_copied(speaker, Speaker, SPEAKER_PLAN) for speaker in item.speakers]
        db.session.add(_copied(item, AgendaItem, ITEM_PLAN, workshop_id=copy.id, speakers=speakers))
    groups = db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position)
    )
    for group in groups:
        db.session.add(_copied(group, Group, GROUP_PLAN, workshop_id=copy.id))
    assign_join_code(copy)
    db.session.commit()
    return copy


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
    return dict(rows.all())


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
