"""Workshop services: creation, copying, access and join codes."""

import pytest
from werkzeug.exceptions import NotFound

from facilitator.agenda.models import AgendaItem, Speaker
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.planning import services as planning
from facilitator.workshops import joincode, services
from facilitator.workshops.models import WorkshopStatus


def test_new_workshop_is_a_draft_with_owner_code_and_8_stage_process(workshop, facilitator):
    assert workshop.status == "draft"
    assert services.workshops_of(facilitator) == [workshop]
    assert len(workshop.join_code) == joincode.LENGTH
    assert set(workshop.join_code) <= set(joincode.ALPHABET)
    titles = [stage.title for stage in workshop.process.stages]
    assert titles[0] == "Избор на услугата и наименование"
    assert titles[-1] == "Очаквани резултати"
    assert len(titles) == 8
    assert workshop.process.is_template is False
    assert workshop.day_count == 2


def test_other_facilitators_get_404(workshop, other_facilitator, facilitator):
    assert services.workshop_for(facilitator, workshop.id) == workshop
    with pytest.raises(NotFound):
        services.workshop_for(other_facilitator, workshop.id)
    with pytest.raises(NotFound):
        services.workshop_for(facilitator, workshop.id + 1000)
    assert services.workshops_of(other_facilitator) == []


def test_join_codes_are_unique_among_open_workshops(app, create_workshop, monkeypatch):
    first = create_workshop()
    codes = iter([first.join_code, first.join_code, "CCCCCC"])
    monkeypatch.setattr(joincode, "new_code", lambda: next(codes))
    second = create_workshop(title="Второ")
    assert second.join_code == "CCCCCC"


def test_finished_workshops_free_their_code(app, create_workshop, monkeypatch):
    first = create_workshop()
    first.status = WorkshopStatus.FINISHED.value
    db.session.commit()
    monkeypatch.setattr(joincode, "new_code", lambda: first.join_code)
    second = create_workshop(title="Следваща среща")
    assert second.join_code == first.join_code
    assert joincode.find_open_workshop(first.join_code.lower()) == second


def test_database_refuses_duplicate_open_codes(app, create_workshop):
    """The partial unique index backs the service up if two processes race."""
    from sqlalchemy.exc import IntegrityError

    first, second = create_workshop(), create_workshop(title="Второ")
    second.join_code = first.join_code
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_regenerating_changes_the_code(workshop):
    old = workshop.join_code
    joincode.assign_join_code(workshop)
    db.session.commit()
    assert workshop.join_code != old
    assert joincode.find_open_workshop(old) is None
    assert joincode.find_open_workshop(f" {workshop.join_code[:3]}-{workshop.join_code[3:]} ") == workshop


def test_copy_workshop_reuses_the_plan_not_the_answers(workshop, facilitator):
    item = AgendaItem(
        workshop_id=workshop.id,
        position=0,
        starts_at=workshop.day_starts_at,
        duration_minutes=20,
        title="Откриване",
        kind="greeting",
    )
    item.speakers.append(Speaker(name="София Пейчева", role="директор", organisation="РБ Кюстендил"))
    db.session.add(item)
    db.session.add(Group(workshop_id=workshop.id, name="Група 1", colour="green", service_category="e-health"))
    db.session.add(Group(workshop_id=workshop.id, name="Стара", archived_at=workshop.created_at))
    db.session.commit()

    copy = planning.copy_workshop(workshop, facilitator, "Втора среща")
    assert copy.id != workshop.id and copy.status == "draft"
    assert copy.join_code != workshop.join_code
    items = db.session.scalars(db.select(AgendaItem).filter_by(workshop_id=copy.id)).all()
    assert [i.title for i in items] == ["Откриване"]
    assert [s.name for s in items[0].speakers] == ["София Пейчева"]
    groups = db.session.scalars(db.select(Group).filter_by(workshop_id=copy.id)).all()
    assert [(g.name, g.colour) for g in groups] == [("Група 1", "green")]
    # The process is a copy too: editing it leaves the original alone.
    copy.process.stages[0].title = "Changed"
    db.session.commit()
    assert workshop.process.stages[0].title == "Избор на услугата и наименование"
    assert copy.process_id != workshop.process_id
