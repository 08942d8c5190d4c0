"""The presenter view in a real browser, driven by the keyboard alone; and the published report."""

import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, wait_for_live_stream

FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}


@pytest.fixture
def scene(server_app):
    """The demo workshop with its first stage open, and the ids the tests need."""
    from facilitator import demo
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.stages.models import StageState

    with server_app.app_context():
        _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
        for stage in workshop.process.stages:
            stage.state = StageState.LOCKED.value
        workshop.process.stages[0].state = StageState.OPEN.value
        db.session.commit()
        groups = {
            g.name: g.id
            for g in db.session.scalars(db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None))
        }
        fields = {f.key: f.id for f in workshop.process.stages[0].fields}
        return {"workshop": workshop.id, "code": workshop.join_code, "groups": groups, "fields": fields}


def sign_in(page):
    page.goto("/signin")
    page.get_by_label("Email").fill("demo@example.org")
    page.get_by_label("Password").fill("demo-workshop")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard"))


def open_presenter(new_page, scene, viewport, query=""):
    page = new_page()
    page.set_viewport_size(viewport)
    sign_in(page)
    page.goto(f"/workshops/{scene['workshop']}/present{query}")
    wait_for_live_stream(page)  # before anything happens
    return page


def assert_no_horizontal_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


def at(page, position):
    expect(page.locator("#slide")).to_have_attribute("data-position", position)


def test_the_presenter_is_driven_by_keyboard_alone(new_page, scene):
    page = open_presenter(new_page, scene, FULL_HD)
    first, second = scene["groups"]["Група 1"], scene["groups"]["Група 2"]
    heading = page.locator("#slide h1")

    at(page, "all:1")
    expect(page.locator(".slide-table")).to_contain_text("Обучение на млади овощари")
    assert_no_horizontal_scroll(page)
    check_accessibility(page)

    page.keyboard.press("ArrowRight")
    at(page, "all:2")
    expect(page.locator("#slide svg.chart--category")).to_be_visible()
    check_accessibility(page)
    page.keyboard.press("PageDown")
    at(page, "all:3")
    page.keyboard.press(" ")
    at(page, f"{first}:1")
    expect(heading).to_have_text("Група 1")
    expect(page).to_have_url(re.compile(rf"group={first}&slide=1$"))
    expect(page.locator("#slide-announcer")).to_have_text(re.compile(r"1 .* 9: Група 1$"))
    check_accessibility(page)

    page.keyboard.press("ArrowRight")
    expect(heading).to_have_text("Избор на услугата и наименование")
    expect(page.locator("#slide")).to_contain_text("Предоставяне на информационно-образователни услуги")
    expect(page.locator("#slide-announcer")).to_have_text(re.compile("Избор на услугата и наименование$"))
    assert_no_horizontal_scroll(page)
    check_accessibility(page)
    page.keyboard.press("ArrowLeft")
    expect(heading).to_have_text("Група 1")
    page.keyboard.press("PageUp")
    at(page, "all:3")
    page.keyboard.press("ArrowRight")
    at(page, f"{first}:1")

    # G opens the group picker on the group shown; arrows move; Enter shows the group.
    page.keyboard.press("g")
    picker = page.locator("#group-picker")
    expect(picker).to_be_visible()
    expect(picker.get_by_role("link", name="Група 1", exact=True)).to_be_focused()
    check_accessibility(page)
    page.keyboard.press("ArrowDown")
    expect(picker.get_by_role("link", name="Група 2", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(picker).to_be_hidden()
    at(page, f"{second}:1")
    expect(heading).to_have_text("Група 2")
    expect(page).to_have_url(re.compile(rf"group={second}&slide=1$"))
    # Escape closes the picker and changes nothing.
    page.keyboard.press("G")
    expect(picker).to_be_visible()
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    at(page, f"{second}:1")

    # T shows and hides the shared countdown.
    timer = page.locator("#presenter-timer")
    expect(timer).to_be_hidden()
    page.keyboard.press("t")
    expect(timer).to_be_visible()
    expect(page.locator("#timer")).to_be_visible()
    check_accessibility(page)
    page.keyboard.press("t")
    expect(timer).to_be_hidden()

    # F asks for full screen (and again to leave it); the fixture fails the test on any JS error.
    page.keyboard.press("f")
    page.wait_for_function(
        "() => document.fullscreenElement !== null || document.getElementById('presenter-status')"
        ".textContent === document.getElementById('presenter-messages').dataset.noFullscreen"
    )
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")

    # The position is in the URL: a reload stays on the same slide.
    page.reload()
    at(page, f"{second}:1")
    expect(heading).to_have_text("Група 2")


def test_every_kind_of_slide_fits_a_720p_projector(new_page, scene):
    page = open_presenter(new_page, scene, HD)
    group = scene["groups"]["Група 4"]
    for query, selector in [
        ("", ".slide-table"),
        ("?slide=2", "svg.chart--category"),
        ("?slide=3", "svg.chart--target-group"),
        (f"?group={group}&slide=1", ".slide-facts"),
        (f"?group={group}&slide=3", ".slide-answers"),
    ]:
        page.goto(f"/workshops/{scene['workshop']}/present{query}")
        expect(page.locator(f"#slide {selector}")).to_be_visible()
        assert_no_horizontal_scroll(page)
        check_accessibility(page)
    expect(page.locator("#slide")).to_contain_text("Децата да слушат приказки")


def test_the_slide_follows_a_group_typing(new_page, scene):
    group = scene["groups"]["Група 4"]
    page = open_presenter(new_page, scene, HD, f"?group={group}&slide=2")
    expect(page.locator("#slide h1")).to_have_text("Избор на услугата и наименование")

    member = new_page()
    member.goto(f"/j/{scene['code']}")
    member.get_by_label("Your name").fill(f"Ива {time.monotonic_ns()}")
    member.get_by_label("Your group").select_option(label="Група 4")
    member.get_by_role("button", name="Join", exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Група 4")
    # The workspace's scripts and live stream are ready before anyone types.
    member.wait_for_load_state("load")
    wait_for_live_stream(member)
    text = f"Аудио приказки, записани от деца, {time.monotonic_ns()}"
    field = member.locator(f"#answer-{scene['fields']['description']}")
    field.fill(text)
    field.press("Tab")
    expect(member.locator(f"#answer-{scene['fields']['description']}-status")).to_contain_text("Saved")
    # The projector shows it without anyone touching the presenter's keyboard.
    expect(page.locator("#slide")).to_contain_text(text, timeout=5000)
    at(page, f"{group}:2")


def test_the_published_report_is_readable_by_anyone(new_page, scene, server_app):
    from facilitator.extensions import db
    from facilitator.report import services
    from facilitator.workshops.models import Workshop

    with server_app.app_context():
        workshop = db.session.get(Workshop, scene["workshop"])
        services.save_intro(workshop, "Над 40 читалищни секретари, библиотекари и доброволци.\n\n<b>Благодарим!</b>")
        token = services.publish_report(workshop)
    reader = new_page()
    for viewport in (HD, {"width": 360, "height": 740}):
        reader.set_viewport_size(viewport)
        reader.goto(f"/r/{token}")
        expect(reader.get_by_role("heading", level=1)).to_contain_text("Библиотеката и нейните партньори")
        expect(reader.locator(".report__intro")).to_contain_text("<b>Благодарим!</b>")
        expect(reader.locator("svg.chart--category")).to_be_visible()
        assert_no_horizontal_scroll(reader)
        check_accessibility(reader)


def test_the_presenters_shortcuts_are_listed_and_the_letters_can_be_turned_off(new_page, scene, server_app):
    """Down and up walk the groups; "?" lists every key; F, T, G and ? are buttons as well; the
    letters can be turned off (the arrows stay) and read on a Cyrillic layout. Axe-clean in
    Bulgarian (the demo's language) and English."""
    page = open_presenter(new_page, scene, HD)
    first, second = scene["groups"]["Група 1"], scene["groups"]["Група 2"]

    page.keyboard.press("ArrowDown")
    at(page, f"{first}:1")
    page.keyboard.press("ArrowRight")
    at(page, f"{first}:2")
    page.keyboard.press("ArrowDown")
    at(page, f"{second}:1")
    page.keyboard.press("ArrowUp")
    at(page, f"{first}:1")
    page.keyboard.press("ArrowUp")
    at(page, "all:1")

    shortcuts = page.get_by_role("dialog", name="Клавишни комбинации")
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("следваща група")
    check_accessibility(page)
    page.keyboard.press("ArrowRight")  # the list is open: the slides stay put
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()
    at(page, "all:1")

    # The buttons in the footer do what their keys do.
    timer, timer_button = page.locator("#presenter-timer"), page.get_by_role("button", name="T таймер")
    timer_button.click()
    expect(timer).to_be_visible()
    expect(timer_button).to_have_attribute("aria-pressed", "true")
    timer_button.press("Enter")
    expect(timer).to_be_hidden()
    expect(timer_button).to_have_attribute("aria-pressed", "false")
    page.get_by_role("button", name="G избор на група").click()
    expect(page.locator("#group-picker")).to_be_visible()
    page.keyboard.press("Escape")
    fullscreen = page.get_by_role("button", name="F цял екран")
    fullscreen.click()
    page.wait_for_function(
        "() => document.fullscreenElement !== null || document.getElementById('presenter-status')"
        ".textContent === document.getElementById('presenter-messages').dataset.noFullscreen"
    )
    if page.evaluate("() => document.fullscreenElement !== null"):
        expect(fullscreen).to_have_attribute("aria-pressed", "true")
        fullscreen.click()
        expect(fullscreen).to_have_attribute("aria-pressed", "false")

    # On a Bulgarian keyboard layout the T key types "т": it still means the timer.
    page.locator("body").dispatch_event("keydown", {"key": "т", "code": "KeyT", "bubbles": True})
    expect(timer).to_be_visible()

    # Letters off: G no longer opens the picker, the arrows still move, the buttons still work.
    page.get_by_role("button", name="? всички комбинации").click()
    shortcuts.get_by_label("Комбинации с един клавиш (букви и ?)").uncheck()
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()
    page.locator("body").press("g")
    page.keyboard.press("ArrowRight")
    at(page, "all:2")
    expect(page.locator("#group-picker")).to_be_hidden()
    page.get_by_role("button", name="G избор на група").click()
    expect(page.locator("#group-picker")).to_be_visible()
    page.keyboard.press("Escape")

    # In English, for a workshop held in English.
    from facilitator.extensions import db
    from facilitator.workshops.models import Workshop

    def held_in(locale):
        with server_app.app_context():
            db.session.get(Workshop, scene["workshop"]).locale = locale
            db.session.commit()

    held_in("en")
    try:
        page.reload()
        page.get_by_role("button", name="? all shortcuts").click()
        expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_contain_text("next group")
        expect(page.get_by_label("Single-key shortcuts (letters and ?)")).not_to_be_checked()
        check_accessibility(page)
    finally:
        held_in("bg")  # the demo workshop is shared by the other tests
