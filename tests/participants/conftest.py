"""Fixtures for the participant side: groups, an open stage, and joined devices."""

import re

import pytest

from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.stages.models import StageState


@pytest.fixture
def groups(workshop):
    made = [
        Group(workshop_id=workshop.id, name=name, colour=colour, position=i)
        for i, (name, colour) in enumerate([("Група 1", "blue"), ("Група 2", "green")])
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


@pytest.fixture
def open_stage(workshop):
    """Stage 2 ("Goal") opened by the facilitator."""
    stage = workshop.process.stages[1]
    stage.state = StageState.OPEN.value
    db.session.commit()
    return stage


def csrf(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def join_as(app, workshop, groups):
    """A fresh device (test client) that joins the workshop by name and group."""

    def join(name, group=None, client=None):
        client = client or app.test_client()
        page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
        response = client.post(
            f"/j/{workshop.join_code}",
            data={
                "csrf_token": csrf(page),
                "display_name": name,
                "group": str((group or groups[0]).id),
                "website": "",
                "homepage": "http://",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        client.workspace_url = response.headers["Location"]
        client.token = csrf(client.get(client.workspace_url).get_data(as_text=True))
        return client

    return join
