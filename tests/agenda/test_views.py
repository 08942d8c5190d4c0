"""Agenda pages and actions through the test client, as a browser (with and without htmx) uses them."""

import html
import re
from datetime import date, time

import pytest

from facilitator.agenda import services
from facilitator.agenda.models import AgendaItem, Speaker
from facilitator.extensions import db

from .conftest import HX, HtmxClient


def text(response):
    return response.get_data(as_text=True)


def agenda_url(workshop):
    return f"/workshops/{workshop.id}/agenda"


def item_url(workshop, item, suffix=""):
    return f"/workshops/{workshop.id}/agenda/items/{item.id if hasattr(item, 'id') else item}{suffix}"


def titles(workshop, day_index=0):
    return [i.title for i in services.day_items(workshop, day_index)]


def count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


def item_values(prefix, changes=None, **values):
    base = {"title": "Доклад", "starts_at": "10:00", "duration_minutes": "30", "kind": "talk", "description": ""}
    base.update(values)
    base.update(changes or {})
    return {f"{prefix}-{key}": value for key, value in base.items()}


# --- the page --------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, one_day):
    response = client.get(agenda_url(one_day))
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_page_lists_items_with_times_in_the_workshops_language(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    services.add_speaker(talk, "Мария Иванова", "директор", "РБ „Емануил Попдимитров“")
    response = client.get(agenda_url(opening_day))
    body = text(response)
    assert response.status_code == 200
    assert "<html" in body and 'aria-current="page"' in body
    # Bulgarian writes 9:00, not 09:00 or 9:00 AM; the UI itself stays English.
    assert '<time datetime="09:00">9:00</time>–<time datetime="09:15">9:15</time>' in body
    assert '<time datetime="10:00">10:00</time>–<time datetime="10:20">10:20</time>' in body
    assert "Greeting" in body and "Talk" in body and "Break" in body
    assert "Мария Иванова, директор, РБ „Емануил Попдимитров“" in body
    assert 'aria-label="Move “Откриване” up"' in body
    assert 'aria-label="Move “Кафе пауза” down"' in body
    assert 'aria-label="Edit “Библиотеката като център”"' in body
    assert "Overlaps the previous item" not in body
    assert 'id="agenda-add-form"' in body and '<label for="new-title">Title</label>' in body
    assert "vendor/sortablejs/Sortable.min.js" in body and "js/agenda.js" in body
    assert "<script>" not in body and " style=" not in body and " onclick" not in body


def test_times_follow_the_workshop_locale_not_the_ui(client, as_facilitator, create_workshop, add):
    polish = create_workshop(title="Podaj dalej", locale="pl")
    add(polish, "Powitanie", time(9, 0), 15, "greeting")
    english = create_workshop(title="Pass it on", locale="en")
    add(english, "Welcome", time(9, 0), 15, "greeting")
    assert '<time datetime="09:00">09:00</time>' in text(client.get(agenda_url(polish)))
    assert '<time datetime="09:00">9:00\u202fAM</time>' in text(client.get(agenda_url(english)))


def test_multi_day_workshop_has_a_heading_per_day_with_local_dates(client, as_facilitator, workshop, add):
    add(workshop, "Откриване", time(9, 0), 15, "greeting")
    add(workshop, "Групова работа", time(9, 0), 90, "group-work", day_index=1)
    body = text(client.get(agenda_url(workshop)))
    assert re.search(r'Day 1: <time datetime="2012-06-06" lang="bg">сряда, 6 юни 2012\sг\.</time>', body)
    assert re.search(r'Day 2: <time datetime="2012-06-07" lang="bg">четвъртък, 7 юни 2012\sг\.</time>', body)
    assert '<label for="new-day_index">Day</label>' in body
    assert "Group work" in body


def test_one_day_workshop_has_no_day_headings_or_day_field(client, as_facilitator, opening_day):
    body = text(client.get(agenda_url(opening_day)))
    assert "Day 1:" not in body and 'id="new-day_index"' not in body


def test_flags_are_badges_with_words(client, as_facilitator, one_day, add):
    add(one_day, "Откриване", time(9, 0), 30)
    add(one_day, "Поздрав", time(9, 20), 10, "greeting")
    add(one_day, "Закриване", time(16, 50), 30)
    body = text(client.get(agenda_url(one_day)))
    assert body.count("Overlaps the previous item") == 1
    assert "Ends after the end of the day (17:00)" in body
    assert "1 item starts before the previous one ends." in body
    assert "1 item ends after the end of the day (17:00)." in body


def test_htmx_get_of_the_page_returns_only_the_list(hx, opening_day):
    response = hx.get(agenda_url(opening_day))
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="agenda"')
    assert "<html" not in body and "Откриване" in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_empty_agenda_invites_the_first_item(client, as_facilitator, one_day):
    body = text(client.get(agenda_url(one_day)))
    assert "Nothing is planned for this day yet." in body


# --- adding ----------------------------------------------------------------------------------


def test_add_with_htmx_returns_a_fresh_form_and_the_new_list(hx, opening_day):
    response = hx.post(
        agenda_url(opening_day) + "/items",
        item_values("new", title="Групова работа", starts_at="", duration_minutes="90", kind="group-work"),
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<form id="agenda-add-form"')
    assert 'id="new-title"' in body and 'value="Групова работа"' not in body
    assert "autofocus" in body
    assert '<div id="agenda" class="agenda" hx-swap-oob="true">' in body
    assert 'hx-swap-oob="innerHTML:#agenda-status"' in body and "Added “Групова работа”, 10:20–11:50." in body
    assert titles(opening_day)[-1] == "Групова работа"
    added = services.items_of(opening_day)[-1]
    assert (added.starts_at, added.duration_minutes, added.kind) == (time(10, 20), 90, "group-work")


def test_add_without_javascript_redirects_back_to_the_item(client, as_facilitator, post_form, opening_day):
    response = post_form(
        agenda_url(opening_day) + "/items",
        item_values("new", title="Обяд", starts_at="12:30", duration_minutes="60", kind="break"),
        page=agenda_url(opening_day),
    )
    item = services.items_of(opening_day)[-1]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{agenda_url(opening_day)}#agenda-item-{item.id}")
    page = text(client.get(agenda_url(opening_day)))
    assert "Added “Обяд”, 12:30–13:30." in page and "Обяд" in page


def test_add_on_the_second_day(hx, workshop):
    response = hx.post(
        agenda_url(workshop) + "/items", item_values("new", title="Ден втори", starts_at="", day_index="1")
    )
    assert response.status_code == 200
    assert titles(workshop, 1) == ["Ден втори"]
    # The fresh form stays on the day just used.
    assert '<option selected value="1">' in text(response)


BAD_ITEMS = [
    ({"duration_minutes": "-15"}, "duration_minutes", "The duration must be at least 1 minute.", 'value="-15"'),
    ({"duration_minutes": "0"}, "duration_minutes", "The duration must be at least 1 minute.", 'value="0"'),
    ({"duration_minutes": "1441"}, "duration_minutes", "longer than a day", 'value="1441"'),
    ({"duration_minutes": "100000"}, "duration_minutes", "at most 1440 minutes", 'value="100000"'),
    ({"duration_minutes": "half an hour"}, "duration_minutes", "whole number of minutes", 'value="half an hour"'),
    ({"duration_minutes": ""}, "duration_minutes", "Please fill in this field.", None),
    ({"starts_at": "25:99"}, "starts_at", "Enter a time as hours and minutes", 'value="25:99"'),
    ({"starts_at": "noon"}, "starts_at", "Enter a time as hours and minutes", 'value="noon"'),
    ({"title": ""}, "title", "Please fill in this field.", None),
    ({"title": "   "}, "title", "Please fill in this field.", None),
    ({"title": "Т" * 300}, "title", "This is too long: at most 200 characters.", 'value="' + "Т" * 300 + '"'),
    ({"kind": "keynote"}, "kind", "Choose one of the kinds in the list.", None),
    ({"description": "д" * 2001}, "description", "This is too long: at most 2000 characters.", "д" * 2001),
]


@pytest.mark.parametrize(
    "changes, field, message, kept", BAD_ITEMS, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_ITEMS)]
)
def test_add_bad_input_is_explained_next_to_the_field_and_kept(hx, opening_day, changes, field, message, kept):
    before = count(AgendaItem)
    typed = item_values("new", changes, title="Моят доклад", description="Бележки")
    response = hx.post(agenda_url(opening_day) + "/items", typed)
    body = text(response)
    assert response.status_code == 422
    assert "HX-Trigger" not in response.headers
    assert body.lstrip().startswith('<form id="agenda-add-form"')
    error = re.search(rf'<p class="field__error" id="new-{field}-error">([^<]*)</p>', body)
    assert error and message in html.unescape(error.group(1))
    assert re.search(rf'aria-describedby="[^"]*new-{field}-error"', body)
    # The first refused field gets the focus, so its message is read out.
    assert re.search(rf'<(input|select|textarea)[^>]*autofocus[^>]*id="new-{field}"', body)
    if kept:
        assert kept in body
    # The other fields keep what was typed too.
    if field != "title":
        assert 'value="Моят доклад"' in body
    assert count(AgendaItem) == before


def test_add_bad_input_without_javascript_shows_the_whole_page(client, as_facilitator, post_form, opening_day):
    response = post_form(
        agenda_url(opening_day) + "/items", item_values("new", duration_minutes="-5"), page=agenda_url(opening_day)
    )
    body = text(response)
    assert response.status_code == 422
    assert "<html" in body and "The duration must be at least 1 minute." in body and 'value="-5"' in body
    assert "Откриване" in body


def test_add_in_the_users_language(client, as_facilitator, post_form, opening_day):
    post_form("/language", {"lang": "pl", "next": "/dashboard"}, page="/dashboard")
    response = post_form(agenda_url(opening_day) + "/items", item_values("new", title=""), page=agenda_url(opening_day))
    assert response.status_code == 422
    assert '<html lang="pl">' in text(response)


def test_add_without_csrf_token_is_refused_and_keeps_typing(client, as_facilitator, opening_day):
    before = count(AgendaItem)
    client.get(agenda_url(opening_day))
    response = client.post(agenda_url(opening_day) + "/items", data=item_values("new", title="Без токен"))
    body = text(response)
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in body
    assert 'value="Без токен"' in body
    assert count(AgendaItem) == before


def test_add_with_a_wrong_htmx_token_is_refused(client, as_facilitator, opening_day):
    before = count(AgendaItem)
    response = client.post(
        agenda_url(opening_day) + "/items", data=item_values("new"), headers={**HX, "X-CSRFToken": "forged"}
    )
    assert response.status_code == 400
    assert count(AgendaItem) == before


def test_add_form_as_a_browser_sends_it_without_javascript(client, as_facilitator, opening_day):
    """The add form's own (prefixed) token field is what a browser posts."""
    page = text(client.get(agenda_url(opening_day)))
    token = re.search(r'name="new-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        agenda_url(opening_day) + "/items",
        data={"new-csrf_token": token, **item_values("new", title="Обяд", starts_at="")},
    )
    assert response.status_code == 302
    assert titles(opening_day)[-1] == "Обяд"


# --- inline edit -----------------------------------------------------------------------------


def test_edit_button_gets_the_edit_form_fragment(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    response = hx.get(item_url(opening_day, talk, "/edit"))
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="agenda-item-{talk.id}" class="agenda-item agenda-item--editing">')
    assert f'hx-post="{item_url(opening_day, talk)}"' in body
    assert f'<label for="item-{talk.id}-title">Title</label>' in body
    assert 'value="Библиотеката като център"' in body and 'value="09:15"' in body and 'value="45"' in body
    assert "autofocus" in body
    assert f'id="agenda-item-{talk.id}-speakers"' in body and "Add a speaker" in body
    assert f'hx-get="{item_url(opening_day, talk)}"' in body  # Cancel brings the row back


def test_edit_without_javascript_is_a_page(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    response = client.get(item_url(opening_day, talk, "/edit"))
    body = text(response)
    assert response.status_code == 200
    assert "<html" in body and "Edit “Библиотеката като център”" in body and "Back to the agenda" in body


def test_cancel_restores_the_row(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    response = hx.get(item_url(opening_day, talk))
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="agenda-item-{talk.id}" class="agenda-item agenda-item--talk">')
    assert '<form class="agenda-form"' not in body
    assert re.search(rf'id="agenda-item-{talk.id}-edit"[^>]*autofocus', body)


def test_item_url_without_javascript_goes_to_the_page(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    response = client.get(item_url(opening_day, talk))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#agenda-item-{talk.id}")


def test_save_swaps_back_the_row_and_updates_neighbours_flags(hx, opening_day):
    opening, talk, pause = services.items_of(opening_day)
    response = hx.post(
        item_url(opening_day, talk),
        item_values(f"item-{talk.id}", title="Нов доклад", starts_at="09:15", duration_minutes="60"),
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="agenda-item-{talk.id}"')
    assert "Нов доклад" in body and '9:15</time>–<time datetime="10:15">10:15' in body
    # The break at 10:00 now starts before the talk ends: its flags are updated out of band.
    assert f'<div id="agenda-item-{pause.id}-flags" class="agenda-item__flags" hx-swap-oob="true">' in body
    assert "Overlaps the previous item" in body.split(f'id="agenda-item-{pause.id}-flags"')[1]
    assert "Saved “Нов доклад”." in body
    db.session.expire_all()
    assert db.session.get(AgendaItem, talk.id).duration_minutes == 60


def test_save_without_javascript_redirects(client, as_facilitator, post_form, opening_day):
    talk = services.items_of(opening_day)[1]
    response = post_form(
        item_url(opening_day, talk), item_values(f"item-{talk.id}", title="Доклад"), page=agenda_url(opening_day)
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#agenda-item-{talk.id}")
    assert "Saved “Доклад”." in text(client.get(agenda_url(opening_day)))


def test_save_moving_to_another_day_rerenders_the_whole_list(hx, workshop, add):
    item = add(workshop, "Пътуване")
    response = hx.post(item_url(workshop, item), item_values(f"item-{item.id}", title="Пътуване", day_index="1"))
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#agenda"
    assert text(response).lstrip().startswith('<div id="agenda"')
    assert titles(workshop, 1) == ["Пътуване"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"duration_minutes": "-30"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "0"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "2000"}, "duration_minutes", "longer than a day"),
        ({"starts_at": "9:75"}, "starts_at", "Enter a time as hours and minutes"),
        ({"starts_at": ""}, "starts_at", "Please fill in this field."),
        ({"title": ""}, "title", "Please fill in this field."),
        ({"title": "Я" * 300}, "title", "at most 200 characters"),
        ({"day_index": "7"}, "day_index", "Choose one of the workshop's days."),
        ({"day_index": "first"}, "day_index", "Choose one of the workshop's days."),
    ],
)
def test_save_bad_input_keeps_the_form_and_the_saved_item(hx, workshop, add, changes, field, message):
    item = add(workshop, "Откриване", time(9, 0), 15, "greeting")
    prefix = f"item-{item.id}"
    typed = item_values(prefix, changes, title="Откриване и поздрави", description="Кмет")
    response = hx.post(item_url(workshop, item), typed)
    body = text(response)
    assert response.status_code == 422
    assert body.lstrip().startswith(f'<li id="agenda-item-{item.id}" class="agenda-item agenda-item--editing">')
    error = re.search(rf'<p class="field__error" id="{prefix}-{field}-error">([^<]*)</p>', body)
    assert error and message in html.unescape(error.group(1))
    for value in changes.values():
        if value.strip() and field != "day_index":
            assert f'value="{value}"' in body
    assert "Кмет" in body
    db.session.expire_all()
    saved = db.session.get(AgendaItem, item.id)
    assert (saved.title, saved.duration_minutes, saved.starts_at) == ("Откриване", 15, time(9, 0))


def test_save_without_csrf_token_is_refused_and_keeps_typing(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    client.get(agenda_url(opening_day))
    response = client.post(item_url(opening_day, talk), data=item_values(f"item-{talk.id}", title="Без токен"))
    assert response.status_code == 400
    assert 'value="Без токен"' in text(response) and "This form had expired" in text(response)
    db.session.expire_all()
    assert db.session.get(AgendaItem, talk.id).title == "Библиотеката като център"


# --- a stale form ----------------------------------------------------------------------------


def test_saving_an_item_someone_deleted_keeps_the_text_in_the_add_form(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    talk_id = talk.id
    hx.get(item_url(opening_day, talk, "/edit"))
    services.delete_item(talk)  # another facilitator, meanwhile
    typed = item_values(
        f"item-{talk_id}", title="Моят текст", starts_at="09:30", duration_minutes="50", description="Дълги бележки"
    )
    response = hx.post(item_url(opening_day, talk_id), typed)
    body = text(response)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#agenda-add-form"
    assert body.lstrip().startswith('<form id="agenda-add-form"')
    assert 'role="alert"' in body and "Someone deleted this item while you were editing it" in body
    assert 'value="Моят текст"' in body and 'value="09:30"' in body and 'value="50"' in body
    assert "Дълги бележки" in body
    assert '<div id="agenda" class="agenda" hx-swap-oob="true">' in body
    assert count(AgendaItem) == 2


def test_stale_save_without_javascript_is_a_friendly_page(client, as_facilitator, post_form, opening_day):
    talk = services.items_of(opening_day)[1]
    talk_id = talk.id
    token_page = agenda_url(opening_day)
    services.delete_item(talk)
    response = post_form(
        item_url(opening_day, talk_id), item_values(f"item-{talk_id}", title="Моят текст"), page=token_page
    )
    body = text(response)
    assert response.status_code == 409
    assert "<html" in body and "Someone deleted this item" in body and 'value="Моят текст"' in body


def test_the_kept_text_can_be_added_again(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    talk_id = talk.id
    services.delete_item(talk)
    body = text(hx.post(item_url(opening_day, talk_id), item_values(f"item-{talk_id}", title="Моят текст")))
    fields = dict(re.findall(r'name="(new-[a-z_]+)"[^>]*value="([^"]*)"', body))
    fields["new-kind"] = "talk"
    response = hx.post(agenda_url(opening_day) + "/items", fields)
    assert response.status_code == 200
    assert "Моят текст" in titles(opening_day)


@pytest.mark.parametrize(
    "method, suffix, data",
    [
        ("get", "/edit", None),
        ("get", "", None),
        ("post", "/move", {"direction": "up"}),
        ("post", "/delete", {}),
    ],
)
def test_other_actions_on_a_deleted_item_say_so(hx, opening_day, method, suffix, data):
    talk = services.items_of(opening_day)[1]
    talk_id = talk.id
    services.delete_item(talk)
    if method == "get":
        response = hx.get(item_url(opening_day, talk_id, suffix))
    else:
        response = hx.post(item_url(opening_day, talk_id, suffix), data)
    body = text(response)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#agenda"
    assert body.lstrip().startswith('<div id="agenda"') and "Откриване" in body
    assert "deleted" in body


# --- keyboard reorder ------------------------------------------------------------------------


def test_move_up_and_down_with_htmx(hx, opening_day):
    opening, talk, pause = services.items_of(opening_day)
    response = hx.post(item_url(opening_day, pause, "/move"), {"direction": "up"})
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="agenda"')
    assert "“Кафе пауза” moved up: now 2 of 3." in body
    assert titles(opening_day) == ["Откриване", "Кафе пауза", "Библиотеката като център"]
    # The moved item's buttons keep their ids, so htmx puts the focus back on them.
    assert f'id="agenda-item-{pause.id}-up"' in body
    assert body.index("Кафе пауза") < body.index("Библиотеката като център")
    response = hx.post(item_url(opening_day, opening, "/move"), {"direction": "down"})
    assert "“Откриване” moved down: now 2 of 3." in text(response)
    assert titles(opening_day) == ["Кафе пауза", "Откриване", "Библиотеката като център"]


def test_move_past_the_end_changes_nothing_and_says_so(hx, opening_day):
    opening = services.items_of(opening_day)[0]
    response = hx.post(item_url(opening_day, opening, "/move"), {"direction": "up"})
    assert response.status_code == 200
    assert "HX-Trigger" not in response.headers
    assert "“Откриване” is already first." in text(response)
    assert re.search(rf'id="agenda-item-{opening.id}-up"\s+aria-label="[^"]*"\s+aria-disabled="true"', text(response))


def test_move_without_javascript_redirects(client, as_facilitator, post_form, opening_day):
    pause = services.items_of(opening_day)[2]
    response = post_form(item_url(opening_day, pause, "/move"), {"direction": "up"}, page=agenda_url(opening_day))
    assert response.status_code == 302
    assert titles(opening_day)[1] == "Кафе пауза"


def test_move_with_a_nonsense_direction_is_a_bad_request(hx, opening_day):
    pause = services.items_of(opening_day)[2]
    assert hx.post(item_url(opening_day, pause, "/move"), {"direction": "sideways"}).status_code == 400


def test_move_without_csrf_token_is_refused(client, as_facilitator, opening_day):
    pause = services.items_of(opening_day)[2]
    response = client.post(item_url(opening_day, pause, "/move"), data={"direction": "up"}, headers=HX)
    assert response.status_code == 400
    assert titles(opening_day)[2] == "Кафе пауза"


# --- drag reorder ----------------------------------------------------------------------------


def test_drag_posts_the_new_order(hx, opening_day):
    opening, talk, pause = services.items_of(opening_day)
    response = hx.post(agenda_url(opening_day) + "/order", {"item": [str(talk.id), str(pause.id), str(opening.id)]})
    body = text(response)
    assert response.status_code == 200
    assert "The new order is saved." in body
    assert titles(opening_day) == ["Библиотеката като център", "Кафе пауза", "Откриване"]


def test_the_list_carries_the_order_form_and_hidden_ids(client, as_facilitator, opening_day):
    body = text(client.get(agenda_url(opening_day)))
    ids = [str(i.id) for i in services.items_of(opening_day)]
    assert re.findall(r'<input type="hidden" name="item" value="(\d+)" form="agenda-order-0">', body) == ids
    assert re.search(
        r'<form id="agenda-order-0" class="agenda-order" method="post" action="[^"]+/agenda/order"\s+'
        r'hx-post="[^"]+/agenda/order" hx-trigger="agenda-reorder"',
        body,
    )
    assert 'class="agenda-list js-sortable" id="agenda-day-0-list" data-order-form="agenda-order-0"' in body
    assert 'class="agenda-item__handle js-drag-handle" aria-hidden="true"' in body


@pytest.mark.parametrize("bad", ["foreign", "unknown", "duplicate", "empty", "text"])
def test_drag_with_ids_that_are_not_this_workshops_is_refused(hx, opening_day, create_workshop, add, bad):
    other = create_workshop(title="Чужд")
    foreign = add(other, "Чужда точка")
    opening, talk, pause = services.items_of(opening_day)
    ids = {
        "foreign": [pause.id, foreign.id, opening.id, talk.id],
        "unknown": [pause.id, 424242],
        "duplicate": [pause.id, pause.id],
        "empty": [],
        "text": ["<script>"],
    }[bad]
    response = hx.post(agenda_url(opening_day) + "/order", {"item": [str(i) for i in ids]})
    body = text(response)
    assert response.status_code == 422
    assert "HX-Trigger" not in response.headers
    assert "The new order could not be saved" in body
    assert titles(opening_day) == ["Откриване", "Библиотеката като център", "Кафе пауза"]
    assert titles(other) == ["Чужда точка"]


def test_drag_without_csrf_token_is_refused(client, as_facilitator, opening_day):
    opening, talk, pause = services.items_of(opening_day)
    response = client.post(
        agenda_url(opening_day) + "/order", data={"item": [pause.id, talk.id, opening.id]}, headers=HX
    )
    assert response.status_code == 400
    assert titles(opening_day)[0] == "Откриване"


# --- retime and delete -----------------------------------------------------------------------


def test_shift_times_to_follow_the_order(hx, one_day, add):
    add(one_day, "A", time(10, 0), 30)
    add(one_day, "B", time(9, 45), 30)
    response = hx.post(agenda_url(one_day) + "/days/0/retime")
    body = text(response)
    assert response.status_code == 200
    assert "Times now follow the order, from 9:00." in body
    assert [i.starts_at for i in services.items_of(one_day)] == [time(9, 0), time(9, 30)]
    assert "Overlaps the previous item" not in body


def test_shift_times_on_a_day_that_does_not_exist_is_404(hx, one_day):
    assert hx.post(agenda_url(one_day) + "/days/5/retime").status_code == 404


def test_delete_with_htmx(hx, opening_day):
    opening, talk, pause = services.items_of(opening_day)
    talk_id, pause_id = talk.id, pause.id
    services.add_speaker(talk, "Мария")
    response = hx.post(item_url(opening_day, talk_id, "/delete"))
    body = text(response)
    assert response.status_code == 200
    assert "Deleted “Библиотеката като център”." in body
    assert f'id="agenda-item-{talk_id}"' not in body
    # Focus goes to the item that took its place.
    assert re.search(rf'id="agenda-item-{pause_id}-edit"[^>]*autofocus', body)
    assert titles(opening_day) == ["Откриване", "Кафе пауза"]
    assert count(Speaker) == 0


def test_delete_button_asks_first(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    body = text(client.get(agenda_url(opening_day)))
    assert 'hx-confirm="Delete “Библиотеката като център” and its speakers? This cannot be undone."' in body
    # Without JavaScript the same button opens a confirmation page.
    page = client.get(item_url(opening_day, talk, "/delete"))
    assert page.status_code == 200
    assert "Delete “Библиотеката като център”?" in text(page) and "Keep it" in text(page)
    assert count(AgendaItem) == 3


def test_delete_without_javascript_after_confirming(client, as_facilitator, post_form, opening_day):
    talk = services.items_of(opening_day)[1]
    response = post_form(item_url(opening_day, talk, "/delete"), {}, page=item_url(opening_day, talk, "/delete"))
    assert response.status_code == 302
    assert titles(opening_day) == ["Откриване", "Кафе пауза"]


def test_delete_without_csrf_token_is_refused(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    assert client.post(item_url(opening_day, talk, "/delete"), headers=HX).status_code == 400
    assert count(AgendaItem) == 3


# --- speakers --------------------------------------------------------------------------------


def test_add_edit_and_remove_speakers_with_htmx(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    speakers = item_url(opening_day, talk, "/speakers")
    response = hx.post(
        speakers,
        {
            f"new-speaker-{talk.id}-name": "Петър Петров",
            f"new-speaker-{talk.id}-role": "кмет",
            f"new-speaker-{talk.id}-organisation": "Община Кюстендил",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<section id="agenda-item-{talk.id}-speakers"')
    assert "Added speaker Петър Петров, кмет, Община Кюстендил." in body
    speaker = talk.speakers[0]
    assert 'aria-label="Remove speaker “Петър Петров”"' in body

    response = hx.post(
        f"{speakers}/{speaker.id}",
        {
            f"speaker-{speaker.id}-name": "Петър Петров",
            f"speaker-{speaker.id}-role": "заместник-кмет",
            f"speaker-{speaker.id}-organisation": "",
        },
    )
    assert response.status_code == 200
    assert "Saved speaker Петър Петров, заместник-кмет." in text(response)
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.id).role == "заместник-кмет"

    response = hx.post(f"{speakers}/{speaker.id}/remove")
    assert response.status_code == 200
    assert "Removed speaker Петър Петров, заместник-кмет." in text(response)
    assert "No speakers yet." in text(response)
    assert count(Speaker) == 0


def test_the_row_shows_speakers_after_saving(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    services.add_speaker(talk, "Ana Nowak", "trainer", "Stowarzyszenie")
    body = text(hx.get(item_url(opening_day, talk)))
    assert "<li>Ana Nowak, trainer, Stowarzyszenie</li>" in body


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"name": ""}, "name", "Please fill in this field."),
        ({"name": "И" * 121}, "name", "at most 120 characters"),
        ({"role": "р" * 201}, "role", "at most 200 characters"),
        ({"organisation": "о" * 201}, "organisation", "at most 200 characters"),
    ],
)
def test_bad_speaker_is_explained_and_kept(hx, opening_day, values, field, message):
    talk = services.items_of(opening_day)[1]
    prefix = f"new-speaker-{talk.id}"
    typed = {"name": "Мария", "role": "директор", "organisation": "РБ"}
    typed.update(values)
    response = hx.post(item_url(opening_day, talk, "/speakers"), {f"{prefix}-{k}": v for k, v in typed.items()})
    body = text(response)
    assert response.status_code == 422
    error = re.search(rf'<p class="field__error" id="{prefix}-{field}-error">([^<]*)</p>', body)
    assert error and message in error.group(1)
    for value in typed.values():
        if value:
            assert f'value="{value}"' in body
    assert count(Speaker) == 0


def test_bad_speaker_edit_keeps_the_typing_in_that_speakers_form(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    first = services.add_speaker(talk, "Мария")
    services.add_speaker(talk, "Иван")
    response = hx.post(
        item_url(opening_day, talk, f"/speakers/{first.id}"),
        {f"speaker-{first.id}-name": "", f"speaker-{first.id}-role": "нова роля"},
    )
    body = text(response)
    assert response.status_code == 422
    assert f'id="speaker-{first.id}-name-error"' in body and 'value="нова роля"' in body
    assert 'value="Иван"' in body
    db.session.expire_all()
    assert db.session.get(Speaker, first.id).name == "Мария"


def test_speakers_without_javascript(client, as_facilitator, post_form, opening_day):
    talk = services.items_of(opening_day)[1]
    edit = item_url(opening_day, talk, "/edit")
    response = post_form(item_url(opening_day, talk, "/speakers"), {f"new-speaker-{talk.id}-name": "Мария"}, page=edit)
    assert response.status_code == 302 and f"/edit#agenda-item-{talk.id}-speakers" in response.headers["Location"]
    response = post_form(item_url(opening_day, talk, "/speakers"), {f"new-speaker-{talk.id}-name": ""}, page=edit)
    assert response.status_code == 422 and "<html" in text(response)
    assert "Please fill in this field." in text(response)


def test_speaker_without_csrf_token_is_refused_and_keeps_typing(client, as_facilitator, opening_day):
    talk = services.items_of(opening_day)[1]
    client.get(agenda_url(opening_day))
    response = client.post(item_url(opening_day, talk, "/speakers"), data={f"new-speaker-{talk.id}-name": "Мария"})
    assert response.status_code == 400
    assert 'value="Мария"' in text(response)
    assert count(Speaker) == 0


def test_editing_a_speaker_someone_removed_keeps_the_text(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    speaker = services.add_speaker(talk, "Мария")
    speaker_id = speaker.id
    services.remove_speaker(speaker)
    response = hx.post(
        item_url(opening_day, talk, f"/speakers/{speaker_id}"),
        {f"speaker-{speaker_id}-name": "Мария Петрова", f"speaker-{speaker_id}-role": "директор"},
    )
    body = text(response)
    assert response.status_code == 409
    assert "Someone removed this speaker meanwhile" in body and 'role="alert"' in body
    assert f'id="new-speaker-{talk.id}-name"' in body and 'value="Мария Петрова"' in body and 'value="директор"' in body


def test_adding_a_speaker_to_a_deleted_item_says_so_with_the_text(hx, opening_day):
    talk = services.items_of(opening_day)[1]
    talk_id = talk.id
    services.delete_item(talk)
    response = hx.post(
        item_url(opening_day, talk_id, "/speakers"),
        {f"new-speaker-{talk_id}-name": "Мария", f"new-speaker-{talk_id}-role": "директор"},
    )
    assert response.status_code == 409
    assert "the speaker was not saved: Мария, директор" in text(response)


# --- whose agenda ----------------------------------------------------------------------------


def routes(workshop, item, speaker):
    """Every agenda route, as (method, url, data)."""
    base = agenda_url(workshop)
    item_base = f"{base}/items/{item.id}"
    return [
        ("get", base, None),
        ("post", f"{base}/items", item_values("new")),
        ("get", item_base, None),
        ("get", f"{item_base}/edit", None),
        ("post", item_base, item_values(f"item-{item.id}")),
        ("post", f"{item_base}/move", {"direction": "up"}),
        ("get", f"{item_base}/delete", None),
        ("post", f"{item_base}/delete", {}),
        ("post", f"{base}/order", {"item": [str(item.id)]}),
        ("post", f"{base}/days/0/retime", {}),
        ("post", f"{item_base}/speakers", {f"new-speaker-{item.id}-name": "X"}),
        ("post", f"{item_base}/speakers/{speaker.id}", {f"speaker-{speaker.id}-name": "X"}),
        ("post", f"{item_base}/speakers/{speaker.id}/remove", {}),
    ]


ROUTE_IDS = [
    "index",
    "add",
    "row",
    "edit",
    "update",
    "move",
    "confirm-delete",
    "delete",
    "order",
    "retime",
    "add-speaker",
    "update-speaker",
    "remove-speaker",
]


@pytest.mark.parametrize("index", range(len(ROUTE_IDS)), ids=ROUTE_IDS)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_another_facilitators_workshop_is_404_everywhere(client, as_other, opening_day, index, htmx):
    talk = services.items_of(opening_day)[1]
    speaker = services.add_speaker(talk, "Мария")
    method, url, data = routes(opening_day, talk, speaker)[index]
    token = HtmxClient(client).token("/account")
    headers = {"X-CSRFToken": token, **(HX if htmx else {})}
    response = client.get(url, headers=headers) if method == "get" else client.post(url, data=data, headers=headers)
    assert response.status_code == 404
    assert "Мария" not in text(response) and "Откриване" not in text(response)
    assert count(AgendaItem) == 3 and count(Speaker) == 1
    assert titles(opening_day) == ["Откриване", "Библиотеката като център", "Кафе пауза"]


@pytest.mark.parametrize(
    "index",
    [i for i, name in enumerate(ROUTE_IDS) if name not in ("index", "add", "order", "retime")],
    ids=[n for n in ROUTE_IDS if n not in ("index", "add", "order", "retime")],
)
def test_an_item_of_another_workshop_in_the_url_is_404(hx, opening_day, create_workshop, add, index):
    other = create_workshop(title="Моят друг семинар", starts_on=date(2012, 9, 1))
    foreign = add(other, "Чужда точка")
    speaker = services.add_speaker(foreign, "Борис")
    method, url, data = routes(opening_day, foreign, speaker)[index]
    response = hx.get(url) if method == "get" else hx.post(url, data)
    assert response.status_code == 404
    assert count(AgendaItem) == 4 and count(Speaker) == 1
    db.session.expire_all()
    assert db.session.get(AgendaItem, foreign.id).title == "Чужда точка"


@pytest.mark.parametrize("suffix", ["", "/remove"])
def test_a_speaker_of_another_item_in_the_url_is_404(hx, opening_day, suffix):
    opening, talk, pause = services.items_of(opening_day)
    speaker = services.add_speaker(talk, "Мария")
    url = item_url(opening_day, opening, f"/speakers/{speaker.id}{suffix}")
    response = hx.post(url, {f"speaker-{speaker.id}-name": "Подменено"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.id).name == "Мария"


def test_an_unknown_workshop_is_404(hx):
    assert hx.get("/workshops/9999/agenda").status_code == 404
