"""The workspace's stage cards, and the news of a stage change that carries them to every phone.

When the facilitator opens or closes stages, each group's changed cards (with the progress bar and,
when it moved, the timer) are rendered once per group and language and sent on that group's news
channel: every member's phone swaps them in from the message, with no request of its own. Then
the workshop's `stages-changed` says what changed, for the control room, the presenter, and a
phone whose news did not come (it joined in between, or reads in a language nobody else in its
group uses): that phone fetches the same fragment once (`news` below, the `stage_news` view).
"""

import json
import secrets
import time

import greenlet
from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale

from ..answers import services as answer_services
from ..core.offload import in_background, in_turns
from ..extensions import db
from ..groups.models import Group
from ..live.events import news_channel, origin, publish, workshop_channel
from ..room import services as room
from ..stages import state as stage_state
from ..workshops.models import Workshop
from .loading import Seat
from .models import Participant

NEWS = "participants/_stage_news.html"
#: The message that carries a group's news on its channel.
NEWS_EVENT = "stages"
#: A phone's timer asks again only when the timer alone changed: the news brings it otherwise.
PHONE_TIMER = "sse:timer-changed"


def field_context(seat, field, answer=None):
    """What one answer field shows: writable or read-only, as the stage is for this group now."""
    writable = stage_state.writable(field.stage, seat.group, seat.workshop, overrides=seat.overrides)
    return {
        "seat": seat,
        "field": field,
        "answer": answer,
        "writable": writable,
        "max_length": answer_services.MAX_ANSWER_LENGTH,
    }


def cards_context(seat, answers=None, comments=None):
    """What the stage-card template needs for the group: answers and comments read once."""
    answers = answer_services.answers_of(seat.group) if answers is None else answers
    comments = room.comments_by_stage(seat.group) if comments is None else comments
    return {
        "seat": seat,
        "field_context": lambda field: field_context(seat, field, answers.get(field.id)),
        "comments_for": lambda stage: comments.get(stage.id, []),
    }


def news(seat, stages, serial="", timer=None, every=None, answers=None, comments=None, at=None):
    """The changed cards (and the progress bar, and the timer when given), each swapped in by its id.

    Nothing in it belongs to one device: no CSRF token (the page's own is filled in, see
    workspace.js), so one rendering serves every member of the group. `every` (the process's
    stages), `answers` and `comments`: when the caller read them for many groups at once. `at`:
    when what it shows was read (now, if not given): a phone never swaps in news older than what
    it shows, should two changes' news cross on the way (workspace.js).
    """
    every = stage_state.stages_of(seat.workshop) if every is None else every
    timer_context = {}
    if timer is not None:
        timer_context = {
            "timer": timer,
            "timer_url": url_for("participants.timer", workshop_id=seat.workshop.id, group_id=seat.group.id),
            "timer_trigger": PHONE_TIMER,
        }
    return render_template(
        NEWS,
        stages=[stage for stage in every if stage in stages],
        progress=stage_state.progress(every, seat.group, seat.overrides),
        serial=serial,
        at=at or read_now(),
        shared=True,
        **timer_context,
        **cards_context(seat, answers, comments),
    )


def read_now():
    """The moment news is read, as its marker carries it (microseconds, so two changes differ)."""
    return f"{time.time():.6f}"


def readers(workshop, group_ids=None):
    """Each group's languages on its members' devices: the news each group needs."""
    query = (
        db.select(Participant.group_id, Participant.locale)
        .distinct()
        .where(
            Participant.workshop_id == workshop.id,
            Participant.removed_at.is_(None),
            Participant.group_id.is_not(None),
            Participant.locale.is_not(None),
        )
    )
    if group_ids is not None:
        query = query.where(Participant.group_id.in_(group_ids))
    languages = {}
    for group_id, locale in db.session.execute(query):
        if locale in current_app.config["LANGUAGES"]:
            languages.setdefault(group_id, set()).add(locale)
    return languages


def announce(workshop, stages, groups=None, timer=False):
    """Tell every screen that `stages` changed (for `groups`, or all): after the commit.

    The cards are rendered beside the request (in a greenlet of its own, taking turns with the
    loop), so the facilitator's answer does not wait for a hundred groups' news.
    """
    said = {
        "n": secrets.token_hex(6),
        "stages": [stage.id for stage in stages],
        "groups": None if groups is None else [group.id for group in groups],
        "timer": bool(timer),
        "origin": origin(),
    }
    base_url = request.url_root if has_request_context() else None
    in_background(_deliver, current_app._get_current_object(), base_url, workshop.id, said)


def _deliver(app, base_url, workshop_id, said):
    """Each group's news on its channel, then the workshop's word of the change, whatever happens.

    In a greenlet of its own the context (and its database session) is new and ends with it;
    called in the request (tests, the CLI) it shares the request's application context.
    """
    greenlet.getcurrent().request_line = "stage news"  # what the blocking monitor names
    with app.test_request_context("/", base_url=base_url):
        try:
            at = read_now()
            workshop = db.session.get(Workshop, workshop_id)
            every = stage_state.stages_of(workshop)
            stages = [stage for stage in every if stage.id in said["stages"]]
            timer = room.timer_state(workshop) if said["timer"] else None
            languages = readers(workshop, said["groups"])
            # What each group's cards show, read for all of them at once. A save that lands while
            # the news is on its way is not lost: its own message follows, or the page, holding a
            # newer version than the card, fetches that field again (workspace.js).
            ids = sorted(languages)
            groups = {group.id: group for group in db.session.scalars(db.select(Group).where(Group.id.in_(ids)))}
            answers = answer_services.answers_of_groups(ids)
            comments = room.comments_by_group(ids)
            overrides = stage_state.overrides_for_groups(ids)
            for group_id in in_turns(ids):  # the loop gets its turn after each slice of CPU
                seat = Seat(workshop, groups[group_id], None, overrides=overrides[group_id])
                for locale in sorted(languages[group_id]):
                    with force_locale(locale):
                        html = news(seat, stages, said["n"], timer, every, answers[group_id], comments[group_id], at)
                    publish(news_channel(group_id, locale), NEWS_EVENT, html)
        except Exception:
            app.logger.exception("stage news for workshop %s not rendered; phones will fetch it", workshop_id)
        finally:
            publish(workshop_channel(workshop_id), "stages-changed", json.dumps(said, separators=(",", ":")))
