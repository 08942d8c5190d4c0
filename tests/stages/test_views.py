"""The template library, the process editor and a workshop's Process tab, through the test client."""

import re

import pytest

from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.stages import services
from facilitator.stages.models import Process, StageField
from facilitator.workshops.models import WorkshopStatus

from .conftest import HX, reload


def text(response):
    return response.get_data(as_text=True)


def stage_url(template, stage, action=""):
    return f"/templates/{template.id}/stages/{stage.id}{action}"


def field_url(template, field, action=""):
    return f"/templates/{template.id}/stages/{field.stage_id}/fields/{field.id}{action}"


def titles(process):
    db.session.expire_all()
    return [stage.title for stage in db.session.get(Process, process.id).stages]


def count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


# --- Library ----------------------------------------------------------------------------------------


def test_library_needs_sign_in(client):
    response = client.get("/templates")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_library_offers_built_in_in_three_languages_and_own_templates(
    client, as_facilitator, template, others_template
):
    others_template.name = "Борис's secret template"
    template.name = "Ana's library day"
    db.session.commit()
    body = text(client.get("/templates"))
    assert "Service design in 8 stages" in body
    assert "Choice of the service and its name" in body
    for value, name in (("pl", "Polski"), ("bg", "Български"), ("en", "English")):
        assert re.search(rf'<option[^>]*value="{value}"[^>]*>{name}</option>', body)
    assert '<label for="builtin-locale">Language of the template</label>' in body
    assert ">Copy</button>" in body
    assert "Ana&#39;s library day" in body
    assert "secret template" not in body
    assert f'href="/templates/{template.id}"' in body


@pytest.mark.parametrize(
    "locale, first_title",
    [
        ("pl", "Wybór usługi i jej nazwa"),
        ("bg", "Избор на услугата и наименование"),
        ("en", "Choice of the service and its name"),
    ],
)
def test_copy_default_template_opens_its_editor(client, as_facilitator, facilitator, send, locale, first_title):
    response = send("/templates/copy-default", {"builtin-locale": locale})
    assert response.status_code == 302
    process = services.templates_of(facilitator)[0]
    assert response.headers["Location"] == f"/templates/{process.id}"
    assert process.is_template and process.owner_id == facilitator.id and process.locale == locale
    assert len(process.stages) == 8
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    body = text(page)
    assert first_title in body and "copied" in body
    assert f'id="stage-card-{process.stages[0].id}"' in body


def test_copy_default_refuses_an_unknown_language(client, as_facilitator, facilitator, send):
    response = send("/templates/copy-default", {"builtin-locale": "de"})
    assert response.status_code == 422
    assert "Choose one of the listed languages." in text(response)
    assert services.templates_of(facilitator) == []


def test_copy_default_without_csrf_is_refused(client, as_facilitator, facilitator):
    client.get("/templates")
    response = client.post("/templates/copy-default", data={"builtin-locale": "bg"})
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in text(response)
    assert services.templates_of(facilitator) == []


def test_copy_own_template(client, as_facilitator, facilitator, template, send):
    response = send(f"/templates/{template.id}/copy")
    assert response.status_code == 302
    copy = services.templates_of(facilitator)[0]
    assert copy.id != template.id and copy.name == "Service design in 8 stages (copy)"
    assert response.headers["Location"] == f"/templates/{copy.id}"
    assert [s.title for s in copy.stages] == [s.title for s in template.stages]


def test_copying_a_template_without_stages_is_refused(client, as_facilitator, facilitator, send):
    empty = Process(owner_id=facilitator.id, is_template=True, name="Empty", locale="en")
    db.session.add(empty)
    db.session.commit()
    response = send(f"/templates/{empty.id}/copy")
    assert response.status_code == 422
    assert "This template has no stages, so it cannot be used." in text(response)
    assert count(Process) == 1


def test_delete_template_asks_first_and_leaves_workshops_alone(
    client, as_facilitator, facilitator, template, create_workshop, send
):
    workshop = create_workshop(template=template, locale="en")
    confirm = client.get(f"/templates/{template.id}/delete")
    assert confirm.status_code == 200
    assert "Delete template “Service design in 8 stages”?" in text(confirm)
    assert ">Yes, delete template</button>" in text(confirm)
    response = send(f"/templates/{template.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/templates"
    assert services.templates_of(facilitator) == []
    db.session.expire_all()
    assert len(workshop.process.stages) == 8
    assert "deleted" in text(client.get("/templates"))


def test_delete_template_is_post_only_with_csrf(client, as_facilitator, template):
    response = client.post(f"/templates/{template.id}/delete")
    assert response.status_code == 400
    assert db.session.get(Process, template.id) is not None


def test_other_facilitators_templates_are_404(client, as_facilitator, others_template, send, workshop):
    stage = others_template.stages[0]
    field = stage.fields[0]
    assert client.get(f"/templates/{others_template.id}").status_code == 404
    assert client.get(f"/templates/{others_template.id}/delete").status_code == 404
    assert client.get(stage_url(others_template, stage)).status_code == 404
    assert send(f"/templates/{others_template.id}/copy").status_code == 404
    assert send(f"/templates/{others_template.id}/delete").status_code == 404
    assert send(f"/templates/{others_template.id}/name", {"rename-name": "Mine now"}).status_code == 404
    assert send(stage_url(others_template, stage), {f"stage-{stage.id}-title": "x"}, htmx=True).status_code == 404
    assert send(stage_url(others_template, stage, "/move"), {"direction": "down"}).status_code == 404
    assert send(stage_url(others_template, stage, "/remove")).status_code == 404
    assert send(field_url(others_template, field, "/remove")).status_code == 404
    # A workshop's snapshot is not a template, even for its own facilitator.
    assert client.get(f"/templates/{workshop.process_id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Process, others_template.id).name == "Service design in 8 stages"
    assert len(db.session.get(Process, others_template.id).stages) == 8


def test_ids_of_another_template_inside_my_url_are_404(client, as_facilitator, facilitator, template, send):
    mine_too = services.copy_default_template(facilitator, "pl")
    foreign_stage = mine_too.stages[0]
    foreign_field = mine_too.stages[1].fields[0]
    my_stage = template.stages[0]
    assert client.get(stage_url(template, foreign_stage)).status_code == 404
    assert send(stage_url(template, foreign_stage), {f"stage-{foreign_stage.id}-title": "x"}).status_code == 404
    # A field of another stage of the same template is not this stage's field either.
    other_stage_field = template.stages[1].fields[0]
    url = f"/templates/{template.id}/stages/{my_stage.id}/fields/{other_stage_field.id}/remove"
    assert send(url).status_code == 404
    url = f"/templates/{template.id}/stages/{my_stage.id}/fields/{foreign_field.id}/move"
    assert send(url, {"direction": "up"}).status_code == 404
    assert titles(mine_too)[0] == "Wybór usługi i jej nazwa"


# --- Editor: page, rename ---------------------------------------------------------------------------


def test_editor_page_shows_stages_fields_and_controls(client, as_facilitator, template):
    body = text(client.get(f"/templates/{template.id}"))
    first, second = template.stages[0], template.stages[1]
    assert "<h1>Edit template</h1>" in body
    assert 'id="stage-list"' in body and 'id="process-name"' in body and 'id="process-status"' in body
    assert body.count('class="stage-card"') == 8
    assert "Stage 1: Choice of the service and its name" in body
    assert f'aria-label="Move stage “{second.title}” up"' in body
    assert f'id="stage-{first.id}-up"' in body and 'aria-disabled="true"' in body
    assert f'aria-label="Remove stage “{first.title}”"' in body
    assert "Field 1: Service category" in body and "(Choice)" in body
    # Choices are one per line, in the language of the template.
    assert re.search(r'<textarea[^>]*id="field-\d+-choices"[^>]*>\s*E-health\nE-employment', body)
    # Kind names are translated; every kind is offered.
    for kind in ("Short text", "Long text", "Choice", "Number", "Money", "List of items"):
        assert f">{kind}</option>" in body
    assert 'lang="en"' in body
    assert "css/stages.css" in body and "js/stages.js" in body
    assert 'style="' not in body and "onclick" not in body


def test_editor_page_in_polish_ui(client, as_facilitator, template):
    client.post(
        "/language",
        data={
            "lang": "pl",
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get("/templates"))).group(1),
        },
    )
    body = text(client.get(f"/templates/{template.id}"))
    assert '<html lang="pl">' in body
    # Content stays in the template's own language whatever the screen language.
    assert "Choice of the service and its name" in body


def test_rename_template_full_page_and_htmx(client, as_facilitator, template, send):
    response = send(f"/templates/{template.id}/name", {"rename-name": "Library services 2024"})
    assert response.status_code == 302 and response.headers["Location"] == f"/templates/{template.id}"
    assert reload(template).name == "Library services 2024"
    response = send(f"/templates/{template.id}/name", {"rename-name": "  Kyustendil  "}, htmx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="process-name"') and "<html" not in body
    assert 'hx-swap-oob="innerHTML:#process-status"' in body and "Name saved." in body
    assert reload(template).name == "Kyustendil"


@pytest.mark.parametrize(
    "name, message", [("   ", "Please fill in this field."), ("N" * 201, "This is too long: at most 200 characters.")]
)
def test_rename_bad_input_keeps_typing(client, as_facilitator, template, send, name, message):
    response = send(f"/templates/{template.id}/name", {"rename-name": name}, htmx=True)
    body = text(response)
    assert response.status_code == 422
    assert message in body and 'aria-invalid="true"' in body and 'id="rename-name-error"' in body
    if name.strip():
        assert f'value="{name}"' in body
    assert reload(template).name == "Service design in 8 stages"


def test_rename_bad_input_without_htmx_renders_whole_page(client, as_facilitator, template, send):
    response = send(f"/templates/{template.id}/name", {"rename-name": ""})
    assert response.status_code == 422
    assert "<h1>Edit template</h1>" in text(response) and "Please fill in this field." in text(response)


# --- Editor: stages ---------------------------------------------------------------------------------


def stage_data(stage, title=None, prompt=None, time_box=None):
    prefix = f"stage-{stage.id}-"
    return {
        prefix + "title": stage.title if title is None else title,
        prefix + "prompt": stage.prompt if prompt is None else prompt,
        prefix + "time_box": str(stage.time_box_minutes or "") if time_box is None else time_box,
    }


def test_update_stage_htmx_returns_its_card(client, as_facilitator, template, send):
    stage = template.stages[1]
    response = send(stage_url(template, stage), stage_data(stage, "Purpose", "Why?", "25"), htmx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<section id="stage-card-{stage.id}"') and "<html" not in body
    assert "Stage 2: Purpose" in body and "Stage “Purpose” saved." in body
    assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]
    stage = reload(stage)
    assert (stage.title, stage.prompt, stage.time_box_minutes) == ("Purpose", "Why?", 25)


def test_update_stage_without_htmx_redirects_to_the_card(client, as_facilitator, template, send):
    stage = template.stages[2]
    response = send(stage_url(template, stage), stage_data(stage, "Who it is for", time_box=""))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/templates/{template.id}#stage-card-{stage.id}"
    stage = reload(stage)
    assert stage.title == "Who it is for" and stage.time_box_minutes is None
    assert "Stage “Who it is for” saved." in text(client.get(f"/templates/{template.id}"))


@pytest.mark.parametrize(
    "title, time_box, message",
    [
        ("", "10", "Please fill in this field."),
        ("   ", "10", "Please fill in this field."),
        ("T" * 201, "10", "This is too long: at most 200 characters."),
        ("Goal", "-5", "Give the time box in whole minutes from 1 to 480, or leave it empty."),
        ("Goal", "0", "Give the time box in whole minutes from 1 to 480, or leave it empty."),
        ("Goal", "481", "Give the time box in whole minutes from 1 to 480, or leave it empty."),
        ("Goal", "99999999", "Give the time box in whole minutes from 1 to 480, or leave it empty."),
        ("Goal", "ten", "Give the time box in whole minutes from 1 to 480, or leave it empty."),
        ("Goal", "12.5", "Give the time box in whole minutes from 1 to 480, or leave it empty."),
    ],
)
def test_update_stage_bad_input_is_explained_and_kept(client, as_facilitator, template, send, title, time_box, message):
    stage = template.stages[1]
    response = send(stage_url(template, stage), stage_data(stage, title, "My new prompt", time_box), htmx=True)
    body = text(response)
    assert response.status_code == 422
    assert message in body and 'role="alert"' in body
    assert f'value="{time_box}"' in body and "My new prompt" in body
    stage = reload(stage)
    assert (stage.title, stage.time_box_minutes) == ("Goal", 10)
    assert stage.prompt != "My new prompt"


def test_update_stage_over_long_prompt(client, as_facilitator, template, send):
    stage = template.stages[1]
    response = send(stage_url(template, stage), stage_data(stage, prompt="p" * 4001), htmx=True)
    assert response.status_code == 422 and "at most 4000 characters" in text(response)


def test_update_stage_bad_input_without_htmx_shows_whole_page_with_typing(client, as_facilitator, template, send):
    stage = template.stages[1]
    response = send(stage_url(template, stage), stage_data(stage, "Still typing", time_box="500"))
    body = text(response)
    assert response.status_code == 422
    assert "<h1>Edit template</h1>" in body and 'value="Still typing"' in body and 'value="500"' in body


def test_update_stage_without_csrf_keeps_typing_and_saves_nothing(client, as_facilitator, template):
    stage = template.stages[1]
    client.get(f"/templates/{template.id}")
    response = client.post(stage_url(template, stage), data=stage_data(stage, "Unsaved title"), headers=HX)
    body = text(response)
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in body and 'value="Unsaved title"' in body
    assert reload(stage).title == "Goal"


def test_stage_card_fragment_and_page(client, as_facilitator, template):
    stage = template.stages[3]
    fragment = client.get(stage_url(template, stage), headers=HX)
    assert fragment.status_code == 200
    assert text(fragment).lstrip().startswith(f'<section id="stage-card-{stage.id}"')
    page = client.get(stage_url(template, stage))
    assert page.status_code == 200 and "<html" in text(page)


def test_add_stage(client, as_facilitator, template, send):
    response = send(f"/templates/{template.id}/stages", {"new-stage-title": "Evaluation"}, htmx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="stage-list"')
    assert "Stage 9: Evaluation" in body and "9 stages" in body and "Stage “Evaluation” added." in body
    stage = reload(template).stages[-1]
    assert stage.title == "Evaluation" and stage.position == 8 and stage.time_box_minutes is None
    assert [(f.label, f.kind, f.key) for f in stage.fields] == [("Evaluation", "long-text", "evaluation")]


def test_add_stage_without_htmx(client, as_facilitator, template, send):
    response = send(f"/templates/{template.id}/stages", {"new-stage-title": "Ewaluacja"})
    stage = reload(template).stages[-1]
    assert response.status_code == 302
    assert response.headers["Location"] == f"/templates/{template.id}#stage-card-{stage.id}"


@pytest.mark.parametrize(
    "title, message", [("", "Please fill in this field."), ("x" * 201, "This is too long: at most 200 characters.")]
)
def test_add_stage_bad_title(client, as_facilitator, template, send, title, message):
    response = send(f"/templates/{template.id}/stages", {"new-stage-title": title}, htmx=True)
    assert response.status_code == 422 and message in text(response)
    assert len(reload(template).stages) == 8


def test_move_stage_up_and_down(client, as_facilitator, template, send):
    goal = template.stages[1]
    response = send(stage_url(template, goal, "/move"), {"direction": "up"}, htmx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="stage-list"')
    assert "Stage “Goal” is now stage 1 of 8." in body
    assert titles(template)[:2] == ["Goal", "Choice of the service and its name"]
    response = send(stage_url(template, goal, "/move"), {"direction": "down"})
    assert response.status_code == 302
    assert titles(template)[:2] == ["Choice of the service and its name", "Goal"]
    assert [s.position for s in reload(template).stages] == list(range(8))


def test_move_stage_past_the_end_does_nothing(client, as_facilitator, template, send):
    first, last = template.stages[0], template.stages[-1]
    before = titles(template)
    assert "already the first stage" in text(send(stage_url(template, first, "/move"), {"direction": "up"}, True))
    assert "already the last stage" in text(send(stage_url(template, last, "/move"), {"direction": "down"}, True))
    assert titles(template) == before


def test_move_stage_needs_a_direction(client, as_facilitator, template, send):
    assert send(stage_url(template, template.stages[1], "/move"), {"direction": "sideways"}).status_code == 400


def test_move_stage_without_csrf_is_refused(client, as_facilitator, template):
    response = client.post(stage_url(template, template.stages[1], "/move"), data={"direction": "up"})
    assert response.status_code == 400 and "This form has expired" in text(response)
    assert titles(template)[1] == "Goal"


def test_remove_stage_asks_first(client, as_facilitator, template, send):
    stage = template.stages[2]
    confirm = client.get(stage_url(template, stage, "/remove"), headers=HX)
    body = text(confirm)
    assert confirm.status_code == 200
    assert body.lstrip().startswith(f'<section id="stage-card-{stage.id}"')
    assert "Remove stage “Target group” and its 2 fields?" in body and ">Yes, remove stage</button>" in body
    assert "autofocus" in body
    page = client.get(stage_url(template, stage, "/remove"))
    assert page.status_code == 200 and "<html" in text(page) and ">Yes, remove stage</button>" in text(page)
    assert len(reload(template).stages) == 8
    response = send(stage_url(template, stage, "/remove"), htmx=True)
    assert response.status_code == 200
    assert "Stage “Target group” removed." in text(response) and "7 stages" in text(response)
    assert "Target group" not in titles(template)
    assert [s.position for s in reload(template).stages] == list(range(7))


def test_removing_the_last_stage_is_refused(client, as_facilitator, template, send):
    for stage in list(template.stages[1:]):
        services.remove_stage(stage)
    only = reload(template).stages[0]
    confirm = text(client.get(stage_url(template, only, "/remove"), headers=HX))
    assert "This is the only stage." in confirm and ">Yes, remove stage</button>" not in confirm
    response = send(stage_url(template, only, "/remove"), htmx=True)
    assert response.status_code == 422
    assert "This is the only stage. A process needs at least one stage" in text(response)
    assert len(reload(template).stages) == 1


# --- Editor: fields ---------------------------------------------------------------------------------


def test_add_field_derives_a_unique_key(client, as_facilitator, template, send):
    stage = template.stages[1]
    url = stage_url(template, stage, "/fields")
    prefix = f"new-field-{stage.id}-"
    response = send(url, {prefix + "label": "Target group", prefix + "kind": "short-text"}, htmx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<section id="stage-card-{stage.id}"')
    assert "Field “Target group” added." in body and "Field 2: Target group" in body
    send(url, {prefix + "label": "Target group", prefix + "kind": "number"}, htmx=True)
    fields = reload(stage).fields
    # "target_group" is already the key of a field in stage 3, so new keys never collide.
    assert [(f.key, f.kind) for f in fields[1:]] == [("target_group_2", "short-text"), ("target_group_3", "number")]


def test_add_choice_field_with_choices(client, as_facilitator, template, send):
    stage = template.stages[1]
    prefix = f"new-field-{stage.id}-"
    response = send(
        stage_url(template, stage, "/fields"),
        {prefix + "label": "Priority", prefix + "kind": "choice", prefix + "choices": "High\n\nLow\n"},
    )
    assert response.status_code == 302
    field = reload(stage).fields[-1]
    assert field.choices == [{"value": "high", "label": "High"}, {"value": "low", "label": "Low"}]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"label": "Colour", "kind": "colour"}, "Choose one of the listed kinds of field."),
        ({"label": "Priority", "kind": "choice", "choices": "\n  \n"}, "A choice field needs at least one choice"),
        ({"label": "Priority", "kind": "choice", "choices": "High\nhigh"}, "Each choice must be different"),
        ({"label": "Priority", "kind": "choice", "choices": "x" * 201}, "A choice is too long: at most 200"),
        ({"label": "", "kind": "short-text"}, "Please fill in this field."),
        ({"label": "L" * 201, "kind": "short-text"}, "This is too long: at most 200 characters."),
    ],
)
def test_add_field_bad_input(client, as_facilitator, template, send, data, message):
    stage = template.stages[1]
    prefix = f"new-field-{stage.id}-"
    response = send(stage_url(template, stage, "/fields"), {prefix + k: v for k, v in data.items()}, htmx=True)
    body = text(response)
    assert response.status_code == 422 and message in body
    if data["label"] and len(data["label"]) < 200:
        assert f'value="{data["label"]}"' in body
    assert len(reload(stage).fields) == 1


def field_data(field, **changes):
    values = {
        "label": field.label,
        "kind": field.kind,
        "help": field.help,
        "choices": "\n".join(c["label"] for c in field.choices or []),
    }
    values.update(changes)
    return {f"field-{field.id}-{key}": value for key, value in values.items()}


def test_update_field_returns_its_row(client, as_facilitator, template, send):
    field = template.stages[1].fields[0]
    response = send(
        field_url(template, field), field_data(field, label="Aim", kind="short-text", help="One line"), htmx=True
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="stage-field-{field.id}"')
    assert "Field 1: Aim" in body and "Field “Aim” saved." in body
    field = reload(field)
    assert (field.label, field.kind, field.help, field.key) == ("Aim", "short-text", "One line", "goal")


def test_update_field_without_htmx_redirects(client, as_facilitator, template, send):
    field = template.stages[1].fields[0]
    response = send(field_url(template, field), field_data(field, kind="money"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/templates/{template.id}#stage-field-{field.id}"
    assert reload(field).kind == "money"


def test_editing_choices_keeps_the_values_of_unchanged_labels(client, as_facilitator, template, send):
    field = template.stages[0].fields[0]
    response = send(field_url(template, field), field_data(field, choices="E-health\nE-culture\nE-tourism"), htmx=True)
    assert response.status_code == 200
    assert reload(field).choices == [
        {"value": "e-health", "label": "E-health"},
        {"value": "e-culture", "label": "E-culture"},
        {"value": "e-tourism", "label": "E-tourism"},
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "choice", "choices": ""}, "A choice field needs at least one choice"),
        ({"kind": "table"}, "Choose one of the listed kinds of field."),
        ({"label": " "}, "Please fill in this field."),
        ({"label": "L" * 201}, "This is too long: at most 200 characters."),
        ({"help": "h" * 1001}, "This is too long: at most 1000 characters."),
    ],
)
def test_update_field_bad_input_is_explained_and_kept(client, as_facilitator, template, send, changes, message):
    field = template.stages[1].fields[0]
    data = field_data(field, **{"help": "Typed help", **changes})
    response = send(field_url(template, field), data, htmx=True)
    body = text(response)
    assert response.status_code == 422
    assert message in body and 'role="alert"' in body
    assert body.lstrip().startswith(f'<li id="stage-field-{field.id}"')
    if "help" not in changes:
        assert "Typed help" in body
    field = reload(field)
    assert (field.label, field.kind, field.help) == ("Goal of the service", "long-text", "")


def test_choice_box_is_visible_after_choosing_choice_kind_without_choices(client, as_facilitator, template, send):
    field = template.stages[1].fields[0]
    body = text(send(field_url(template, field), field_data(field, kind="choice"), htmx=True))
    assert f'id="field-{field.id}-choices-box" hidden' not in body
    assert f'id="field-{field.id}-choices-box"' in body


def test_move_field(client, as_facilitator, template, send):
    stage = template.stages[7]
    social, economic = stage.fields[0], stage.fields[1]
    response = send(field_url(template, economic, "/move"), {"direction": "up"}, htmx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<section id="stage-card-{stage.id}"')
    assert "Field “Economic effect” is now field 1 of 3." in body
    assert [f.id for f in reload(stage).fields][:2] == [economic.id, social.id]
    assert "already the first field" in text(send(field_url(template, economic, "/move"), {"direction": "up"}, True))
    assert send(field_url(template, economic, "/move"), {"direction": "left"}).status_code == 400


def test_remove_field_and_refuse_the_last_one(client, as_facilitator, template, send):
    stage = template.stages[2]
    target_group, needs = stage.fields
    response = send(field_url(template, needs, "/remove"), htmx=True)
    assert response.status_code == 200
    assert "Field “Their needs” removed." in text(response)
    assert [f.label for f in reload(stage).fields] == ["Target group"]
    response = send(field_url(template, target_group, "/remove"), htmx=True)
    assert response.status_code == 422
    assert "This is the stage's only field." in text(response).replace("&#39;", "'")
    assert len(reload(stage).fields) == 1


def test_remove_field_without_htmx(client, as_facilitator, template, send):
    stage = template.stages[2]
    response = send(field_url(template, stage.fields[1], "/remove"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/templates/{template.id}#stage-card-{stage.id}"


# --- Stale forms --------------------------------------------------------------------------------------


def test_saving_a_stage_someone_removed_meanwhile(client, as_facilitator, template, send):
    stage = template.stages[3]
    data = stage_data(stage, "Partners and friends")
    stage_id = stage.id
    services.remove_stage(stage)
    response = send(f"/templates/{template.id}/stages/{stage_id}", data, htmx=True)
    assert response.status_code == 409
    assert text(response).lstrip().startswith(f'<section id="stage-card-{stage_id}"')
    assert "This stage was removed meanwhile" in text(response)
    page = send(f"/templates/{template.id}/stages/{stage_id}", data)
    assert page.status_code == 409 and "<html" in text(page) and "This stage was removed meanwhile" in text(page)
    assert "Partners and friends" not in titles(template)


def test_stage_list_actions_on_a_removed_stage(client, as_facilitator, template, send):
    stage = template.stages[3]
    stage_id = stage.id
    services.remove_stage(stage)
    for action, data in (("/move", {"direction": "up"}), ("/remove", {})):
        response = send(f"/templates/{template.id}/stages/{stage_id}{action}", data, htmx=True)
        assert response.status_code == 409
        assert text(response).lstrip().startswith('<div id="stage-list"')
        assert "That stage was removed meanwhile" in text(response)
    assert client.get(f"/templates/{template.id}/stages/{stage_id}/remove", headers=HX).status_code == 409


def test_field_actions_on_a_removed_field(client, as_facilitator, template, send):
    stage = template.stages[7]
    field = stage.fields[2]
    data, field_id = field_data(field, label="Changed"), field.id
    services.remove_field(field)
    base = f"/templates/{template.id}/stages/{stage.id}/fields/{field_id}"
    saved = send(base, data, htmx=True)
    assert saved.status_code == 409
    assert text(saved).lstrip().startswith(f'<li id="stage-field-{field_id}"')
    assert "This field was removed meanwhile" in text(saved)
    for action, values in (("/move", {"direction": "up"}), ("/remove", {})):
        response = send(base + action, values, htmx=True)
        assert response.status_code == 409
        assert text(response).lstrip().startswith(f'<section id="stage-card-{stage.id}"')
        assert "This field was removed meanwhile" in text(response)
    assert send(base, data).status_code == 409
    assert [f.label for f in reload(stage).fields] == ["Social effect", "Economic effect"]


def test_adding_a_field_to_a_removed_stage(client, as_facilitator, template, send):
    stage = template.stages[3]
    stage_id = stage.id
    services.remove_stage(stage)
    response = send(
        f"/templates/{template.id}/stages/{stage_id}/fields",
        {f"new-field-{stage_id}-label": "Late", f"new-field-{stage_id}-kind": "short-text"},
        htmx=True,
    )
    assert response.status_code == 409 and "This stage was removed meanwhile" in text(response)
    assert count(StageField) == sum(len(s.fields) for s in reload(template).stages)


# --- Snapshots on the workshop's Process tab -----------------------------------------------------------


def test_workshop_process_tab_edits_the_draft_snapshot(client, as_facilitator, workshop, send):
    page = client.get(f"/workshops/{workshop.id}/process")
    body = text(page)
    assert page.status_code == 200
    assert re.search(rf'href="/workshops/{workshop.id}/process"\s+aria-current="page"', body)
    assert "Избор на услугата и наименование" in body and ">Save stage</button>" in body
    assert "Replace with a template" in body
    stage = workshop.process.stages[1]
    url = f"/workshops/{workshop.id}/process/stages/{stage.id}"
    response = send(url, stage_data(stage, "Цел на услугата", time_box="20"), htmx=True)
    assert response.status_code == 200
    assert f'hx-post="/workshops/{workshop.id}/process/stages/{stage.id}"' in text(response)
    assert reload(stage).title == "Цел на услугата"
    response = send(url, stage_data(stage, "Цел"))
    assert response.headers["Location"] == f"/workshops/{workshop.id}/process#stage-card-{stage.id}"


def test_workshop_snapshot_editor_routes(client, as_facilitator, workshop, send):
    process = workshop.process
    base = f"/workshops/{workshop.id}/process"
    assert send(base + "/name", {"rename-name": "Наш процес"}, htmx=True).status_code == 200
    assert send(base + "/stages", {"new-stage-title": "Оценка"}, htmx=True).status_code == 200
    stage = reload(process).stages[-1]
    assert client.get(f"{base}/stages/{stage.id}", headers=HX).status_code == 200
    assert client.get(f"{base}/stages/{stage.id}/remove", headers=HX).status_code == 200
    prefix = f"new-field-{stage.id}-"
    assert (
        send(
            f"{base}/stages/{stage.id}/fields", {prefix + "label": "Бюджет", prefix + "kind": "money"}, htmx=True
        ).status_code
        == 200
    )
    field = reload(stage).fields[-1]
    assert field.key == "byudzhet"
    assert (
        send(f"{base}/stages/{stage.id}/fields/{field.id}", field_data(field, label="Сума"), htmx=True).status_code
        == 200
    )
    assert send(f"{base}/stages/{stage.id}/fields/{field.id}/move", {"direction": "up"}, htmx=True).status_code == 200
    assert send(f"{base}/stages/{stage.id}/fields/{field.id}/remove", htmx=True).status_code == 200
    assert send(f"{base}/stages/{stage.id}/move", {"direction": "up"}, htmx=True).status_code == 200
    assert send(f"{base}/stages/{stage.id}/remove", htmx=True).status_code == 200
    process = reload(process)
    assert process.name == "Наш процес" and len(process.stages) == 8


def test_snapshot_and_template_stay_independent_through_the_ui(
    client, as_facilitator, facilitator, template, create_workshop, send
):
    workshop = create_workshop(template=template, locale="en")
    snapshot = workshop.process
    goal = template.stages[1]
    send(stage_url(template, goal), stage_data(goal, "Purpose (renamed later)"), htmx=True)
    send(stage_url(template, template.stages[7], "/remove"), htmx=True)
    send(field_url(template, goal.fields[0]), field_data(goal.fields[0], label="Changed label"), htmx=True)
    assert titles(template)[1] == "Purpose (renamed later)" and len(titles(template)) == 7
    assert titles(snapshot)[1] == "Goal" and len(titles(snapshot)) == 8
    assert reload(snapshot).stages[1].fields[0].label == "Goal of the service"
    page = text(client.get(f"/workshops/{workshop.id}/process"))
    assert "Stage 2: Goal" in page and "Purpose (renamed later)" not in page
    # And the other way round: editing the workshop's copy leaves the template alone.
    snap_stage = reload(snapshot).stages[0]
    send(f"/workshops/{workshop.id}/process/stages/{snap_stage.id}", stage_data(snap_stage, "Our service"), True)
    assert titles(snapshot)[0] == "Our service"
    assert titles(template)[0] == "Choice of the service and its name"


@pytest.mark.parametrize("status", [WorkshopStatus.LIVE.value, WorkshopStatus.FINISHED.value])
def test_live_or_finished_snapshot_is_read_only(client, as_facilitator, workshop, send, status):
    workshop.status = status
    db.session.commit()
    stage = workshop.process.stages[1]
    page = text(client.get(f"/workshops/{workshop.id}/process"))
    assert "its process can no longer be changed" in page
    assert "Цел" in page and "Time box: 10 minutes" in page and "Е-здраве" in page
    assert "<form" not in page.split('id="stage-list"')[1].split("</main>")[0]
    assert "Replace with a template" not in page
    url = f"/workshops/{workshop.id}/process/stages/{stage.id}"
    full = send(url, stage_data(stage, "Changed while live"))
    assert full.status_code == 409 and "no longer a draft" in text(full)
    htmx = send(url, stage_data(stage, "Changed while live"), htmx=True)
    assert htmx.status_code == 409 and htmx.headers["HX-Refresh"] == "true"
    for action, data in (("/move", {"direction": "up"}), ("/remove", {})):
        assert send(url + action, data, htmx=True).status_code == 409
    assert send(f"/workshops/{workshop.id}/process/stages", {"new-stage-title": "x"}).status_code == 409
    assert client.get(url + "/remove").status_code == 409
    assert reload(stage).title == "Цел" and len(reload(workshop.process).stages) == 8
    assert (
        send(
            f"/workshops/{workshop.id}/process/replace", {"replace-source": "default:en", "replace-confirm": "y"}
        ).status_code
        == 422
    )
    assert titles(workshop.process)[0] == "Избор на услугата и наименование"


def test_other_facilitators_workshop_process_is_404(client, workshop, sign_in_as_other, send):
    sign_in_as_other()
    stage = workshop.process.stages[0]
    base = f"/workshops/{workshop.id}/process"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/stages/{stage.id}", headers=HX).status_code == 404
    assert send(f"{base}/stages/{stage.id}", stage_data(stage, "Mine")).status_code == 404
    assert send(f"{base}/name", {"rename-name": "Mine"}).status_code == 404
    assert send(f"{base}/replace", {"replace-source": "default:en", "replace-confirm": "y"}).status_code == 404
    assert titles(workshop.process)[0] == "Избор на услугата и наименование"


def test_stage_of_a_template_inside_a_workshop_url_is_404(client, as_facilitator, workshop, template, send):
    stage = template.stages[0]
    url = f"/workshops/{workshop.id}/process/stages/{stage.id}"
    assert send(url, stage_data(stage, "Sneaky")).status_code == 404
    assert titles(template)[0] == "Choice of the service and its name"


# --- Replace with a template ----------------------------------------------------------------------------


def replace(send, workshop, source, confirm=True):
    data = {"replace-source": source}
    if confirm:
        data["replace-confirm"] = "y"
    return send(f"/workshops/{workshop.id}/process/replace", data)


def test_replace_offers_built_in_languages_and_own_templates(
    client, as_facilitator, workshop, template, others_template
):
    body = text(client.get(f"/workshops/{workshop.id}/process"))
    assert '<option selected value="default:bg">' in body
    assert 'value="default:pl"' in body and 'value="default:en"' in body
    assert f'value="template:{template.id}"' in body
    assert f'value="template:{others_template.id}"' not in body


def test_replace_with_built_in_in_another_language(client, as_facilitator, workshop, send):
    old_id = workshop.process_id
    response = replace(send, workshop, "default:pl")
    assert response.status_code == 302 and response.headers["Location"] == f"/workshops/{workshop.id}/process"
    db.session.expire_all()
    assert workshop.process_id != old_id and db.session.get(Process, old_id) is None
    assert workshop.process.locale == "pl" and not workshop.process.is_template
    assert workshop.process.owner_id is None
    assert titles(workshop.process)[0] == "Wybór usługi i jej nazwa"
    assert "now has a fresh copy" in text(client.get(f"/workshops/{workshop.id}/process"))


def test_replace_with_own_template_makes_a_copy_not_a_link(client, as_facilitator, workshop, template, send):
    goal = template.stages[1]
    send(stage_url(template, goal), stage_data(goal, "Our goal"), htmx=True)
    assert replace(send, workshop, f"template:{template.id}").status_code == 302
    db.session.expire_all()
    snapshot = workshop.process
    assert snapshot.id != template.id and not snapshot.is_template
    assert titles(snapshot)[1] == "Our goal"
    send(stage_url(template, goal), stage_data(reload(goal), "Changed afterwards"), htmx=True)
    assert titles(snapshot)[1] == "Our goal"


def test_replace_needs_confirmation_and_a_listed_template(client, as_facilitator, workshop, others_template, send):
    response = replace(send, workshop, "default:en", confirm=False)
    assert response.status_code == 422 and "Tick this box to confirm the replacement." in text(response)
    response = replace(send, workshop, f"template:{others_template.id}")
    assert response.status_code == 422 and "Choose a template from the list." in text(response)
    assert titles(workshop.process)[0] == "Избор на услугата и наименование"


def test_replace_refused_once_groups_answered(client, as_facilitator, workshop, send):
    group = Group(workshop_id=workshop.id, name="Група 1")
    db.session.add(group)
    db.session.flush()
    db.session.add(Answer(group_id=group.id, field_id=workshop.process.stages[0].fields[1].id, value="Е-читалня"))
    db.session.commit()
    page = text(client.get(f"/workshops/{workshop.id}/process"))
    assert "Groups have already written answers" in page and "Replace the process" not in page
    response = replace(send, workshop, "default:en")
    assert response.status_code == 422
    assert "so it cannot be replaced" in text(response)
    assert titles(workshop.process)[0] == "Избор на услугата и наименование"
    assert count(Answer) == 1


def test_replace_with_a_template_without_stages_is_refused(client, as_facilitator, facilitator, workshop, send):
    empty = Process(owner_id=facilitator.id, is_template=True, name="Empty", locale="en")
    db.session.add(empty)
    db.session.commit()
    response = replace(send, workshop, f"template:{empty.id}")
    assert response.status_code == 422
    assert "This template has no stages, so it cannot be used." in text(response)
    assert len(titles(workshop.process)) == 8


def test_replace_without_csrf_keeps_the_choice(client, as_facilitator, workshop):
    client.get(f"/workshops/{workshop.id}/process")
    response = client.post(
        f"/workshops/{workshop.id}/process/replace", data={"replace-source": "default:pl", "replace-confirm": "y"}
    )
    assert response.status_code == 400
    assert "This form had expired" in text(response)
    assert '<option selected value="default:pl">' in text(response)
    assert titles(workshop.process)[0] == "Избор на услугата и наименование"


def test_workshop_without_a_process_can_choose_one(client, as_facilitator, workshop, send):
    old = workshop.process
    workshop.process = None
    db.session.delete(old)
    db.session.commit()
    page = client.get(f"/workshops/{workshop.id}/process")
    assert page.status_code == 200 and "has no process yet" in text(page)
    assert client.get(f"/workshops/{workshop.id}/process/stages/1", headers=HX).status_code == 404
    assert replace(send, workshop, "default:en").status_code == 302
    assert len(titles(reload(workshop).process)) == 8
