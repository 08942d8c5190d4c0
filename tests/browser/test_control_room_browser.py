"""The control room in a real browser: a facilitator and two groups, live.

Three browser contexts: the facilitator (signed up through the UI) and two participants in
different groups (joined through the UI). The facilitator opens stage 2, starts the timer, closes
the stage while someone is still typing, and sees a group's call for help.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from facilitator.planning import services as planning
from facilitator.stages import state as stage_state

from .conftest import check_accessibility, wait_for_live_stream

PASSWORD = "a long enough password"


@pytest.fixture
def scene(server_app):
    """A fresh address for the facilitator; the workshop is made once they have an account."""
    stamp = time.monotonic_ns()
    return {"email": f"control-{stamp}@example.org", "name": "Ана Фасилитатор", "stamp": stamp}


def sign_up(page, scene):
    page.goto("/signup")
    page.get_by_label("Your name").fill(scene["name"])
    page.get_by_label("Email").fill(scene["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def plan_workshop(server_app, scene):
    """The facilitator's workshop with two groups, made with the services (as if planned earlier)."""
    from datetime import date

    from facilitator.accounts.services import find_facilitator
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.workshops import services as workshop_services

    with server_app.app_context():
        owner = find_facilitator(scene["email"])
        workshop = planning.create_workshop(
            owner, "Библиотеката и нейните партньори", date(2012, 6, 6), locale="bg", venue_place="Кюстендил"
        )
        groups = [
            Group(workshop_id=workshop.id, name=f"Група {n} · {scene['stamp']}", colour=colour, position=n)
            for n, colour in ((1, "blue"), (2, "green"))
        ]
        db.session.add_all(groups)
        workshop_services.set_status(workshop, "live")
        db.session.commit()
        stages = workshop.process.stages
        goal = stages[1]
        return {
            "id": workshop.id,
            "code": workshop.join_code,
            "groups": [g.name for g in groups],
            "group_ids": [g.id for g in groups],
            "goal": goal.id,
            "goal_title": goal.title,
            "goal_field": goal.fields[0].id,
        }


def join(page, workshop, group, name):
    page.goto(f"/j/{workshop['code']}")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your group").select_option(label=group)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(group)
    wait_for_live_stream(page)  # the live stream is open before anything happens


def saved_answer(server_app, group_id, field_id):
    from facilitator.answers.models import Answer
    from facilitator.extensions import db

    with server_app.app_context():
        answer = db.session.scalar(db.select(Answer).filter_by(group_id=group_id, field_id=field_id))
        value = answer.value if answer else None
        db.session.remove()
        return value


def test_the_facilitator_drives_two_groups_live(new_page, server_app, scene):
    facilitator = new_page()
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    check_accessibility(facilitator)

    ana, boris = new_page(), new_page()
    join(ana, workshop, workshop["groups"][0], "Ана")
    join(boris, workshop, workshop["groups"][1], "Борис")
    card = f"#stage-card-{workshop['goal']}"
    expect(ana.locator(card)).not_to_have_class(re.compile("stage-card--open"))

    # Stage 2 opens for everyone; both groups can write in it without reloading (how fast: bench/).
    facilitator.get_by_role("button", name=f"Open “{workshop['goal_title']}” for all groups").click()
    for page in (ana, boris):
        expect(page.locator(card)).to_have_class(re.compile("stage-card--open"))
        expect(page.locator(f"{card} textarea").first).to_be_editable()
    expect(facilitator.locator("#control-status")).to_contain_text("is open for all groups")
    expect(facilitator.locator(f"#grid-row-{workshop['group_ids'][0]}")).to_contain_text("Ана")

    # A five-minute timer: the three screens show the same time left, within a second.
    facilitator.get_by_label("Minutes", exact=True).fill("5")
    facilitator.get_by_role("button", name="Start", exact=True).click()
    for page in (facilitator, ana, boris):
        expect(page.locator("#timer")).to_have_attribute("data-state", "running", timeout=2000)
        page.wait_for_function("() => document.getElementById('timer').dataset.left !== undefined")
    left = [int(page.locator("#timer").get_attribute("data-left")) for page in (facilitator, ana, boris)]
    assert max(left) - min(left) <= 1, left
    assert 290 <= min(left) <= 300, left

    # Ana is still typing when the facilitator closes the stage: her text is saved all the same.
    answer = ana.locator(f"#answer-{workshop['goal_field']}")
    answer.click()
    answer.press_sequentially("Децата в града да слушат приказки")
    facilitator.get_by_role("button", name=f"Close “{workshop['goal_title']}” for all groups").click()
    expect(ana.locator(card)).to_have_class(re.compile("stage-card--closed"), timeout=2000)
    expect(boris.locator(card)).to_have_class(re.compile("stage-card--closed"), timeout=2000)
    deadline = time.monotonic() + 5
    while (
        saved_answer(server_app, workshop["group_ids"][0], workshop["goal_field"]) is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert (
        saved_answer(server_app, workshop["group_ids"][0], workshop["goal_field"])
        == "Децата в града да слушат приказки"
    )
    expect(facilitator.locator(f"#grid-row-{workshop['group_ids'][0]}")).to_contain_text("1/1 filled", timeout=3000)

    # Boris's group calls for help: the flag goes up in the control room, then the facilitator clears it.
    boris.get_by_role("button", name="We need help").click()
    row = facilitator.locator(f"#grid-row-{workshop['group_ids'][1]}")
    expect(row.locator(".help-flag")).to_have_text("Needs help", timeout=2000)
    expect(facilitator.locator("#help-alerts")).to_contain_text(workshop["groups"][1])
    check_accessibility(facilitator)
    row.get_by_role("button", name=f"Clear the help flag of {workshop['groups'][1]}").click()
    expect(row.locator(".help-flag")).to_have_count(0)
    expect(boris.get_by_role("button", name="We need help")).to_be_visible(timeout=2000)


def test_a_groups_answers_update_live_and_a_comment_reaches_the_group(new_page, server_app, scene):
    facilitator = new_page()
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    ana = new_page()
    join(ana, workshop, workshop["groups"][0], "Ана")

    facilitator.get_by_role("button", name=f"Open “{workshop['goal_title']}” for all groups").click()
    # The table is refreshed for the opened stage before the facilitator picks a group in it.
    expect(facilitator.locator("#grid")).to_contain_text(f"“{workshop['goal_title']}” for this group")
    facilitator.get_by_role("link", name=f"Show the answers of {workshop['groups'][0]}").click()
    detail = facilitator.locator("#group-detail")
    expect(detail.get_by_role("heading", level=2)).to_have_text(f"Answers of {workshop['groups'][0]}")
    # The facilitator starts a comment while Ana writes: the refresh keeps the comment being typed.
    comment = facilitator.locator(f"#comment-{workshop['goal']}-text")
    comment.fill("Кои деца точно?")
    ana.locator(f"#answer-{workshop['goal_field']}").fill("Приказки <b>за</b> деца")
    ana.locator(f"#answer-{workshop['goal_field']}").press("Tab")
    expect(detail).to_contain_text("Приказки <b>за</b> деца", timeout=3000)
    expect(comment).to_have_value("Кои деца точно?")
    facilitator.get_by_role("button", name=re.compile("Send comment on")).click()
    expect(ana.locator(f"#stage-card-{workshop['goal']}")).to_contain_text("Кои деца точно?", timeout=2000)
    expect(facilitator.locator(f"#comment-{workshop['goal']}-text")).to_have_value("")
    check_accessibility(facilitator)


def test_two_facilitators_pressing_next_stage_together_advance_once(new_page, server_app, scene):
    from facilitator.accounts import services as account_services
    from facilitator.control import services as control_services
    from facilitator.extensions import db
    from facilitator.workshops.models import Workshop

    owner = new_page()
    sign_up(owner, scene)
    workshop = plan_workshop(server_app, scene)
    co_email = f"co-{scene['stamp']}@example.org"
    with server_app.app_context():
        account_services.sign_up(co_email, "Борис Съводещ", PASSWORD)
        control_services.invite_co_facilitator(db.session.get(Workshop, workshop["id"]), co_email)
        db.session.remove()
    co = new_page()
    co.goto("/signin")
    co.get_by_label("Email").fill(co_email)
    co.get_by_label("Password").fill(PASSWORD)
    co.get_by_role("button", name="Sign in").click()
    for page in (owner, co):
        page.goto(f"/workshops/{workshop['id']}/control")
        expect(page.locator("#control-room")).to_have_attribute("data-stream", "open")

    # Each sees the other's start at once; then both press "Next stage" (the owner even double-clicks)
    # while their screens still show stage 1 open. The owner's stage bar is held back from
    # refreshing until they have pressed, so their press is a stale one however fast the machine.
    owner.get_by_role("button", name=re.compile("^Start: open")).click()
    expect(co.locator("#stage-bar")).to_contain_text("Open for all groups now: 1.", timeout=2000)
    expect(owner.locator("#stage-bar")).to_contain_text("Open for all groups now: 1.", timeout=2000)
    stage_bar_refresh = re.compile(rf"/workshops/{workshop['id']}/control/stages$")
    held = []
    owner.route(stage_bar_refresh, lambda route: held.append(route))
    co.evaluate("document.getElementById('next-stage').click()")
    expect(co.locator("#stage-bar")).to_contain_text("Open for all groups now: 2.", timeout=2000)
    owner.locator("#next-stage").dblclick()
    expect(owner.locator("#stage-bar")).to_contain_text("Open for all groups now: 2.", timeout=2000)
    for route in held:
        route.continue_()
    owner.unroute(stage_bar_refresh)
    for page in (owner, co):
        expect(page.locator("#stage-bar")).to_contain_text("Open for all groups now: 2.", timeout=2000)
    with server_app.app_context():
        states = [s.state for s in stage_state.stages_of(db.session.get(Workshop, workshop["id"]))]
        db.session.remove()
    assert states[:3] == ["closed", "open", "locked"]


def test_closing_a_stage_shows_who_is_still_saving_until_it_is_in(new_page, server_app, scene):
    """Ana's last words are on their way (slow Wi-Fi) as the facilitator closes the stage: the
    control room names her group until her save is in; Boris's phone, which was not typing, is
    refused at once instead of saving into a closed stage for a minute."""
    facilitator = new_page()
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    ana, boris = new_page(), new_page()
    join(ana, workshop, workshop["groups"][0], "Ана")
    join(boris, workshop, workshop["groups"][1], "Борис")
    facilitator.get_by_role("button", name=f"Open “{workshop['goal_title']}” for all groups").click()
    card = f"#stage-card-{workshop['goal']}"
    for page in (ana, boris):
        expect(page.locator(f"{card} textarea").first).to_be_editable()

    # Ana's autosave is held on the way, as on a venue's Wi-Fi.
    held = []
    saves = re.compile(rf"/fields/{workshop['goal_field']}$")
    ana.route(saves, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    ana.locator(f"#answer-{workshop['goal_field']}").press_sequentially("Последните думи на Ана")
    expect(ana.locator(f"#answer-{workshop['goal_field']}-status")).to_have_text("Saving…")
    facilitator.get_by_role("button", name=f"Close “{workshop['goal_title']}” for all groups").click()
    notice = facilitator.locator("#closing")
    expect(notice).to_contain_text("Still saving what was typed as the stage closed")
    expect(notice.locator(f"#closing-{workshop['group_ids'][0]}")).to_have_text(f"{workshop['groups'][0]} (Ана)")
    expect(notice).not_to_contain_text(workshop["groups"][1])
    check_accessibility(facilitator)

    # Her save arrives: it is kept (her closed card shows it), and the notice goes: the close is
    # final for her group now.
    for route in held:
        route.continue_()
    ana.unroute(saves)
    expect(ana.locator(card)).to_contain_text("Последните думи на Ана")
    expect(notice).to_be_empty()
    assert saved_answer(server_app, workshop["group_ids"][0], workshop["goal_field"]) == "Последните думи на Ана"

    # A save from Boris's seat, who was not typing (a phone that missed the close, or a hand-made
    # request), is refused at once.
    response = boris.request.post(
        f"/w/{workshop['id']}/g/{workshop['group_ids'][1]}/fields/{workshop['goal_field']}",
        form={"value": "Късно", "base_version": "0"},
        headers={"X-CSRFToken": boris.locator('meta[name="csrf-token"]').get_attribute("content"), "X-Autosave": "1"},
    )
    assert response.status == 403 and "This stage is closed" in response.text()
    assert saved_answer(server_app, workshop["group_ids"][1], workshop["goal_field"]) is None


def test_on_a_1366x768_laptop_the_first_screen_holds_every_stage_of_every_group(new_page, server_app, scene):
    """Five groups by eight stages, the stage controls, the timer and who needs help: without
    scrolling, in Bulgarian (the longest tab labels)."""
    from datetime import date

    from facilitator.accounts.services import find_facilitator
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.workshops import services as workshop_services

    facilitator = new_page()
    facilitator.set_viewport_size({"width": 1366, "height": 768})
    sign_up(facilitator, scene)
    facilitator.get_by_label("Language").select_option("bg")
    facilitator.get_by_role("button", name="Change").click()
    expect(facilitator.locator("html")).to_have_attribute("lang", "bg")
    with server_app.app_context():
        workshop = planning.create_workshop(
            find_facilitator(scene["email"]),
            "Регионална тематична среща „Библиотеката и нейните партньори“",
            date(2012, 6, 6),
            locale="bg",
            venue_place="Кюстендил, синята зала на НЧ „Братство“",
        )
        colours = ("blue", "green", "orange", "purple", "red")
        db.session.add_all(
            Group(workshop_id=workshop.id, name=f"Група {n}", colour=colour, position=n)
            for n, colour in enumerate(colours, 1)
        )
        workshop_services.set_status(workshop, "live")
        stages = workshop.process.stages
        for number, stage in enumerate(stages, 1):
            stage.state = "closed" if number < 7 else "open" if number == 7 else "locked"
        db.session.commit()
        workshop_id, stage_count = workshop.id, len(stages)
        db.session.remove()
    assert stage_count == 8
    facilitator.goto(f"/workshops/{workshop_id}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")

    def box(locator):
        found = locator.bounding_box()
        assert found is not None
        return found

    screen = {"width": 1366, "height": 768}
    # The grid shows every stage's column, none scrolled out of its region.
    region = facilitator.locator("#grid .table-scroll")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "stage columns scroll inside the grid"
    headers = facilitator.locator("#grid thead .control-grid__stage")
    expect(headers).to_have_count(8)
    for n in range(8):
        edge = box(headers.nth(n))
        assert edge["x"] + edge["width"] <= screen["width"], f"stage {n + 1} is off the screen"
    # Every group's row, the stage controls, the next-stage button and the timer: on the first screen.
    rows = facilitator.locator("#grid tbody tr")
    expect(rows).to_have_count(5)
    last_row = box(rows.last)
    assert last_row["y"] + last_row["height"] <= screen["height"], f"the last group ends at {last_row}"
    for control in ("#next-stage", "#timer-start", "#timer"):
        edge = box(facilitator.locator(control).first)
        assert edge["y"] + edge["height"] <= screen["height"], f"{control} is below the first screen"
    chips = facilitator.locator(".stage-chip form button")
    expect(chips).to_have_count(8)
    lowest = max(box(chips.nth(n))["y"] + box(chips.nth(n))["height"] for n in range(8))
    assert lowest <= screen["height"]
    # The area tabs stay on one row in Bulgarian, the control room among them.
    tops = facilitator.locator(".tabs a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops
    expect(facilitator.locator('.tabs a[aria-current="page"]')).to_have_text("Контролен панел")
    # The rest follows below: messages, people, the agenda.
    assert box(facilitator.locator("#messages-heading"))["y"] > screen["height"]
    check_accessibility(facilitator)


def test_the_control_room_does_not_fetch_again_what_its_own_action_brought(new_page, server_app, scene):
    """Opening a stage answers with the stage bar: the stream's word of the change then refreshes
    the grid and the timer's buttons, once each, and not the stage bar a second time."""
    facilitator = new_page()
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    fetched = []
    facilitator.on(
        "request",
        lambda request: fetched.append(request.url.split("/control", 1)[1]) if "/control/" in request.url else None,
    )
    facilitator.get_by_role("button", name=f"Open “{workshop['goal_title']}” for all groups").click()
    expect(facilitator.locator(f"#stage-{workshop['goal']}-close")).to_be_visible()  # the answer
    cells = facilitator.locator(f"#grid-row-{workshop['group_ids'][0]} .cell--open")
    expect(cells).to_have_count(1)  # the grid, refreshed by the stream
    expect(facilitator.locator("#timer-controls #timer-start")).to_be_visible()
    facilitator.wait_for_function("() => !document.querySelector('.htmx-request')")
    gets = [path for path in fetched if not path.startswith(f"/stages/{workshop['goal']}/state")]
    assert gets.count("/stages") == 0, fetched
    assert gets.count("/grid") == 1 and gets.count("/timer/controls") == 1, fetched
    assert gets.count("/timer") == 0, fetched  # the change did not move the timer


def test_a_stage_change_reaches_each_phone_in_one_message(new_page, server_app, scene):
    """The new cards come in the group's news on the stream: no phone asks for them. A phone whose
    news did not come (here: its language no longer on record) fetches them once."""
    from facilitator.extensions import db
    from facilitator.participants.models import Participant

    facilitator = new_page()
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    ana, boris = new_page(), new_page(locale="bg-BG")
    join(ana, workshop, workshop["groups"][0], "Ана")
    boris.goto(f"/j/{workshop['code']}")  # in Bulgarian
    boris.get_by_label("Вашето име").fill("Борис")
    boris.get_by_label("Вашата група").select_option(label=workshop["groups"][1])
    boris.get_by_role("button", name="Присъедини се", exact=True).click()
    expect(boris.get_by_role("heading", level=1)).to_have_text(workshop["groups"][1])
    wait_for_live_stream(boris)
    asked = {"ana": [], "boris": []}
    for name, page in (("ana", ana), ("boris", boris)):
        page.on("request", lambda request, name=name: asked[name].append(request.url.split("/g/", 1)[-1]))
    card = f"#stage-card-{workshop['goal']}"

    facilitator.get_by_role("button", name=f"Open “{workshop['goal_title']}” for all groups").click()
    expect(ana.locator(card)).to_have_attribute("data-state", "open")
    expect(ana.locator(f"{card} .stage-badge")).to_have_text("Open now")
    expect(boris.locator(card)).to_have_attribute("data-state", "open")
    expect(boris.locator(f"{card} .stage-badge")).to_have_text("Отворен")  # his own language
    field = ana.locator(f"#answer-{workshop['goal_field']}")
    field.fill("Приказки за децата")  # the card from the news saves like any other
    expect(ana.locator(f"#answer-{workshop['goal_field']}-status")).to_contain_text("Saved")
    assert saved_answer(server_app, workshop["group_ids"][0], workshop["goal_field"]) == "Приказки за децата"
    asked_for_cards = [url for name in asked for url in asked[name] if "/stages" in url or "/news" in url]
    assert asked_for_cards == [], asked

    with server_app.app_context():
        db.session.execute(
            db.update(Participant).where(Participant.group_id == workshop["group_ids"][1]).values(locale=None)
        )
        db.session.commit()
    facilitator.get_by_role("button", name=f"Close “{workshop['goal_title']}” for all groups").click()
    expect(ana.locator(card)).to_have_attribute("data-state", "closed")
    expect(ana.locator(f"{card} .stage-badge")).to_have_text("Closed")
    expect(boris.locator(card)).to_have_attribute("data-state", "closed")
    expect(boris.locator("#workspace-progress")).to_contain_text("1 от 8")
    news = [url for url in asked["boris"] if "/news" in url]
    assert len(news) == 1 and f"stages={workshop['goal']}" in news[0], asked["boris"]
    assert not [url for url in asked["ana"] if "/stages" in url or "/news" in url], asked["ana"]


def test_moving_someone_opens_the_group_list_on_demand_and_their_phone_follows(new_page, server_app, scene):
    facilitator = new_page()
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    ana = new_page()
    join(ana, workshop, workshop["groups"][0], "Ана")
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    assert facilitator.locator("#people select").count() == 0  # no list until asked for
    facilitator.get_by_text("Move Ана to another group").click()
    facilitator.get_by_label("Move Ана to").select_option(label=workshop["groups"][1])
    check_accessibility(facilitator)
    facilitator.get_by_role("button", name="Move Ана", exact=True).click()
    expect(facilitator.locator("#control-status")).to_contain_text(f"Ана is now in {workshop['groups'][1]}")
    expect(ana.get_by_role("heading", level=1)).to_have_text(workshop["groups"][1])  # her phone followed


def test_present_on_the_other_screen_opens_one_presenter_window_and_the_keys_are_listed(new_page, server_app, scene):
    """The button (and P) open the presenter in one named popup; again brings back the same one,
    at the slide it shows. "?" lists the shortcuts, which wait while someone types and can be
    turned off; axe-clean in English and Bulgarian."""
    facilitator = new_page()
    facilitator.set_viewport_size({"width": 1366, "height": 768})
    sign_up(facilitator, scene)
    workshop = plan_workshop(server_app, scene)
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.locator("#control-room")).to_have_attribute("data-stream", "open")
    present = facilitator.get_by_role("link", name="Present on the other screen")
    hint = facilitator.locator("#present-hint")
    expect(hint).to_have_text("Drag the new window to the projector, then press F there for full screen.")

    context = facilitator.context
    with context.expect_page() as opened:
        present.click()
    presenter = opened.value
    presenter.wait_for_url(re.compile(rf"/workshops/{workshop['id']}/present$"))
    expect(presenter.locator("#slide")).to_have_attribute("data-position", "all:1")
    expect(presenter.locator("#slide h1")).to_be_visible()
    # Headless Chromium says nothing of other screens: the hint still says what to do by hand.
    expect(hint).to_contain_text("press F there for full screen")
    presenter.keyboard.press("ArrowRight")
    expect(presenter.locator("#slide")).to_have_attribute("data-position", "all:2")

    # Again, by the button and by P: the same window, still at its slide, no second one.
    seen = []
    context.on("page", lambda page: seen.append(page))
    present.click()
    facilitator.locator("body").press("p")
    facilitator.locator("body").press("Shift+P")
    expect(presenter.locator("#slide")).to_have_attribute("data-position", "all:2")
    assert presenter.evaluate("() => window.opener !== null")
    assert seen == [] and len(context.pages) == 2

    # "?" lists the shortcuts; Escape closes the list.
    shortcuts = facilitator.get_by_role("dialog", name="Keyboard shortcuts")
    facilitator.locator("body").press("?")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("Present on the other screen")
    check_accessibility(facilitator)
    facilitator.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()

    # Typing in a field, P and ? are letters like any other.
    message = facilitator.get_by_label("Message", exact=True)
    message.press_sequentially("Pause? 10 min")
    expect(message).to_have_value("Pause? 10 min")
    expect(shortcuts).to_be_hidden()
    assert seen == []

    # Turned off in the list (for a screen reader's own keys), "?" no longer opens it; the button does.
    facilitator.get_by_role("button", name="Shortcuts").click()
    expect(shortcuts).to_be_visible()
    shortcuts.get_by_label("Single-key shortcuts (letters and ?)").uncheck()
    shortcuts.get_by_role("button", name="Close").click()
    expect(shortcuts).to_be_hidden()
    facilitator.locator("body").press("?")
    facilitator.get_by_role("button", name="Shortcuts").focus()
    expect(shortcuts).to_be_hidden()
    facilitator.reload()
    facilitator.locator("body").press("?")
    expect(facilitator.get_by_role("button", name="Shortcuts")).to_be_visible()
    expect(shortcuts).to_be_hidden()

    # In Bulgarian.
    facilitator.get_by_label("Language").select_option("bg")
    facilitator.get_by_role("button", name="Change").click()
    expect(facilitator.locator("html")).to_have_attribute("lang", "bg")
    facilitator.goto(f"/workshops/{workshop['id']}/control")
    expect(facilitator.get_by_role("link", name="Покажи на другия екран")).to_be_visible()
    facilitator.get_by_role("button", name="Бързи клавиши").click()
    expect(facilitator.get_by_role("dialog", name="Клавишни комбинации")).to_be_visible()
    check_accessibility(facilitator)
