"""The simple view: chosen on the join page or in the workspace, or made a workshop's default."""

import re

import pytest

from facilitator.extensions import db
from facilitator.participants.models import Participant

from .conftest import csrf

SWITCH = re.compile(r'<button type="submit" name="view" value="(\w+)"[^>]*>([^<]+)</button>')


def join_page(client, workshop):
    return client.get(f"/j/{workshop.join_code}").get_data(as_text=True)


def join(client, workshop, group, name, simple=None):
    data = {
        "csrf_token": csrf(join_page(client, workshop)),
        "display_name": name,
        "group": str(group.id),
        "website": "",
        "homepage": "http://",
    }
    if simple:
        data["simple"] = "y"
    response = client.post(f"/j/{workshop.join_code}", data=data)
    assert response.status_code == 302
    return response.headers["Location"]


def workspace(client, url):
    html = client.get(url).get_data(as_text=True)
    simple = 'class="workspace workspace--simple"' in html
    switch = SWITCH.search(html)
    return simple, switch.groups() if switch else None, html


def member(name):
    return db.session.scalars(db.select(Participant).filter_by(display_name=name)).one()


def test_a_member_who_ticks_the_box_gets_the_simple_view_and_can_leave_it(app, workshop, groups, open_stage):
    client = app.test_client()
    page = join_page(client, workshop)
    assert '<input id="simple" name="simple" type="checkbox" value="y">' in page
    assert '<label for="simple">Simple view: large text, one question at a time</label>' in page
    url = join(client, workshop, groups[0], "Ана", simple=True)
    simple, switch, html = workspace(client, url)
    assert simple and switch == ("full", "Full view")
    assert 'src="/static/js/simple.js?v=' in html
    assert 'id="simple-waiting" role="status" hidden' in html  # a stage is open: nothing to wait for
    response = client.post(url + "/view", data={"csrf_token": csrf(html), "view": "full"})
    assert response.status_code == 302 and response.headers["Location"] == url
    simple, switch, html = workspace(client, url)
    assert not simple and switch == ("simple", "Simple view") and "simple.js" not in html


def test_without_the_box_the_full_view_and_the_switch_to_the_simple_one(app, workshop, groups):
    client = app.test_client()
    url = join(client, workshop, groups[0], "Борис")
    simple, switch, html = workspace(client, url)
    assert not simple and switch == ("simple", "Simple view")
    client.post(url + "/view", data={"csrf_token": csrf(html), "view": "simple"})
    simple, _, html = workspace(client, url)
    # No stage open yet: the simple view, which shows the open stage only, says to wait.
    assert simple and re.search(r'id="simple-waiting" role="status">\s*Please wait: the facilitator', html)
    assert member("Борис").simple_mode is True


def test_the_workshops_default_reaches_everyone_who_did_not_choose(app, workshop, groups, as_facilitator, post_form):
    from tests.workshops.test_views import VALID

    response = post_form(f"/workshops/{workshop.id}/edit", {**VALID, "simple_mode": "y"})
    assert response.status_code == 302
    db.session.refresh(workshop)
    assert workshop.simple_mode is True
    phone = app.test_client()
    assert '<input checked id="simple" name="simple" type="checkbox" value="y">' in join_page(phone, workshop)
    url = join(phone, workshop, groups[0], "Вера", simple=True)
    assert member("Вера").simple_mode is None  # follows the default, whatever it becomes
    assert workspace(phone, url)[0]
    # Unticking the box on the join page is a choice of its own: the full view, the default notwithstanding.
    other = app.test_client()
    assert not workspace(other, join(other, workshop, groups[1], "Георги"))[0]
    assert member("Георги").simple_mode is False


@pytest.mark.parametrize("view", ["", "large", "simple "])
def test_an_unknown_view_is_refused_and_nothing_changes(app, workshop, groups, view):
    client = app.test_client()
    url = join(client, workshop, groups[0], "Ана", simple=True)
    html = workspace(client, url)[2]
    assert client.post(url + "/view", data={"csrf_token": csrf(html), "view": view}).status_code == 400
    assert member("Ана").simple_mode is True


def test_switching_without_the_token_changes_nothing(app, workshop, groups):
    client = app.test_client()
    url = join(client, workshop, groups[0], "Ана")
    assert client.post(url + "/view", data={"view": "simple"}).status_code == 400
    assert member("Ана").simple_mode is None and not workspace(client, url)[0]


def test_a_groups_default_reaches_its_members_only(app, workshop, groups, client, as_facilitator, post_form):
    edit_row = client.get(f"/workshops/{workshop.id}/groups/{groups[0].id}/edit").get_data(as_text=True)
    prefix = f"group-{groups[0].id}-"
    assert (
        f'<label for="{prefix}simple_mode">Simple view for this group: large text, one question at a time' in edit_row
    )
    fields = {"name": groups[0].name, "colour": groups[0].colour, "service_category": "", "simple_mode": "y"}
    response = post_form(
        f"/workshops/{workshop.id}/groups/{groups[0].id}",
        {prefix + name: value for name, value in fields.items()},
        page=f"/workshops/{workshop.id}/groups/{groups[0].id}/edit",
    )
    assert response.status_code in (200, 302)
    db.session.refresh(groups[0])
    assert groups[0].simple_mode is True
    first, second = app.test_client(), app.test_client()
    assert workspace(first, join(first, workshop, groups[0], "Ана"))[0]
    assert not workspace(second, join(second, workshop, groups[1], "Борис"))[0]
    # A member of the simple group can still choose the full view.
    url = join(third := app.test_client(), workshop, groups[0], "Вера")
    third.post(url + "/view", data={"csrf_token": csrf(workspace(third, url)[2]), "view": "full"})
    assert not workspace(third, url)[0]
