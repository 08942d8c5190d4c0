"""Fixtures for the report: the demo workshop, its facilitator signed in, and a small catalog."""

import pytest

from facilitator import demo
from facilitator.extensions import babel

from .catalog import write_catalogs

DEMO_EMAIL, DEMO_PASSWORD = "demo@example.org", "demo-workshop"


@pytest.fixture
def demo_workshop(app):
    """The Kyustendil meeting of seed 004, in Bulgarian, with its agenda and five groups."""
    _, workshop, _ = demo.load_demo(DEMO_EMAIL, DEMO_PASSWORD)
    return workshop


@pytest.fixture
def as_demo(demo_workshop, post_form):
    """The client signed in as the demo workshop's facilitator."""
    response = post_form("/signin", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return demo_workshop


@pytest.fixture
def report_catalog(app, tmp_path):
    """Polish and Bulgarian for the report's sentences, added after the app's own catalogs."""
    write_catalogs(tmp_path)
    directories = app.extensions["babel"].translation_directories
    directories.append(str(tmp_path))
    babel.domain_instance.cache.clear()  # translations are cached per process, not per app
    yield
    directories.remove(str(tmp_path))
    babel.domain_instance.cache.clear()
