"""Agenda fixtures: workshops with items, and an htmx-like client that sends the CSRF header."""

import re
from datetime import date, time

import pytest

from facilitator.agenda import services

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX = {"HX-Request": "true"}


@pytest.fixture
def one_day(create_workshop):
    """A one-day workshop in Bulgarian, 9:00 to 17:00."""
    return create_workshop(title="Библиотеката и партньорите", starts_on=date(2012, 6, 6))


@pytest.fixture
def add(app):
    """Add an item through the real service."""

    def add_item(workshop, title, starts_at=None, duration_minutes=30, kind="talk", day_index=0, description=""):
        return services.add_item(
            workshop,
            title,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            kind=kind,
            description=description,
            day_index=day_index,
        )

    return add_item


@pytest.fixture
def opening_day(one_day, add):
    """Opening 9:00-9:15, talk 9:15-10:00, break 10:00-10:20: a plausible morning, no flags."""
    add(one_day, "Откриване", time(9, 0), 15, "greeting")
    add(one_day, "Библиотеката като център", None, 45, "talk")
    add(one_day, "Кафе пауза", None, 20, "break")
    return one_day


class HtmxClient:
    """Requests as htmx sends them: HX-Request header, CSRF token in X-CSRFToken."""

    def __init__(self, client):
        self.client = client

    def token(self, page):
        match = CSRF_INPUT.search(self.client.get(page).get_data(as_text=True))
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def get(self, url, **kwargs):
        return self.client.get(url, headers=HX, **kwargs)

    def post(self, url, data=None, page=None, **kwargs):
        token = self.token(page or url.split("/agenda")[0] + "/agenda")
        return self.client.post(url, data=data or {}, headers={**HX, "X-CSRFToken": token}, **kwargs)


@pytest.fixture
def hx(client, as_facilitator):
    return HtmxClient(client)


@pytest.fixture
def as_other(client, other_facilitator, post_form):
    """Sign the client in as the other facilitator, who must never reach the default one's agenda."""
    response = post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    assert response.status_code == 302
    return other_facilitator
