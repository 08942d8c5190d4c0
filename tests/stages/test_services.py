"""Templates and snapshots."""

import pytest
from werkzeug.exceptions import NotFound

from facilitator.accounts.models import utcnow
from facilitator.answers.models import Answer
from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.stages import default_template, services
from facilitator.stages.models import FieldKind, Process, Stage
from facilitator.workshops.models import WorkshopStatus


@pytest.mark.parametrize(
    "locale, first, category",
    [
        ("en", "Choice of the service and its name", "E-health"),
        ("pl", "Wybór usługi i jej nazwa", "E-zdrowie"),
        ("bg", "Избор на услугата и наименование", "Е-здраве"),
    ],
)
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


def test_copies_leave_the_runtime_state_behind(app, facilitator, workshop):
    first, second = workshop.process.stages[:2]
    first.state, second.state, second.closed_at = "open", "closed", utcnow()
    db.session.commit()
    for copy in (
        services.copy_process(workshop.process, owner_id=facilitator.id, name="Mine"),
        services.copy_process(workshop.process, is_template=False),
    ):
        db.session.commit()
        assert {(stage.state, stage.closed_at) for stage in copy.stages} == {("locked", None)}


def test_templates_of_lists_only_own_templates(app, facilitator, other_facilitator, workshop):
    mine = services.copy_process(workshop.process, owner_id=facilitator.id, name="Mine")
    services.copy_process(workshop.process, owner_id=other_facilitator.id, name="Theirs")
    db.session.commit()
    assert services.templates_of(facilitator) == [mine]
    assert db.session.scalar(db.select(db.func.count(Process.id))) == 3


# --- Editing ---------------------------------------------------------------------------------------


@pytest.fixture
def template(app, facilitator):
    return services.copy_default_template(facilitator, "en")


def refused(code, call, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.code == code
    return error.value


@pytest.mark.parametrize(
    "label, key",
    [
        ("Target group", "target_group"),
        ("Grupa docelowa – łączność", "grupa_docelowa_lacznosc"),
        ("Целева група", "tseleva_grupa"),
        ("Щастие и юмор", "shtastie_i_yumor"),
        ("???", "field"),
    ],
)
def test_field_keys_are_ascii_slugs(app, label, key):
    process = Process(name="Blank", locale="en")
    assert services.field_key(process, label) == key


def test_field_keys_are_unique_within_the_process_and_fit_the_column(app, template):
    stage = template.stages[1]
    first = services.add_field(stage, "Partners", "short-text")
    second = services.add_field(stage, "Partners", "short-text")
    assert (first.key, second.key) == ("partners_2", "partners_3")  # stage 4 already has "partners"
    long = services.add_field(stage, "A very long label " * 10, "short-text")
    assert len(long.key) <= 40
    again = services.add_field(stage, "A very long label " * 10, "short-text")
    assert again.key != long.key and len(again.key) <= 40


def test_add_stage_starts_with_one_field_at_the_end(app, template):
    stage = services.add_stage(template, "  Evaluation ")
    assert stage.position == 8 and stage.title == "Evaluation"
    assert [(f.label, f.kind) for f in stage.fields] == [("Evaluation", "long-text")]


def test_add_stage_refusals(app, template):
    refused("no-title", services.add_stage, template, "  ")
    refused("too-long", services.add_stage, template, "x" * 201)
    for number in range(services.MAX_STAGES - 8):
        services.add_stage(template, f"Stage {number}")
    refused("too-many-stages", services.add_stage, template, "One more")


@pytest.mark.parametrize("minutes", [0, -1, 481, 10_000, True, "15"])
def test_update_stage_refuses_absurd_time_boxes(app, template, minutes):
    stage = template.stages[1]
    error = refused("bad-time-box", services.update_stage, stage, "Goal", "", minutes)
    assert error.field == "time_box"
    db.session.rollback()
    assert stage.time_box_minutes == 10


def test_update_stage_accepts_the_range_and_no_time_box(app, template):
    stage = template.stages[1]
    for minutes in (1, 480, None):
        services.update_stage(stage, "Goal", "Why?", minutes)
        assert stage.time_box_minutes == minutes
    refused("no-title", services.update_stage, stage, "", "", 5)
    refused("too-long", services.update_stage, stage, "t" * 201, "", 5)
    refused("too-long", services.update_stage, stage, "Goal", "p" * 4001, 5)
    db.session.rollback()
    assert stage.title == "Goal" and stage.time_box_minutes is None


def test_move_stage_swaps_neighbours_and_stops_at_the_ends(app, template):
    first, second = template.stages[0], template.stages[1]
    assert services.move_stage(second, -1) is True
    assert [s.id for s in db.session.get(Process, template.id).stages][:2] == [second.id, first.id]
    assert services.move_stage(second, -1) is False
    assert services.move_stage(template.stages[-1], 1) is False
    assert [s.position for s in template.stages] == list(range(8))


def test_remove_stage_renumbers_and_keeps_the_last(app, template):
    services.remove_stage(template.stages[0])
    assert [s.position for s in template.stages] == list(range(7))
    while len(template.stages) > 1:
        services.remove_stage(template.stages[-1])
    refused("last-stage", services.remove_stage, template.stages[0])
    assert len(template.stages) == 1


def test_choice_fields_need_distinct_choices(app, template):
    stage = template.stages[1]
    refused("no-choices", services.add_field, stage, "Priority", "choice", [])
    refused("no-choices", services.add_field, stage, "Priority", "choice", ["  ", ""])
    refused("duplicate-choice", services.add_field, stage, "Priority", "choice", ["High", "HIGH"])
    refused("long-choice", services.add_field, stage, "Priority", "choice", ["x" * 201])
    refused("too-many-choices", services.add_field, stage, "Priority", "choice", [f"c{n}" for n in range(51)])
    field = services.add_field(stage, "Priority", "choice", ["Висок", "Нисък", "Висок!"])
    assert [c["value"] for c in field.choices] == ["visok", "nisak", "visok-2"]


def test_add_field_refusals(app, template):
    stage = template.stages[1]
    refused("bad-kind", services.add_field, stage, "Colour", "colour")
    refused("no-label", services.add_field, stage, " ", "short-text")
    refused("too-long", services.add_field, stage, "l" * 201, "short-text")
    for number in range(services.MAX_FIELDS - 1):
        services.add_field(stage, f"Field {number}", "number")
    refused("too-many-fields", services.add_field, stage, "One more", "number")


def test_update_field_keeps_key_and_choice_values(app, template):
    field = template.stages[0].fields[0]
    services.update_field(field, "Category", "choice", "Pick one", ["E-culture", "E-health", "Libraries"])
    assert field.key == "category"
    assert field.choices == [
        {"value": "e-culture", "label": "E-culture"},
        {"value": "e-health", "label": "E-health"},
        {"value": "libraries", "label": "Libraries"},
    ]
    services.update_field(field, "Category", "short-text", "", ["ignored"])
    assert field.kind == "short-text" and field.choices is None
    refused("bad-kind", services.update_field, field, "Category", "colour", "")
    refused("no-choices", services.update_field, field, "Category", "choice", "", [])
    refused("too-long", services.update_field, field, "Category", "short-text", "h" * 1001)


def test_move_and_remove_fields(app, template):
    stage = template.stages[7]
    social, economic, community = stage.fields
    assert services.move_field(community, -1) is True
    assert [f.id for f in db.session.get(Stage, stage.id).fields] == [social.id, community.id, economic.id]
    assert services.move_field(social, -1) is False
    services.remove_field(community)
    assert [f.position for f in stage.fields] == [0, 1]
    services.remove_field(economic)
    refused("last-field", services.remove_field, social)


def _answer(workshop, field):
    group = Group(workshop_id=workshop.id, name="Group 1")
    db.session.add(group)
    db.session.flush()
    db.session.add(Answer(group_id=group.id, field_id=field.id, value="Something"))
    db.session.commit()


def test_answered_stages_and_fields_cannot_be_removed(app, workshop):
    stage = workshop.process.stages[2]
    _answer(workshop, stage.fields[1])
    refused("stage-has-answers", services.remove_stage, stage)
    refused("field-has-answers", services.remove_field, stage.fields[1])
    assert services.process_has_answers(workshop.process)


def test_templates_without_stages_or_fields_cannot_be_used(app, facilitator, workshop, template):
    empty = Process(owner_id=facilitator.id, is_template=True, name="Empty", locale="en")
    db.session.add(empty)
    db.session.commit()
    refused("no-stages", services.check_usable, empty)
    refused("no-stages", services.copy_template, empty, facilitator, "Copy")
    refused("no-stages", services.replace_workshop_process, workshop, template=empty)
    empty.stages.append(Stage(position=0, title="Lonely"))
    db.session.commit()
    refused("stage-without-fields", services.replace_workshop_process, workshop, template=empty)
    services.check_usable(template)


def test_replace_workshop_process(app, workshop, template):
    old_id = workshop.process_id
    fresh = services.replace_workshop_process(workshop, template=template)
    assert fresh.id not in (old_id, template.id) and not fresh.is_template and fresh.owner_id is None
    assert db.session.get(Process, old_id) is None
    services.replace_workshop_process(workshop, locale="pl")
    assert workshop.process.stages[0].title == "Wybór usługi i jej nazwa"
    refused("bad-source", services.replace_workshop_process, workshop, locale="de")


def test_replace_refused_with_answers_or_after_draft(app, workshop):
    _answer(workshop, workshop.process.stages[0].fields[0])
    refused("has-answers", services.replace_workshop_process, workshop, locale="en")
    workshop.status = WorkshopStatus.LIVE.value
    db.session.commit()
    refused("not-draft", services.replace_workshop_process, workshop, locale="en")
    assert workshop.process.locale == "bg"


def test_copy_default_template_and_template_for(app, facilitator, other_facilitator, workshop):
    template = services.copy_default_template(facilitator, "bg")
    assert template.owner_id == facilitator.id and template.is_template and template.locale == "bg"
    refused("bad-locale", services.copy_default_template, facilitator, "de")
    assert services.template_for(facilitator, template.id) == template
    for who, process_id in (
        (other_facilitator, template.id),
        (facilitator, workshop.process_id),
        (facilitator, 10_000),
    ):
        with pytest.raises(NotFound):
            services.template_for(who, process_id)
