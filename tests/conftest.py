"""Shared fixtures: an app per test on SQLite in memory, or on the PostgreSQL + Redis the run names."""

import re

import pytest
from flask.testing import FlaskClient

from facilitator import create_app
from facilitator.config import TestingConfig
from facilitator.extensions import db, limiter

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class RequestClient(FlaskClient):
    """Run each request in its own app context, as a real server does.

    The test itself holds an app context (so it can call services directly); without this,
    requests would share its `g`, and with it Flask-Babel's and Flask-Login's per-request caches.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The test's own session must see what the request committed.
        db.session.expire_all()
        return response


_postgres_ready = []


@pytest.fixture
def app():
    # TestingConfig gives each app a Redis prefix of its own: channels and counters stay apart.
    app = create_app(TestingConfig)
    app.test_client_class = RequestClient
    with app.app_context():
        on_postgres = db.engine.dialect.name == "postgresql"
        if not on_postgres:
            db.create_all()  # a fresh in-memory database per test
        elif not _postgres_ready:
            # PostgreSQL: build the schema once per run, then empty the tables after each test,
            # which is much faster than dropping and creating them every time.
            db.drop_all()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.create_all()
            _postgres_ready.append(True)
        limiter.reset()
        yield app
        db.session.remove()
        if on_postgres:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        # Each test builds its own engine and broker: close them, don't leak connections.
        db.engine.dispose()
        app.extensions["broker"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token_from(client, url):
    """Load a page as a browser would and take the CSRF token from its form."""
    response = client.get(url)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def post_form(client):
    """POST a form the way a browser does: first load the page for its CSRF token."""

    def post(url, data, page=None, **kwargs):
        token = csrf_token_from(client, page or url)
        return client.post(url, data={"csrf_token": token, **data}, **kwargs)

    return post


@pytest.fixture
def create_facilitator(app):
    """Factory for facilitator accounts made through the real service."""
    from facilitator.accounts import services

    def create(email="ana@example.org", display_name="Ana Nowak", password="correct horse", **kw):
        return services.sign_up(email, display_name, password, **kw)

    return create


@pytest.fixture
def facilitator(create_facilitator):
    return create_facilitator()


class FacilitatorSession:
    """Sign in and out through the real forms (flaskr's AuthActions)."""

    def __init__(self, post_form):
        self._post_form = post_form

    def sign_in(self, email="ana@example.org", password="correct horse"):
        return self._post_form("/signin", {"email": email, "password": password})

    def sign_out(self):
        return self._post_form("/signout", {}, page="/account")


@pytest.fixture
def as_facilitator(facilitator, post_form):
    """A client signed in as the default facilitator."""
    session = FacilitatorSession(post_form)
    response = session.sign_in()
    assert response.status_code == 302
    return session


@pytest.fixture
def create_workshop(app, facilitator):
    """Factory for workshops made through the real service (with the default 8-stage process)."""
    from datetime import date

    from facilitator.workshops import services

    def create(owner=None, title="Библиотеката и нейните партньори", starts_on=date(2012, 6, 6), **kw):
        kw.setdefault("locale", "bg")
        return services.create_workshop(owner or facilitator, title, starts_on, **kw)

    return create


@pytest.fixture
def workshop(create_workshop):
    from datetime import date

    return create_workshop(ends_on=date(2012, 6, 7), venue_place="Кюстендил")


@pytest.fixture
def other_facilitator(create_facilitator):
    """Someone with an account who must never see the default facilitator's workshops."""
    return create_facilitator(email="boris@example.bg", display_name="Борис", password="another password")
