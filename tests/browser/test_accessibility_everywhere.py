"""axe-core on every page a facilitator, a participant or a stranger opens, in Polish, Bulgarian and English.

The facilitator's pages are found by following the links from the dashboard (one page of each
shape: the first agenda item's edit page stands for all of them), with the demo workshop half
way through its day, so that closed, open and later stages, the register and the published
report are all drawn. A serious or critical violation in any language fails.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, wait_for_live_stream

LANGUAGES = ("pl", "bg", "en")
#: Not pages: files, streams, and the way out.
NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|png|svg)$|/stream$|^/static/|^/logout|/signout")


@pytest.fixture
def demo(server_app):
    """The demo workshop mid-day: stages 1-2 closed, 3 open, a published report."""
    from facilitator import demo as demo_data
    from facilitator.agenda.models import AgendaItem
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.register.models import RegisterEntry
    from facilitator.report import services as report
    from facilitator.stages import services as stage_services
    from facilitator.stages.models import StageState

    with server_app.app_context():
        facilitator, workshop, _ = demo_data.load_demo("demo@example.org", "demo-workshop")
        for number, stage in enumerate(workshop.process.stages, 1):
            stage.state = (
                StageState.CLOSED if number < 3 else StageState.OPEN if number == 3 else StageState.LOCKED
            ).value
        workshop.status = "live"
        db.session.commit()
        token = report.publish_report(workshop)
        group = db.session.scalars(db.select(Group).filter_by(workshop_id=workshop.id).order_by(Group.position)).first()
        item = db.session.scalars(db.select(AgendaItem).filter_by(workshop_id=workshop.id)).first()
        entry = db.session.scalars(db.select(RegisterEntry).filter_by(workshop_id=workshop.id)).first()
        stage = workshop.process.stages[0]
        template = next(iter(stage_services.templates_of(facilitator)), None) or stage_services.copy_default_template(
            facilitator, "bg"
        )
        base = f"/workshops/{workshop.id}"
        # Pages no link reaches (htmx swaps them in) or that stand for many rows: named here.
        pages = [
            "/workshops/new",
            f"{base}/agenda/items/{item.id}/edit",
            f"{base}/agenda/items/{item.id}/delete",
            f"{base}/groups/{group.id}/edit",
            f"{base}/register/rows/{entry.id}/edit",
            f"{base}/register/rows/{entry.id}/delete",
            f"{base}/register/fill",
            f"{base}/process/stages/{stage.id}",
            f"{base}/process/stages/{stage.id}/remove",
            f"{base}/report/preview",
            f"{base}/control?group={group.id}",
        ]
        tid, tstage = template.id, template.stages[0].id
        pages += [f"/templates/{tid}", f"/templates/{tid}/delete", f"/templates/{tid}/stages/{tstage}"]
        pages.append(f"/templates/{tid}/stages/{tstage}/remove")
        found = {"id": workshop.id, "code": workshop.join_code, "group": group.id, "report": token, "pages": pages}
        db.session.remove()
        return found


def choose_language(page, code):
    page.locator("#language-select").select_option(code)
    page.locator(".language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def shape(path):
    """/workshops/3/agenda/items/17/edit -> /workshops/#/agenda/items/#/edit: one visit per kind of page."""
    return re.sub(r"/\d+", "/#", path)


def facilitator_pages(page, demo):
    """Every page reachable by links from the dashboard and the demo workshop, one of each shape."""
    start = ["/dashboard", f"/workshops/{demo['id']}", *demo["pages"]]
    seen, queue, pages = set(), list(start), []
    while queue and len(pages) < 80:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = shape(parts.path) + (
            "?" + "&".join(sorted(k.split("=")[0] for k in parts.query.split("&"))) if parts.query else ""
        )
        if key in seen or NOT_PAGES.search(parts.path):
            continue
        seen.add(key)
        response = page.goto(url)
        # (409: a refusal page people see too, such as "this stage has answers, it cannot be removed".)
        assert response is not None and response.status in (200, 409), f"{url}: {response and response.status}"
        pages.append(url)
        yield url
        for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/") or target.path == parts.path and not target.query:
                continue
            mine = target.path.startswith(
                (f"/workshops/{demo['id']}", "/templates", "/account", "/dashboard", "/r/", "/series")
            )
            if mine:
                queue.append(target.path + ("?" + target.query if target.query else ""))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_facilitator_page_passes_axe(new_page, demo, language):
    page = new_page()
    page.goto("/signin")
    choose_language(page, language)
    page.locator("#email").fill("demo@example.org")
    page.locator("#password").fill("demo-workshop")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard"))
    checked = []
    for url in facilitator_pages(page, demo):
        # (The presenter view speaks the workshop's language, for the room: axe checks lang is right.)
        try:
            check_accessibility(page)
        except AssertionError as error:
            raise AssertionError(f"{url} in {language}: {error}") from None
        checked.append(url)
    # The crawl reached the pages of the day, not only the dashboard.
    reached = {shape(urlsplit(url).path) for url in checked}
    assert len(reached) >= 28, "\n".join(sorted(reached))
    for expected in (
        "/workshops/#/control",
        "/workshops/#/agenda",
        "/workshops/#/register",
        "/workshops/#/present",
        "/workshops/#/venue",
        "/series",
    ):
        assert any(path.startswith(expected) for path in reached), (expected, sorted(reached))


@pytest.mark.parametrize("language", LANGUAGES)
def test_strangers_and_participants_pages_pass_axe(new_page, demo, language):
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    choose_language(page, language)
    # (The password reset pages exist only where mail is set up.)
    for url in ("/", "/signin", "/signup", f"/r/{demo['report']}", f"/j/{demo['code']}"):
        response = page.goto(url)
        assert response.status == 200, url
        check_accessibility(page)
    page.locator("#display_name").fill(f"Проба {language}")
    page.locator("#group").select_option(str(demo["group"]))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/w/{demo['id']}/g/{demo['group']}$"))
    wait_for_live_stream(page)
    check_accessibility(page)
    page.locator(".stage-card--closed summary").first.click()  # a folded stage, opened
    check_accessibility(page)
