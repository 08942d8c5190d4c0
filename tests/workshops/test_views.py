"""Workshop pages through the test client, as a facilitator's browser uses them."""

import re
from datetime import date, time

import pytest

from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.planning import services as planning
from facilitator.stages import services as stage_services
from facilitator.workshops import joincode, services
from facilitator.workshops.models import Workshop

from .helpers import dark_modules, embedded_svg, expected_modules, text, token_from

VALID = {
    "title": "Podaj dalej: spotkanie 1",
    "description": "Biblioteka jako centrum lokalnych inicjatyw.",
    "starts_on": "2013-03-14",
    "ends_on": "",
    "day_starts_at": "10:00",
    "day_ends_at": "15:30",
    "venue_place": "Biblioteka w Łazach",
    "venue_address": "ul. Traugutta 15, Łazy",
    "locale": "pl",
    "wifi_name": "Biblioteka-Goscie",
    "template": "",
}


def count_workshops():
    return db.session.scalar(db.select(db.func.count(Workshop.id)))


def assert_no_inline_script_or_style(body):
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert " style=" not in body and "<style" not in body
    assert not re.search(r"\son[a-z]+=", body)


# Dashboard ------------------------------------------------------------------------------------


def test_dashboard_needs_signing_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_empty_dashboard_helps_to_start(client, as_facilitator):
    body = text(client.get("/dashboard"))
    assert "Hello, Ana Nowak" in body
    assert "No workshops yet." in body
    assert 'href="/workshops/new"' in body and "New workshop" in body


def test_dashboard_splits_running_and_finished(client, as_facilitator, workshop, create_workshop):
    db.session.add_all(
        [
            Group(workshop_id=workshop.id, name="Група 1"),
            Group(workshop_id=workshop.id, name="Група 2"),
            Group(workshop_id=workshop.id, name="Стара", archived_at=workshop.created_at),
        ]
    )
    old = create_workshop(title="Last year's meeting", starts_on=date(2011, 6, 6))
    old.status = "finished"
    db.session.commit()
    body = text(client.get("/dashboard"))
    running, finished = body.split("Coming up and running")[1].split('<h2 id="finished-heading">')
    assert workshop.title in running and re.search(r"Jun\w*\s6\s–\s7, 2012", running)
    assert "Кюстендил" in running and ">Draft<" in running and "2 groups" in running
    assert "Last year&#39;s meeting" in finished and ">Finished<" in finished
    assert f'action="/workshops/{workshop.id}/copy"' in running
    assert f'href="/workshops/{workshop.id}"' in running
    assert_no_inline_script_or_style(body)


def test_dashboard_shows_only_your_workshops(client, workshop, as_other):
    body = text(client.get("/dashboard"))
    assert workshop.title not in body and "No workshops yet." in body


# New workshop ---------------------------------------------------------------------------------


def test_new_workshop_form_is_labelled_and_starts_in_the_ui_language(client, as_facilitator, post_form):
    post_form("/language", {"lang": "bg", "next": "/workshops/new"}, page="/dashboard")
    body = text(client.get("/workshops/new"))
    for field in (
        "title",
        "description",
        "starts_on",
        "ends_on",
        "day_starts_at",
        "day_ends_at",
        "venue_place",
        "venue_address",
        "locale",
        "wifi_name",
        "template",
    ):
        assert f'<label for="{field}">' in body, field
    assert re.search(r'<option lang="bg" selected value="bg">Български</option>', body)
    assert '<option lang="pl" value="pl">Polski</option>' in body
    assert 'value="09:00"' in body and 'value="17:00"' in body
    assert_no_inline_script_or_style(body)


def test_new_workshop_is_created_and_opens_its_overview(client, as_facilitator, post_form, facilitator):
    response = post_form("/workshops/new", VALID)
    workshop = services.workshops_of(facilitator)[0]
    assert response.status_code == 302 and response.headers["Location"] == f"/workshops/{workshop.id}"
    assert workshop.title == VALID["title"] and workshop.status == "draft"
    assert workshop.starts_on == date(2013, 3, 14) and workshop.ends_on is None
    assert (workshop.day_starts_at, workshop.day_ends_at) == (time(10, 0), time(15, 30))
    assert (workshop.venue_place, workshop.locale, workshop.wifi_name) == (
        "Biblioteka w Łazach",
        "pl",
        "Biblioteka-Goscie",
    )
    # The built-in process, in the workshop's language.
    assert workshop.process.stages[0].title.startswith("Wybór usługi")
    assert len(workshop.process.stages) == 8
    assert len(workshop.join_code) == joincode.LENGTH
    overview = text(client.get(response.headers["Location"]))
    assert "The workshop is created." in overview
    assert VALID["description"] in overview and "ul. Traugutta 15, Łazy" in overview and "Polski" in overview
    assert workshop.join_code in overview and "8 stages" in overview and "0 items" in overview


def test_new_workshop_from_an_own_template(client, as_facilitator, post_form, facilitator):
    template = stage_services.build_default_process("en", owner_id=facilitator.id)
    template.name = "Our library process"
    template.stages[0].title = "Pick the service"
    db.session.commit()
    assert f'<option value="{template.id}">Our library process</option>' in text(client.get("/workshops/new"))
    response = post_form("/workshops/new", {**VALID, "template": str(template.id)})
    assert response.status_code == 302
    workshop = services.workshops_of(facilitator)[0]
    assert workshop.process.stages[0].title == "Pick the service"
    assert workshop.process_id != template.id and workshop.process.is_template is False


def test_another_facilitators_template_cannot_be_chosen(client, as_facilitator, post_form, other_facilitator):
    theirs = stage_services.build_default_process("bg", owner_id=other_facilitator.id)
    db.session.commit()
    assert f'value="{theirs.id}"' not in text(client.get("/workshops/new"))
    response = post_form("/workshops/new", {**VALID, "template": str(theirs.id)})
    assert response.status_code == 422
    assert 'id="template-error"' in text(response) and "Choose one of the listed processes." in text(response)
    assert count_workshops() == 0


def test_a_template_with_an_empty_stage_cannot_start_a_workshop(client, as_facilitator, post_form, facilitator):
    template = stage_services.build_default_process("en", owner_id=facilitator.id)
    template.stages[2].fields.clear()
    db.session.commit()
    response = post_form("/workshops/new", {**VALID, "template": str(template.id)})
    assert response.status_code == 422
    assert 'id="template-error"' in text(response) and "has no fields" in text(response)
    assert count_workshops() == 0


BAD_INPUT = [
    ("ends_on", {"starts_on": "2012-06-07", "ends_on": "2012-06-06"}, "The last day cannot be before the first day."),
    ("title", {"title": "x" * 300}, "This is too long: at most 200 characters."),
    ("title", {"title": "   "}, "Please fill in this field."),
    ("starts_on", {"starts_on": "2012-13-45"}, "This is not a date."),
    ("starts_on", {"starts_on": "next Tuesday"}, "This is not a date."),
    ("starts_on", {"starts_on": ""}, "Please fill in this field."),
    ("ends_on", {"ends_on": "07.06.2012"}, "This is not a date."),
    ("day_ends_at", {"day_starts_at": "17:00", "day_ends_at": "09:00"}, "The day has to end after it starts."),
    ("day_starts_at", {"day_starts_at": "25:99"}, "This is not a time of day."),
    ("locale", {"locale": "de"}, "Choose one of the listed languages."),
    ("wifi_password", {"wifi_password": "p" * 64}, "This is too long: at most 63 characters."),
    ("wifi_password", {"wifi_name": "", "wifi_password": "zaq12wsx"}, "Give the Wi-Fi's name too"),
]


@pytest.mark.parametrize("field, changes, message", BAD_INPUT)
def test_new_workshop_bad_input_is_explained_next_to_the_field(
    client, as_facilitator, post_form, field, changes, message
):
    response = post_form("/workshops/new", {**VALID, **changes})
    body = text(response)
    assert response.status_code == 422
    error = re.search(rf'<p class="field__error" id="{field}-error">([^<]*)</p>', body)
    assert error and message in error.group(1)
    assert f'aria-describedby="{field}-hint {field}-error"' in body or f'aria-describedby="{field}-error"' in body
    # What was typed is kept, the rest too.
    for name, value in changes.items():
        if name != "locale" and value.strip():
            assert f'value="{value}"' in body, name
    assert 'value="Biblioteka w Łazach"' in body
    assert count_workshops() == 0


@pytest.mark.parametrize("field, changes, message", BAD_INPUT)
def test_edit_bad_input_is_explained_and_nothing_is_lost(
    client, as_facilitator, post_form, workshop, field, changes, message
):
    url = f"/workshops/{workshop.id}/edit"
    response = post_form(url, {**VALID, **changes})
    body = text(response)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', body)
    assert 'value="Biblioteka w Łazach"' in body
    db.session.refresh(workshop)
    assert workshop.title == "Библиотеката и нейните партньори" and workshop.locale == "bg"
    assert workshop.venue_place == "Кюстендил"


def test_new_workshop_without_csrf_token_keeps_the_typing(client, as_facilitator):
    client.get("/workshops/new")
    response = client.post("/workshops/new", data=VALID)
    body = text(response)
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in body
    assert f'value="{VALID["title"]}"' in body
    assert count_workshops() == 0


# Edit -----------------------------------------------------------------------------------------


def test_edit_shows_the_workshop_and_saves_changes(client, as_facilitator, post_form, workshop):
    url = f"/workshops/{workshop.id}/edit"
    page = text(client.get(url))
    assert 'value="Библиотеката и нейните партньори"' in page and 'value="2012-06-07"' in page
    assert '<option lang="bg" selected value="bg">' in page
    assert "does not rewrite the stages" in page
    assert 'name="template"' not in page
    response = post_form(url, {**VALID, "ends_on": "2013-03-15"})
    assert response.status_code == 302 and response.headers["Location"] == f"/workshops/{workshop.id}"
    db.session.refresh(workshop)
    assert workshop.title == VALID["title"] and workshop.ends_on == date(2013, 3, 15)
    assert workshop.locale == "pl" and workshop.day_ends_at == time(15, 30)
    # The language changed, the snapshot of the process did not.
    assert workshop.process.stages[0].title == "Избор на услугата и наименование"
    assert "Your changes are saved." in text(client.get(f"/workshops/{workshop.id}"))


def test_edit_same_end_day_means_one_day(client, as_facilitator, post_form, workshop):
    post_form(f"/workshops/{workshop.id}/edit", {**VALID, "ends_on": VALID["starts_on"]})
    db.session.refresh(workshop)
    assert workshop.ends_on is None and workshop.day_count == 1


def test_edit_without_csrf_token_changes_nothing(client, as_facilitator, workshop):
    response = client.post(f"/workshops/{workshop.id}/edit", data=VALID)
    assert response.status_code == 400
    assert f'value="{VALID["title"]}"' in text(response)
    db.session.refresh(workshop)
    assert workshop.title == "Библиотеката и нейните партньори"


def test_stale_edit_form_gets_a_friendly_404(client, as_facilitator, workshop):
    url = f"/workshops/{workshop.id}/edit"
    token = token_from(client.get(url))
    db.session.delete(workshop)
    db.session.commit()
    response = client.post(url, data={"csrf_token": token, **VALID})
    body = text(response)
    assert response.status_code == 404
    assert "This workshop is not available" in body and "deleted meanwhile" in body
    assert 'href="/dashboard"' in body
    assert count_workshops() == 0


# Copy -----------------------------------------------------------------------------------------


def test_copy_starts_the_next_meeting_and_opens_its_edit_page(client, as_facilitator, workshop, facilitator):
    db.session.add(Group(workshop_id=workshop.id, name="Група 1"))
    db.session.commit()
    token = token_from(client.get(f"/workshops/{workshop.id}"))
    response = client.post(f"/workshops/{workshop.id}/copy", data={"csrf_token": token})
    copy = next(w for w in services.workshops_of(facilitator) if w.id != workshop.id)
    assert response.status_code == 302 and response.headers["Location"] == f"/workshops/{copy.id}/edit"
    assert copy.title == "Библиотеката и нейните партньори (copy)" and copy.status == "draft"
    assert planning.group_counts([copy]) == {copy.id: 1}
    page = text(client.get(response.headers["Location"]))
    assert "This is a copy of “Библиотеката и нейните партньори”" in page
    assert 'value="Библиотеката и нейните партньори (copy)"' in page


def test_copy_of_a_long_title_still_fits(client, as_facilitator, create_workshop, facilitator):
    original = create_workshop(title="Ж" * 200)
    token = token_from(client.get("/dashboard"))
    client.post(f"/workshops/{original.id}/copy", data={"csrf_token": token})
    copy = next(w for w in services.workshops_of(facilitator) if w.id != original.id)
    assert len(copy.title) <= 200 and copy.title.endswith("… (copy)")


def test_copy_needs_a_csrf_token(client, as_facilitator, workshop):
    response = client.post(f"/workshops/{workshop.id}/copy")
    assert response.status_code == 400 and "This form has expired" in text(response)
    assert count_workshops() == 1


def test_copy_is_a_post(client, as_facilitator, workshop):
    assert client.get(f"/workshops/{workshop.id}/copy").status_code == 405


# Status ---------------------------------------------------------------------------------------


def set_status(client, workshop, status):
    token = token_from(client.get(f"/workshops/{workshop.id}"))
    return client.post(f"/workshops/{workshop.id}/status", data={"csrf_token": token, "status": status})


def test_status_goes_live_back_to_draft_and_finishes(client, as_facilitator, workshop):
    page = text(client.get(f"/workshops/{workshop.id}"))
    assert 'name="status" value="live"' in page and 'value="finished"' not in page

    response = set_status(client, workshop, "live")
    assert response.status_code == 302 and workshop.status == "live"
    page = text(client.get(f"/workshops/{workshop.id}"))
    assert "The workshop is live." in page
    # Finishing sits behind a disclosure that says what it does.
    assert re.search(r"<details class=\"confirm\">\s*<summary>Finish the workshop…</summary>", page)
    assert "its join code stops working" in page and "Yes, finish the workshop" in page
    assert 'name="status" value="draft"' in page

    set_status(client, workshop, "draft")
    assert workshop.status == "draft"
    set_status(client, workshop, "live")
    set_status(client, workshop, "finished")
    assert workshop.status == "finished"
    page = text(client.get(f"/workshops/{workshop.id}"))
    assert "The workshop is finished." in page and 'name="status"' not in page
    assert joincode.find_open_workshop(workshop.join_code) is None


@pytest.mark.parametrize(
    "start, target",
    [("draft", "finished"), ("finished", "live"), ("finished", "draft"), ("draft", "draft"), ("draft", "archived")],
)
def test_impossible_status_moves_are_refused(client, as_facilitator, workshop, start, target):
    workshop.status = start
    db.session.commit()
    response = set_status(client, workshop, target)
    assert response.status_code == 409
    assert "That change is not possible now" in text(response)
    assert workshop.status == start


def test_status_change_needs_a_csrf_token(client, as_facilitator, workshop):
    response = client.post(f"/workshops/{workshop.id}/status", data={"status": "live"})
    assert response.status_code == 400 and workshop.status == "draft"


# Join code, QR and sheet ----------------------------------------------------------------------


def test_join_page_shows_code_url_and_a_qr_of_that_url(client, as_facilitator, workshop):
    response = client.get(f"/workshops/{workshop.id}/join")
    body = text(response)
    url = f"http://localhost/j/{workshop.join_code}"
    assert response.status_code == 200 and "<html" in body
    assert f'<p class="join-code" id="join-code" tabindex="-1">{workshop.join_code}</p>' in body
    assert f'<code id="join-url">{url}</code>' in body
    svg = embedded_svg(body, "join-qr")
    assert dark_modules(svg) == expected_modules(url)
    assert 'role="img"' in svg and 'aria-label="QR code to join the workshop"' in svg
    assert f'href="/workshops/{workshop.id}/join/sheet"' in body
    assert 'id="join-announcer"' in body and 'role="status"' in body
    assert_no_inline_script_or_style(body)


def test_join_page_fragment_for_htmx(client, as_facilitator, workshop):
    response = client.get(f"/workshops/{workshop.id}/join", headers={"HX-Request": "true"})
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<section id="join-panel"') and workshop.join_code in body
    assert "hx-swap-oob" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_join_qr_follows_the_address_the_server_was_reached_at(client, facilitator, workshop, sign_in, lan):
    lan[:] = FOUND
    lan_url = "http://192.168.1.20:5000"
    sign_in(base_url=lan_url)
    body = text(client.get(f"/workshops/{workshop.id}/join?address=10.1.2.3", base_url=lan_url))
    assert 'name="address"' not in body and "://10.1.2.3" not in body
    url = f"{lan_url}/j/{workshop.join_code}"
    assert f'<code id="join-url">{url}</code>' in body
    assert dark_modules(embedded_svg(body, "join-qr")) == expected_modules(url)
    assert dark_modules(embedded_svg(body, "join-qr")) != expected_modules(f"http://localhost/j/{workshop.join_code}")
    sheet = text(client.get(f"/workshops/{workshop.id}/join/sheet", base_url=lan_url))
    assert dark_modules(embedded_svg(sheet, "join-sheet-qr")) == expected_modules(url)
    assert url in sheet


LAPTOP = "http://127.0.0.1:5000"
FOUND = ["127.0.0.1", "10.1.2.3", "192.168.1.20", "169.254.3.3"]
ADDRESS_OPTIONS = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def offered(body, select_id):
    """The address choices in the <select id=...> as (value, shown, selected) and its label."""
    select = re.search(rf'<select id="{select_id}" name="address"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no address choice #{select_id}"
    assert re.search(rf'<label for="{select_id}">[^<]+</label>', body)
    return [(value, shown, bool(selected)) for value, selected, shown in ADDRESS_OPTIONS.findall(select.group(1))]


def test_on_the_laptop_the_join_qr_uses_a_network_address_phones_can_reach(client, facilitator, workshop, sign_in, lan):
    lan[:] = FOUND
    sign_in(base_url=LAPTOP)
    body = text(client.get(f"/workshops/{workshop.id}/join", base_url=LAPTOP))
    url = f"http://10.1.2.3:5000/j/{workshop.join_code}"
    assert offered(body, "join-address") == [
        ("10.1.2.3", "http://10.1.2.3:5000", True),
        ("192.168.1.20", "http://192.168.1.20:5000", False),
    ]
    assert f'<form method="get" action="/workshops/{workshop.id}/join"' in body
    assert f'<code id="join-url">{url}</code>' in body
    assert dark_modules(embedded_svg(body, "join-qr")) == expected_modules(url)
    assert f'href="/workshops/{workshop.id}/join/sheet?address=10.1.2.3"' in body
    assert_no_inline_script_or_style(body)

    chosen = text(client.get(f"/workshops/{workshop.id}/join?address=192.168.1.20", base_url=LAPTOP))
    url = f"http://192.168.1.20:5000/j/{workshop.join_code}"
    assert ("192.168.1.20", "http://192.168.1.20:5000", True) in offered(chosen, "join-address")
    assert f'<code id="join-url">{url}</code>' in chosen
    assert dark_modules(embedded_svg(chosen, "join-qr")) == expected_modules(url)
    assert f'href="/workshops/{workshop.id}/join/sheet?address=192.168.1.20"' in chosen


def test_on_the_laptop_the_sheet_offers_the_network_addresses(client, facilitator, workshop, sign_in, lan):
    lan[:] = FOUND
    sign_in(base_url=LAPTOP)
    sheet = text(client.get(f"/workshops/{workshop.id}/join/sheet", base_url=LAPTOP))
    assert [value for value, _, selected in offered(sheet, "join-sheet-address") if selected] == ["10.1.2.3"]
    assert f'<form method="get" action="/workshops/{workshop.id}/join/sheet"' in sheet
    url = f"http://10.1.2.3:5000/j/{workshop.join_code}"
    assert dark_modules(embedded_svg(sheet, "join-sheet-qr")) == expected_modules(url) and url in sheet
    assert_no_inline_script_or_style(sheet)

    sheet = text(client.get(f"/workshops/{workshop.id}/join/sheet?address=192.168.1.20", base_url=LAPTOP))
    url = f"http://192.168.1.20:5000/j/{workshop.join_code}"
    assert dark_modules(embedded_svg(sheet, "join-sheet-qr")) == expected_modules(url)
    assert f'<p class="join-sheet__url">{url}</p>' in sheet
    assert f'href="/workshops/{workshop.id}/join?address=192.168.1.20"' in sheet


def test_an_address_the_laptop_does_not_have_is_never_drawn(client, facilitator, workshop, sign_in, lan):
    lan[:] = FOUND
    sign_in(base_url=LAPTOP)
    default = f"http://10.1.2.3:5000/j/{workshop.join_code}"
    for foreign in ("6.6.6.6", "evil.example", "127.0.0.1", "169.254.3.3", "10.1.2.3:80/x"):
        for page, svg_id in (("join", "join-qr"), ("join/sheet", "join-sheet-qr")):
            body = text(
                client.get(f"/workshops/{workshop.id}/{page}", query_string={"address": foreign}, base_url=LAPTOP)
            )
            assert dark_modules(embedded_svg(body, svg_id)) == expected_modules(default), (foreign, page)
            assert f"://{foreign}" not in body and f'value="{foreign}"' not in body, (foreign, page)


def test_the_public_address_setting_wins_over_the_laptops_addresses(app, client, as_facilitator, workshop, lan):
    lan[:] = FOUND
    app.config["PUBLIC_BASE_URL"] = "https://warsztaty.example.org"
    url = f"https://warsztaty.example.org/j/{workshop.join_code}"
    body = text(client.get(f"/workshops/{workshop.id}/join?address=10.1.2.3"))
    assert f'<code id="join-url">{url}</code>' in body and 'name="address"' not in body
    assert dark_modules(embedded_svg(body, "join-qr")) == expected_modules(url)
    sheet = text(client.get(f"/workshops/{workshop.id}/join/sheet?address=10.1.2.3"))
    assert dark_modules(embedded_svg(sheet, "join-sheet-qr")) == expected_modules(url)
    assert 'name="address"' not in sheet and "://10.1.2.3" not in sheet


def test_on_the_laptop_without_a_network_address_the_pages_say_phones_cannot_reach_it(client, as_facilitator, workshop):
    warning = "Phones on the same Wi-Fi cannot reach this laptop:"
    body = text(client.get(f"/workshops/{workshop.id}/join"))
    assert warning in body and 'name="address"' not in body
    assert f'<code id="join-url">http://localhost/j/{workshop.join_code}</code>' in body
    assert warning in text(client.get(f"/workshops/{workshop.id}/join/sheet"))
    polish = text(client.get(f"/workshops/{workshop.id}/join", headers={"Accept-Language": "pl"}))
    assert "Telefony w tej samej sieci Wi-Fi nie mogą połączyć się z tym laptopem:" in polish


def test_the_address_choice_speaks_polish_and_bulgarian(client, facilitator, workshop, sign_in, lan):
    lan[:] = FOUND
    sign_in(base_url=LAPTOP)
    for language, label, button in (
        ("pl", "Adres dla telefonów", "Użyj tego adresu"),
        ("bg", "Адрес за телефоните", "Използвай този адрес"),
    ):
        body = text(
            client.get(f"/workshops/{workshop.id}/join", headers={"Accept-Language": language}, base_url=LAPTOP)
        )
        assert f'<label for="join-address">{label}</label>' in body and f">{button}</button>" in body
        assert "(make run HOST=0.0.0.0)" in body


def test_a_new_code_keeps_the_chosen_address(client, facilitator, workshop, sign_in, lan):
    lan[:] = FOUND
    sign_in(base_url=LAPTOP)
    page = client.get(f"/workshops/{workshop.id}/join?address=192.168.1.20", base_url=LAPTOP)
    assert '<input type="hidden" name="address" value="192.168.1.20">' in text(page)
    data = {"csrf_token": token_from(page), "address": "192.168.1.20"}
    swapped = client.post(
        f"/workshops/{workshop.id}/join/regenerate", data=data, headers={"HX-Request": "true"}, base_url=LAPTOP
    )
    url = f"http://192.168.1.20:5000/j/{workshop.join_code}"
    assert dark_modules(embedded_svg(text(swapped), "join-qr")) == expected_modules(url)
    redirected = client.post(f"/workshops/{workshop.id}/join/regenerate", data=data, base_url=LAPTOP)
    assert redirected.headers["Location"] == f"/workshops/{workshop.id}/join?address=192.168.1.20"


def test_regenerate_with_htmx_swaps_the_panel(client, as_facilitator, workshop):
    old = workshop.join_code
    token = token_from(client.get(f"/workshops/{workshop.id}/join"))
    response = client.post(
        f"/workshops/{workshop.id}/join/regenerate", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    body = text(response)
    new = workshop.join_code
    assert response.status_code == 200 and new != old
    assert "<html" not in body and 'id="join-panel"' in body
    assert f'id="join-code" tabindex="-1" autofocus>{new}</p>' in body and old not in body
    # Screen readers hear it through the live region that stays on the page.
    assert re.search(rf'<div hx-swap-oob="innerHTML:#join-announcer"><p>[^<]*{new}[^<]*</p></div>', body)
    assert dark_modules(embedded_svg(body, "join-qr")) == expected_modules(f"http://localhost/j/{new}")
    assert joincode.find_open_workshop(old) is None
    assert joincode.find_open_workshop(new) == workshop


def test_regenerate_without_javascript_redirects_back(client, as_facilitator, workshop):
    old = workshop.join_code
    token = token_from(client.get(f"/workshops/{workshop.id}/join"))
    response = client.post(f"/workshops/{workshop.id}/join/regenerate", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == f"/workshops/{workshop.id}/join"
    page = text(client.get(response.headers["Location"]))
    assert workshop.join_code != old and f"The new join code is {workshop.join_code}." in page
    assert joincode.find_open_workshop(old) is None


def test_regenerate_needs_a_csrf_token(client, as_facilitator, workshop):
    old = workshop.join_code
    response = client.post(f"/workshops/{workshop.id}/join/regenerate", headers={"HX-Request": "true"})
    assert response.status_code == 400 and workshop.join_code == old


def test_finished_workshop_has_no_code_to_show_or_change(client, as_facilitator, workshop):
    old = workshop.join_code
    token = token_from(client.get(f"/workshops/{workshop.id}/join"))
    workshop.status = "finished"
    db.session.commit()
    page = text(client.get(f"/workshops/{workshop.id}/join"))
    assert "no longer lets anyone in" in page and 'id="join-qr"' not in page
    response = client.post(f"/workshops/{workshop.id}/join/regenerate", data={"csrf_token": token})
    assert response.status_code == 409 and workshop.join_code == old


def test_join_sheet_is_printable_and_speaks_the_workshops_language(client, as_facilitator, workshop):
    workshop.wifi_name = "Library-Guests"
    db.session.commit()
    response = client.get(f"/workshops/{workshop.id}/join/sheet")
    body = text(response)
    url = f"http://localhost/j/{workshop.join_code}"
    assert response.status_code == 200
    assert '<article class="join-sheet" lang="bg">' in body
    assert f">{workshop.title}</h1>" in body
    assert f'id="join-sheet-code">{workshop.join_code}</p>' in body and url in body
    assert "Wi-Fi: Library-Guests" in body
    # The UI is English; what participants read follows the workshop (Bulgarian dates).
    assert "юни 2012" in body
    assert dark_modules(embedded_svg(body, "join-sheet-qr")) == expected_modules(url)
    assert '<button type="button" class="button" data-print hidden>Print</button>' in body
    assert 'src="/static/js/workshops.js?v=' in body and 'href="/static/css/workshops.css?v=' in body
    assert_no_inline_script_or_style(body)


def test_with_the_wifi_password_the_sheet_first_connects_the_phone_then_joins(
    client, as_facilitator, post_form, workshop
):
    # Spaces at either end belong to a passphrase, and ; : \ are escaped in the code.
    edited = {**VALID, "locale": "bg", "wifi_name": "Читалище; гости", "wifi_password": " zaq1:xsw2\\ "}
    assert post_form(f"/workshops/{workshop.id}/edit", edited).status_code == 302
    db.session.refresh(workshop)
    assert workshop.wifi_password == " zaq1:xsw2\\ "
    body = text(client.get(f"/workshops/{workshop.id}/join/sheet"))
    wifi = embedded_svg(body, "join-sheet-wifi-qr")
    assert dark_modules(wifi) == expected_modules("WIFI:T:WPA;S:Читалище\\; гости;P: zaq1\\:xsw2\\\\ ;;")
    assert 'aria-label="QR код за свързване с Wi-Fi мрежата"' in wifi
    steps = re.findall(r'<h2 class="join-sheet__heading"[^>]*>([^<]+)</h2>', body)
    assert steps == ["1. Свържете се с Wi-Fi мрежата", "2. Присъединете се към срещата"]
    assert "Парола:  zaq1:xsw2\\ " in body and "Wi-Fi: Читалище; гости" in body
    # The join code's QR is still the join link's, after the network's.
    assert body.index('id="join-sheet-wifi-qr"') < body.index('id="join-sheet-qr"')
    assert dark_modules(embedded_svg(body, "join-sheet-qr")) == expected_modules(
        f"http://localhost/j/{workshop.join_code}"
    )
    # Facilitators only: the phones' join page never shows the password.
    join_page = text(client.get(f"/j/{workshop.join_code}"))
    assert "zaq1" not in join_page and "Читалище" not in join_page


def test_join_sheet_without_wifi_leaves_the_line_out(client, as_facilitator, workshop):
    assert "Wi-Fi:" not in text(client.get(f"/workshops/{workshop.id}/join/sheet"))


def test_workshop_pages_have_no_inline_script_or_style(client, as_facilitator, workshop):
    for url in (f"/workshops/{workshop.id}", f"/workshops/{workshop.id}/edit", "/workshops/new", "/dashboard"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_script_or_style(text(response))
        assert 'href="/static/css/workshops.css?v=' in text(response), url


# Access ---------------------------------------------------------------------------------------

PAGES = ["", "/edit", "/join", "/join/sheet"]
ACTIONS = [("/edit", VALID), ("/copy", {}), ("/status", {"status": "live"}), ("/join/regenerate", {})]


@pytest.mark.parametrize("suffix", PAGES)
def test_other_facilitators_get_404_on_pages(client, workshop, as_other, suffix):
    response = client.get(f"/workshops/{workshop.id}{suffix}")
    assert response.status_code == 404
    assert "This workshop is not available" in text(response)
    assert workshop.title not in text(response) and workshop.join_code not in text(response)


@pytest.mark.parametrize("suffix, data", ACTIONS)
def test_other_facilitators_get_404_on_actions(client, workshop, as_other, suffix, data):
    old_code = workshop.join_code
    token = token_from(client.get("/dashboard"))
    response = client.post(f"/workshops/{workshop.id}{suffix}", data={"csrf_token": token, **data})
    assert response.status_code == 404
    assert workshop.status == "draft" and workshop.join_code == old_code
    assert workshop.title == "Библиотеката и нейните партньори" and count_workshops() == 1


@pytest.mark.parametrize("suffix, data", ACTIONS)
def test_actions_on_a_deleted_workshop_get_a_friendly_404(client, as_facilitator, workshop, suffix, data):
    token = token_from(client.get(f"/workshops/{workshop.id}"))
    workshop_id = workshop.id
    db.session.delete(workshop)
    db.session.commit()
    response = client.post(f"/workshops/{workshop_id}{suffix}", data={"csrf_token": token, **data})
    assert response.status_code == 404 and "deleted meanwhile" in text(response)


@pytest.mark.parametrize("url", ["/workshops/new", "/workshops/1", "/workshops/1/join", "/workshops/1/join/sheet"])
def test_pages_need_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
