"""The service worker's script and rules: what a phone keeps for when the Wi-Fi goes, and what never."""

import json
import re

from flask import url_for

from facilitator.participants.offline import RULES, keeps

WORKER = "/offline-worker.js"


def test_the_worker_may_serve_the_participants_pages_only_and_is_asked_about_on_every_visit(client):
    response = client.get(WORKER)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"  # a fixed worker reaches phones on their next visit
    assert response.headers["Service-Worker-Allowed"] == "/w/"
    body = response.get_data(as_text=True)
    first, rest = body.split("\n", 1)
    assert json.loads(first.removeprefix("var OFFLINE_RULES = ").removesuffix(";")) == RULES
    assert 'self.addEventListener("fetch"' in rest


def test_the_phone_keeps_its_groups_page_and_hashed_files_only(app, workshop, groups, join_as):
    ana = join_as("Ana")
    page = ana.get(ana.workspace_url).get_data(as_text=True)
    assert keeps("page", ana.workspace_url)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(keeps("static", src) for src in scripts)  # each with its ?v= hash
    ids = {"workshop_id": workshop.id, "group_id": groups[0].id}
    with app.test_request_context():
        never = [
            url_for("participants.stream", **ids),
            url_for("participants.field", field_id=1, **ids),  # fragments and saves
            url_for("participants.stage_card", stage_id=1, **ids),
            url_for("participants.stage_news", **ids),
            url_for("participant_pdfs.group_pdf", **ids),
            url_for("participant_pdfs.workshop_pdf", **ids),
            url_for("participants.workspace", **ids) + "?x=1",
            url_for("joining.takeover_wait", workshop_id=workshop.id),
            url_for("workshops.join_sheet", workshop_id=workshop.id),  # a facilitator's page
            "/static/js/app.js",  # no hash: it may change under the same name
            "/static/js/app.js?v=",
            WORKER,
        ]
    assert [url for url in never if keeps("page", url) or keeps("static", url)] == []


def test_the_workspace_starts_the_worker_and_can_say_it_is_a_copy_in_the_readers_language(workshop, groups, join_as):
    ana = join_as("Ana")
    page = ana.get(ana.workspace_url, headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert re.search(
        r'<script src="/static/js/offline\.js\?v=[0-9a-f]+" data-worker="/offline-worker\.js" data-scope="/w/" defer>',
        page,
    )
    notice = re.search(r'<p class="offline-copy" id="offline-copy"[^>]*>', page).group(0)
    assert " hidden" in notice  # shown only on the kept copy
    assert 'data-message="Jesteś offline: tak wyglądała ta strona o %(time)s.' in notice


def test_a_seatless_device_on_the_join_page_forgets_what_an_earlier_seat_kept(client, workshop, groups):
    page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert re.search(
        r'<script src="/static/js/offline\.js\?v=[0-9a-f]+" data-worker="/offline-worker\.js" data-scope="/w/" data-forget defer>',
        page,
    )
