"""Shared fixtures: one app per pytest process, reset for each test (SQLite in memory, or the
PostgreSQL + Redis the run names, in a database of the process's own)."""

import copy
import os
import re
import secrets
import sqlite3
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask.testing import FlaskClient

from facilitator import create_app
from facilitator.config import TestingConfig, normalise_database_url
from facilitator.extensions import db, limiter
from facilitator.live.broker import create_broker
from facilitator.planning import services as planning

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


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session", autouse=True)
def _own_postgres_database():
    """On PostgreSQL, each pytest process (xdist worker) works in a database of its own.

    The variable is pointed at it for the whole session, so apps that tests build themselves
    (and the browser tests' server) stay out of the other worker's way too.
    """
    url = os.environ.get("FACILITATOR_TEST_DATABASE_URL", "").strip()
    if not url:
        yield
        return
    import psycopg

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"facilitator_test_{worker}_{secrets.token_hex(3)}"
    admin_url = normalise_database_url(url).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["FACILITATOR_TEST_DATABASE_URL"] = _with_database(url, name)
    try:
        yield
    finally:
        os.environ["FACILITATOR_TEST_DATABASE_URL"] = url
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _SharedApp:
    """One app per pytest process: building one costs ~0.3 s (Werkzeug compiles every rule)."""

    def __init__(self):
        self.app = create_app(TestingConfig)
        self.app.test_client_class = RequestClient
        self.config = copy.deepcopy(dict(self.app.config))
        self.limiter_storage = limiter._storage
        with self.app.app_context():
            self.on_postgres = db.engine.dialect.name == "postgresql"
            db.create_all()  # the worker's database is new (PostgreSQL) or in memory (SQLite)
            self.template = None
            if not self.on_postgres:
                # Each test gets a copy of this empty schema: a page copy, far cheaper than create_all.
                self.template = sqlite3.connect(":memory:")
                raw = db.engine.raw_connection()
                try:
                    raw.driver_connection.backup(self.template)
                finally:
                    raw.close()

    def reset(self):
        """Give the next test what a freshly built app had: config, limits, broker and empty tables."""
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        if limiter._storage is not self.limiter_storage:  # an app a test built re-bound the limiter
            limiter.init_app(app)
            self.limiter_storage = limiter._storage
        limiter.reset()
        app.extensions["broker"].close()
        app.extensions["broker"] = create_broker(app)
        db.session.remove()
        if self.on_postgres:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            raw = db.engine.raw_connection()
            try:
                self.template.backup(raw.driver_connection)
            finally:
                raw.close()

    def forget_redis_keys(self):
        """Sequences and replay buffers a test left in Redis under this app's prefix."""
        broker = self.app.extensions["broker"]
        if hasattr(broker, "redis"):
            keys = list(broker.redis.scan_iter(match=self.app.config["REDIS_PREFIX"] + "*", count=1000))
            if keys:
                broker.redis.delete(*keys)

    def close(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        self.app.extensions["broker"].close()
        if self.template is not None:
            self.template.close()


@pytest.fixture(scope="session")
def _shared_app(_own_postgres_database):
    shared = _SharedApp()
    yield shared
    shared.close()


@contextmanager
def _app_of_its_own():
    """An app built for this test alone, for tests that change the app itself (add a route)."""
    app = create_app(TestingConfig)
    app.test_client_class = RequestClient
    with app.app_context():
        on_postgres = db.engine.dialect.name == "postgresql"
        if on_postgres:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            db.create_all()
        limiter.reset()
        yield app
        db.session.remove()
        db.engine.dispose()
    app.extensions["broker"].close()


@pytest.fixture
def app(request, _shared_app):
    """The process's app, reset to how it was built, with the test inside its app context.

    Tests may change `app.config` or the limits freely: everything is put back before the next one.
    """
    if request.node.get_closest_marker("own_app"):
        with _app_of_its_own() as app:
            yield app
        return  # the next test's reset binds the limiter back to the shared app
    app = _shared_app.app
    bytecode_cache = app.jinja_env.bytecode_cache
    with app.app_context():
        _shared_app.reset()
        yield app
        db.session.remove()
        _shared_app.forget_redis_keys()
    app.jinja_env.bytecode_cache = bytecode_cache


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

    def create(owner=None, title="Библиотеката и нейните партньори", starts_on=date(2012, 6, 6), **kw):
        kw.setdefault("locale", "bg")
        return planning.create_workshop(owner or facilitator, title, starts_on, **kw)

    return create


@pytest.fixture
def workshop(create_workshop):
    from datetime import date

    return create_workshop(ends_on=date(2012, 6, 7), venue_place="Кюстендил")


@pytest.fixture
def other_facilitator(create_facilitator):
    """Someone with an account who must never see the default facilitator's workshops."""
    return create_facilitator(email="boris@example.bg", display_name="Борис", password="another password")
