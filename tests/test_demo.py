"""The demo workshop is the Kyustendil meeting from seed 004, loaded once."""

from facilitator import demo
from facilitator.agenda.models import AgendaItem
from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.stages.models import Stage, StageField
from facilitator.workshops.models import Workshop


def test_demo_is_the_kyustendil_meeting_in_bulgarian(app):
    facilitator, workshop, created = demo.load_demo("demo@example.org", "demo-workshop")
    assert created
    assert workshop.locale == "bg"
    assert str(workshop.starts_on) == "2012-06-06" and str(workshop.ends_on) == "2012-06-07"
    assert "Кюстендил" in workshop.venue_place
    items = db.session.scalars(
        db.select(AgendaItem).filter_by(workshop_id=workshop.id).order_by(AgendaItem.position)
    ).all()
    speakers = {(s.name, s.organisation) for item in items for s in item.speakers}
    assert ("Красимира Кънева", "Звено за управление на програмата (ЗУП)") in speakers
    assert ("Елена Андонова", "Районна здравна инспекция (РЗИ)") in speakers
    assert items[0].title == "Откриване на срещата"
    assert {item.kind for item in items} >= {"greeting", "talk", "break", "group-work", "discussion"}
    assert {item.day_index for item in items} == {0, 1}

    groups = db.session.scalars(db.select(Group).filter_by(workshop_id=workshop.id).order_by(Group.position)).all()
    assert [g.service_category for g in groups] == [
        "e-education",
        "e-inclusion",
        "e-business",
        "e-culture",
        "e-inclusion",
    ]
    answers = {
        (a.group_id, f.key): a.value
        for a, f in db.session.execute(db.select(Answer, StageField).join(StageField, Answer.field_id == StageField.id))
    }
    assert answers[(groups[1].id, "service_name")] == "Обучение в ИКТ на възрастни с двигателни увреждания"
    assert answers[(groups[1].id, "target_group")] == "Възрастни с увреждания от дом за хора с увреждания"
    assert answers[(groups[2].id, "category")] == "e-business"
    # Answers belong to stages 1-3 of the workshop's own process only.
    positions = set(
        db.session.scalars(db.select(Stage.position).join(StageField).join(Answer, Answer.field_id == StageField.id))
    )
    assert positions == {0, 1, 2}


def test_demo_has_the_seeds_results_register(app):
    from facilitator.register.models import RegisterEntry

    _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
    rows = db.session.scalars(db.select(RegisterEntry).filter_by(workshop_id=workshop.id)).all()
    assert len(rows) == 18
    assert {r.library_number for r in rows if not r.service_description} == {732, 764, 3069}


def test_loading_twice_changes_nothing(app):
    demo.load_demo("demo@example.org", "demo-workshop")
    counts = [
        db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Workshop, AgendaItem, Group, Answer)
    ]
    _, _, created = demo.load_demo("demo@example.org", "demo-workshop")
    assert not created
    assert [
        db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Workshop, AgendaItem, Group, Answer)
    ] == counts


def test_demo_workshop_is_on_the_demo_dashboard(app, client, post_form):
    demo.load_demo("demo@example.org", "demo-workshop")
    post_form("/signin", {"email": "demo@example.org", "password": "demo-workshop"})
    assert demo.TITLE in client.get("/dashboard").get_data(as_text=True)
