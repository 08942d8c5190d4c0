"""Register services called directly: rows, the service text, a group's result into a row, imports."""

import json
import os
import time

import pytest

from facilitator.register import services
from facilitator.register.models import RegisterEntry
from facilitator.register.services import ImportRow, RegisterError, UnknownCategory, split_service


def numbers(workshop):
    return [e.library_number for e in services.entries_of(workshop)]


# --- the service text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Е-включване: Обучение на хора с двигателни увреждания",
            ("e-inclusion", "Обучение на хора с двигателни увреждания"),
        ),
        # The seed writes categories with spaces around the dash, or after it only.
        ("Е - култура: Създаване на аудио материали", ("e-culture", "Създаване на аудио материали")),
        ("Е- бизнес: Услуги за овощари", ("e-business", "Услуги за овощари")),
        # A Latin E where a Cyrillic one belongs, as in the seed's results list.
        ("E - бизнес: Обучение на млади овощари", ("e-business", "Обучение на млади овощари")),
        ("Е-здраве: \xa0Предоставяне на информация", ("e-health", "Предоставяне на информация")),
        ("E-inclusion: ICT training", ("e-inclusion", "ICT training")),
        ("e-zdrowie: Porady: dieta i ruch", ("e-health", "Porady: dieta i ruch")),
        ("Inne: Klub gier planszowych", ("other", "Klub gier planszowych")),
        ("Е-умения", ("e-skills", "")),
        ("Обучение: компютърна грамотност", (None, "Обучение: компютърна грамотност")),
        ("Just a description", (None, "Just a description")),
        ("", (None, "")),
        ("   ", (None, "")),
    ],
)
def test_split_service_reads_the_seeds_ways_of_writing(text, expected):
    assert split_service(text) == expected


def test_split_service_refuses_an_unknown_category():
    with pytest.raises(UnknownCategory) as caught:
        split_service("Е-космос: Полети до Луната")
    assert caught.value.label == "Е-космос"


def test_service_text_names_the_category_in_the_given_language(app, workshop, add_row):
    both = add_row(workshop, 734, "НЧ Зора", category="e-inclusion", description="Достъп за незрящи")
    only_category = add_row(workshop, 735, "НЧ Лоза", category="e-health")
    only_text = add_row(workshop, 736, "НЧ Искра", description="Клуб по шах")
    nothing = add_row(workshop, 732, "НЧ Лоза 1870")
    assert services.service_text(both, "bg") == "Е-включване: Достъп за незрящи"
    assert services.service_text(both, "pl") == "E-włączenie: Достъп за незрящи"
    assert services.service_text(both, "en") == "E-inclusion: Достъп за незрящи"
    assert services.service_text(only_category, "bg") == "Е-здраве"
    assert services.service_text(only_text, "bg") == "Клуб по шах"
    assert services.service_text(nothing, "bg") == ""
    assert not services.has_service(nothing) and services.has_service(only_text)


# --- rows ----------------------------------------------------------------------------------------


def test_add_entry_appends_in_order_and_keeps_text_clean(app, workshop):
    services.add_entry(workshop, 732, "  НЧ Лоза 1870 ", "Бобошево", "гр. Бобошево")
    entry = services.add_entry(
        workshop, 734, "НЧ Зора", "Дупница", "гр. Дупница", "e-inclusion", "Ред 1\r\nРед 2\x07", "Незрящи граждани"
    )
    assert numbers(workshop) == [732, 734]
    assert services.entries_of(workshop)[0].library_name == "НЧ Лоза 1870"
    assert entry.service_description == "Ред 1\nРед 2"
    assert entry.position == 1


@pytest.mark.parametrize(
    "number, code", [(0, "bad-id"), (-3, "bad-id"), (None, "bad-id"), (2_147_483_648, "id-too-large")]
)
def test_add_entry_refuses_bad_ids(app, workshop, number, code):
    with pytest.raises(RegisterError) as caught:
        services.add_entry(workshop, number, "НЧ Лоза")
    assert (caught.value.code, caught.value.field) == (code, "library_number")


def test_add_entry_refuses_a_missing_name_too_long_text_and_unknown_category(app, workshop):
    with pytest.raises(RegisterError) as caught:
        services.add_entry(workshop, 732, "   ")
    assert caught.value.code == "name-required"
    with pytest.raises(RegisterError) as caught:
        services.add_entry(workshop, 732, "НЧ", target_group="x" * 301)
    assert (caught.value.code, caught.value.field, caught.value.params) == ("too-long", "target_group", {"max": 300})
    with pytest.raises(RegisterError) as caught:
        services.add_entry(workshop, 732, "НЧ", service_category="e-space")
    assert caught.value.code == "unknown-category"
    assert numbers(workshop) == []


def test_one_row_per_library_id(app, workshop, add_row):
    add_row(workshop, 732, "НЧ Лоза")
    other = add_row(workshop, 734, "НЧ Зора")
    with pytest.raises(RegisterError) as caught:
        services.add_entry(workshop, 732, "НЧ Друга")
    assert caught.value.code == "duplicate-id" and caught.value.params == {"number": 732}
    with pytest.raises(RegisterError):
        services.update_entry(other, 732, "НЧ Зора")
    # The same ID in another workshop's register is fine.
    assert numbers(workshop) == [732, 734]


def test_update_entry_saves_and_forgets_the_group_when_the_service_changes(app, workshop, add_group):
    group = add_group(workshop, "Група 2", "e-inclusion", "Обучение в ИКТ", "Възрастни")
    entry = services.add_entry(workshop, 3007, "НЧ Светлина")
    services.fill_from_group(workshop, group, entry)
    services.update_entry(
        entry, 3007, "НЧ Светлина-1913", "Кюстендил", "с. Раждавица", "e-inclusion", "Обучение в ИКТ", "Възрастни"
    )
    assert entry.group_id == group.id  # the service is still the group's
    services.update_entry(entry, 3007, "НЧ Светлина-1913", "Кюстендил", "с. Раждавица", None, "", "")
    assert entry.group_id is None and entry.service_category is None


def test_delete_entry(app, workshop, add_row):
    entry = add_row(workshop, 732, "НЧ Лоза")
    services.delete_entry(entry)
    assert numbers(workshop) == []


# --- a group's result into a row -----------------------------------------------------------------


def test_fill_an_existing_row_from_a_group(app, workshop, add_group, add_row):
    group = add_group(
        workshop,
        "Група 2",
        "e-inclusion",
        "Обучение в ИКТ на възрастни с двигателни увреждания",
        "Възрастни с увреждания от дом за хора с увреждания",
    )
    entry = add_row(workshop, 3007, "НЧ Светлина-1913", "Кюстендил", "с. Раждавица", "e-health", "Старо", "Стари")
    services.fill_from_group(workshop, group, entry)
    saved = services.find_entry(entry.id)
    assert (saved.service_category, saved.service_description, saved.target_group, saved.group_id) == (
        "e-inclusion",
        "Обучение в ИКТ на възрастни с двигателни увреждания",
        "Възрастни с увреждания от дом за хора с увреждания",
        group.id,
    )
    assert (saved.library_number, saved.library_name, saved.settlement) == (3007, "НЧ Светлина-1913", "с. Раждавица")


def test_fill_a_new_row_from_a_group(app, workshop, add_group, add_row):
    add_row(workshop, 732, "НЧ Лоза")
    group = add_group(workshop, "Група 4", "e-culture", "Създаване на аудио-продукти за деца", "Млади семейства")
    entry = services.fill_from_group(
        workshop,
        group,
        library_number=714,
        library_name="НЧ Пробуда-1961",
        municipality="Кюстендил",
        settlement="гр. Кюстендил",
    )
    assert numbers(workshop) == [732, 714]
    assert (entry.service_category, entry.service_description, entry.group_id) == (
        "e-culture",
        "Създаване на аудио-продукти за деца",
        group.id,
    )


def test_fill_uses_the_description_when_the_group_named_no_service(app, workshop, add_group, add_row):
    group = add_group(workshop, "Група 5", "e-education", description="Уроци за деца\nвтори ред")
    entry = services.fill_from_group(workshop, group, add_row(workshop, 1, "НЧ"))
    assert entry.service_description == "Уроци за деца"


def test_fill_refuses_a_group_without_a_result_and_a_new_row_without_a_library(app, workshop, add_group, add_row):
    empty = add_group(workshop, "Група 6")
    with pytest.raises(RegisterError) as caught:
        services.fill_from_group(workshop, empty, add_row(workshop, 1, "НЧ"))
    assert caught.value.code == "group-has-no-result" and caught.value.params == {"group": "Група 6"}
    group = add_group(workshop, "Група 1", "e-health", "Здраве")
    with pytest.raises(RegisterError) as caught:
        services.fill_from_group(workshop, group, library_number=1, library_name="Друга")
    assert caught.value.code == "duplicate-id"
    with pytest.raises(RegisterError) as caught:
        services.fill_from_group(workshop, group, library_number=None, library_name="")
    assert caught.value.code == "bad-id"


def test_group_in_only_finds_the_workshops_own_groups(app, workshop, create_workshop, add_group):
    other = create_workshop(title="Друга среща")
    theirs = add_group(other, "Тяхна група", "e-health", "Здраве")
    ours = add_group(workshop, "Наша група", "e-health", "Здраве")
    assert services.group_in(workshop, ours.id) is ours
    assert services.group_in(workshop, theirs.id) is None
    assert services.group_in(workshop, 999_999) is None


# --- imports -------------------------------------------------------------------------------------


def row(number, name="НЧ", row_number=2, **values):
    return ImportRow(row_number=row_number, library_number=number, library_name=name, **values)


def test_import_rows_appends_updates_and_reports(app, workshop, add_row, add_group):
    group = add_group(workshop, "Група 1", "e-health", "Здраве", "Младежи")
    kept = add_row(workshop, 732, "НЧ Лоза", "Бобошево", "гр. Бобошево")
    changed = add_row(workshop, 737, "НЧ Пробуда", "Дупница", "с. Баланово")
    services.fill_from_group(workshop, group, changed)
    outcome = services.import_rows(
        workshop,
        [
            row(900, "Нова библиотека", 2, service_category="e-skills", service_description="Компютри"),
            row(732, "НЧ Лоза", 3, municipality="Бобошево", settlement="гр. Бобошево"),
            row(737, "НЧ Пробуда-1902", 4, municipality="Дупница", settlement="с. Баланово"),
        ],
    )
    assert (outcome.added, outcome.updated, outcome.unchanged, outcome.skipped) == ([900], [737], [732], [])
    assert outcome.count == 3
    assert numbers(workshop) == [732, 737, 900]
    assert services.find_entry(changed.id).library_name == "НЧ Пробуда-1902"
    # Its service changed (it is empty now), so it is no longer the group's.
    assert services.find_entry(changed.id).group_id is None
    assert services.find_entry(kept.id).library_name == "НЧ Лоза"


def test_import_rows_leaves_out_ids_the_register_holds_twice(app, workshop, add_row):
    from facilitator.extensions import db

    add_row(workshop, 732, "НЧ Лоза")
    db.session.add(RegisterEntry(workshop_id=workshop.id, position=5, library_number=732, library_name="Копие"))
    db.session.commit()
    outcome = services.import_rows(workshop, [row(732, "Нова", 7)])
    assert outcome.skipped == [(7, 732)] and outcome.count == 0


def test_pending_import_is_kept_for_its_facilitator_and_workshop_and_used_once(
    app, workshop, facilitator, other_facilitator, create_workshop, pending_imports
):
    token = services.keep_pending_import(workshop, facilitator, [row(900, "Нова", 3, target_group="Деца")], "a.csv")
    assert list(pending_imports.iterdir()) == [pending_imports / f"{token}.json"]
    assert services.pending_import(workshop, other_facilitator, token) is None
    assert services.pending_import(create_workshop(title="Друга"), facilitator, token) is None
    assert services.pending_import(workshop, facilitator, "../../etc/passwd") is None
    assert services.pending_import(workshop, facilitator, "") is None
    kept = services.pending_import(workshop, facilitator, token)
    assert kept == [row(900, "Нова", 3, target_group="Деца")]
    outcome = services.import_pending(workshop, facilitator, token)
    assert outcome.added == [900]
    # A second click imports nothing more.
    assert services.import_pending(workshop, facilitator, token) is None
    assert numbers(workshop) == [900]


def test_pending_import_expires_after_an_hour(app, workshop, facilitator, pending_imports):
    token = services.keep_pending_import(workshop, facilitator, [row(900)])
    path = pending_imports / f"{token}.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["created"] = time.time() - services.PENDING_IMPORT_SECONDS - 1
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert services.pending_import(workshop, facilitator, token) is None
    assert not path.exists()


def test_old_pending_imports_are_swept_when_a_new_one_is_kept(app, workshop, facilitator, pending_imports):
    old = services.keep_pending_import(workshop, facilitator, [row(900)])
    stale = time.time() - services.PENDING_IMPORT_SECONDS - 10
    os.utime(pending_imports / f"{old}.json", (stale, stale))
    new = services.keep_pending_import(workshop, facilitator, [row(901)])
    assert [p.name for p in pending_imports.iterdir()] == [f"{new}.json"]
