"""Who may download which PDF, the PDFs page and the release switch, through the test client."""

import re
import time

from facilitator.accounts.models import utcnow
from facilitator.extensions import db
from facilitator.live.events import workshop_channel
from facilitator.participants.models import Participant

from .conftest import demo_group, join_group, pdf_text


def text(response):
    return response.get_data(as_text=True)


def token_of(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def pdf_urls(workshop, group):
    return [f"/workshops/{workshop.id}/summary.pdf", f"/workshops/{workshop.id}/groups/{group.id}/summary.pdf"]


# --- the facilitator's page ----------------------------------------------------------------------


def test_pdfs_page_lists_the_downloads_and_the_release(client, demo_workshop, as_demo):
    as_demo()
    response = client.get(f"/workshops/{demo_workshop.id}/summaries")
    assert response.status_code == 200
    html = text(response)
    assert f'href="/workshops/{demo_workshop.id}/summaries"\n               aria-current="page"' in html
    assert f'href="/workshops/{demo_workshop.id}/summary.pdf"' in html
    group = demo_group(demo_workshop, "Група 3")
    assert f'href="/workshops/{demo_workshop.id}/groups/{group.id}/summary.pdf"' in html
    assert 'id="summaries-release"' in html and 'id="summaries-status"' in html and 'role="status"' in html
    assert "Release the PDFs to participants" in html
    assert 'style="' not in html and "<script>" not in html


def test_pdfs_page_needs_the_workshops_facilitator(client, demo_workshop, other_facilitator, post_form):
    url = f"/workshops/{demo_workshop.id}/summaries"
    response = client.get(url)
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    assert client.get(url).status_code == 404


def test_facilitator_downloads_both_pdfs(client, demo_workshop, as_demo):
    as_demo()
    group = demo_group(demo_workshop, "Група 2")
    workshop_url, group_url = pdf_urls(demo_workshop, group)
    response = client.get(workshop_url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert "private" in response.headers["Cache-Control"]
    assert "Група 5" in pdf_text(response.data)
    response = client.get(group_url)
    assert response.status_code == 200
    assert "Група 2" in pdf_text(response.data) and "Група 5" not in pdf_text(response.data)
    # The browser's copy is still good while nothing changed.
    again = client.get(group_url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_cached_download_is_fast_and_identical(client, demo_workshop, as_demo):
    as_demo()
    url = pdf_urls(demo_workshop, demo_group(demo_workshop, "Група 1"))[0]
    first = client.get(url).data
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.data == first
    assert min(timings) < 0.05, timings


def test_other_facilitators_and_other_workshops_get_404(
    client, demo_workshop, create_workshop, facilitator, other_facilitator, post_form, as_demo
):
    group = demo_group(demo_workshop, "Група 1")
    post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    for url in pdf_urls(demo_workshop, group):
        assert client.get(url).status_code == 404
    client.post("/signout", data={"csrf_token": token_of(text(client.get("/account")))})

    # The demo facilitator's own workshop, but a group of someone else's workshop in the URL.
    foreign = create_workshop(owner=facilitator)
    from facilitator.groups.models import Group

    other_group = Group(workshop_id=foreign.id, name="Чужда група", colour="blue")
    db.session.add(other_group)
    db.session.commit()
    as_demo()
    assert client.get(f"/workshops/{demo_workshop.id}/groups/{other_group.id}/summary.pdf").status_code == 404
    assert client.get(f"/workshops/{foreign.id}/summary.pdf").status_code == 404
    assert client.get(f"/workshops/{demo_workshop.id}/groups/999999/summary.pdf").status_code == 404
    group.archived_at = utcnow()
    db.session.commit()
    assert client.get(f"/workshops/{demo_workshop.id}/groups/{group.id}/summary.pdf").status_code == 404


# --- the release switch --------------------------------------------------------------------------


def test_release_with_htmx_swaps_the_box_and_tells_everyone(app, client, demo_workshop, as_demo):
    as_demo()
    page = text(client.get(f"/workshops/{demo_workshop.id}/summaries"))
    broker = app.extensions["broker"]
    before = broker.last_id(workshop_channel(demo_workshop.id))
    response = client.post(
        f"/workshops/{demo_workshop.id}/summaries/release",
        data={"released": "1"},
        headers={"HX-Request": "true", "X-CSRFToken": token_of(page)},
    )
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<section class="card summaries-release" id="summaries-release"')
    assert "<html" not in html and "Stop participants' downloads" in html
    assert 'hx-swap-oob="innerHTML:#summaries-status"' in html
    assert db.session.get(type(demo_workshop), demo_workshop.id).pdfs_released_at is not None
    assert broker.last_id(workshop_channel(demo_workshop.id)) == before + 1

    response = client.post(
        f"/workshops/{demo_workshop.id}/summaries/release",
        data={"released": "0"},
        headers={"HX-Request": "true", "X-CSRFToken": token_of(page)},
    )
    assert "Release the PDFs to participants" in text(response)
    assert db.session.get(type(demo_workshop), demo_workshop.id).pdfs_released_at is None


def test_release_without_js_redirects_back_with_a_message(client, demo_workshop, as_demo, post_form):
    as_demo()
    url = f"/workshops/{demo_workshop.id}/summaries"
    response = post_form(url + "/release", {"released": "1"}, page=url)
    assert response.status_code == 302 and response.headers["Location"] == url
    assert "Participants can now download" in text(client.get(url))
    assert post_form(url + "/release", {"released": "maybe"}, page=url).status_code == 400


def test_release_refuses_a_missing_csrf_token(client, demo_workshop, as_demo):
    as_demo()
    response = client.post(f"/workshops/{demo_workshop.id}/summaries/release", data={"released": "1"})
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert db.session.get(type(demo_workshop), demo_workshop.id).pdfs_released_at is None


def test_release_is_for_the_workshops_facilitators_only(client, demo_workshop, other_facilitator, post_form, device):
    post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    response = post_form(f"/workshops/{demo_workshop.id}/summaries/release", {"released": "1"}, page="/account")
    assert response.status_code == 404
    # A participant's device has no account: it is sent to sign in.
    phone = device(join_group(demo_workshop, demo_group(demo_workshop, "Група 1"), "Мария"))
    response = phone.post(f"/workshops/{demo_workshop.id}/summaries/release", data={"released": "1"})
    assert response.status_code in (302, 400)
    assert db.session.get(type(demo_workshop), demo_workshop.id).pdfs_released_at is None


# --- participants ------------------------------------------------------------------------------


def participant_urls(workshop, group):
    return [f"/w/{workshop.id}/g/{group.id}/summary.pdf", f"/w/{workshop.id}/g/{group.id}/workshop.pdf"]


def release(workshop):
    from facilitator.summaries.services import set_pdfs_released

    set_pdfs_released(workshop, True)


def test_participants_wait_for_the_release(demo_workshop, device):
    group = demo_group(demo_workshop, "Група 2")
    phone = device(join_group(demo_workshop, group, "Мария"))
    for url in participant_urls(demo_workshop, group):
        response = phone.get(url)
        assert response.status_code == 403
        assert "The PDFs are not ready yet" in text(response)
        assert f'href="/w/{demo_workshop.id}/g/{group.id}"' in text(response)  # back to the group


def test_participants_download_their_groups_pdf_and_the_workshop_pdf_once_released(demo_workshop, device):
    group = demo_group(demo_workshop, "Група 2")
    phone = device(join_group(demo_workshop, group, "Мария", spokesperson=True))
    release(demo_workshop)
    group_pdf, workshop_pdf = (phone.get(url) for url in participant_urls(demo_workshop, group))
    assert group_pdf.status_code == 200 and group_pdf.mimetype == "application/pdf"
    assert "Мария" in pdf_text(group_pdf.data) and "Група 3" not in pdf_text(group_pdf.data)
    assert workshop_pdf.status_code == 200 and "Група 5" in pdf_text(workshop_pdf.data)


def test_participants_get_only_their_own_group(demo_workshop, device):
    group, other = demo_group(demo_workshop, "Група 2"), demo_group(demo_workshop, "Група 3")
    phone = device(join_group(demo_workshop, group, "Мария"))
    release(demo_workshop)
    for url in participant_urls(demo_workshop, other):
        assert phone.get(url).status_code == 403


def test_no_pdfs_without_a_valid_participant_cookie(app, client, demo_workshop, device):
    group = demo_group(demo_workshop, "Група 2")
    release(demo_workshop)
    for url in participant_urls(demo_workshop, group):
        response = client.get(url)
        assert response.status_code == 403
        assert "Join the workshop on this device first" in text(response)
        assert demo_workshop.join_code not in text(response) and demo_workshop.title not in text(response)
        assert 'href="/"' in text(response)  # the home page's join form
    # A forged cookie, and a person the facilitator removed.
    client.set_cookie(f"fp_{demo_workshop.id}", "forged.value")
    assert client.get(participant_urls(demo_workshop, group)[0]).status_code == 403
    participant = join_group(demo_workshop, group, "Иван")
    phone = device(participant)
    db.session.get(Participant, participant.id).removed_at = utcnow()
    db.session.commit()
    assert phone.get(participant_urls(demo_workshop, group)[1]).status_code == 403
    # No seat: a workshop that does not exist answers exactly like one that does.
    real_url, missing_url = participant_urls(demo_workshop, group)[0], "/w/999999/g/1/summary.pdf"
    real, missing = client.get(real_url), client.get(missing_url)
    assert (missing.status_code, same(text(missing), missing_url)) == (real.status_code, same(text(real), real_url))


def same(body, url):
    """A page as it would read for any id: without its own address and the time-signed CSRF token."""
    return re.sub(r'(csrf_token" value|csrf-token" content)="[^"]+"', r'\1=""', body.replace(url, ""))


def test_a_participants_cookie_is_for_its_own_workshop(demo_workshop, create_workshop, device):
    group = demo_group(demo_workshop, "Група 2")
    phone = device(join_group(demo_workshop, group, "Мария"))
    release(demo_workshop)
    other = create_workshop(title="Друга среща")
    release(other)
    assert phone.get(f"/w/{other.id}/g/{group.id}/workshop.pdf").status_code == 403


def test_a_pdf_that_cannot_be_made_gets_a_friendly_503(client, demo_workshop, as_demo, monkeypatch):
    from facilitator.summaries.renderer import Renderer, RenderError

    def fail(self, html):
        raise RenderError("the PDF helper stopped")

    monkeypatch.setattr(Renderer, "render", fail)
    as_demo()
    response = client.get(f"/workshops/{demo_workshop.id}/summary.pdf")
    assert response.status_code == 503
    assert "The PDF could not be made just now" in text(response)
