"""A phone that reloads while the Wi-Fi is down: the service worker's kept copy (127.0.0.1 is a secure context)."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .conftest import check_accessibility
from .test_workspace_browser import join, scene  # noqa: F401  (scene is a fixture)

PAGES = "facilitator-pages-v1"
STATICS = "facilitator-static-v1"
KEPT = """async () => {
  const names = await caches.keys(), kept = {};
  for (const name of names) kept[name] = (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname + new URL(r.url).search);
  return kept;
}"""
OFFLINE_NOTICE = re.compile(
    r"You are offline: this is the page as it was at \d{1,2}:\d\d( [AP]M)?\. What you type is kept on this phone"
    r" and saved when the connection is back\."
)


def wait_until_kept(page):
    """The worker controls the page and has kept it (on a first visit it keeps it on the page's word)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        f"async () => !!(await (await caches.open('{PAGES}')).match(location.origin + location.pathname))"
    )


def end_seat(server_app, participant_id):
    """The server forgets the seat (its token renewed, as removing someone does), saying nothing to the page."""
    import secrets

    from facilitator.extensions import db
    from facilitator.participants.models import Participant

    with server_app.app_context():
        participant = db.session.get(Participant, participant_id)
        participant.token = secrets.token_urlsafe(32)
        db.session.commit()


def test_a_reload_without_network_shows_the_page_as_last_seen_then_catches_up(new_page, scene):
    ana = new_page()
    join(ana, scene, "Ана")
    wait_until_kept(ana)
    # The worker works on the participants' pages only.
    assert ana.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope").endswith("/w/")
    name = ana.locator(f"#answer-{scene['fields']['service_name']}")
    description = ana.locator(f"#answer-{scene['fields']['description']}")
    # Saved after the page was kept: the copy must still show it, as the phone last showed it.
    name.fill("Аудио приказки")
    expect(ana.locator(f"#answer-{scene['fields']['service_name']}-status")).to_contain_text("Saved")

    ana.context.set_offline(True)
    description.fill("Написано без мрежа")
    description.press("Tab")
    expect(ana.locator(f"#answer-{scene['fields']['description']}-status")).to_contain_text("Offline: will retry")
    ana.reload()

    expect(ana.get_by_role("heading", level=1)).to_have_text(scene["group"])
    notice = ana.locator("#offline-copy")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(OFFLINE_NOTICE)
    expect(ana.locator("#connection-status")).to_be_hidden()  # one notice, not two
    expect(name).to_have_value("Аудио приказки")
    expect(description).to_have_value("Написано без мрежа")
    check_accessibility(ana)
    # Still typing on the copy: kept on the phone too.
    description.fill("Написано без мрежа, и още")

    ana.context.set_offline(False)
    # Back: the typing is saved, then the page is loaded anew (no copy, no notice), the caret kept.
    expect(notice).to_be_hidden(timeout=15_000)
    expect(description).to_have_value("Написано без мрежа, и още")
    expect(description).to_be_focused()
    expect(name).to_have_value("Аудио приказки")
    ana.wait_for_function("() => window.__streamsOpened > 0")  # live again
    # Saved on the server: nothing waits on the phone (a draft goes only once the server has the text).
    assert ana.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('facilitator:draft:'))") == []

    # Kept: the group's page and hashed static files, nothing else (no stream, save, fragment, PDF).
    kept = ana.evaluate(KEPT)
    assert kept[PAGES] == [re.sub(r"^https?://[^/]+", "", ana.url)]
    assert kept[STATICS] and all(re.fullmatch(r"/static/\S+\?v=[0-9a-f]+", url) for url in kept[STATICS])


def test_the_kept_page_goes_when_the_seat_ends(new_page, scene, server_app):
    ana = new_page()
    join(ana, scene, "Ана")
    wait_until_kept(ana)
    workspace = ana.url
    # The seat ends on the server (a cookie renewed by a request still on its way holds the old
    # token, so it cannot bring the seat back); the phone opens its page again.
    end_seat(server_app, int(ana.locator("#workspace").get_attribute("data-me")))
    ana.goto(workspace)
    expect(ana.get_by_text("Your session on this device has ended")).to_be_visible()
    assert ana.evaluate(KEPT).get(PAGES, []) == []

    # Offline now, the workspace is no longer there to show.
    ana.context.set_offline(True)
    with pytest.raises(PlaywrightError, match=r"net::ERR_"):  # chromium's own "cannot reach" page
        ana.goto(workspace)
    ana.context.set_offline(False)


def test_a_seatless_device_on_the_join_page_forgets_the_kept_page(new_page, scene, server_app):
    ana = new_page()
    join(ana, scene, "Ана")
    wait_until_kept(ana)
    end_seat(server_app, int(ana.locator("#workspace").get_attribute("data-me")))  # its cookie opens nothing now
    ana.goto(f"/j/{scene['code']}")
    expect(ana.get_by_role("heading", name="Join the workshop")).to_be_visible()
    ana.wait_for_function(f"async () => !(await (await caches.open('{PAGES}')).keys()).length")
    assert ana.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('facilitator:seen:'))") == []
