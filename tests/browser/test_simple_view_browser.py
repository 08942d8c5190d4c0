"""A phone at the venue: the simple view on 360 px by keyboard (chosen on the join page, one question
at a time, large targets, the same autosave underneath, back to the full view), and static files
that come compressed and to keep."""

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, wait_for_live_stream
from .test_phone_browser import PHONE, day  # noqa: F401  (the fixture: the demo's day, stage 7 open)

pytestmark = pytest.mark.browser


def test_a_member_new_to_smartphones_answers_one_question_at_a_time(new_page, day):
    page = new_page(locale="bg-BG")
    page.set_viewport_size(PHONE)
    page.goto(f"/j/{day['code']}")
    check_accessibility(page)
    page.locator("#display_name").focus()
    page.keyboard.type("Стоянка")
    page.locator("#group").select_option(value=str(day["group_id"]))
    page.locator("#group").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Опростен изглед: едър текст, по един въпрос")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(day["group"])
    wait_for_live_stream(page)

    stage = page.locator(f"#stage-card-{day['open']}")
    fields = stage.locator(".answer-field")
    nav = stage.get_by_role("navigation", name="Въпроси")
    expect(nav.locator(".simple-nav__count")).to_have_text("Въпрос 1 от 2")
    expect(fields.nth(0)).to_be_visible()
    expect(fields.nth(1)).to_be_hidden()
    # Only the open stage: the closed and locked ones are out of the way, and so are the members.
    for other in day["closed"] + day["locked"]:
        expect(page.locator(f"#stage-card-{other}")).to_be_hidden()
    expect(page.locator("#members")).to_be_hidden()
    back, forward = nav.get_by_role("button", name="Предишен въпрос"), nav.get_by_role("button", name="Следващ въпрос")
    expect(back).to_be_disabled()
    for target in (forward, page.get_by_role("button", name="Пълен изглед")):
        box = target.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
    check_accessibility(page)

    # The stage and its question read aloud, in the workshop's language (the browser's own voice).
    page.evaluate("() => { window.spoken = []; speechSynthesis.speak = (u) => window.spoken.push([u.lang, u.text]); }")
    stage.get_by_role("button", name="Прочети на глас").click()
    lang, said = page.evaluate("() => window.spoken[0]")
    first_label = fields.nth(0).locator(".answer-field__label").inner_text()
    assert lang == "bg" and stage.get_attribute("data-title") in said and first_label in said

    # Next, by keyboard: the second question, with the cursor in it, and the count said.
    forward.focus()
    page.keyboard.press("Enter")
    second = fields.nth(1)
    expect(second).to_be_visible()
    expect(fields.nth(0)).to_be_hidden()
    expect(second.locator(".answer-input")).to_be_focused()
    expect(nav.locator(".simple-nav__said")).to_have_text("Въпрос 2 от 2")
    expect(nav.locator(".simple-nav__last")).to_be_visible()
    expect(forward).to_be_hidden()
    second_id = second.get_attribute("data-field")
    page.keyboard.type("Повече хора в библиотеката")
    expect(second.locator(".answer-status")).to_contain_text("Запазено в")

    # Back to the first, and a reload keeps the place; the saved text is there.
    back.focus()
    page.keyboard.press("Enter")
    expect(fields.nth(0).locator(".answer-input")).to_be_focused()
    forward.focus()
    page.keyboard.press("Enter")
    page.reload()
    expect(page.locator(f"#stage-card-{day['open']} .simple-nav__count")).to_have_text("Въпрос 2 от 2")
    expect(page.locator(f"#answer-{second_id}")).to_have_value("Повече хора в библиотеката")

    # The full view, one button away.
    page.get_by_role("button", name="Пълен изглед").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Опростен изглед")).to_be_visible()
    expect(page.locator(f"#stage-card-{day['open']} .answer-field").nth(0)).to_be_visible()
    expect(page.locator(f"#stage-card-{day['open']} .answer-field").nth(1)).to_be_visible()
    expect(page.locator(".simple-nav")).to_have_count(0)
    check_accessibility(page)


def test_a_phone_gets_the_static_files_compressed_and_to_keep(new_page, day):
    """What the browser itself received: every style and script gzip-compressed (text) and kept a year."""
    page = new_page(locale="bg-BG")
    seen = []
    page.on("response", lambda response: seen.append(response) if "/static/" in response.url else None)
    page.set_viewport_size(PHONE)
    page.goto(f"/j/{day['code']}")
    page.wait_for_load_state("load")
    assert len(seen) >= 4
    for response in seen:
        headers = response.all_headers()
        assert headers["cache-control"] == "public, max-age=31536000, immutable", response.url
        if response.url.split("?")[0].endswith((".js", ".css")):
            assert headers.get("content-encoding") == "gzip", response.url
