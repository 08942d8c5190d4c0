import pytest

from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.participants import services as participant_services


@pytest.fixture
def groups(workshop):
    made = [Group(workshop_id=workshop.id, name=f"Група {n}", position=n) for n in (1, 2)]
    db.session.add_all(made)
    db.session.commit()
    return made


@pytest.fixture
def members(workshop, groups):
    return [
        participant_services.join(workshop, groups[0], "Ана"),
        participant_services.join(workshop, groups[0], "Борис"),
        participant_services.join(workshop, groups[1], "Вера"),
    ]
