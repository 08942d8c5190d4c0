"""Register pages and actions through the test client, as a browser (with and without htmx) uses them."""

import csv
import html
import io
import re

import pytest
from openpyxl import load_workbook

from facilitator.extensions import db
from facilitator.register import services, spreadsheets
from facilitator.register.demo import load_demo_register
from facilitator.register.models import RegisterEntry

from .conftest import HX
from .test_spreadsheets import HEADERS_EN, PNG, csv_bytes


def text(response):
    return html.unescape(response.get_data(as_text=True))


def url(workshop, suffix=""):
    return f"/workshops/{workshop.id}/register{suffix}"


def row_url(workshop, entry, suffix=""):
    return url(workshop, f"/rows/{entry.id if hasattr(entry, 'id') else entry}{suffix}")


def numbers(workshop):
    return [e.library_number for e in services.entries_of(workshop)]


def row_values(prefix, **changes):
    values = {
        "library_number": "732",
        "library_name": "БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870",
        "municipality": "Бобошево",
        "settlement": "гр. Бобошево",
        "service_category": "",
        "service_description": "",
        "target_group": "",
    }
    values.update(changes)
    return {f"{prefix}-{key}": value for key, value in values.items()}


def upload(data, filename="register.csv"):
    return {"file": (io.BytesIO(data), filename)}


@pytest.fixture
def demo(workshop):
    load_demo_register(workshop)
    return workshop


def entry_of(workshop, number):
    return next(e for e in services.entries_of(workshop) if e.library_number == number)


# --- the page ------------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, workshop):
    response = client.get(url(workshop))
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_page_shows_the_seeds_columns_and_rows_without_a_service(client, as_facilitator, demo):
    response = client.get(url(demo))
    body = text(response)
    assert response.status_code == 200
    assert "<html" in body and 'aria-current="page"' in body
    assert f'href="/workshops/{demo.id}/register"' in body  # the workshop's tab
    for heading in HEADERS_EN:
        assert f'<th scope="col" role="columnheader">{heading}</th>' in body
    zora = entry_of(demo, 734)
    assert f'id="register-row-{zora.id}"' in body
    assert "<strong>Е-включване</strong>: Библиотеката при НЧ „Зора 1858”" in body
    assert body.count("No service yet</span>") == 3
    assert "18 libraries" in body
    assert 'href="/workshops/%d/register.csv"' % demo.id in body
    assert 'href="/workshops/%d/register.xlsx"' % demo.id in body
    assert "css/register.css" in body and "js/register.js" in body


def test_page_fragment_is_the_table_only(client, as_facilitator, demo):
    response = client.get(url(demo), headers=HX)
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body and body.lstrip().startswith('<div id="register-table"')
    assert "HX-Request" in response.headers["Vary"]


def test_empty_register_says_so(client, as_facilitator, workshop):
    body = text(client.get(url(workshop)))
    assert "The register has no rows yet." in body
    assert "The workshop has no groups yet." in body


def test_user_content_is_escaped(client, as_facilitator, workshop, add_row):
    add_row(workshop, 1, "<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    body = client.get(url(workshop)).get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body


# --- inline editing ------------------------------------------------------------------------------


def test_edit_swaps_the_row_for_its_form_and_cancel_brings_it_back(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    form = hx.get(row_url(demo, zora, "/edit"))
    body = text(form)
    assert form.status_code == 200
    assert body.lstrip().startswith(
        f'<tr id="register-row-{zora.id}" class="register-row register-row--editing" role="row">'
    )
    assert f'name="row-{zora.id}-library_number"' in body and 'value="734"' in body
    assert '<option selected value="e-inclusion">E-inclusion</option>' in body
    assert "autofocus" in body
    back = hx.get(row_url(demo, zora))
    assert back.status_code == 200
    assert text(back).lstrip().startswith(f'<tr id="register-row-{zora.id}" class="register-row" role="row">')
    assert f'id="register-row-{zora.id}-edit"' in text(back) and "autofocus" in text(back)


def test_without_javascript_edit_is_a_page_and_a_row_link_goes_to_the_table(client, as_facilitator, demo):
    zora = entry_of(demo, 734)
    page = client.get(row_url(demo, zora, "/edit"))
    assert page.status_code == 200 and "<html" in text(page) and "Edit the row of 734" in text(page)
    response = client.get(row_url(demo, zora))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/register#register-row-{zora.id}")


def test_save_returns_the_row_and_tells_the_page(client, as_facilitator, hx, demo):
    loza = entry_of(demo, 732)
    response = hx.post(
        demo,
        row_url(demo, loza),
        row_values(
            f"row-{loza.id}",
            service_category="e-skills",
            service_description='Компютърна грамотност, "основи"',
            target_group="Пенсионери",
        ),
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="register-row-{loza.id}" class="register-row" role="row">')
    assert '<strong>Е-умения</strong>: Компютърна грамотност, "основи"' in body
    assert 'hx-swap-oob="innerHTML:#register-status"' in body and "Saved the row for 732" in body
    assert 'id="register-fill-form"' in body and 'hx-swap-oob="outerHTML"' in body
    saved = services.find_entry(loza.id)
    assert (saved.service_category, saved.target_group) == ("e-skills", "Пенсионери")


def test_save_can_empty_the_service(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    response = hx.post(demo, row_url(demo, zora), row_values(f"row-{zora.id}", library_number="734"))
    assert response.status_code == 200 and "No service yet" in text(response)
    assert not services.has_service(services.find_entry(zora.id))


def test_invalid_save_answers_422_with_messages_and_keeps_the_typing(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    response = hx.post(
        demo,
        row_url(demo, zora),
        row_values(f"row-{zora.id}", library_number="73x", library_name="", target_group="Нещо ново"),
    )
    body = text(response)
    assert response.status_code == 422
    assert "Write the library ID as a positive whole number, for example 732." in body
    assert "Please fill in this field." in body
    assert 'value="73x"' in body and 'value="Нещо ново"' in body
    assert services.find_entry(zora.id).library_name == "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858"


def test_save_refuses_another_rows_id(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    response = hx.post(demo, row_url(demo, zora), row_values(f"row-{zora.id}", library_number="737"))
    assert response.status_code == 422
    assert "Another row of the register already has the library ID 737." in text(response)


def test_save_without_javascript_redirects_to_the_row(client, as_facilitator, post_form, demo):
    zora = entry_of(demo, 734)
    response = post_form(
        row_url(demo, zora), row_values(f"row-{zora.id}", library_number="734", library_name="НЧ Зора"), page=url(demo)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#register-row-{zora.id}")
    assert services.find_entry(zora.id).library_name == "НЧ Зора"


def test_saving_a_row_deleted_meanwhile_keeps_the_typing_in_the_add_form(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    token = hx.token(demo)
    services.delete_entry(zora)
    response = client.post(
        row_url(demo, zora),
        data=row_values(f"row-{zora.id}", library_number="734", library_name="Текст, който пазим"),
        headers={**HX, "X-CSRFToken": token},
    )
    body = text(response)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#register-add-form"
    assert "Someone deleted this row while you were editing it" in body
    assert 'name="new-library_name"' in body and 'value="Текст, който пазим"' in body
    assert 'id="register-table" class="register-table" hx-swap-oob="outerHTML"' in body


def test_editing_a_row_deleted_meanwhile_shows_the_table_as_it_is(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    services.delete_entry(zora)
    response = hx.get(row_url(demo, zora, "/edit"))
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#register-table"
    assert "someone deleted it meanwhile" in text(response)
    assert client.get(row_url(demo, zora, "/edit")).status_code == 404


def test_save_without_csrf_token_is_refused_and_keeps_typing(client, as_facilitator, demo):
    zora = entry_of(demo, 734)
    response = client.post(
        row_url(demo, zora),
        data=row_values(f"row-{zora.id}", library_name="Без токен"),
        headers={**HX, "X-CSRFToken": "forged"},
    )
    assert response.status_code == 400
    assert 'value="Без токен"' in text(response)
    assert services.find_entry(zora.id).library_name == "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858"


# --- adding and deleting -------------------------------------------------------------------------


def test_add_a_row_with_htmx(client, as_facilitator, hx, workshop):
    response = hx.post(
        workshop,
        url(workshop, "/rows"),
        row_values("new", library_number="3069", library_name="НЧ ЗИНОВИ ДОЙЧИНОВ-1901"),
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="register-add-form"')
    assert 'id="register-table" class="register-table" hx-swap-oob="outerHTML"' in body
    assert "НЧ ЗИНОВИ ДОЙЧИНОВ-1901" in body and "Added the row for 3069" in body
    assert numbers(workshop) == [3069]
    # The add form comes back empty, ready for the next library, with the focus on its first field.
    add_form = body.split('id="register-table"')[0]
    assert "НЧ ЗИНОВИ" not in add_form
    assert re.search(r'<input[^>]*autofocus[^>]*id="new-library_number"', add_form)


def test_add_refuses_a_bad_row_with_422(client, as_facilitator, hx, demo):
    response = hx.post(
        demo,
        url(demo, "/rows"),
        row_values("new", library_number="732", library_name="Друга", service_category="e-space"),
    )
    body = text(response)
    assert response.status_code == 422
    assert "Choose one of the categories in the list." in body
    assert 'value="Друга"' in body
    response = hx.post(demo, url(demo, "/rows"), row_values("new", library_number="732", library_name="Друга"))
    assert response.status_code == 422
    assert "Another row of the register already has the library ID 732." in text(response)
    assert len(numbers(demo)) == 18


def test_add_without_javascript_redirects(client, as_facilitator, post_form, workshop):
    response = post_form(url(workshop, "/rows"), row_values("new"), page=url(workshop))
    assert response.status_code == 302
    assert numbers(workshop) == [732]
    assert "Added the row for 732" in text(client.get(response.headers["Location"]))


def test_add_without_csrf_token_is_refused(client, as_facilitator, workshop):
    response = client.post(url(workshop, "/rows"), data=row_values("new"))
    assert response.status_code == 400
    assert "This form had expired" in text(response)
    assert numbers(workshop) == []


def test_delete_with_htmx_returns_the_table(client, as_facilitator, hx, demo):
    zora_id = entry_of(demo, 734).id
    nxt = entry_of(demo, 737)
    response = hx.post(demo, row_url(demo, zora_id, "/delete"))
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="register-table"')
    assert f'id="register-row-{zora_id}"' not in body
    # The keyboard stays in the table: on the next row's Edit button.
    assert re.search(rf'id="register-row-{nxt.id}-edit"[^>]*autofocus', body)
    assert "Deleted the row for 734" in body
    assert 734 not in numbers(demo) and len(numbers(demo)) == 17


def test_deleting_the_last_row_focuses_the_empty_table(client, as_facilitator, hx, workshop, add_row):
    only = add_row(workshop, 1, "Единствена")
    body = text(hx.post(workshop, row_url(workshop, only, "/delete")))
    assert 'id="register-empty" tabindex="-1" autofocus' in body


def test_delete_asks_first_without_javascript(client, as_facilitator, post_form, demo):
    zora = entry_of(demo, 734)
    page = client.get(row_url(demo, zora, "/delete"))
    assert page.status_code == 200 and "Delete the row of 734 БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858?" in text(page)
    response = post_form(row_url(demo, zora, "/delete"), {}, page=row_url(demo, zora, "/delete"))
    assert response.status_code == 302 and 734 not in numbers(demo)


def test_delete_of_a_row_already_deleted(client, as_facilitator, hx, demo):
    zora = entry_of(demo, 734)
    services.delete_entry(zora)
    response = hx.post(demo, row_url(demo, zora, "/delete"))
    assert response.status_code == 409
    assert "This row had already been deleted." in text(response)


def test_delete_without_csrf_token_is_refused(client, as_facilitator, demo):
    zora = entry_of(demo, 734)
    response = client.post(row_url(demo, zora, "/delete"), headers=HX)
    assert response.status_code == 400 and 734 in numbers(demo)


# --- filling a row from a group's result ---------------------------------------------------------


@pytest.fixture
def groups(workshop, add_group):
    return (
        add_group(
            workshop,
            "Група 2",
            "e-inclusion",
            "Обучение в ИКТ на възрастни с двигателни увреждания",
            "Възрастни с увреждания от дом за хора с увреждания",
        ),
        add_group(workshop, "Група 6"),
    )


def fill_values(group, entry="new", **new_row):
    values = {
        "fill-group": str(group.id),
        "fill-entry": str(entry),
        "fill-library_number": "",
        "fill-library_name": "",
        "fill-municipality": "",
        "fill-settlement": "",
    }
    values.update({f"fill-{k}": v for k, v in new_row.items()})
    return values


def test_fill_form_lists_groups_and_rows(client, as_facilitator, demo, groups):
    body = text(client.get(url(demo)))
    assert "Група 2: Е-включване, Обучение в ИКТ на възрастни с двигателни увреждания" in body
    assert "Група 6 (no result yet)" in body
    assert "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 (no service yet)" in body
    assert '<option selected value="new">A new row</option>' in body


def test_a_rows_fill_button_preselects_it(client, as_facilitator, hx, demo, groups):
    loza = entry_of(demo, 732)
    response = hx.get(url(demo, f"/fill?entry={loza.id}"))
    body = text(response)
    assert response.status_code == 200 and body.lstrip().startswith('<section id="register-fill-form"')
    assert f'<option selected value="{loza.id}">' in body
    page = client.get(url(demo, f"/fill?entry={loza.id}"))
    assert page.status_code == 200 and "<html" in text(page) and f'<option selected value="{loza.id}">' in text(page)


def test_fill_an_existing_row_in_one_action(client, as_facilitator, hx, demo, groups):
    loza = entry_of(demo, 732)
    response = hx.post(demo, url(demo, "/fill"), fill_values(groups[0], loza.id))
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="register-fill-form"')
    assert 'id="register-table" class="register-table" hx-swap-oob="outerHTML"' in body
    assert "Filled the row for 732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 from Група 2's result." in body
    assert "From the result of Група 2" in body
    saved = services.find_entry(loza.id)
    assert (saved.service_category, saved.service_description, saved.target_group, saved.group_id) == (
        "e-inclusion",
        "Обучение в ИКТ на възрастни с двигателни увреждания",
        "Възрастни с увреждания от дом за хора с увреждания",
        groups[0].id,
    )


def test_fill_a_new_row_in_one_action(client, as_facilitator, hx, demo, groups):
    response = hx.post(
        demo,
        url(demo, "/fill"),
        fill_values(groups[0], library_number="999", library_name="НЧ Нова", settlement="с. Ново"),
    )
    assert response.status_code == 200
    new = entry_of(demo, 999)
    assert (new.library_name, new.settlement, new.service_category, new.group_id) == (
        "НЧ Нова",
        "с. Ново",
        "e-inclusion",
        groups[0].id,
    )


def test_fill_refusals_answer_422_next_to_the_field(
    client, as_facilitator, hx, demo, groups, create_workshop, add_group
):
    no_result = hx.post(demo, url(demo, "/fill"), fill_values(groups[1], entry_of(demo, 732).id))
    assert no_result.status_code == 422
    assert "Група 6 has no result yet: it has not chosen a category or named its service." in text(no_result)
    no_library = hx.post(demo, url(demo, "/fill"), fill_values(groups[0], library_name="Без номер"))
    assert no_library.status_code == 422
    assert "Please fill in this field." in text(no_library) and 'value="Без номер"' in text(no_library)
    taken = hx.post(demo, url(demo, "/fill"), fill_values(groups[0], library_number="732", library_name="X"))
    assert "Another row of the register already has the library ID 732." in text(taken)
    theirs = add_group(create_workshop(title="Друга"), "Чужда", "e-health", "Здраве")
    foreign = hx.post(demo, url(demo, "/fill"), fill_values(theirs, entry_of(demo, 732).id))
    assert foreign.status_code == 422 and "Choose a group." in text(foreign)
    gone = hx.post(demo, url(demo, "/fill"), fill_values(groups[0], 987654))
    assert gone.status_code == 422 and "Choose a row of the register, or “A new row”." in text(gone)
    assert not services.has_service(entry_of(demo, 732)) and len(numbers(demo)) == 18


def test_fill_without_javascript_redirects_to_the_row(client, as_facilitator, post_form, demo, groups):
    loza = entry_of(demo, 732)
    response = post_form(url(demo, "/fill"), fill_values(groups[0], loza.id), page=url(demo))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#register-row-{loza.id}")
    assert services.find_entry(loza.id).group_id == groups[0].id


def test_fill_without_csrf_token_is_refused(client, as_facilitator, demo, groups):
    response = client.post(url(demo, "/fill"), data=fill_values(groups[0], entry_of(demo, 732).id), headers=HX)
    assert response.status_code == 400
    assert not services.has_service(entry_of(demo, 732))


# --- export --------------------------------------------------------------------------------------


def test_csv_download(client, as_facilitator, demo):
    response = client.get(url(demo, ".csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="register-2012-06-06-{demo.id}.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == spreadsheets.headers("bg")
    assert len(rows) == 19
    assert rows[2] == [
        "734",
        "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858",
        "Дупница",
        "гр. Дупница",
        "Е-включване: Библиотеката при НЧ „Зора 1858” – гр. Дупница, посредник за достъп до "
        "електронни услуги и информация за незрящи граждани”",
        "Незрящи граждани",
    ]
    assert rows[18] == ["3069", "БИБЛИОТЕКА ПРИ НЧ ЗИНОВИ ДОЙЧИНОВ-1901", "Трекляно", "с. Трекляно", "", ""]


def test_xlsx_download(client, as_facilitator, demo):
    response = client.get(url(demo, ".xlsx"))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == spreadsheets.headers("bg")
    assert sheet.max_row == 19
    assert [c.value for c in sheet[3]][:2] == [734, "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858"]


def test_exports_follow_the_workshops_language_not_the_users(
    client, as_facilitator, post_form, create_workshop, add_row
):
    polish = create_workshop(title="Podaj dalej", locale="pl")
    add_row(polish, 1, "Biblioteka w Łazach", category="e-culture", description="Spotkania")
    post_form("/language", {"lang": "bg", "next": "/dashboard"}, page="/dashboard")
    rows = list(csv.reader(io.StringIO(client.get(url(polish, ".csv")).data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == spreadsheets.headers("pl")
    assert rows[1][4] == "E-kultura: Spotkania"


def test_formula_injection_is_escaped_in_downloads(client, as_facilitator, workshop, add_row):
    add_row(workshop, 1, '=HYPERLINK("http://evil.example","x")')
    rows = list(csv.reader(io.StringIO(client.get(url(workshop, ".csv")).data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'
    sheet = load_workbook(io.BytesIO(client.get(url(workshop, ".xlsx")).data)).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil.example","x")' and sheet["B2"].data_type == "s"


# --- import --------------------------------------------------------------------------------------

CLEAN = csv_bytes(
    [
        HEADERS_EN,
        ["732", "НЧ Лоза 1870", "Бобошево", "гр. Бобошево", "", ""],
        ["900", "НЧ Нова", "Рила", "гр. Рила", "Е-здраве: Лекции", "Младежи"],
    ]
)
WITH_ERRORS = csv_bytes(
    [
        HEADERS_EN,
        ["901", "НЧ Първа", "Рила", "гр. Рила", "", ""],
        ["abc", "НЧ Без номер", "", "", "", ""],
        ["902", "", "", "", "", ""],
        ["734", "НЧ Зора, обновена", "Дупница", "гр. Дупница", "Е-космос: Полети", ""],
        ["903", "НЧ Трета", "", "", "Е-култура: Аудио книги", "Деца"],
        ["737", "НЧ Пробуда-1902, обновена", "Дупница", "с. Баланово", "", ""],
    ]
)


def test_a_clean_file_is_imported_at_once(client, as_facilitator, hx, demo):
    response = hx.post(demo, url(demo, "/import"), upload(CLEAN))
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="register-import"')
    assert "The file is imported." in body
    assert "Added 1 row: library ID 900." in body
    assert "Updated 1 row already in the register: library ID 732." in body
    assert 'id="register-table" class="register-table" hx-swap-oob="outerHTML"' in body
    assert "Added 1 row. Updated 1 row whose library ID was already in the register." in body  # the live region
    assert numbers(demo)[-1] == 900 and len(numbers(demo)) == 19
    assert entry_of(demo, 732).library_name == "НЧ Лоза 1870"


def test_a_file_with_errors_is_reported_per_row_and_nothing_is_imported(client, as_facilitator, hx, demo):
    response = hx.post(demo, url(demo, "/import"), upload(WITH_ERRORS))
    body = text(response)
    assert response.status_code == 422
    assert "HX-Trigger" not in response.headers
    assert "The file has problems, so nothing was imported yet" in body
    assert "3 of 6 rows have problems." in body
    report = re.findall(
        r"<tr>\s*<td class=\"register-report__row\">(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", body, re.S
    )
    assert report == [
        ("3", "Library ID", "“abc” is not a library ID: write a positive whole number, for example 732."),
        ("4", "Library name", "The library name is missing."),
        (
            "5",
            "Service delivered with the support of volunteers",
            "“Е-космос” is not a service category. Use one of: Е-здраве, Е-заетост, Е-култура, Е-бизнес, Е-включване, "
            "Е-образование, Е-умения, Други, or write the service without a category.",
        ),
    ]
    assert "Import only the 3 valid rows" in body
    assert "Of these, 1 updates a row already in the register (library ID 737)." in body
    assert len(numbers(demo)) == 18 and entry_of(demo, 737).library_name == "БИБЛИОТЕКА ПРИ НЧ ПРОБУДА-1902"


def test_confirming_imports_only_the_valid_rows_once(client, as_facilitator, hx, demo, pending_imports):
    body = text(hx.post(demo, url(demo, "/import"), upload(WITH_ERRORS)))
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    assert (pending_imports / f"{token}.json").exists()
    response = hx.post(demo, url(demo, "/import/confirm"), {"token": token})
    confirmed = text(response)
    assert response.status_code == 200
    assert "Added 2 rows: library IDs 901, 903." in confirmed
    assert "Updated 1 row already in the register: library ID 737." in confirmed
    assert numbers(demo)[-2:] == [901, 903]
    assert entry_of(demo, 737).library_name == "НЧ Пробуда-1902, обновена"
    assert entry_of(demo, 734).library_name == "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858"
    assert not (pending_imports / f"{token}.json").exists()
    again = hx.post(demo, url(demo, "/import/confirm"), {"token": token})
    assert again.status_code == 409
    assert "These rows are no longer waiting to be imported" in text(again)
    assert len(numbers(demo)) == 20


def test_confirming_without_javascript_redirects(client, as_facilitator, post_form, demo):
    body = text(post_form(url(demo, "/import"), upload(WITH_ERRORS), page=url(demo)))
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    response = post_form(url(demo, "/import/confirm"), {"token": token}, page=url(demo))
    assert response.status_code == 302
    assert "Added 2 rows." in text(client.get(response.headers["Location"]))


def test_a_forged_or_foreign_token_imports_nothing(client, as_facilitator, hx, demo, create_workshop, facilitator):
    other = create_workshop(title="Друга среща")
    token = services.keep_pending_import(other, facilitator, [services.ImportRow(2, 555, "Чужд ред")])
    for forged in (token, "../../secret_key", "x" * 40):
        response = hx.post(demo, url(demo, "/import/confirm"), {"token": forged})
        assert response.status_code == 409
    assert 555 not in numbers(demo) and numbers(other) == []


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (PNG, "register.xlsx", "This file is an image, not a spreadsheet."),
        (bytes(range(256)) * 20, "register.xlsx", "This file is named like a spreadsheet but is not one"),
        (b"", "register.csv", "The file is empty."),
        (csv_bytes([["Library ID", "Name"], ["1", "x"]]), "register.csv", "The column “Library name” is missing."),
    ],
)
def test_files_that_cannot_be_imported_offer_no_confirmation(client, as_facilitator, hx, demo, data, filename, message):
    response = hx.post(demo, url(demo, "/import"), upload(data, filename))
    body = text(response)
    assert response.status_code == 422
    assert "This file cannot be imported" in body and message in body
    assert 'name="token"' not in body
    assert len(numbers(demo)) == 18


def test_import_without_a_file(client, as_facilitator, hx, demo):
    response = hx.post(demo, url(demo, "/import"), {})
    assert response.status_code == 422 and "Choose a file to import." in text(response)


def test_import_of_a_file_over_the_limit(app, client, as_facilitator, hx, demo):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    token = hx.token(demo)
    response = client.post(url(demo, "/import"), data=upload(b"x" * 5000), headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 413
    body = text(response)
    assert body.lstrip().startswith('<section id="register-import"')
    assert "so it was not read" in body
    assert len(numbers(demo)) == 18


def test_import_without_javascript(client, as_facilitator, post_form, workshop):
    bad = post_form(url(workshop, "/import"), upload(WITH_ERRORS), page=url(workshop))
    assert bad.status_code == 422 and "<html" in text(bad) and "3 of 6 rows have problems." in text(bad)
    good = post_form(url(workshop, "/import"), upload(CLEAN), page=url(workshop))
    assert good.status_code == 302
    assert "Added 2 rows." in text(client.get(good.headers["Location"]))
    assert numbers(workshop) == [732, 900]


def test_import_xlsx_round_trip_through_the_routes(client, as_facilitator, hx, demo, create_workshop):
    data = client.get(url(demo, ".xlsx")).data
    copy = create_workshop(title="Копие")
    response = hx.post(copy, url(copy, "/import"), upload(data, "register.xlsx"))
    assert response.status_code == 200 and "Added 18 rows" in text(response)

    def cells(workshop):
        return [
            (
                e.library_number,
                e.library_name,
                e.municipality,
                e.settlement,
                e.service_category,
                e.service_description,
                e.target_group,
            )
            for e in services.entries_of(workshop)
        ]

    assert cells(copy) == cells(demo)


def test_import_without_csrf_token_is_refused(client, as_facilitator, demo):
    response = client.post(url(demo, "/import"), data=upload(CLEAN), headers=HX)
    assert response.status_code == 400
    assert 900 not in numbers(demo)


def test_import_messages_in_the_users_language(client, as_facilitator, post_form, hx, demo):
    assert post_form("/language", {"lang": "pl", "next": "/dashboard"}, page="/dashboard").status_code == 302
    response = hx.post(demo, url(demo, "/import"), upload(b""))
    with client.application.test_request_context(headers={"Accept-Language": "pl"}):
        from flask_babel import force_locale, gettext

        with force_locale("pl"):
            expected = gettext("The file is empty.")
    assert expected in text(response)


# --- who may see what ----------------------------------------------------------------------------


def test_another_facilitators_workshop_is_404_everywhere(client, as_other, demo, groups):
    zora = entry_of(demo, 734)
    for path in ("", ".csv", ".xlsx", f"/rows/{zora.id}", f"/rows/{zora.id}/edit", f"/rows/{zora.id}/delete", "/fill"):
        for headers in ({}, HX):
            assert client.get(url(demo, path), headers=headers).status_code == 404, path
    token = re.search(
        r'<meta name="csrf-token" content="([^"]+)"', client.get("/dashboard").get_data(as_text=True)
    ).group(1)
    for path, data in (
        (f"/rows/{zora.id}", row_values(f"row-{zora.id}")),
        ("/rows", row_values("new", library_number="1")),
        (f"/rows/{zora.id}/delete", {}),
        ("/fill", fill_values(groups[0], zora.id)),
        ("/import", upload(CLEAN)),
        ("/import/confirm", {"token": "x" * 40}),
    ):
        response = client.post(url(demo, path), data=data, headers={**HX, "X-CSRFToken": token})
        assert response.status_code == 404, path
    assert len(numbers(demo)) == 18 and services.find_entry(zora.id).library_name == "БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858"


def test_a_row_of_another_workshop_is_404(client, as_facilitator, hx, demo, create_workshop, add_row):
    other = create_workshop(title="Моя друга среща")
    theirs = add_row(other, 1, "Ред от другата среща")
    for path in (f"/rows/{theirs.id}", f"/rows/{theirs.id}/edit", f"/rows/{theirs.id}/delete"):
        assert hx.get(url(demo, path)).status_code == 404, path
    assert hx.get(url(demo, f"/fill?entry={theirs.id}")).status_code == 404
    assert hx.post(demo, url(demo, f"/rows/{theirs.id}"), row_values(f"row-{theirs.id}")).status_code == 404
    assert hx.post(demo, url(demo, f"/rows/{theirs.id}/delete")).status_code == 404
    assert db.session.get(RegisterEntry, theirs.id).library_name == "Ред от другата среща"


def test_confirm_without_csrf_token_is_refused(client, as_facilitator, hx, demo):
    body = text(hx.post(demo, url(demo, "/import"), upload(WITH_ERRORS)))
    assert 'hx-swap-oob="innerHTML:#register-status"><p>The file has problems, so nothing was imported yet.' in body
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    response = client.post(url(demo, "/import/confirm"), data={"token": token}, headers=HX)
    assert response.status_code == 400
    assert "This form had expired, so nothing was imported." in text(response)
    assert len(numbers(demo)) == 18
