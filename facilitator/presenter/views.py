"""The presenter view: a full-screen page for the projector, run from a second window of the
facilitator's laptop and driven by the keyboard alone.

The position is in the URL (?group=<id>&slide=<n>), so a reload stays put. The server renders
every slide; static/js/presenter.js only turns keys into clicks on the slide's own links and
re-fetches the slide when the live stream says answers or stages changed. What is projected is
the workshop's content, so it is written in the workshop's language.
"""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale

from ..core.htmx import Area, wants_fragment
from ..live.events import control_channel, workshop_channel
from ..live.sse import stream_of
from ..room.services import timer_state
from ..workshops.loading import workshop_pages
from . import services

bp = workshop_pages("presenter", __name__, "/present")


def _position():
    """The group id (None for "all groups") and slide number the query names; junk is a 404."""
    group = request.args.get("group", "").strip()
    if group in ("", "all"):
        group_id = None
    elif group.isdigit():
        group_id = int(group)
    else:
        abort(404)
    number = request.args.get("slide", 1, type=int)
    return group_id, number


def _deck(workshop):
    group_id, number = _position()
    try:
        return services.deck_at(workshop, group_id, number)
    except services.UnknownGroup:
        abort(404)


def _query(position):
    group_id, number = position
    return {"group": group_id if group_id is not None else "all", "slide": number}


def _context(workshop, deck):
    workshop_id = workshop.id
    return {
        "workshop": workshop,
        "deck": deck,
        "slide": deck.slide,
        "page_url": lambda position: url_for("presenter.show", workshop_id=workshop_id, **_query(position)),
        "fragment_url": lambda position: url_for("presenter.slide", workshop_id=workshop_id, **_query(position)),
    }


def _complete_page(context):
    """The whole page also has the timer and the live stream."""
    workshop = context["workshop"]
    context["timer"] = timer_state(workshop)
    context["timer_url"] = url_for("presenter.timer", workshop_id=workshop.id)
    context["stream_url"] = url_for("presenter.stream", workshop_id=workshop.id)


ui = Area("presenter-status", complete_page=_complete_page)


def _answer(workshop, deck):
    """The slide, or the page around it, in the workshop's language."""
    with force_locale(workshop.locale):
        return ui.answer("presenter/show.html", "presenter/_slide.html", _context(workshop, deck))


@bp.route("")
def show(workshop):
    """The presenter page at the slide the URL names (htmx gets just that slide)."""
    return _answer(workshop, _deck(workshop))


@bp.route("/slide")
def slide(workshop):
    """One slide as a fragment, for the arrow keys, the group picker and live updates."""
    deck = _deck(workshop)
    if not wants_fragment():
        return redirect(url_for(".show", workshop_id=workshop.id, **_query((deck.slide.group_id, deck.slide.number))))
    return _answer(workshop, deck)


@bp.route("/timer")
def timer(workshop):
    """The shared countdown, re-fetched when the facilitator changes it."""
    with force_locale(workshop.locale):
        return render_template(
            "live/_timer.html", timer=timer_state(workshop), timer_url=url_for(".timer", workshop_id=workshop.id)
        )


@bp.route("/stream")
def stream(workshop):
    """The presenter's one SSE connection: every save (control channel) and stage or timer changes."""
    channels = [control_channel(workshop.id), workshop_channel(workshop.id)]
    return stream_of(channels)
