"""Fixtures for the process editor: an owned template and a way to post as a browser or as htmx."""

import pytest

from facilitator.extensions import db
from facilitator.stages import services
from tests.conftest import csrf_token_from

HX = {"HX-Request": "true"}


@pytest.fixture
def template(app, facilitator):
    """The facilitator's own copy of the built-in template, in English."""
    return services.copy_default_template(facilitator, "en")


@pytest.fixture
def others_template(app, other_facilitator):
    return services.copy_default_template(other_facilitator, "en")


@pytest.fixture
def send(client):
    """POST with a valid CSRF token, as a plain form (htmx=False) or as htmx."""

    def post(url, data=None, htmx=False):
        token = csrf_token_from(client, "/templates")
        return client.post(url, data={"csrf_token": token, **(data or {})}, headers=HX if htmx else {})

    return post


@pytest.fixture
def sign_in_as_other(client, other_facilitator, post_form):
    """Sign the client in as the other facilitator instead."""

    def sign_in():
        client.post("/signout", data={"csrf_token": csrf_token_from(client, "/")})
        response = post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
        assert response.status_code == 302

    return sign_in


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
