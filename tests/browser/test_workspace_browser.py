"""Two teammates in one group, in two browsers: live updates, conflicts, and a network cut."""

import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, wait_for_live_stream


@pytest.fixture
def scene(server_app):
    """A planned workshop (the demo) with its first stage open, as the facilitator would leave it."""
    from facilitator import demo
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.stages.models import StageState

    with server_app.app_context():
        _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
        group = Group(workshop_id=workshop.id, name=f"Група {time.monotonic_ns()}", colour="red", position=99)
        db.session.add(group)
        for stage in workshop.process.stages:
            stage.state = StageState.LOCKED.value
        workshop.process.stages[0].state = StageState.OPEN.value
        db.session.commit()
        fields = {f.key: f.id for f in workshop.process.stages[0].fields}
        return {"code": workshop.join_code, "group": group.name, "fields": fields}


def join(page, scene, name):
    page.goto(f"/j/{scene['code']}")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your group").select_option(label=scene["group"])
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scene["group"])
    wait_for_live_stream(page)  # before anyone types


def test_a_teammates_text_arrives_without_moving_my_caret(new_page, scene):
    ana, boris = new_page(), new_page()
    join(ana, scene, "Ана")
    join(boris, scene, "Борис")
    check_accessibility(boris)

    # Boris is in the middle of the description, caret after "Нова".
    description = boris.locator(f"#answer-{scene['fields']['description']}")
    description.fill("Нова услуга")
    expect(boris.locator(f"#answer-{scene['fields']['description']}-status")).to_contain_text("Saved")
    description.focus()
    boris.evaluate(f"document.getElementById('answer-{scene['fields']['description']}').setSelectionRange(4, 4)")

    name_field = f"#answer-{scene['fields']['service_name']}"
    ana.locator(name_field).fill("Аудио приказки за деца")
    ana.locator(name_field).press("Tab")
    expect(ana.locator(f"#answer-{scene['fields']['service_name']}-status")).to_contain_text("Saved")
    # It arrives live, without a reload (how fast: bench/live_groups.py).
    expect(boris.locator(name_field)).to_have_value("Аудио приказки за деца")
    # Boris's own focus and caret did not move.
    assert boris.evaluate("document.activeElement.id") == f"answer-{scene['fields']['description']}"
    assert boris.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == [4, 4]
    assert description.input_value() == "Нова услуга"
    # And presence: Boris sees who is in the group.
    expect(boris.locator(".members")).to_contain_text("Ана")


def test_editing_the_same_field_from_the_same_version_shows_both_texts(new_page, scene):
    ana, boris = new_page(expected_statuses=(409,)), new_page(expected_statuses=(409,))
    join(ana, scene, "Ана")
    join(boris, scene, "Борис")
    field = f"#answer-{scene['fields']['description']}"
    boris.locator(field).fill("Текстът на Борис")
    ana.locator(field).fill("Текстът на Ана")
    ana.locator(field).press("Tab")  # Ana's save goes first
    conflict = boris.locator(".conflict")
    expect(conflict).to_be_visible(timeout=5000)
    expect(conflict.locator(".conflict__mine")).to_have_text("Текстът на Борис")
    expect(conflict.locator(".conflict__theirs")).to_have_text("Текстът на Ана")
    check_accessibility(boris)
    # Boris merges: both texts survive in the answer.
    boris.get_by_role("button", name="Merge both").click()
    boris.get_by_role("button", name="Save merged text").click()
    expect(boris.locator(f"{field}-status")).to_contain_text("Saved")
    expect(ana.locator(field)).to_have_value(re.compile(r"Текстът на Ана\s+Текстът на Борис"), timeout=2000)
    # Nothing was lost: the history keeps Ana's version too.
    ana.locator(f"#field-{scene['fields']['description']} summary").click()
    expect(ana.locator(f"#field-{scene['fields']['description']} .history-list")).to_contain_text("Version 1")


def test_text_typed_while_offline_is_saved_when_the_network_returns(new_page, scene):
    ana = new_page()
    join(ana, scene, "Ана")
    field = ana.locator(f"#answer-{scene['fields']['description']}")
    status = ana.locator(f"#answer-{scene['fields']['description']}-status")
    ana.context.set_offline(True)
    field.fill("Написано без мрежа")
    field.press("Tab")
    expect(status).to_contain_text("Offline: will retry")
    expect(field).to_have_value("Написано без мрежа")
    ana.context.set_offline(False)
    expect(status).to_contain_text("Saved", timeout=10_000)
    ana.reload()
    expect(ana.locator(f"#answer-{scene['fields']['description']}")).to_have_value("Написано без мрежа")


def test_a_reload_before_the_save_keeps_what_was_typed(new_page, scene):
    ana = new_page()
    join(ana, scene, "Ана")
    field = f"#answer-{scene['fields']['service_name']}"
    ana.locator(field).press_sequentially("Бързо")
    ana.reload()  # before the 600 ms pause has passed
    expect(ana.locator(field)).to_have_value("Бързо")
    expect(ana.locator(f"{field}-status")).to_contain_text("Saved", timeout=5000)
