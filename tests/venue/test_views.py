"""The "Check this laptop" page: start a check (in a process of its own), watch it, read its verdict."""

import json
import os
import time

import pytest

from facilitator.venue import status
from facilitator.workshops import services as workshop_services

from .test_verdict import GOOD


@pytest.fixture
def started(app, tmp_path, monkeypatch):
    """The check's process replaced by a note of what it was asked; the status file in a folder of the test's own."""
    calls = []
    monkeypatch.setitem(app.config, "VENUE_CHECK_STATUS_FILE", str(tmp_path / "venue-check.json"))
    monkeypatch.setitem(
        app.config,
        "VENUE_CHECK_LAUNCHER",
        lambda environ, phones, workshop, language: calls.append((phones, workshop.id, language)),
    )
    return calls


def page_url(workshop, tail=""):
    return f"/workshops/{workshop.id}/venue{tail}"


def test_the_overview_links_to_the_check_and_its_page_asks_how_many_phones(as_facilitator, client, workshop):
    overview = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert page_url(workshop) in overview and "Check this laptop" in overview
    page = client.get(page_url(workshop)).get_data(as_text=True)
    assert '<label for="phones">Number of phones</label>' in page
    assert 'min="10"' in page and 'max="300"' in page


def test_starting_a_check_runs_it_apart_and_shows_it_running(as_facilitator, client, post_form, workshop, started):
    response = post_form(page_url(workshop), {"phones": "60"}, page=page_url(workshop))
    assert response.status_code == 302
    assert started == [(60, workshop.id, "en")]
    path = status.status_path(client.application)
    status.claim(path, os.getpid(), phones=60, step="typing")  # as the check's process writes it
    status.update(path, os.getpid(), values={"left": 35}, at=time.time())
    fragment = client.get(page_url(workshop, "/status"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "A check with 60 phones is running. Phones typing: 35 s left." in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_the_verdict_replaces_the_progress_when_the_check_is_done(as_facilitator, client, workshop, started, app):
    path = status.status_path(app)
    path.write_text(json.dumps({"state": "done", "pid": 1, "phones": 60, "figures": GOOD}))
    fragment = client.get(page_url(workshop, "/status"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "This laptop holds 60 phones: saves reach teammates in 40 ms (p95), 0 lost." in fragment
    assert "hx-trigger" not in fragment  # no more polling


def test_a_live_workshop_is_refused_and_nothing_starts(as_facilitator, client, post_form, workshop, started):
    workshop_services.set_status(workshop, "live")
    response = post_form(page_url(workshop), {"phones": "60"}, page=page_url(workshop))
    assert response.status_code == 409
    assert "is live: people are using it now" in response.get_data(as_text=True)
    assert started == []


def test_another_facilitators_live_workshop_is_counted_not_named(
    as_facilitator, client, post_form, workshop, create_workshop, other_facilitator, started
):
    elsewhere = create_workshop(owner=other_facilitator, title="Чужда работилница")
    workshop_services.set_status(elsewhere, "live")
    response = post_form(page_url(workshop), {"phones": "60"}, page=page_url(workshop))
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "right now (1 other workshop)" in text and "Чужда" not in text
    assert started == []


def test_one_check_at_a_time(as_facilitator, client, post_form, workshop, started, app):
    status.claim(status.status_path(app), os.getpid(), phones=30)
    response = post_form(page_url(workshop), {"phones": "60"}, page=page_url(workshop))
    assert response.status_code == 409
    assert "A check is already running on this server." in response.get_data(as_text=True)
    assert started == []


def test_a_number_out_of_range_is_explained(as_facilitator, client, post_form, workshop, started):
    response = post_form(page_url(workshop), {"phones": "5000"}, page=page_url(workshop))
    assert response.status_code == 422
    assert "The number of phones must be between 10 and 300." in response.get_data(as_text=True)
    assert started == []


def test_without_a_server_address_the_page_says_how_to_run_it(as_facilitator, client, post_form, workshop, app):
    response = post_form(page_url(workshop), {"phones": "60"}, page=page_url(workshop))
    assert response.status_code == 409
    assert "start it with make run" in response.get_data(as_text=True)
