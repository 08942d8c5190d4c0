"""Group services, called directly: names, colours, categories, order, removal, archive and restore."""

from contextlib import contextmanager
from datetime import date

import pytest

from facilitator.answers.models import Answer
from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.groups import services
from facilitator.groups.models import Group
from facilitator.groups.palette import PALETTE

COLOURS = list(PALETTE)


def names(groups):
    return [group.name for group in groups]


@contextmanager
def refused(code, field=None):
    """Expect the block to raise DomainError with this code and field."""
    with pytest.raises(DomainError) as info:
        yield
    assert (info.value.code, info.value.field) == (code, field)


def test_add_group_trims_orders_and_picks_the_next_free_colour(workshop):
    first = services.add_group(workshop, "  Група А  ")
    second = services.add_group(workshop, "Група Б", service_category="e-inclusion")
    third = services.add_group(workshop, "Група В", colour=COLOURS[3])
    fourth = services.add_group(workshop, "Група Г")
    assert first.name == "Група А"
    assert names(services.active_groups(workshop)) == ["Група А", "Група Б", "Група В", "Група Г"]
    assert [first.colour, second.colour, third.colour, fourth.colour] == [
        COLOURS[0],
        COLOURS[1],
        COLOURS[3],
        COLOURS[2],
    ]
    assert second.service_category == "e-inclusion"
    assert first.service_category is None
    assert first.archived_at is None


def test_colours_repeat_least_used_first_once_all_are_taken(workshop):
    for number in range(len(COLOURS)):
        services.add_group(workshop, f"Group {number}")
    assert services.next_colour(workshop) == COLOURS[0]
    services.add_group(workshop, "One more")
    assert services.next_colour(workshop) == COLOURS[1]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_empty_name_is_refused(workshop, name):
    with refused("empty-name", "name"):
        services.add_group(workshop, name)
    assert services.active_groups(workshop) == []


def test_name_of_80_characters_is_fine_81_is_refused(workshop):
    services.add_group(workshop, "я" * 80)
    with refused("long-name", "name"):
        services.add_group(workshop, "я" * 81)
    # Surrounding spaces are trimmed before counting.
    services.add_group(workshop, "  " + "b" * 80 + "  ")
    assert len(services.active_groups(workshop)) == 2


@pytest.mark.parametrize(
    "taken, again",
    [
        ("Група А", "група а"),
        ("Група А", "  ГРУПА А "),
        ("Biblioteka Łazy", "BIBLIOTEKA ŁAZY"),
        ("Team  One", "team one"),
    ],
)
def test_duplicate_names_are_refused_whatever_the_case_and_spaces(workshop, taken, again):
    services.add_group(workshop, taken)
    with refused("duplicate-name", "name"):
        services.add_group(workshop, again)
    assert len(services.active_groups(workshop)) == 1


def test_archived_groups_and_other_workshops_do_not_block_a_name(workshop, create_workshop, give_work):
    old = services.add_group(workshop, "Група А")
    give_work(old)
    services.remove_group(old, confirmed=True)
    again = services.add_group(workshop, "група а")
    assert again.archived_at is None
    other = create_workshop(title="Друга среща", starts_on=date(2012, 9, 1))
    assert services.add_group(other, "Група А").workshop_id == other.id


def test_unknown_colour_or_category_is_refused(workshop):
    with refused("unknown-colour", "colour"):
        services.add_group(workshop, "Група А", colour="pink")
    with refused("unknown-service-category", "service_category"):
        services.add_group(workshop, "Група А", service_category="e-cooking")
    assert services.active_groups(workshop) == []


def test_update_changes_all_three_or_nothing(workshop):
    group = services.add_group(workshop, "Група А")
    other = services.add_group(workshop, "Група Б")
    services.update_group(group, " Е-здраве за всички ", "teal", "e-health")
    assert (group.name, group.colour, group.service_category) == ("Е-здраве за всички", "teal", "e-health")
    services.update_group(group, "Е-здраве за всички", "teal", None)
    assert group.service_category is None

    for args, code, field in [
        (("Група Б", "red", "e-culture"), "duplicate-name", "name"),
        (("", "red", "e-culture"), "empty-name", "name"),
        (("x" * 81, "red", "e-culture"), "long-name", "name"),
        (("New", "pink", "e-culture"), "unknown-colour", "colour"),
        (("New", "red", "nope"), "unknown-service-category", "service_category"),
    ]:
        with refused(code, field):
            services.update_group(group, *args)
        db.session.expire_all()
        assert (group.name, group.colour, group.service_category) == ("Е-здраве за всички", "teal", None)
    assert other.name == "Група Б"


def test_a_group_may_keep_its_own_name_in_another_case(workshop):
    group = services.add_group(workshop, "Група А")
    services.update_group(group, "ГРУПА А", group.colour, group.service_category)
    assert group.name == "ГРУПА А"
    assert group.colour == COLOURS[0]


def test_move_group_swaps_neighbours_and_stops_at_the_ends(workshop):
    a, b, c = (services.add_group(workshop, name) for name in ("A", "B", "C"))
    assert services.move_group(c, -1) is True
    assert names(services.active_groups(workshop)) == ["A", "C", "B"]
    assert services.move_group(a, +1) is True
    assert names(services.active_groups(workshop)) == ["C", "A", "B"]
    assert services.move_group(c, -1) is False
    assert services.move_group(b, +1) is False
    assert names(services.active_groups(workshop)) == ["C", "A", "B"]
    assert services.position_of(a) == (2, 3)
    with pytest.raises(ValueError):
        services.move_group(a, 2)


def test_move_works_with_tied_positions(workshop):
    """Old data or a race may leave equal positions; moving still does what the user sees."""
    a, b, c = (services.add_group(workshop, name) for name in ("A", "B", "C"))
    for group in (a, b, c):
        group.position = 0
    db.session.commit()
    services.move_group(c, -1)
    assert names(services.active_groups(workshop)) == ["A", "C", "B"]


def test_removing_an_untouched_group_deletes_it(workshop):
    group = services.add_group(workshop, "Група А")
    group_id = group.id
    assert services.group_has_work(group) is False
    assert services.remove_group(group) == services.DELETED
    assert db.session.get(Group, group_id) is None
    assert services.archived_groups(workshop) == []


def test_a_group_with_answers_is_archived_only_after_confirmation(workshop, give_work):
    group = services.add_group(workshop, "Група А")
    answer = give_work(group)
    assert services.group_has_work(group) is True
    with refused("needs-confirmation"):
        services.remove_group(group)
    assert group.archived_at is None
    assert services.remove_group(group, confirmed=True) == services.ARCHIVED
    assert group.is_archived
    assert services.active_groups(workshop) == []
    assert services.archived_groups(workshop) == [group]
    kept = db.session.get(Answer, answer.id)
    assert kept is not None and kept.value == "Обучение по ИКТ за възрастни"


def test_archived_groups_refuse_changes(workshop, give_work):
    group = services.add_group(workshop, "Група А")
    give_work(group)
    services.remove_group(group, confirmed=True)
    with refused("archived"):
        services.update_group(group, "New", "red", None)
    with refused("archived"):
        services.move_group(group, -1)
    with refused("archived"):
        services.remove_group(group, confirmed=True)


def test_restore_puts_the_group_back_at_the_end(workshop, give_work):
    a = services.add_group(workshop, "A")
    services.add_group(workshop, "B")
    give_work(a)
    services.remove_group(a, confirmed=True)
    services.add_group(workshop, "C")
    services.restore_group(a)
    assert names(services.active_groups(workshop)) == ["B", "C", "A"]
    assert services.archived_groups(workshop) == []
    with refused("not-archived"):
        services.restore_group(a)


def test_restore_refuses_a_name_taken_meanwhile(workshop, give_work):
    group = services.add_group(workshop, "Група А")
    give_work(group)
    services.remove_group(group, confirmed=True)
    services.add_group(workshop, "ГРУПА А")
    with refused("duplicate-name", "name"):
        services.restore_group(group)
    assert group.is_archived


def test_find_group_only_within_the_workshop(workshop, create_workshop):
    group = services.add_group(workshop, "Група А")
    other = create_workshop(title="Друга среща")
    assert services.find_group(workshop, group.id) == group
    assert services.find_group(other, group.id) is None
    assert services.find_group(workshop, group.id + 100) is None
    assert services.find_group(workshop, 2**40) is None


def test_archived_groups_newest_first(workshop, give_work):
    first = services.add_group(workshop, "A")
    second = services.add_group(workshop, "B")
    for group in (first, second):
        give_work(group)
        services.remove_group(group, confirmed=True)
    assert services.archived_groups(workshop) == [second, first]


def test_a_group_with_members_is_archived_too(workshop):
    from facilitator.participants.models import Participant

    group = services.add_group(workshop, "Група А")
    member = Participant(workshop_id=workshop.id, group_id=group.id, display_name="Мария", token="t" * 32)
    db.session.add(member)
    db.session.commit()
    assert services.group_has_work(group) is True
    with refused("needs-confirmation"):
        services.remove_group(group)
    assert services.remove_group(group, confirmed=True) == services.ARCHIVED
    assert db.session.get(Participant, member.id).group_id == group.id


def test_every_change_tells_the_workshops_live_streams(app, workshop, give_work):
    broker = app.extensions["broker"]
    with broker.subscribe([f"workshop:{workshop.id}"]) as sub:
        a = services.add_group(workshop, "A")
        b = services.add_group(workshop, "B")
        services.update_group(a, "A2", a.colour, a.service_category)
        services.move_group(b, -1)
        services.move_group(b, -1)  # already first: nothing changes, nothing is said
        give_work(a)
        services.remove_group(a, confirmed=True)
        services.restore_group(a)
        services.remove_group(b)
        events = []
        while (message := sub.get(timeout=0.2)) is not None:
            events.append(message.event)
    assert events == ["groups-changed"] * 7
