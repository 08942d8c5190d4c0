"""Fixtures for the presenter view: the demo workshop and its facilitator signed in."""

import pytest

from facilitator import demo
from facilitator.extensions import db
from facilitator.groups.models import Group

DEMO_EMAIL, DEMO_PASSWORD = "demo@example.org", "demo-workshop"


@pytest.fixture
def demo_workshop(app):
    """The Kyustendil meeting of seed 004: five groups, eight stages, answers in stages 1 to 3."""
    _, workshop, _ = demo.load_demo(DEMO_EMAIL, DEMO_PASSWORD)
    return workshop


@pytest.fixture
def demo_groups(demo_workshop):
    return db.session.scalars(db.select(Group).filter_by(workshop_id=demo_workshop.id).order_by(Group.position)).all()


@pytest.fixture
def as_demo(demo_workshop, post_form):
    """The client signed in as the demo workshop's facilitator."""
    response = post_form("/signin", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return demo_workshop
