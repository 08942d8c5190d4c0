"""Templates and snapshots."""

import pytest

from facilitator.extensions import db
from facilitator.stages import default_template, services
from facilitator.stages.models import FieldKind, Process


@pytest.mark.parametrize("locale, first, category", [
    ("en", "Choice of the service and its name", "E-health"),
    ("pl", "Wybór usługi i jej nazwa", "E-zdrowie"),
    ("bg", "Избор на услугата и наименование", "Е-здраве"),
])
def test_default_template_in_each_language(app, locale, first, category):
    process = services.build_default_process(locale)
    db.session.commit()
    assert len(process.stages) == 8
    assert process.stages[0].title == first
    choice = process.stages[0].fields[0]
    assert choice.kind == FieldKind.CHOICE.value
    assert [c["value"] for c in choice.choices] == default_template.CATEGORY_KEYS
    assert choice.choices[0]["label"] == category
    assert all(stage.fields for stage in process.stages)
    assert all(stage.prompt and stage.time_box_minutes for stage in process.stages)


def test_every_stage_is_written_in_all_three_languages():
    for stage in default_template.STAGES:
        for text in (stage["title"], stage["prompt"]):
            assert all(text[lang].strip() for lang in ("en", "pl", "bg"))
        for _key, _kind, label, _help in stage["fields"]:
            assert all(label[lang].strip() for lang in ("en", "pl", "bg"))


def test_workshop_snapshot_ignores_later_template_edits(app, facilitator, create_workshop):
    template = services.copy_process(services.build_default_process("en"), owner_id=facilitator.id, name="Mine")
    db.session.commit()
    workshop = create_workshop(template=template, locale="en")
    template.stages[1].title = "Purpose (renamed later)"
    template.stages[1].fields[0].label = "Changed label"
    db.session.delete(template.stages[7])
    db.session.commit()
    assert workshop.process.stages[1].title == "Goal"
    assert workshop.process.stages[1].fields[0].label == "Goal of the service"
    assert len(workshop.process.stages) == 8


def test_templates_of_lists_only_own_templates(app, facilitator, other_facilitator, workshop):
    mine = services.copy_process(workshop.process, owner_id=facilitator.id, name="Mine")
    services.copy_process(workshop.process, owner_id=other_facilitator.id, name="Theirs")
    db.session.commit()
    assert services.templates_of(facilitator) == [mine]
    assert db.session.scalar(db.select(db.func.count(Process.id))) == 3
