"""Agenda services, called directly: ordering, times, flags, speakers and refusals."""

from datetime import date, time

import pytest

from facilitator.agenda import services
from facilitator.agenda.models import AgendaItem, Speaker
from facilitator.core.domain import DomainError
from facilitator.extensions import db


def titles(workshop, day_index=None):
    items = services.items_of(workshop)
    return [i.title for i in items if day_index is None or i.day_index == day_index]


def starts(workshop, day_index=0):
    return [i.starts_at for i in services.day_items(workshop, day_index)]


def positions(workshop):
    return [i.position for i in services.items_of(workshop)]


# --- adding ----------------------------------------------------------------------------------


def test_first_item_starts_at_day_start_and_next_follow_the_previous(one_day, add):
    first = add(one_day, "Откриване", None, 15, "greeting")
    second = add(one_day, "Доклад", None, 40)
    third = add(one_day, "Обяд", time(12, 30), 60, "break")
    fourth = add(one_day, "Групова работа", None, 90, "group-work")
    assert first.starts_at == time(9, 0)
    assert second.starts_at == time(9, 15)
    assert third.starts_at == time(12, 30)
    assert fourth.starts_at == time(13, 30)
    assert positions(one_day) == [0, 1, 2, 3]
    assert [i.kind for i in services.items_of(one_day)] == ["greeting", "talk", "break", "group-work"]


def test_start_follows_the_workshops_own_day_start(create_workshop, add):
    workshop = create_workshop(day_starts_at=time(10, 30), day_ends_at=time(15, 0))
    assert add(workshop, "Welcome").starts_at == time(10, 30)


def test_items_are_appended_to_the_end_of_their_day(workshop, add):
    add(workshop, "Day one, first")
    add(workshop, "Day two, first", day_index=1)
    add(workshop, "Day one, second")
    assert titles(workshop, 0) == ["Day one, first", "Day one, second"]
    assert titles(workshop, 1) == ["Day two, first"]
    # Positions follow the days, so the workshop-wide order is the printed order.
    assert titles(workshop) == ["Day one, first", "Day one, second", "Day two, first"]
    assert positions(workshop) == [0, 1, 2]
    # A new day-two item starts at the day's start, not after day one's items.
    assert services.day_items(workshop, 1)[0].starts_at == time(9, 0)


def test_title_is_trimmed(one_day, add):
    assert add(one_day, "   Откриване  ").title == "Откриване"


@pytest.mark.parametrize(
    "changes, code, field",
    [
        ({"duration_minutes": -15}, "duration-too-short", "duration_minutes"),
        ({"duration_minutes": 0}, "duration-too-short", "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration-too-long", "duration_minutes"),
        ({"duration_minutes": None}, "duration-required", "duration_minutes"),
        ({"duration_minutes": "45"}, "duration-not-a-number", "duration_minutes"),
        ({"title": ""}, "title-required", "title"),
        ({"title": "   "}, "title-required", "title"),
        ({"title": "x" * 300}, "title-too-long", "title"),
        ({"kind": "keynote"}, "unknown-kind", "kind"),
        ({"day_index": 2}, "unknown-day", "day_index"),
        ({"day_index": -1}, "unknown-day", "day_index"),
        ({"starts_at": "09:30"}, "bad-time", "starts_at"),
        ({"description": "x" * 2001}, "description-too-long", "description"),
    ],
)
def test_add_refuses_bad_values_and_saves_nothing(workshop, changes, code, field):
    values = {
        "title": "Доклад",
        "starts_at": time(9, 0),
        "duration_minutes": 30,
        "kind": "talk",
        "description": "",
        "day_index": 0,
    }
    values.update(changes)
    with pytest.raises(DomainError) as refused:
        services.add_item(workshop, **values)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 0


def test_a_whole_day_is_the_longest_item(one_day, add):
    assert add(one_day, "Hackathon", time(0, 0), 24 * 60).duration_minutes == 1440


# --- flags -----------------------------------------------------------------------------------


def test_plausible_morning_has_no_flags(opening_day):
    agenda = services.agenda_for(opening_day)
    assert [(e.overlaps_previous, e.past_day_end) for e in agenda.entries] == [(False, False)] * 3
    assert agenda.items_past_end == [] and agenda.items_overlapping == []


def test_overlap_is_flagged_not_refused(one_day, add):
    add(one_day, "Откриване", time(9, 0), 30)
    overlapping = add(one_day, "Поздрав", time(9, 20), 10, "greeting")
    touching = add(one_day, "Доклад", time(9, 30), 30)
    agenda = services.agenda_for(one_day)
    flags = {e.item.title: e.overlaps_previous for e in agenda.entries}
    assert flags == {"Откриване": False, "Поздрав": True, "Доклад": False}
    assert agenda.items_overlapping == [overlapping]
    # Starting exactly when the previous one ends is not an overlap.
    assert touching not in agenda.items_overlapping


def test_an_item_earlier_than_the_one_before_counts_as_overlap(one_day, add):
    add(one_day, "Later", time(11, 0), 30)
    earlier = add(one_day, "Earlier", time(9, 0), 30)
    assert services.agenda_for(one_day).items_overlapping == [earlier]


def test_items_past_the_end_of_the_day_are_flagged(one_day, add):
    add(one_day, "Last talk", time(16, 30), 30)
    late = add(one_day, "Too late", time(16, 45), 30)
    past_midnight = add(one_day, "Night", time(23, 0), 120)
    agenda = services.agenda_for(one_day)
    assert agenda.items_past_end == [late, past_midnight]
    entry = agenda.entry_for(past_midnight)
    assert entry.end_minutes == 25 * 60 and entry.ends_at == time(1, 0)


def test_flags_only_compare_items_of_the_same_day(workshop, add):
    add(workshop, "Day one", time(9, 0), 120)
    second = add(workshop, "Day two", time(9, 0), 30, day_index=1)
    agenda = services.agenda_for(workshop)
    assert agenda.entry_for(second).overlaps_previous is False
    assert [d.index for d in agenda.days] == [0, 1]
    assert agenda.days[1].date == date(2012, 6, 7)
    assert agenda.is_multi_day


def test_flags_follow_the_workshops_day_end(create_workshop, add):
    workshop = create_workshop(day_ends_at=time(12, 0))
    item = add(workshop, "Afternoon", time(11, 30), 45)
    assert services.agenda_for(workshop).items_past_end == [item]


def test_items_on_a_day_after_the_last_one_still_show(workshop, add):
    item = add(workshop, "Second day", day_index=1)
    workshop.ends_on = None
    db.session.commit()
    agenda = services.agenda_for(workshop)
    assert agenda.days[1].after_last_day and agenda.days[1].entries[0].item == item


# --- updating and deleting -------------------------------------------------------------------


def test_update_changes_the_details(opening_day):
    talk = services.items_of(opening_day)[1]
    services.update_item(
        talk, title="Доклад", starts_at=time(9, 20), duration_minutes=50, kind="discussion", description="Панел"
    )
    db.session.expire_all()
    talk = db.session.get(AgendaItem, talk.id)
    assert (talk.title, talk.starts_at, talk.duration_minutes, talk.kind, talk.description) == (
        "Доклад",
        time(9, 20),
        50,
        "discussion",
        "Панел",
    )
    assert titles(opening_day) == ["Откриване", "Доклад", "Кафе пауза"]


def test_update_refuses_bad_values_and_keeps_the_saved_ones(opening_day):
    talk = services.items_of(opening_day)[1]
    with pytest.raises(DomainError) as refused:
        services.update_item(talk, title="Доклад", starts_at=time(9, 15), duration_minutes=-5, kind="talk")
    assert refused.value.code == "duration-too-short"
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(AgendaItem, talk.id).duration_minutes == 45
    assert db.session.get(AgendaItem, talk.id).title == "Библиотеката като център"


def test_moving_an_item_to_another_day_puts_it_last_there(workshop, add):
    a = add(workshop, "A")
    add(workshop, "B")
    add(workshop, "C", day_index=1)
    services.update_item(a, title="A", starts_at=time(14, 0), duration_minutes=30, kind="talk", day_index=1)
    assert titles(workshop, 0) == ["B"]
    assert titles(workshop, 1) == ["C", "A"]
    assert positions(workshop) == [0, 1, 2]


def test_update_refuses_a_day_the_workshop_does_not_have(one_day, add):
    item = add(one_day, "A")
    with pytest.raises(DomainError) as refused:
        services.update_item(item, title="A", starts_at=time(9, 0), duration_minutes=30, kind="talk", day_index=1)
    assert refused.value.code == "unknown-day"


def test_delete_renumbers_and_takes_the_speakers(opening_day):
    talk = services.items_of(opening_day)[1]
    services.add_speaker(talk, "Мария Иванова", "библиотекар", "РБ Кюстендил")
    services.delete_item(talk)
    assert titles(opening_day) == ["Откриване", "Кафе пауза"]
    assert positions(opening_day) == [0, 1]
    assert db.session.scalar(db.select(db.func.count(Speaker.id))) == 0


# --- reordering ------------------------------------------------------------------------------


def test_move_up_and_down_swaps_with_the_neighbour(opening_day):
    opening, talk, pause = services.items_of(opening_day)
    assert services.move_item(pause, -1) is True
    assert titles(opening_day) == ["Откриване", "Кафе пауза", "Библиотеката като център"]
    assert services.move_item(opening, 1) is True
    assert titles(opening_day) == ["Кафе пауза", "Откриване", "Библиотеката като център"]
    assert positions(opening_day) == [0, 1, 2]


def test_move_past_either_end_changes_nothing(opening_day):
    opening, talk, pause = services.items_of(opening_day)
    assert services.move_item(opening, -1) is False
    assert services.move_item(pause, 1) is False
    assert titles(opening_day) == ["Откриване", "Библиотеката като център", "Кафе пауза"]


def test_move_stays_within_the_day(workshop, add):
    add(workshop, "Day one")
    second = add(workshop, "Day two", day_index=1)
    assert services.move_item(second, -1) is False
    assert titles(workshop, 1) == ["Day two"]


def test_move_keeps_times_so_the_flags_show_the_clash(opening_day):
    opening, talk, pause = services.items_of(opening_day)
    services.move_item(pause, -1)
    agenda = services.agenda_for(opening_day)
    # The talk (9:15) now follows the break (10:00-10:20): flagged, not silently retimed.
    assert agenda.items_overlapping == [talk]


def test_move_refuses_a_nonsense_direction(opening_day):
    with pytest.raises(DomainError):
        services.move_item(services.items_of(opening_day)[0], 2)


def test_reorder_puts_items_in_the_dragged_order(opening_day):
    opening, talk, pause = services.items_of(opening_day)
    services.reorder(opening_day, [str(pause.id), str(opening.id), str(talk.id)])
    assert titles(opening_day) == ["Кафе пауза", "Откриване", "Библиотеката като център"]
    assert positions(opening_day) == [0, 1, 2]


def test_reorder_of_one_day_leaves_the_other_day_alone(workshop, add):
    a = add(workshop, "A")
    b = add(workshop, "B")
    add(workshop, "X", day_index=1)
    add(workshop, "Y", day_index=1)
    services.reorder(workshop, [b.id, a.id])
    assert titles(workshop) == ["B", "A", "X", "Y"]


@pytest.mark.parametrize("bad", ["foreign", "missing", "duplicate", "empty", "text"])
def test_reorder_refuses_ids_that_are_not_this_workshops(opening_day, create_workshop, add, bad):
    other = create_workshop(title="Друг семинар")
    foreign = add(other, "Чужда точка")
    opening, talk, pause = services.items_of(opening_day)
    ids = {
        "foreign": [pause.id, opening.id, talk.id, foreign.id],
        "missing": [pause.id, opening.id, 99999],
        "duplicate": [pause.id, pause.id, opening.id],
        "empty": [],
        "text": [pause.id, "drop table"],
    }[bad]
    with pytest.raises(DomainError):
        services.reorder(opening_day, ids)
    db.session.expire_all()
    assert titles(opening_day) == ["Откриване", "Библиотеката като център", "Кафе пауза"]
    assert titles(other) == ["Чужда точка"]


def test_retime_makes_each_item_follow_the_previous(one_day, add):
    add(one_day, "A", time(10, 0), 30)
    add(one_day, "B", time(9, 0), 45)
    add(one_day, "C", time(16, 0), 15)
    services.retime_day(one_day, 0)
    assert starts(one_day) == [time(9, 0), time(9, 30), time(10, 15)]
    agenda = services.agenda_for(one_day)
    assert agenda.items_overlapping == [] and agenda.items_past_end == []


def test_retime_only_touches_its_own_day(workshop, add):
    add(workshop, "A", time(11, 0), 30)
    add(workshop, "B", time(13, 0), 30, day_index=1)
    services.retime_day(workshop, 1)
    assert starts(workshop, 0) == [time(11, 0)]
    assert starts(workshop, 1) == [time(9, 0)]


# --- speakers --------------------------------------------------------------------------------


def test_speakers_are_added_in_order_edited_and_removed(opening_day):
    talk = services.items_of(opening_day)[1]
    mayor = services.add_speaker(talk, "  Петър Петров ", "кмет", "Община Кюстендил")
    trainer = services.add_speaker(talk, "Ana Nowak", "", "Stowarzyszenie")
    coordinator = services.add_speaker(talk, "Иван", "координатор", "")
    assert [s.name for s in talk.speakers] == ["Петър Петров", "Ana Nowak", "Иван"]
    assert services.speaker_line(mayor) == "Петър Петров, кмет, Община Кюстендил"
    assert services.speaker_line(trainer) == "Ana Nowak, Stowarzyszenie"
    services.update_speaker(coordinator, "Иван Иванов", "регионален координатор", "Програма")
    assert services.speaker_line(coordinator) == "Иван Иванов, регионален координатор, Програма"
    services.remove_speaker(mayor)
    db.session.expire_all()
    talk = db.session.get(AgendaItem, talk.id)
    assert [(s.name, s.position) for s in talk.speakers] == [("Ana Nowak", 0), ("Иван Иванов", 1)]


@pytest.mark.parametrize(
    "values, code",
    [
        (("", "role", "org"), "name-required"),
        (("x" * 121, "", ""), "name-too-long"),
        (("Ana", "r" * 201, ""), "role-too-long"),
        (("Ana", "", "o" * 201), "organisation-too-long"),
    ],
)
def test_bad_speakers_are_refused(opening_day, values, code):
    talk = services.items_of(opening_day)[1]
    with pytest.raises(DomainError) as refused:
        services.add_speaker(talk, *values)
    assert refused.value.code == code
    assert db.session.scalar(db.select(db.func.count(Speaker.id))) == 0


def test_deleting_the_item_running_now_leaves_nothing_marked_now(opening_day, add):
    from facilitator.control import services as control

    items = services.items_of(opening_day)
    control.set_current_item(opening_day, items[-1])
    services.delete_item(items[-1])
    db.session.expire_all()
    assert opening_day.current_agenda_item_id is None
    # SQLite gives a new row the id the deleted one had: it must not become "now".
    newcomer = add(opening_day, "Дискусия", None, 30, "discussion")
    db.session.expire_all()
    assert opening_day.current_agenda_item_id != newcomer.id
