"""The demo register: the seed 004 table, row for row."""

from facilitator.register import services
from facilitator.register.demo import load_demo_register


def by_number(workshop):
    return {e.library_number: e for e in services.entries_of(workshop)}


def test_the_seeds_eighteen_rows_in_the_seeds_order(app, workshop):
    assert load_demo_register(workshop) is True
    entries = services.entries_of(workshop)
    assert [e.library_number for e in entries] == [
        732,
        734,
        737,
        739,
        764,
        763,
        705,
        714,
        719,
        722,
        708,
        720,
        3007,
        723,
        707,
        754,
        759,
        3069,
    ]
    assert [e.position for e in entries] == list(range(18))


def test_three_libraries_have_no_service_yet(app, workshop):
    load_demo_register(workshop)
    rows = by_number(workshop)
    without = sorted(n for n, e in rows.items() if not services.has_service(e))
    assert without == [732, 764, 3069]
    last = rows[3069]
    assert (last.library_name, last.municipality, last.settlement) == (
        "БИБЛИОТЕКА ПРИ НЧ ЗИНОВИ ДОЙЧИНОВ-1901",
        "Трекляно",
        "с. Трекляно",
    )
    assert (last.service_category, last.service_description, last.target_group) == (None, "", "")
    first = rows[732]
    assert (first.library_name, first.municipality, first.settlement, first.target_group) == (
        "БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870",
        "Бобошево",
        "гр. Бобошево",
        "",
    )


def test_exact_values_of_a_few_rows(app, workshop):
    load_demo_register(workshop)
    rows = by_number(workshop)
    zora = rows[734]
    assert (zora.library_name, zora.municipality, zora.settlement) == (
        "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858",
        "Дупница",
        "гр. Дупница",
    )
    assert zora.service_category == "e-inclusion"
    assert zora.service_description == (
        "Библиотеката при НЧ „Зора 1858” – гр. Дупница, посредник за достъп до електронни услуги "
        "и информация за незрящи граждани”"
    )
    assert zora.target_group == "Незрящи граждани"
    assert services.service_text(zora, "bg").startswith("Е-включване: Библиотеката при НЧ „Зора 1858”")

    # "Е - култура:", "Е- бизнес:" and "Е - умения:" as the seed writes them.
    assert (rows[763].service_category, rows[763].service_description, rows[763].target_group) == (
        "e-culture",
        "Създаване и разпространение на материали за края- електронно съдържание",
        "Местна общност",
    )
    assert (rows[719].service_category, rows[719].settlement) == ("e-business", "с. Горна Гращица")
    assert rows[719].service_description == "Информационно-административни услуги за овощари /черешопроизводители/"
    assert (rows[722].service_category, rows[722].target_group) == ("e-skills", "Пенсионери")
    assert (rows[3007].service_category, rows[3007].service_description, rows[3007].target_group) == (
        "e-inclusion",
        "Обучение на хора с двигателни увреждания",
        "Хора с увреждания",
    )
    assert rows[707].target_group == "Ученици, завършващи 4-ти и 7-ми клас"
    assert rows[705].library_name == "РБ ЕМАНУИЛ ПОПДИМИТРОВ"
    assert rows[705].service_category == "e-education"
    assert rows[754].library_name == "БИБЛИОТЕКА ПРИ ОНЧ ХРИСТО БОТЕВ-1898г."
    # The seed has a no-break space after "Е-здраве:" here; the description starts with the word.
    assert rows[754].service_description == "Предоставяне на информация на здравни теми"
    assert (rows[759].municipality, rows[759].settlement) == ("Сапарева баня", "гр. Сапарева Баня")
    categories = [e.service_category for e in rows.values() if e.service_category]
    assert sorted(set(categories)) == ["e-business", "e-culture", "e-education", "e-health", "e-inclusion", "e-skills"]
    assert categories.count("e-health") == 5


def test_loading_twice_changes_nothing(app, workshop):
    assert load_demo_register(workshop) is True
    assert load_demo_register(workshop) is False
    assert len(services.entries_of(workshop)) == 18


def test_a_register_with_rows_of_its_own_is_left_alone(app, workshop, add_row):
    add_row(workshop, 1, "Моята библиотека")
    assert load_demo_register(workshop) is False
    assert [e.library_number for e in services.entries_of(workshop)] == [1]
