"""The workspace on a phone (360x740) in the middle of the day: stages 1-6 closed with answers, 7 open.

What a member holding a phone notices: the open stage is on the first screen, closed stages are one
line each until opened, a keyboard gets there in a few presses, a lost connection is said at the top
of the screen, a save the closed stage refused keeps the text in sight, and an old message does not
stay in the way.
"""

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, wait_for_live_stream

PHONE = {"width": 360, "height": 740}
TEXT_KINDS = ("short-text", "long-text", "list")


@pytest.fixture
def day(server_app):
    """The demo workshop, a fresh group with answers in stages 1-6 (closed an hour ago), stage 7 open."""
    from facilitator import demo
    from facilitator.accounts.models import utcnow
    from facilitator.answers.services import save_answer
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.stages.models import StageState

    with server_app.app_context():
        _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
        group = Group(workshop_id=workshop.id, name=f"Група {time.monotonic_ns()}", colour="blue", position=98)
        db.session.add(group)
        stages = workshop.process.stages
        for stage in stages:
            stage.state, stage.closed_at = StageState.LOCKED.value, None
        for stage in stages[:7]:
            stage.state = StageState.OPEN.value
        db.session.commit()
        answers = {}
        for stage in stages[:6]:
            for field in stage.fields:
                if field.kind in TEXT_KINDS:
                    text = f"Отговор за „{field.label}“: библиотеката и партньорите ѝ."
                    save_answer(workshop, group, field, text, 0, "Ана")
                    answers[field.id] = text
        for stage in stages[:6]:
            stage.state, stage.closed_at = StageState.CLOSED.value, utcnow() - timedelta(hours=1)
        db.session.commit()
        closed_fields = [[f.id for f in stage.fields if f.id in answers] for stage in stages[:6]]
        return {
            "workshop_id": workshop.id,
            "code": workshop.join_code,
            "group": group.name,
            "group_id": group.id,
            "closed": [stage.id for stage in stages[:6]],
            "closed_fields": closed_fields,
            "answers": answers,
            "open": stages[6].id,
            "open_field": stages[6].fields[0].id,
            "locked": [stage.id for stage in stages[7:]],
        }


def open_phone(new_page, day, locale="bg-BG", name="Мария", **options):
    """A phone joins the day's group and waits for its live stream."""
    page = new_page(locale=locale, **options)
    page.set_viewport_size(PHONE)
    page.goto(f"/j/{day['code']}")
    page.locator("#display_name").fill(name)
    page.locator("#group").select_option(value=str(day["group_id"]))
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(day["group"])
    wait_for_live_stream(page)
    return page


def on_first_screen(locator):
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box


def test_the_phone_opens_at_the_open_stage_without_taking_the_focus(new_page, day):
    phone = open_phone(new_page, day)
    field = phone.locator(f"#answer-{day['open_field']}")
    expect(field).to_be_in_viewport(ratio=1)
    on_first_screen(field)
    assert phone.evaluate("document.activeElement === document.body || document.activeElement.id === 'main'")
    # A link to a place on the page keeps its place: the page does not jump to the open stage.
    first = f"#stage-card-{day['closed'][0]}"
    phone.goto(phone.url.split("#")[0] + first)
    expect(phone.locator(first)).to_be_in_viewport()
    assert abs(phone.locator(first).bounding_box()["y"]) <= 1


def test_closed_and_locked_stages_are_one_line_each_and_closed_ones_open_on_demand(new_page, day):
    phone = open_phone(new_page, day)
    for stage_id in day["closed"] + day["locked"]:
        card = phone.locator(f"#stage-card-{stage_id}")
        expect(card.locator("summary").first).to_be_visible()
        assert card.bounding_box()["height"] <= 56, stage_id  # one line of text and the card's padding
    first, second = (phone.locator(f"#answer-{fields[0]}") for fields in day["closed_fields"][:2])
    expect(first).to_be_hidden()
    expect(second).to_be_hidden()
    expect(phone.locator(f"#stage-card-{day['closed'][0]} summary").first).to_contain_text("Затворен")

    phone.locator(f"#stage-card-{day['closed'][0]} summary").first.click()
    expect(first).to_be_visible()
    expect(first).to_have_text(day["answers"][day["closed_fields"][0][0]])
    # An answer reads as text, not as a box to type in.
    assert first.evaluate("e => getComputedStyle(e).borderTopStyle") == "none"
    assert first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"

    phone.locator(f"#stage-card-{day['closed'][1]} summary").first.focus()
    phone.keyboard.press("Enter")
    expect(second).to_be_visible()


def test_three_tab_presses_reach_the_open_field_through_the_skip_links(new_page, day):
    phone = open_phone(new_page, day)
    phone.evaluate("window.scrollTo(0, 0)")
    presses, used = 0, []
    while presses < 3:
        phone.keyboard.press("Tab")
        presses += 1
        if phone.evaluate("document.activeElement.id") == f"answer-{day['open_field']}":
            break
        link = phone.evaluate(
            "(e => e.tagName === 'A' && e.getAttribute('href').startsWith('#') ? e.textContent.trim() : '')"
            "(document.activeElement)"
        )
        if link:  # a skip link: follow it
            used.append(link)
            phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == f"answer-{day['open_field']}", (presses, used)
    assert "Към отворения етап" in used


def test_going_offline_shows_a_banner_at_the_top_and_the_text_is_saved_when_back(new_page, day, server_app):
    phone = open_phone(new_page, day)
    banner = phone.locator("#connection-status")
    field = phone.locator(f"#answer-{day['open_field']}")
    expect(banner).to_be_hidden()
    phone.context.set_offline(True)
    field.fill("Написано без мрежа")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Няма връзка")
    assert phone.evaluate("window.scrollY") > 0  # the page is at the open stage, further down
    box = banner.bounding_box()
    assert box["y"] <= 1 and box["height"] >= 24, box  # at the top of the screen, where it is seen
    expect(field).to_have_value("Написано без мрежа")

    phone.context.set_offline(False)
    expect(banner).to_be_hidden(timeout=10_000)
    expect(phone.locator(f"#answer-{day['open_field']}-status")).to_contain_text("Запазено", timeout=10_000)
    assert saved_text(server_app, day) == "Написано без мрежа"


def saved_text(server_app, day):
    from facilitator.answers.models import Answer
    from facilitator.extensions import db

    with server_app.app_context():
        answer = db.session.scalar(db.select(Answer).filter_by(group_id=day["group_id"], field_id=day["open_field"]))
        value = answer.value if answer else None
        db.session.remove()
        return value


def test_a_save_the_closed_stage_refused_shows_the_stage_closed_and_keeps_the_text(new_page, day, server_app):
    from facilitator.accounts.models import utcnow
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.stages import state as stage_state
    from facilitator.stages.models import Stage
    from facilitator.workshops.models import Workshop

    phone = open_phone(new_page, day, expected_statuses=(403,))
    card = phone.locator(f"#stage-card-{day['open']}")
    expect(card).to_have_attribute("data-state", "open")
    # Closed for this group an hour ago as far as the server knows, and no event told the phone.
    with server_app.app_context():
        workshop = db.session.get(Workshop, day["workshop_id"])
        stage, group = db.session.get(Stage, day["open"]), db.session.get(Group, day["group_id"])
        stage_state.move(workshop, stage, stage_state.CLOSED, group, now=utcnow() - timedelta(hours=1))
        db.session.commit()
        db.session.remove()
    typed = "Текст, написан след затварянето"
    phone.locator(f"#answer-{day['open_field']}").fill(typed)

    expect(card).to_have_attribute("data-state", "closed")
    expect(card.locator(".stage-badge")).to_have_text("Затворен")
    expect(card.get_by_text(typed)).to_be_visible()
    assert saved_text(server_app, day) is None
    # A reload still shows it: the text lives on in the phone's draft.
    phone.reload()
    expect(phone.locator(f"#stage-card-{day['open']}").get_by_text(typed)).to_be_visible()


def test_an_older_message_does_not_take_the_top(new_page, day, server_app):
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.room import services as room
    from facilitator.workshops.models import Workshop

    def broadcast(text):
        with server_app.app_context():
            workshop = db.session.get(Workshop, day["workshop_id"])
            room.broadcast(workshop, text, "Ф", db.session.get(Group, day["group_id"]))
            db.session.remove()

    broadcast("Добре дошли! Започваме с първия етап.")
    broadcast("Остават десет минути за седмия етап.")
    phone = open_phone(new_page, day)
    messages = phone.locator("#messages")
    expect(messages.get_by_text("Остават десет минути за седмия етап.")).to_be_visible()
    expect(messages.get_by_text("Добре дошли! Започваме с първия етап.")).to_be_hidden()
    expect(messages.locator("summary")).to_contain_text("По-ранни съобщения (1)")
    expect(phone.locator(f"#answer-{day['open_field']}")).to_be_in_viewport(ratio=1)

    # Read and put away: it folds with the earlier ones, here and after a reload.
    messages.get_by_role("button", name="Скрий").click()
    expect(messages.get_by_text("Остават десет минути за седмия етап.")).to_be_hidden()
    expect(messages.locator("summary")).to_contain_text("По-ранни съобщения (2)")
    phone.reload()
    wait_for_live_stream(phone)
    expect(phone.locator("#messages summary")).to_contain_text("По-ранни съобщения (2)")
    expect(phone.locator("#messages").get_by_text("Остават десет минути за седмия етап.")).to_be_hidden()

    # A new message arrives live (sent from the control room) and shows; the ones before it stay folded.
    send_from_the_control_room(new_page, server_app, day, "Обяд след пет минути.")
    expect(phone.locator("#messages").get_by_text("Обяд след пет минути.")).to_be_visible()
    expect(phone.locator("#messages").get_by_text("Остават десет минути за седмия етап.")).to_be_hidden()
    phone.locator("#messages summary").click()
    expect(phone.locator("#messages").get_by_text("Добре дошли! Започваме с първия етап.")).to_be_visible()


def send_from_the_control_room(new_page, server_app, day, text):
    """The demo facilitator signs in and sends the group a message, as the control room's form does."""
    facilitator = new_page()
    facilitator.goto("/signin")
    facilitator.locator("input[name=email]").fill("demo@example.org")
    facilitator.locator("input[name=password]").fill("demo-workshop")
    facilitator.locator("main form button[type=submit]").first.click()
    facilitator.wait_for_url("**/dashboard")
    endpoint = next(
        rule.endpoint for rule in server_app.url_map.iter_rules() if rule.endpoint.endswith(".send_message")
    )
    with server_app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, workshop_id=day["workshop_id"])
    status = facilitator.evaluate(
        """([url, text, group]) => {
          const body = new FormData();
          body.append("message-text", text);
          body.append("message-group", group);
          const token = document.querySelector('meta[name="csrf-token"]').content;
          return fetch(url, {method: "POST", body, headers: {"X-CSRFToken": token, "HX-Request": "true"}})
            .then(response => response.status);
        }""",
        [url, text, str(day["group_id"])],
    )
    assert status == 200


@pytest.mark.parametrize("locale", ["bg-BG", "pl-PL", "en-GB"])
def test_the_phone_workspace_is_accessible(new_page, day, server_app, locale):
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.room import services as room
    from facilitator.workshops.models import Workshop

    with server_app.app_context():
        workshop, group = db.session.get(Workshop, day["workshop_id"]), db.session.get(Group, day["group_id"])
        room.broadcast(workshop, "Първо съобщение", "Ф", group)
        room.broadcast(workshop, "Второ съобщение", "Ф", group)
        db.session.remove()
    phone = open_phone(new_page, day, locale=locale, name=f"Мария {locale}")
    check_accessibility(phone)
    phone.locator(f"#stage-card-{day['closed'][0]} summary").first.click()
    phone.locator("#messages summary").click()
    phone.context.set_offline(True)
    expect(phone.locator("#connection-status")).to_be_visible()
    check_accessibility(phone)
    phone.context.set_offline(False)
    expect(phone.locator("#connection-status")).to_be_hidden(timeout=10_000)
