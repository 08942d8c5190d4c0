"""Groups pages through the test client, as a browser (with or without htmx) would use them."""

import re
from datetime import date

import pytest

from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups import services
from facilitator.groups.models import Group

HX = {"HX-Request": "true"}
STALE_GONE = "This group is no longer in the workshop"


def text(response):
    return response.get_data(as_text=True)


def active_names(workshop):
    return [group.name for group in services.active_groups(workshop)]


def row_order(body):
    """Names of the active rows in the order the page shows them."""
    return re.findall(r'<li id="group-\d+" class="group-row">.*?class="group-row__name">([^<]*)<', body, re.S)


@pytest.fixture
def post(post_form, groups_url):
    """POST a group form with a real token; `hx=True` sends it the way htmx does."""

    def send(url, data=None, hx=False):
        return post_form(url, data or {}, page=groups_url(), headers=HX if hx else {})

    return send


@pytest.fixture
def as_other(client, post_form, other_facilitator):
    """The client signed in as someone who has no access to the default workshop."""
    response = post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    assert response.status_code == 302


# --- the page and its fragment -------------------------------------------------------------


def test_page_lists_groups_in_order_with_colour_category_and_named_buttons(
    client, as_facilitator, add_group, groups_url
):
    first = add_group("Е-здраве", service_category="e-health")
    add_group("Група Б")
    response = client.get(groups_url())
    body = text(response)
    assert response.status_code == 200
    assert "<html" in body and 'aria-current="page">Groups</a>' in body
    assert row_order(body) == ["Е-здраве", "Група Б"]
    assert '<span class="group-swatch group-colour--blue">Blue</span>' in body
    assert '<span class="group-swatch group-colour--green">Green</span>' in body
    assert "E-health" in body and "No category yet" in body
    for label in ("Edit: Е-здраве", "Move up: Е-здраве", "Move down: Е-здраве", "Remove: Е-здраве"):
        assert f'aria-label="{label}"' in body
    # The first group cannot go up, the last cannot go down; the buttons stay focusable.
    assert re.search(rf'id="group-{first.id}-up"[^>]*\s+aria-disabled="true"', body)
    assert not re.search(rf'id="group-{first.id}-down"[^>]*aria-disabled', body)
    # The add form: labelled fields, the category's "none" choice, the next free colour preselected.
    for label in (
        '<label for="name">Name</label>',
        '<label for="colour">Colour</label>',
        '<label for="service_category">Service category</label>',
    ):
        assert label in body
    assert '<option selected value="">No category yet</option>' in body
    assert '<option selected value="red">Red</option>' in body
    assert ">Add group</button>" in body
    assert 'id="groups-status"' in body and 'role="status"' in body
    assert "css/groups.css" in body and "js/groups.js" in body
    assert "style=" not in body and "Archived groups" not in body


def test_empty_workshop_invites_the_first_group(client, as_facilitator, groups_url):
    body = text(client.get(groups_url()))
    assert "No groups yet. Add the first one below." in body


def test_htmx_gets_the_section_fragment(client, as_facilitator, add_group, groups_url):
    add_group("Група А")
    fragment = client.get(groups_url(), headers=HX)
    assert fragment.status_code == 200
    assert text(fragment).lstrip().startswith('<div id="groups" class="groups">')
    assert "<html" not in text(fragment) and "Група А" in text(fragment)
    assert "HX-Request" in fragment.headers["Vary"]


def test_names_are_escaped(client, as_facilitator, add_group, groups_url):
    add_group('<script>alert("x")</script>')
    body = text(client.get(groups_url()))
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body


def test_page_renders_in_other_languages(client, as_facilitator, add_group, groups_url, post_form):
    add_group("Grupa A", service_category="e-culture")
    post_form("/language", {"lang": "pl", "next": groups_url()}, page=groups_url())
    response = client.get(groups_url())
    assert response.status_code == 200 and '<html lang="pl">' in text(response)


def test_pages_need_sign_in(client, workshop, groups_url):
    response = client.get(groups_url())
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


# --- add -----------------------------------------------------------------------------------


def test_add_without_js_redirects_back_with_a_message(client, as_facilitator, post, workshop, groups_url):
    response = post(groups_url(), {"name": "  Група А ", "colour": "teal", "service_category": "e-inclusion"})
    assert response.status_code == 302 and response.headers["Location"] == groups_url()
    assert "Group “Група А” added." in text(client.get(groups_url()))
    group = services.active_groups(workshop)[0]
    assert (group.name, group.colour, group.service_category) == ("Група А", "teal", "e-inclusion")


def test_add_with_htmx_returns_the_section_and_an_announcement(post, as_facilitator, workshop, groups_url):
    response = post(groups_url(), {"name": "Група А", "colour": "blue", "service_category": ""}, hx=True)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="groups"') and "<html" not in body
    assert row_order(body) == ["Група А"]
    assert 'hx-swap-oob="innerHTML:#groups-status"><p>Group “Група А” added.</p>' in body
    # A fresh form, focused for the next name, with the next free colour.
    assert re.search(r'<input[^>]*autofocus[^>]*id="name"[^>]*value=""', body)
    assert '<option selected value="green">Green</option>' in body
    assert services.active_groups(workshop)[0].service_category is None


BAD_INPUT = [
    pytest.param({"name": ""}, "name", "Please give the group a name.", id="empty"),
    pytest.param({"name": "   "}, "name", "Please give the group a name.", id="blank"),
    pytest.param({"name": "д" * 81}, "name", "This is too long: at most 80 characters.", id="81-chars"),
    pytest.param(
        {"name": "  група а "}, "name", "Another group in this workshop already has this name.", id="duplicate"
    ),
    pytest.param({"colour": "pink"}, "colour", "Choose one of the listed colours.", id="colour"),
    pytest.param({"colour": ""}, "colour", "Choose one of the listed colours.", id="no-colour"),
    pytest.param(
        {"service_category": "e-cooking"},
        "service_category",
        "Choose one of the listed service categories, or “No category yet”.",
        id="category",
    ),
]


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize("change, field, message", BAD_INPUT)
def test_add_refuses_bad_input_next_to_the_field_and_keeps_the_typing(
    post, as_facilitator, add_group, workshop, groups_url, change, field, message, hx
):
    add_group("Група А")
    data = {"name": "Група Б", "colour": "red", "service_category": "e-health", **change}
    response = post(groups_url(), data, hx=hx)
    body = text(response)
    assert response.status_code == 422
    assert ("<html" in body) is not hx
    assert f'<p class="field__error" id="{field}-error">{message}' in body
    # The field is tied to its error, marked invalid and focused, so the user lands on it.
    assert re.search(
        rf'<(input|select) aria-describedby="[^"]*{field}-error" aria-invalid="true"[^>]* autofocus id="{field}"', body
    )
    assert f'value="{data["name"].strip()}"' in body
    if field != "service_category":
        assert '<option selected value="e-health">E-health</option>' in body
    assert active_names(workshop) == ["Група А"]


def test_add_shows_a_taken_name_together_with_other_errors(post, as_facilitator, add_group, groups_url):
    add_group("Група А")
    body = text(post(groups_url(), {"name": "ГРУПА А", "colour": "pink", "service_category": ""}, hx=True))
    assert "Another group in this workshop already has this name." in body
    assert "Choose one of the listed colours." in body


def test_add_may_reuse_the_name_of_an_archived_group(post, as_facilitator, add_group, give_work, workshop, groups_url):
    old = add_group("Група А")
    give_work(old)
    services.remove_group(old, confirmed=True)
    response = post(groups_url(), {"name": "група а", "colour": "red", "service_category": ""}, hx=True)
    assert response.status_code == 200
    assert active_names(workshop) == ["група а"]


def test_add_without_csrf_token_is_refused_and_keeps_the_typing(client, as_facilitator, workshop, groups_url):
    response = client.post(groups_url(), data={"name": "Група А", "colour": "red", "service_category": ""})
    body = text(response)
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in body
    assert 'value="Група А"' in body
    assert services.active_groups(workshop) == []
    hx = client.post(groups_url(), data={"name": "Група А", "colour": "red"}, headers=HX)
    assert hx.status_code == 400 and services.active_groups(workshop) == []


# --- edit ----------------------------------------------------------------------------------


def test_edit_swaps_the_row_for_its_form(client, as_facilitator, add_group, groups_url):
    group = add_group("Група А", colour="teal", service_category="e-skills")
    response = client.get(groups_url(group, "edit"), headers=HX)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="group-{group.id}" class="group-row group-row--editing">')
    assert "<legend>Edit “Група А”</legend>" in body
    prefix = f"group-{group.id}"
    assert f'<label for="{prefix}-name">Name</label>' in body
    assert re.search(rf'autofocus[^>]*id="{prefix}-name"[^>]*name="{prefix}-name"[^>]*value="Група А"', body)
    assert '<option selected value="teal">Teal</option>' in body
    assert '<option selected value="e-skills">E-skills</option>' in body
    assert ">Save</button>" in body and ">Cancel</button>" in body
    assert f'hx-get="{groups_url(group)}?focus=edit"' in body


def test_edit_without_js_shows_the_form_in_the_page(client, as_facilitator, add_group, groups_url):
    group = add_group("Група А")
    add_group("Група Б")
    body = text(client.get(groups_url(group, "edit")))
    assert "<html" in body and "<legend>Edit “Група А”</legend>" in body
    assert row_order(body) == ["Група Б"]


def test_row_serves_one_row_to_htmx_and_the_page_otherwise(client, as_facilitator, add_group, groups_url):
    group = add_group("Група А")
    body = text(client.get(groups_url(group) + "?focus=remove", headers=HX))
    assert body.lstrip().startswith(f'<li id="group-{group.id}" class="group-row">')
    assert re.search(rf'id="group-{group.id}-remove"[^>]*autofocus', body)
    page = client.get(groups_url(group))
    assert page.status_code == 200 and "<html" in text(page)


def test_update_with_htmx_returns_the_row(post, as_facilitator, add_group, workshop, groups_url):
    group = add_group("Група А")
    prefix = f"group-{group.id}-"
    response = post(
        groups_url(group),
        {prefix + "name": " Е-култура ", prefix + "colour": "purple", prefix + "service_category": "e-culture"},
        hx=True,
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="group-{group.id}" class="group-row">')
    assert "group-colour--purple" in body and "E-culture" in body and ">Е-култура<" in body
    assert re.search(rf'id="group-{group.id}-edit"[^>]*autofocus', body)
    assert "Group “Е-култура” saved." in body
    db.session.refresh(group)
    assert (group.name, group.colour, group.service_category) == ("Е-култура", "purple", "e-culture")


def test_update_without_js_redirects(client, post, as_facilitator, add_group, groups_url):
    group = add_group("Група А")
    prefix = f"group-{group.id}-"
    response = post(
        groups_url(group), {prefix + "name": "Нова", prefix + "colour": "blue", prefix + "service_category": ""}
    )
    assert response.status_code == 302 and response.headers["Location"] == groups_url()
    assert "Group “Нова” saved." in text(client.get(groups_url()))


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize("change, field, message", BAD_INPUT)
def test_update_refuses_bad_input_and_keeps_the_typing(
    post, as_facilitator, add_group, groups_url, change, field, message, hx
):
    add_group("Група А")
    group = add_group("Група Б", colour="olive", service_category="e-business")
    prefix = f"group-{group.id}-"
    data = {"name": "Група В", "colour": "red", "service_category": "e-health", **change}
    response = post(groups_url(group), {prefix + key: value for key, value in data.items()}, hx=hx)
    body = text(response)
    assert response.status_code == 422
    assert ("<html" in body) is not hx
    assert f'id="{prefix}{field}-error">{message}' in body
    assert f'value="{data["name"].strip()}"' in body
    db.session.refresh(group)
    assert (group.name, group.colour, group.service_category) == ("Група Б", "olive", "e-business")


def test_a_group_keeps_its_own_name_in_another_case(post, as_facilitator, add_group, groups_url):
    group = add_group("Група А")
    prefix = f"group-{group.id}-"
    response = post(
        groups_url(group),
        {prefix + "name": "ГРУПА А", prefix + "colour": "blue", prefix + "service_category": ""},
        hx=True,
    )
    assert response.status_code == 200
    db.session.refresh(group)
    assert group.name == "ГРУПА А"


def test_update_without_csrf_token_keeps_the_typing(client, as_facilitator, add_group, groups_url):
    group = add_group("Група А")
    prefix = f"group-{group.id}-"
    response = client.post(groups_url(group), data={prefix + "name": "Нова", prefix + "colour": "blue"})
    assert response.status_code == 400
    assert "This form had expired, so nothing was saved." in text(response)
    assert 'value="Нова"' in text(response)
    db.session.refresh(group)
    assert group.name == "Група А"


# --- reorder -------------------------------------------------------------------------------


def test_move_up_and_down_with_htmx(post, as_facilitator, add_group, workshop, groups_url):
    a, _b, c = add_group("A"), add_group("B"), add_group("C")
    response = post(groups_url(c, "move"), {"direction": "up"}, hx=True)
    body = text(response)
    assert response.status_code == 200
    assert row_order(body) == ["A", "C", "B"] == active_names(workshop)
    assert "“C” is now number 2 of 3." in body
    # Focus stays on the button just pressed, so the keyboard user can press it again.
    assert re.search(rf'id="group-{c.id}-up"[^>]*autofocus', body)
    post(groups_url(a, "move"), {"direction": "down"}, hx=True)
    assert active_names(workshop) == ["C", "A", "B"]


def test_move_past_the_end_changes_nothing_and_says_so(post, as_facilitator, add_group, workshop, groups_url):
    a, b = add_group("A"), add_group("B")
    first = post(groups_url(a, "move"), {"direction": "up"}, hx=True)
    assert first.status_code == 200
    assert "“A” is already first." in text(first)
    last = post(groups_url(b, "move"), {"direction": "down"}, hx=True)
    assert "“B” is already last." in text(last)
    assert active_names(workshop) == ["A", "B"]


def test_move_without_js_redirects(client, post, as_facilitator, add_group, workshop, groups_url):
    add_group("A")
    b = add_group("B")
    response = post(groups_url(b, "move"), {"direction": "up"})
    assert response.status_code == 302 and response.headers["Location"] == groups_url()
    assert active_names(workshop) == ["B", "A"]
    assert "“B” is now number 1 of 2." in text(client.get(groups_url()))


def test_move_needs_a_direction(post, as_facilitator, add_group, workshop, groups_url):
    _a, b = add_group("A"), add_group("B")
    response = post(groups_url(b, "move"), {"direction": "sideways"}, hx=True)
    assert response.status_code == 400
    assert active_names(workshop) == ["A", "B"]


def test_move_without_csrf_token_is_refused(client, as_facilitator, add_group, workshop, groups_url):
    add_group("A")
    b = add_group("B")
    response = client.post(groups_url(b, "move"), data={"direction": "up"})
    assert response.status_code == 400 and "This form has expired" in text(response)
    assert client.post(groups_url(b, "move"), data={"direction": "up"}, headers=HX).status_code == 400
    assert active_names(workshop) == ["A", "B"]


# --- remove, archive, restore --------------------------------------------------------------


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "no-js"])
def test_removing_an_untouched_group_deletes_it(client, post, as_facilitator, add_group, workshop, groups_url, hx):
    group = add_group("Група А")
    group_id = group.id
    response = post(groups_url(group, "remove"), hx=hx)
    if hx:
        assert response.status_code == 200
        assert "Group “Група А” removed." in text(response)
        assert re.search(r'id="groups-heading" tabindex="-1" autofocus', text(response))
    else:
        assert response.status_code == 302
        assert "Group “Група А” removed." in text(client.get(groups_url()))
    assert db.session.get(Group, group_id) is None


def test_removing_a_group_with_answers_asks_then_archives_and_keeps_the_answers(
    post, as_facilitator, add_group, give_work, workshop, groups_url
):
    group = add_group("Група А")
    add_group("Група Б")
    answer = give_work(group)

    asked = post(groups_url(group, "remove"), hx=True)
    body = text(asked)
    assert asked.status_code == 200
    assert f'<li id="group-{group.id}" class="group-row group-row--confirm">' in body
    assert "Archive “Група А”?" in body
    assert "it will not be deleted" in body and "keeps all its answers" in body
    assert re.search(r'name="confirm" value="yes">\s*<button[^>]*>Confirm and archive</button>', body, re.S)
    assert re.search(rf'id="group-{group.id}-confirm"[^>]*autofocus', body)
    assert ">Cancel</button>" in body and f'hx-get="{groups_url(group)}?focus=remove"' in body
    assert active_names(workshop) == ["Група А", "Група Б"]

    archived = post(groups_url(group, "remove"), {"confirm": "yes"}, hx=True)
    body = text(archived)
    assert archived.status_code == 200
    assert "Group “Група А” archived. Its answers are kept." in body
    assert row_order(body) == ["Група Б"]
    assert "Archived groups" in body and 'aria-label="Restore: Група А"' in body
    assert active_names(workshop) == ["Група Б"]
    assert db.session.get(Answer, answer.id).value == "Обучение по ИКТ за възрастни"
    assert db.session.get(Group, group.id).is_archived


def test_archiving_without_js_has_the_same_confirmation_step(
    client, post, as_facilitator, add_group, give_work, workshop, groups_url
):
    group = add_group("Група А")
    give_work(group)
    asked = post(groups_url(group, "remove"))
    assert asked.status_code == 200
    assert "<html" in text(asked) and "Confirm and archive" in text(asked)
    assert not db.session.get(Group, group.id).is_archived
    done = post(groups_url(group, "remove"), {"confirm": "yes"})
    assert done.status_code == 302
    page = text(client.get(groups_url()))
    assert "Group “Група А” archived. Its answers are kept." in page and "Archived groups" in page


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "no-js"])
def test_restore_brings_the_group_back_at_the_end(
    client, post, as_facilitator, add_group, give_work, workshop, groups_url, hx
):
    group = add_group("Група А")
    add_group("Група Б")
    give_work(group)
    services.remove_group(group, confirmed=True)
    response = post(groups_url(group, "restore"), hx=hx)
    if hx:
        assert response.status_code == 200
        assert row_order(text(response)) == ["Група Б", "Група А"]
        assert "Group “Група А” restored." in text(response)
        assert "Archived groups" not in text(response)
    else:
        assert response.status_code == 302
    assert active_names(workshop) == ["Група Б", "Група А"]


def test_restore_refuses_a_name_taken_meanwhile(post, as_facilitator, add_group, give_work, workshop, groups_url):
    group = add_group("Група А")
    give_work(group)
    services.remove_group(group, confirmed=True)
    add_group("група а")
    response = post(groups_url(group, "restore"), hx=True)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#groups"
    assert 'role="alert">Another group is already called “Група А”' in text(response)
    assert db.session.get(Group, group.id).is_archived


def test_remove_and_restore_without_csrf_token_are_refused(client, as_facilitator, add_group, give_work, groups_url):
    untouched = add_group("Група А")
    archived = add_group("Група Б")
    give_work(archived)
    services.remove_group(archived, confirmed=True)
    assert client.post(groups_url(untouched, "remove")).status_code == 400
    assert client.post(groups_url(archived, "restore"), headers=HX).status_code == 400
    assert db.session.get(Group, untouched.id) is not None
    assert db.session.get(Group, archived.id).is_archived


# --- access and stale forms ----------------------------------------------------------------


def _every_request(groups_url, group):
    """Each route of the section: (method, url, data)."""
    prefix = f"group-{group.id}-"
    return [
        ("get", groups_url(), None),
        ("post", groups_url(), {"name": "X", "colour": "red", "service_category": ""}),
        ("get", groups_url(group), None),
        ("get", groups_url(group, "edit"), None),
        ("post", groups_url(group), {prefix + "name": "X", prefix + "colour": "red", prefix + "service_category": ""}),
        ("post", groups_url(group, "move"), {"direction": "up"}),
        ("post", groups_url(group, "remove"), {"confirm": "yes"}),
        ("post", groups_url(group, "restore"), None),
    ]


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "no-js"])
def test_another_facilitators_workshop_is_404_everywhere(
    client, post_form, as_other, add_group, workshop, groups_url, hx
):
    a = add_group("A")
    add_group("B")
    for method, url, data in _every_request(groups_url, a):
        if method == "get":
            response = client.get(url, headers=HX if hx else {})
        else:
            response = post_form(url, data or {}, page="/dashboard", headers=HX if hx else {})
        assert response.status_code == 404, url
        assert "This workshop is not available" in text(response) and "A</span>" not in text(response)
    assert active_names(workshop) == ["A", "B"]


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "no-js"])
def test_a_group_of_another_workshop_is_404_everywhere(
    client, post_form, as_facilitator, create_workshop, add_group, workshop, groups_url, hx
):
    mine = add_group("Моя група")
    elsewhere_workshop = create_workshop(title="Друга среща", starts_on=date(2012, 9, 1))
    elsewhere = add_group("Чужда група", workshop_=elsewhere_workshop)
    add_group("Втора чужда", workshop_=elsewhere_workshop)
    for method, url, data in _every_request(groups_url, elsewhere)[2:]:
        if method == "get":
            response = client.get(url, headers=HX if hx else {})
        else:
            response = post_form(url, data or {}, page=groups_url(), headers=HX if hx else {})
        body = text(response)
        assert response.status_code == 404, url
        assert STALE_GONE in body and "Чужда група" not in body
        assert ("<html" in body) is not hx
        if hx:
            assert response.headers["HX-Retarget"] == "#groups"
    assert active_names(elsewhere_workshop) == ["Чужда група", "Втора чужда"]
    assert active_names(workshop) == [mine.name]


def test_stale_edit_form_after_someone_else_deleted_the_group(
    client, post, as_facilitator, add_group, workshop, groups_url
):
    group = add_group("Група А")
    add_group("Група Б")
    prefix = f"group-{group.id}-"
    form = text(client.get(groups_url(group, "edit"), headers=HX))
    assert "Edit “Група А”" in form
    services.remove_group(group)  # someone else, in another tab

    response = post(
        groups_url(group), {prefix + "name": "Нова", prefix + "colour": "red", prefix + "service_category": ""}, hx=True
    )
    body = text(response)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#groups" and response.headers["HX-Reswap"] == "outerHTML"
    assert f'<p class="groups-alert" role="alert">{STALE_GONE}: someone may have removed it.' in body
    assert body.lstrip().startswith('<div id="groups"') and row_order(body) == ["Група Б"]

    page = post(groups_url(group), {prefix + "name": "Нова", prefix + "colour": "red"})
    assert page.status_code == 404
    assert "<html" in text(page) and STALE_GONE in text(page)
    for action, data in (("move", {"direction": "up"}), ("remove", {}), ("restore", {})):
        assert post(groups_url(group, action), data, hx=True).status_code == 404
    assert active_names(workshop) == ["Група Б"]


def test_stale_actions_on_a_group_archived_meanwhile_get_409(
    client, post, as_facilitator, add_group, give_work, workshop, groups_url
):
    group = add_group("Група А")
    add_group("Група Б")
    give_work(group)
    services.remove_group(group, confirmed=True)
    prefix = f"group-{group.id}-"
    for method, url, data in _every_request(groups_url, group)[2:7]:
        response = client.get(url, headers=HX) if method == "get" else post(url, data, hx=True)
        assert response.status_code == 409, url
        assert "“Група А” was archived meanwhile, so nothing was changed." in text(response)
        assert response.headers["HX-Retarget"] == "#groups"
    db.session.refresh(group)
    assert group.is_archived and group.name == "Група А"
    # Without JS the same refusal is a full page.
    page = post(groups_url(group), {prefix + "name": "X", prefix + "colour": "red"})
    assert page.status_code == 409 and "<html" in text(page) and "was archived meanwhile" in text(page)


def test_restoring_a_group_already_back_gets_409(post, as_facilitator, add_group, groups_url):
    group = add_group("Група А")
    response = post(groups_url(group, "restore"), hx=True)
    assert response.status_code == 409
    assert "“Група А” is already back in the list, so nothing was changed." in text(response)


def test_groups_script_and_stylesheet_are_served(client):
    script = client.get("/static/js/groups.js")
    assert script.status_code == 200 and b"htmx:beforeSwap" in script.data
    script.close()
    stylesheet = client.get("/static/css/groups.css")
    assert stylesheet.status_code == 200
    stylesheet.close()
