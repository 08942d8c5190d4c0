"""Fixtures for the workshops pages: signing in as anyone, on any host."""

import pytest

from facilitator.workshops import addresses

from .helpers import token_from


@pytest.fixture(autouse=True)
def lan(monkeypatch):
    """The laptop's network addresses the join pages find: none unless a test gives some."""
    found = []
    monkeypatch.setattr(addresses, "machine_addresses", lambda: list(found))
    return found


@pytest.fixture
def sign_in(client):
    """Sign in through the real form as anyone, optionally on another host (e.g. a LAN address)."""

    def sign_in_as(email="ana@example.org", password="correct horse", base_url="http://localhost"):
        page = client.get("/signin", base_url=base_url)
        response = client.post(
            "/signin",
            data={"csrf_token": token_from(page), "email": email, "password": password},
            base_url=base_url,
        )
        assert response.status_code == 302, "sign-in failed"
        return response

    return sign_in_as


@pytest.fixture
def as_other(other_facilitator, sign_in):
    """The client signed in as a facilitator who owns none of the default facilitator's workshops."""
    sign_in(other_facilitator.email, "another password")
    return other_facilitator
