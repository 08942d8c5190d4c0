"""Stale clicks in a real browser: what changed meanwhile (409) shows in place, the typing kept.

htmx swaps these refusals because base.html's responseHandling says so; groups.js adds the 404 of a
group removed meanwhile. Each test changes the database behind the page, then acts on the old page.
"""

import re
import time
from datetime import date
from datetime import time as clock

import pytest
from playwright.sync_api import expect

PASSWORD = "a long enough password"


@pytest.fixture
def planned(new_page, server_app):
    """A signed-in facilitator's page and their workshop with one agenda item and two groups."""
    from facilitator.accounts.services import find_facilitator
    from facilitator.agenda.models import AgendaItem
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.planning import services as planning

    page = new_page(expected_statuses=(404, 409))
    stamp = time.monotonic_ns()
    email = f"stale-{stamp}@example.org"
    page.goto("/signup")
    page.get_by_label("Your name").fill("Вера Планировщица")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    with server_app.app_context():
        workshop = planning.create_workshop(find_facilitator(email), "Библиотека утре", date(2013, 4, 9))
        item = AgendaItem(workshop_id=workshop.id, title="Добре дошли", starts_at=clock(10, 0), position=1)
        groups = [
            Group(workshop_id=workshop.id, name=f"Група {n}", colour=colour, position=n)
            for n, colour in ((1, "blue"), (2, "green"))
        ]
        db.session.add_all([item, *groups])
        db.session.commit()
        ids = {"workshop": workshop.id, "item": item.id, "groups": [g.id for g in groups]}
        db.session.remove()
    return page, ids


def change(server_app, model, row_id, **values):
    """Another facilitator, meanwhile: update a row (or delete it, with no values)."""
    from facilitator.extensions import db

    with server_app.app_context():
        row = db.session.get(model, row_id)
        if values:
            for name, value in values.items():
                setattr(row, name, value)
        else:
            db.session.delete(row)
        db.session.commit()
        db.session.remove()


def test_saving_an_agenda_item_deleted_meanwhile_keeps_the_text(planned, server_app):
    from facilitator.agenda.models import AgendaItem

    page, ids = planned
    page.goto(f"/workshops/{ids['workshop']}/agenda")
    page.get_by_role("button", name="Edit “Добре дошли”").click()
    edit = page.locator(f"#agenda-item-{ids['item']}")
    edit.get_by_label("Title").fill("Добре дошли, колеги")
    change(server_app, AgendaItem, ids["item"])
    edit.get_by_role("button", name="Save").click()
    add = page.locator("#agenda-add-form")
    expect(add.get_by_role("alert")).to_contain_text("Someone deleted this item while you were editing it")
    expect(add.get_by_label("Title")).to_have_value("Добре дошли, колеги")
    expect(page.locator(".agenda-item")).to_have_count(0)


def test_a_group_archived_or_removed_meanwhile_shows_the_current_list(planned, server_app):
    from datetime import UTC, datetime

    from facilitator.groups.models import Group

    page, ids = planned
    first, second = ids["groups"]
    page.goto(f"/workshops/{ids['workshop']}/groups")
    change(server_app, Group, first, archived_at=datetime.now(UTC))
    page.get_by_role("button", name="Move down: Група 1").click()  # 409
    expect(page.locator("#groups")).to_contain_text("“Група 1” was archived meanwhile, so nothing was changed.")
    expect(page.get_by_role("button", name="Move down: Група 1")).to_have_count(0)
    change(server_app, Group, second)
    page.get_by_role("button", name="Remove: Група 2").click()  # 404, swapped by groups.js
    expect(page.locator("#groups")).to_contain_text("This group is no longer in the workshop")
    expect(page.get_by_role("button", name="Remove: Група 2")).to_have_count(0)
