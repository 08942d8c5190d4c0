"""What the control room sends reaches the group's workspace: timer, messages, help, comments, moves."""

from facilitator.control import services as control
from facilitator.extensions import db
from facilitator.participants.models import Participant
from facilitator.room import services as room
from facilitator.stages import state as stage_state


def text(response):
    return response.get_data(as_text=True)


def test_workspace_shows_the_timer_and_its_fragment_follows_changes(workshop, groups, join_as):
    ana = join_as("Ana")
    assert 'id="timer"' in text(ana.get(ana.workspace_url)) and "No timer running" in text(ana.get(ana.workspace_url))
    room.start_timer(workshop, 300)
    fragment = text(ana.get(ana.workspace_url + "/timer"))
    assert 'data-state="running"' in fragment
    remaining = int(fragment.split('data-remaining="')[1].split('"')[0])
    assert 298 <= remaining <= 300
    assert 'hx-trigger="sse:timer-changed"' in fragment


def test_messages_to_everyone_and_to_my_group_only(workshop, groups, join_as):
    ana, vera = join_as("Ana", groups[0]), join_as("Vera", groups[1])
    room.broadcast(workshop, "Пет минути до края", "Ф")
    room.broadcast(workshop, "<b>Само за група 2</b>", "Ф", groups[1])
    assert "Пет минути до края" in text(ana.get(ana.workspace_url + "/messages"))
    assert "Само за група 2" not in text(ana.get(ana.workspace_url + "/messages"))
    vera_messages = text(vera.get(vera.workspace_url + "/messages"))
    assert "&lt;b&gt;Само за група 2&lt;/b&gt;" in vera_messages


def test_help_button_raises_the_flag_once(workshop, groups, join_as):
    ana = join_as("Ana")
    page = text(ana.get(ana.workspace_url))
    assert "We need help" in page
    response = ana.post(ana.workspace_url + "/help", headers={"X-CSRFToken": ana.token, "HX-Request": "true"})
    assert response.status_code == 200 and "Help is on the way" in text(response)
    ana.post(ana.workspace_url + "/help", headers={"X-CSRFToken": ana.token, "HX-Request": "true"})
    assert [h.group_id for h in room.open_help_requests(workshop)] == [groups[0].id]
    assert ana.post(ana.workspace_url + "/help").status_code == 400  # no CSRF token


def test_comments_show_on_the_groups_stage(workshop, groups, open_stage, join_as):
    ana, vera = join_as("Ana", groups[0]), join_as("Vera", groups[1])
    room.comment_on_stage(workshop, groups[0], open_stage, "Уточнете целта.", "Ф")
    assert "Уточнете целта." in text(ana.get(ana.workspace_url))
    assert "Уточнете целта." in text(ana.get(ana.workspace_url + f"/stages/{open_stage.id}/comments"))
    assert "Уточнете целта." not in text(vera.get(vera.workspace_url))


def test_a_moved_member_lands_in_the_new_group(workshop, groups, join_as):
    ana = join_as("Ana", groups[0])
    me = db.session.scalar(db.select(Participant).filter_by(display_name="Ana"))
    control.move_participant(workshop, me, groups[1])
    response = ana.get(ana.workspace_url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/g/{groups[1].id}")
    assert "Група 2" in text(ana.get(response.headers["Location"]))


def test_a_removed_member_must_rejoin(workshop, groups, join_as):
    ana = join_as("Ana", groups[0])
    me = db.session.scalar(db.select(Participant).filter_by(display_name="Ana"))
    control.remove_participant(workshop, me)
    response = ana.get(ana.workspace_url)
    assert response.status_code == 302 and response.headers["Location"] == "/"  # the home page's join form


def test_spokesperson_is_marked_for_the_group(workshop, groups, join_as):
    ana = join_as("Ana", groups[0])
    me = db.session.scalar(db.select(Participant).filter_by(display_name="Ana"))
    control.set_spokesperson(workshop, groups[0], me)
    assert "spokesperson" in text(ana.get(ana.workspace_url + "/members"))


def test_stage_card_fragment_follows_open_and_close(workshop, groups, join_as):
    ana = join_as("Ana")
    stage = stage_state.stages_of(workshop)[3]
    url = ana.workspace_url + f"/stages/{stage.id}"
    assert 'data-state="locked"' in text(ana.get(url))
    control.set_stage_state(workshop, stage, "open", groups[0])
    opened = text(ana.get(url))
    assert 'data-state="open"' in opened and "<textarea" in opened
    control.set_stage_state(workshop, stage, "closed")
    closed = text(ana.get(url))
    assert 'data-state="closed"' in closed and "<textarea" not in closed
    assert "1 of 8 stages done" in text(ana.get(ana.workspace_url + f"/news?stages={stage.id}"))


def test_pdf_links_appear_once_released(workshop, groups, join_as):
    from facilitator.accounts.models import utcnow

    ana = join_as("Ana")
    assert "PDF of the whole workshop" not in text(ana.get(ana.workspace_url + "/downloads"))
    workshop.pdfs_released_at = utcnow()
    db.session.commit()
    links = text(ana.get(ana.workspace_url + "/downloads"))
    assert "PDF of the whole workshop" in links
    assert f'href="{ana.workspace_url}/summary.pdf"' in links and 'hx-trigger="sse:pdfs-changed"' in links
