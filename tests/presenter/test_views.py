"""The presenter view: a standalone page, slides as fragments, the position in the URL, live stream."""

import html
import re

from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.live.events import control_channel, publish
from facilitator.participants.models import Participant
from facilitator.stages.models import StageField

HX = {"HX-Request": "true"}


def present(workshop, suffix="", **query):
    base = f"/workshops/{workshop.id}/present" + suffix
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def sign_in_as_other(post_form):
    post_form("/signout", {}, page="/account")
    assert post_form("/signin", {"email": "boris@example.bg", "password": "another password"}).status_code == 302


def read_events(response, count):
    """Read `count` SSE events (not heartbeats) from a streamed test response."""
    events, buffer = [], ""
    chunks = response.response
    while len(events) < count:
        buffer += next(chunks).decode()
        while "\n\n" in buffer:
            raw, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in raw.split("\n") if ": " in line)
            if "event" in fields:
                events.append(fields)
    return events


def test_the_presenter_needs_the_facilitator(client, demo_workshop):
    for suffix in ("", "/slide", "/timer", "/stream"):
        response = client.get(present(demo_workshop, suffix))
        assert response.status_code == 302 and "/signin" in response.headers["Location"], suffix


def test_other_facilitators_get_404(client, post_form, as_demo, other_facilitator):
    sign_in_as_other(post_form)
    for suffix in ("", "/slide", "/timer", "/stream"):
        assert client.get(present(as_demo, suffix), headers=HX).status_code == 404, suffix


def test_a_standalone_page_for_the_projector(client, as_demo):
    response = client.get(present(as_demo))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.startswith("<!doctype html>") and '<html lang="bg" class="presenter-html">' in page
    assert "site-header" not in page and "workshop-header" not in page  # not the workshop layout
    assert f'hx-ext="sse" sse-connect="/workshops/{as_demo.id}/present/stream"' in page
    assert 'sse-swap="answer-saved,stages-changed,refresh"' in page
    assert "js/presenter.js" in page and "css/presenter.css" in page and "<script>" not in page
    assert 'style="' not in page and " onclick" not in page
    assert '<dialog id="group-picker"' in page and page.count('class="group-picker__link"') == 6
    assert 'id="presenter-timer" hidden' in page and 'hx-trigger="sse:timer-changed, sse:stages-changed"' in page
    assert f'hx-get="/workshops/{as_demo.id}/present/timer"' in page
    assert 'id="slide-announcer" class="visually-hidden" role="status" aria-live="polite"' in page
    # The first slide: every group's result, as the seed lists them.
    assert '<section id="slide" class="slide slide--results"' in page
    for text in ("Е-образование", "Обучение на млади овощари", "Ученици от ромски произход", "Група 5"):
        assert text in page


def test_a_slide_fragment_for_htmx(client, as_demo, demo_groups):
    second = demo_groups[1].id
    for path in (present(as_demo, "/slide", group=second, slide=3), present(as_demo, group=second, slide=3)):
        response = client.get(path, headers=HX)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert body.lstrip().startswith('<section id="slide" class="slide slide--stage"')
        assert "<html" not in body and "group-picker" not in body
        assert 'data-announce="Слайд 3 от 9: Група 2: Цел"' in body
        assert "Група 2" in body and ">Цел</h1>" in body and "Етап 2 от 8" in body
        assert "Възрастните с двигателни увреждания да работят уверено" in body
        assert f'hx-get="/workshops/{as_demo.id}/present/slide?group={second}&amp;slide=3"' in body
        assert 'hx-trigger="refresh-slide"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_the_slide_url_without_htmx_goes_to_the_page(client, as_demo, demo_groups):
    response = client.get(present(as_demo, "/slide", group=demo_groups[0].id, slide=99))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(present(as_demo, group=demo_groups[0].id, slide=9))


def test_navigation_links_carry_the_position(client, as_demo, demo_groups):
    first, second = demo_groups[0].id, demo_groups[1].id
    body = client.get(present(as_demo, group=second, slide=1), headers=HX).get_data(as_text=True)
    prev_link = re.search(r'<a id="slide-prev"[^>]*>', body).group(0)
    next_link = re.search(r'<a id="slide-next"[^>]*>', body).group(0)
    assert f'href="/workshops/{as_demo.id}/present?group={first}&amp;slide=9"' in prev_link
    assert f'hx-push-url="/workshops/{as_demo.id}/present?group={second}&amp;slide=2"' in next_link
    assert f'hx-get="/workshops/{as_demo.id}/present/slide?group={second}&amp;slide=2"' in next_link
    assert 'hx-target="#slide"' in next_link and 'hx-swap="outerHTML"' in next_link
    # The very first slide has nowhere to go back to; the very last nowhere forward.
    start = client.get(present(as_demo), headers=HX).get_data(as_text=True)
    assert 'id="slide-prev"' not in start and 'href="/workshops/%d/present?group=all&amp;slide=2"' % as_demo.id in start
    end = client.get(present(as_demo, group=demo_groups[-1].id, slide=9), headers=HX).get_data(as_text=True)
    assert 'id="slide-next"' not in end


def test_the_groups_summary_names_its_spokesperson(client, as_demo, demo_groups):
    db.session.add(
        Participant(
            workshop_id=as_demo.id,
            group_id=demo_groups[2].id,
            display_name="Петя Илиева",
            token="t-1",
            is_spokesperson=True,
        )
    )
    db.session.commit()
    body = client.get(present(as_demo, group=demo_groups[2].id), headers=HX).get_data(as_text=True)
    assert '<section id="slide" class="slide slide--summary"' in body
    assert "Говорител: Петя Илиева" in body and "Членове: Петя Илиева" in body
    assert "group-colour--orange" in body and "Обучение на млади овощари" in body
    stage = client.get(present(as_demo, group=demo_groups[2].id, slide=4), headers=HX).get_data(as_text=True)
    assert "Говорител: Петя Илиева" in stage and "Все още няма нищо написано" in stage


def test_charts_slides_have_svg_and_a_table(client, as_demo):
    body = client.get(present(as_demo, slide=2), headers=HX).get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--category"' in body
    assert '<table class="chart-table">' in body and '<th scope="row">Е-включване</th><td>2</td>' in body


def test_bad_positions(client, as_demo, demo_groups, create_workshop, facilitator):
    from facilitator.groups.models import Group

    theirs = create_workshop(owner=facilitator)
    foreign = Group(workshop_id=theirs.id, name="Чужда", colour="red")
    db.session.add(foreign)
    db.session.commit()
    assert client.get(present(as_demo, group=foreign.id)).status_code == 404
    assert client.get(present(as_demo, group="abc")).status_code == 404
    assert client.get(present(as_demo, group=demo_groups[0].id, slide="x")).status_code == 200


def test_answers_are_shown_as_text(client, as_demo, demo_groups):
    field = db.session.scalar(db.select(StageField).where(StageField.key == "goal"))
    answer = db.session.scalar(db.select(Answer).filter_by(group_id=demo_groups[0].id, field_id=field.id))
    answer.value = '<script>alert("x")</script><img src=http://127.0.0.1:9/a.png> ' + "ш" * 300
    db.session.commit()
    body = client.get(present(as_demo, group=demo_groups[0].id, slide=3), headers=HX).get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=http" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=http://127.0.0.1:9/a.png&gt;" in body


def test_the_timer_fragment(client, as_demo):
    body = client.get(present(as_demo, "/timer"), headers=HX).get_data(as_text=True)
    assert body.lstrip().startswith('<div class="timer timer--stopped" id="timer" role="timer"')
    assert f'hx-get="/workshops/{as_demo.id}/present/timer"' in body


def test_the_stream_carries_saves_and_stage_changes(app, client, as_demo):
    app.config["SSE_HEARTBEAT_SECONDS"] = 0.05
    response = client.get(present(as_demo, "/stream"), buffered=False)
    assert response.mimetype == "text/event-stream" and response.headers["Cache-Control"] == "no-cache"
    assert read_events(response, 1)[0]["event"] == "stream-open"
    publish(control_channel(as_demo.id), "answer-saved", "3:17")
    publish(f"workshop:{as_demo.id}", "stages-changed")
    events = read_events(response, 2)
    response.close()
    assert [(e["event"], e["data"]) for e in events] == [("answer-saved", "3:17"), ("stages-changed", "")]


def shortcut_rows(page):
    """The presenter's list of shortcuts as (keys, what they do), read from its <dialog>."""
    start = page.index('<dialog id="presenter-shortcuts"')
    dialog = page[start : page.index("</dialog>", start)]
    return dialog, [
        (" ".join(re.sub(r"<[^>]+>", " ", keys).split()), what.strip())
        for keys, what in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", dialog, re.S)
    ]


def test_the_presenter_lists_its_shortcuts_and_has_buttons_for_the_letters(client, as_facilitator, create_workshop):
    workshop = create_workshop(locale="en")
    page = html.unescape(client.get(present(workshop)).get_data(as_text=True))
    dialog, rows = shortcut_rows(page)
    assert rows == [
        ("→ Space Page Down", "next slide"),
        ("← Shift+Space Page Up", "previous slide"),
        ("↓", "next group"),
        ("↑", "previous group"),
        ("G", "choose a group"),
        ("F", "full screen"),
        ("T", "show or hide the timer"),
        ("?", "this list"),
        ("Esc", "close a list"),
    ]
    assert "Single-key shortcuts (letters and ?)" in dialog
    # Whoever turns the letters off (or uses a mouse) still has each of them as a button.
    for button, label in [
        ("presenter-groups", "G choose a group"),
        ("presenter-fullscreen", "F full screen"),
        ("presenter-timer-toggle", "T timer"),
        ("presenter-shortcuts-button", "? all shortcuts"),
    ]:
        found = re.search(rf'<button [^>]*id="{button}"[^>]*>(.*?)</button>', page)
        assert found and re.sub(r"<[^>]+>", "", found.group(1)) == label, button
    assert page.index("js/shortcuts.js") < page.index("js/presenter.js") and "css/shortcuts.css" in page


def test_the_shortcuts_are_in_the_workshops_language(client, as_demo):
    page = html.unescape(client.get(present(as_demo)).get_data(as_text=True))
    _, rows = shortcut_rows(page)
    assert rows[2:4] == [("↓", "следваща група"), ("↑", "предишна група")]
    assert rows[0] == ("→ Интервал Page Down", "следващ слайд") and rows[-1] == ("Esc", "затваряне на списък")
    assert "<kbd>?</kbd> всички комбинации</button>" in page and "Клавишни комбинации" in page
