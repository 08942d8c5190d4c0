"""A series hosted in turn: partners in order, the next meeting planned from the last, planners shared."""

from datetime import date, time

import pytest

from facilitator.agenda.models import AgendaItem
from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.series import services
from facilitator.workshops.models import WorkshopFacilitator

PARTNERS = [
    ("Gminna Biblioteka Publiczna w Łazach", "Łazy"),
    ("Miejsko-Gminna Biblioteka Publiczna w Pilicy", "Pilica"),
    ("Gminna Biblioteka Publiczna w Kroczycach", "Kroczyce"),
    ("Miejska Biblioteka Publiczna w Andrychowie", "Andrychów"),
]


@pytest.fixture
def series(facilitator):
    made = services.create_series(facilitator, "  Podaj   dalej ", "Cztery spotkania, cztery biblioteki.")
    for name, place in PARTNERS:
        services.add_partner(made, name, place)
    return made


def test_a_series_keeps_its_partners_in_the_order_they_host(series, facilitator, other_facilitator):
    assert series.title == "Podaj dalej"
    assert [(p.name, p.place) for p in series.partners] == PARTNERS
    assert services.series_of(facilitator) == [series]
    assert services.managed_series(other_facilitator, series.id) is None
    assert services.series_of(other_facilitator) == []


@pytest.mark.parametrize(
    "name, place, code",
    [
        ("   ", "", "partner-name-missing"),
        ("x" * 201, "", "partner-name-too-long"),
        ("gminna biblioteka publiczna w łazach", "", "partner-taken"),
        ("Biblioteka", "p" * 201, "partner-place-too-long"),
    ],
)
def test_a_partner_without_a_name_or_twice_is_refused(series, name, place, code):
    with pytest.raises(DomainError) as refused:
        services.add_partner(series, name, place)
    assert refused.value.code == code
    db.session.rollback()
    assert len(series.partners) == 4


def test_each_next_meeting_is_hosted_by_the_next_partner_and_copies_the_last_plan(series, facilitator):
    first = services.plan_next_meeting(series, facilitator, "Podaj dalej 1")
    assert (first.series_number, first.host.place, first.venue_place) == (1, "Łazy", "Łazy")
    db.session.add(AgendaItem(workshop_id=first.id, position=0, starts_at=time(10), title="Prezentacja multimedialna"))
    db.session.add(Group(workshop_id=first.id, name="Biblioteka w Pilicy", position=0))
    db.session.commit()
    second = services.plan_next_meeting(series, facilitator, "Podaj dalej 2")
    assert (second.series_number, second.host.place, second.venue_place) == (2, "Pilica", "Pilica")
    agenda = db.session.scalars(db.select(AgendaItem.title).filter_by(workshop_id=second.id)).all()
    groups = db.session.scalars(db.select(Group.name).filter_by(workshop_id=second.id)).all()
    assert agenda == ["Prezentacja multimedialna"] and groups == ["Biblioteka w Pilicy"]
    hosts = [services.plan_next_meeting(series, facilitator, f"Podaj dalej {n}").host.place for n in (3, 4, 5)]
    assert hosts == ["Kroczyce", "Andrychów", "Łazy"]  # and round again
    assert [m.series_number for m in services.meetings_of(series)] == [1, 2, 3, 4, 5]


def test_an_existing_workshop_joins_the_series_once(series, create_workshop, facilitator, other_facilitator):
    workshop = create_workshop(title="Spotkanie w Kroczycach", starts_on=date(2011, 4, 7))
    services.add_meeting(series, workshop, series.partners[2])
    assert (workshop.series_number, workshop.host.name, workshop.venue_place) == (1, PARTNERS[2][0], "Kroczyce")
    assert services.next_host(series).place == "Andrychów"
    with pytest.raises(DomainError) as refused:
        services.add_meeting(series, workshop, None)
    assert refused.value.code == "already-in-series"
    other = services.create_series(other_facilitator, "Inna seria")
    stranger = services.add_partner(other, "Biblioteka obca", "Gdzieś")
    second = create_workshop(title="Drugie")
    with pytest.raises(DomainError) as refused:
        services.add_meeting(series, second, stranger)
    assert refused.value.code == "foreign-partner" and second.series_id is None


def test_a_partners_person_plans_every_meeting_of_the_series(series, facilitator, create_facilitator):
    first = services.plan_next_meeting(series, facilitator, "Podaj dalej 1")
    partner = create_facilitator(email="pilica@example.org", display_name="Barbara z Pilicy")
    services.invite_co_facilitator(series, "Pilica@Example.org")
    second = services.plan_next_meeting(series, facilitator, "Podaj dalej 2")
    for meeting in (first, second):
        rows = db.session.scalars(db.select(WorkshopFacilitator).filter_by(workshop_id=meeting.id))
        roles = {m.facilitator_id: m.role for m in rows}
        assert roles == {facilitator.id: "owner", partner.id: "co-facilitator"}
    assert services.managed_series(partner, series.id) == series
    for email, code in (("nobody@example.org", "no-account"), ("pilica@example.org", "already-series-facilitator")):
        with pytest.raises(DomainError) as refused:
            services.invite_co_facilitator(series, email)
        assert refused.value.code == code
