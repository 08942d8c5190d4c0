"""The series pages as a facilitator uses them: start one, add partners, plan the meetings in turn."""

import re

import pytest

from facilitator.extensions import db
from facilitator.series import services
from facilitator.workshops.models import Workshop


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def podaj_dalej(as_facilitator, facilitator):
    series = services.create_series(facilitator, "Podaj dalej")
    for name, place in (("Biblioteka w Łazach", "Łazy"), ("Biblioteka w Pilicy", "Pilica")):
        services.add_partner(series, name, place)
    return series


def test_a_new_series_opens_its_page(client, as_facilitator, post_form):
    assert "A series is meetings that belong together" in text(client.get("/series"))
    response = post_form("/series", {"title": "Podaj dalej", "description": "Cztery spotkania."})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "<h1>Podaj dalej</h1>" in page and "Cztery spotkania." in page
    assert "Series “Podaj dalej” created." in page and "No meetings yet." in page


def test_a_series_without_a_title_is_refused_next_to_the_field(client, as_facilitator, post_form):
    response = post_form("/series", {"title": "  ", "description": "Kept"})
    assert response.status_code == 422
    assert re.search(r'id="title-error">Give the series a title.', text(response))
    assert "Kept</textarea>" in text(response)
    assert text(client.get("/series")).count("workshop-card card") == 0


def test_partners_host_in_turn_and_the_next_meeting_says_whose_turn_it_is(client, post_form, podaj_dalej):
    url = f"/series/{podaj_dalej.id}"
    page = text(client.get(url))
    assert "Meeting 1, hosted by Biblioteka w Łazach (whose turn it is)" in page
    response = post_form(url + "/next", {}, page=url)
    first = db.session.scalars(db.select(Workshop).filter_by(series_id=podaj_dalej.id)).one()
    assert response.status_code == 302 and response.headers["Location"] == f"/workshops/{first.id}/edit"
    assert first.title == "Podaj dalej: meeting 1" and first.venue_place == "Łazy"
    page = text(client.get(url))
    assert f'<a href="/workshops/{first.id}">Podaj dalej: meeting 1</a>' in page
    assert "<td>Biblioteka w Łazach</td>" in page
    assert "Meeting 2, hosted by Biblioteka w Pilicy (whose turn it is)" in page


def test_a_partner_twice_is_refused_and_the_typing_kept(client, post_form, podaj_dalej):
    url = f"/series/{podaj_dalej.id}"
    response = post_form(url + "/partners", {"name": "biblioteka w pilicy", "place": "Pilica 2"}, page=url)
    assert response.status_code == 422
    assert re.search(r'id="name-error">This partner is already in the series.', text(response))
    assert 'value="Pilica 2"' in text(response)
    assert len(podaj_dalej.partners) == 2


def test_a_workshop_joins_as_the_next_meeting_and_another_facilitators_cannot(
    client, post_form, podaj_dalej, create_workshop, other_facilitator
):
    url = f"/series/{podaj_dalej.id}"
    mine = create_workshop(title="Spotkanie w Pilicy")
    theirs = create_workshop(owner=other_facilitator, title="Cudze")
    response = post_form(url + "/meetings", {"workshop": str(theirs.id), "host": "0"}, page=url)
    assert response.status_code == 422 and "Choose one of your workshops that is in no series yet." in text(response)
    assert theirs.series_id is None
    host = podaj_dalej.partners[1]
    response = post_form(url + "/meetings", {"workshop": str(mine.id), "host": str(host.id)}, page=url)
    assert response.status_code == 302
    db.session.refresh(mine)
    assert (mine.series_id, mine.series_number, mine.host_partner_id) == (podaj_dalej.id, 1, host.id)


def test_inviting_someone_without_an_account_says_so(client, post_form, podaj_dalej, create_facilitator):
    url = f"/series/{podaj_dalej.id}"
    response = post_form(url + "/co-facilitators", {"email": "nikt@example.org"}, page=url)
    assert response.status_code == 422 and "No facilitator account uses this email." in text(response)
    create_facilitator(email="pilica@example.org", display_name="Barbara")
    response = post_form(url + "/co-facilitators", {"email": "pilica@example.org"}, page=url)
    assert response.status_code == 302
    assert "Barbara now plans every meeting of the series." in text(client.get(url))


def test_another_facilitators_series_is_not_available(client, as_facilitator, other_facilitator):
    theirs = services.create_series(other_facilitator, "Cudza seria")
    response = client.get(f"/series/{theirs.id}")
    assert response.status_code == 404 and "Cudza seria" not in text(response)


def test_the_dashboard_groups_a_series_meetings_under_its_title(client, facilitator, podaj_dalej, create_workshop):
    services.plan_next_meeting(podaj_dalej, facilitator, "Podaj dalej 1")
    create_workshop(title="Samodzielne spotkanie")
    page = text(client.get("/dashboard"))
    heading = f'<h2 id="series-heading-{podaj_dalej.id}"><a href="/series/{podaj_dalej.id}">Podaj dalej</a></h2>'
    assert heading in page
    series_part = page[page.index(heading) : page.index('id="active-heading"')]
    assert "Podaj dalej 1" in series_part and "Meeting 1 · hosted by Biblioteka w Łazach" in series_part
    assert "Samodzielne spotkanie" not in series_part and "Samodzielne spotkanie" in page
