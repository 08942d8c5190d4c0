"""Fixtures for the groups area: groups made through the service, and answers that give them work."""

import pytest

from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups import services


@pytest.fixture
def add_group(workshop):
    """Factory: a group in the default workshop (or the one given), through the real service."""

    def add(name, colour=None, service_category=None, workshop_=None):
        return services.add_group(workshop_ or workshop, name, colour, service_category)

    return add


@pytest.fixture
def give_work(workshop):
    """Give a group an answer, straight through the model, so removing it must archive it."""

    def give(group, value="Обучение по ИКТ за възрастни"):
        stage_field = workshop.process.stages[0].fields[0]
        answer = Answer(group_id=group.id, field_id=stage_field.id, value=value)
        db.session.add(answer)
        db.session.commit()
        return answer

    return give


@pytest.fixture
def groups_url(workshop):
    """URL builder for the default workshop's group pages."""

    def url(group=None, action=""):
        base = f"/workshops/{workshop.id}/groups"
        if group is not None:
            base += f"/{group if isinstance(group, int) else group.id}"
        return base + (f"/{action}" if action else "")

    return url
