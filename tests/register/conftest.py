"""Register fixtures: pending imports in a temporary folder, groups with results, an htmx-like client."""

import re

import pytest

from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.register import services

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def pending_imports(app, tmp_path):
    """Keep parsed-but-unconfirmed imports out of the real instance folder."""
    folder = tmp_path / "register-imports"
    app.config["REGISTER_IMPORT_DIR"] = str(folder)
    return folder


@pytest.fixture
def add_group(app):
    """A group of `workshop` with answers in its stage forms, as participants would leave them."""

    def add(workshop, name, category=None, service="", target="", description=""):
        position = db.session.scalar(db.select(db.func.count(Group.id)).filter_by(workshop_id=workshop.id))
        group = Group(workshop_id=workshop.id, position=position, name=name, service_category=category)
        db.session.add(group)
        db.session.flush()
        fields = {f.key: f for stage in workshop.process.stages for f in stage.fields}
        for key, value in (
            ("category", category),
            ("service_name", service),
            ("target_group", target),
            ("description", description),
        ):
            if value:
                db.session.add(Answer(group_id=group.id, field_id=fields[key].id, value=value))
        db.session.commit()
        return group

    return add


@pytest.fixture
def add_row(app):
    """A register row through the real service."""

    def add(workshop, number, name, municipality="", settlement="", category=None, description="", target=""):
        return services.add_entry(workshop, number, name, municipality, settlement, category, description, target)

    return add


class HtmxClient:
    """Requests as htmx sends them: HX-Request header, CSRF token in X-CSRFToken."""

    def __init__(self, client):
        self.client = client

    def token(self, workshop):
        page = self.client.get(f"/workshops/{workshop.id}/register").get_data(as_text=True)
        match = CSRF_INPUT.search(page)
        assert match, "no CSRF token on the register page"
        return match.group(1)

    def get(self, url, **kwargs):
        return self.client.get(url, headers=HX, **kwargs)

    def post(self, workshop, url, data=None, **kwargs):
        headers = {**HX, "X-CSRFToken": self.token(workshop)}
        return self.client.post(url, data=data or {}, headers=headers, **kwargs)


@pytest.fixture
def hx(client, as_facilitator):
    return HtmxClient(client)


@pytest.fixture
def as_other(client, other_facilitator, post_form):
    """Sign the client in as the other facilitator, who must never reach the default one's register."""
    response = post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    assert response.status_code == 302
    return other_facilitator


@pytest.fixture
def en(app):
    """A request context in English, for calling code that speaks to the user."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
