"""The control room's timer and messages: what every group's screen shows, set from here."""

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.domain import DomainError
from ..core.errors import form_view
from ..groups.services import active_groups
from ..room import services as room_services
from ..stages.state import current_stage
from .forms import AddMinutesForm, MessageForm, StartTimerForm
from .page import MESSAGE_FORM, MESSAGES, TIMER_PANEL, Region, attempt, bp, group_in, timer_context

TIMER = Region(
    "live/_timer.html",
    lambda workshop: {
        "timer": room_services.timer_state(workshop),
        "timer_url": url_for("control.timer", workshop_id=workshop.id),
    },
    "timer",
)
TIMER_CONTROLS = Region("control/_timer_controls.html", timer_context, "timer-controls")


def _minutes_text(form):
    """What was typed, with a decimal comma read as a point (Polish and Bulgarian keyboards)."""
    return (form.minutes.data or "").strip().replace(",", ".")


@bp.route("/timer")
def timer(workshop):
    """The shared countdown, re-fetched whenever a facilitator changes it."""
    return TIMER.show(workshop)


@bp.route("/timer/controls")
def timer_controls(workshop):
    """The timer's buttons, which change with its state."""
    return TIMER_CONTROLS.show(workshop)


def _start(workshop, form):
    minutes = room_services.check_minutes(_minutes_text(form), room_services.MAX_TIMER_MINUTES)
    room_services.start_timer(workshop, round(minutes * 60), current_stage(workshop))


def _set_timer(workshop, form, key, change, announce):
    """Run `change` with the typed minutes; refused, the panel with the form (its `key`) as typed."""
    _changed, status = attempt(form, "minutes", lambda: change(workshop, form))
    if status != 200:
        return TIMER_PANEL.refuse(workshop, status, **{key: form})
    return TIMER_PANEL.done(workshop, announce)


@bp.route("/timer/start", methods=["POST"])
@form_view
def timer_start(workshop):
    """Count down the given minutes for everyone, from now."""
    return _set_timer(workshop, StartTimerForm(prefix="start"), "start_form", _start, _("The timer is running."))


def _add(workshop, form):
    """Add the minutes; too many is worded with the ceiling on adding as well as the timer's own."""
    try:
        room_services.add_minutes(workshop, _minutes_text(form))
    except DomainError as error:
        if error.code != "bad-minutes":
            raise
        raise DomainError("bad-added-minutes") from None


@bp.route("/timer/add", methods=["POST"])
@form_view
def timer_add(workshop):
    """More time for everyone, running, paused or just ended."""
    return _set_timer(workshop, AddMinutesForm(prefix="add"), "add_form", _add, _("More time is added."))


@bp.route("/timer/pause", methods=["POST"])
def timer_pause(workshop):
    """Hold the countdown where it is."""
    room_services.pause_timer(workshop)
    return TIMER_PANEL.done(workshop, _("The timer is paused."))


@bp.route("/timer/resume", methods=["POST"])
def timer_resume(workshop):
    """Count down again from where it was paused."""
    room_services.resume_timer(workshop)
    return TIMER_PANEL.done(workshop, _("The timer is running."))


@bp.route("/timer/reset", methods=["POST"])
def timer_reset(workshop):
    """Stop the countdown and clear it from every screen."""
    room_services.reset_timer(workshop)
    return TIMER_PANEL.done(workshop, _("The timer is stopped."))


# --- messages ------------------------------------------------------------------------------------


@bp.route("/messages")
def messages(workshop):
    """The latest messages sent to the groups, re-fetched when anyone sends one."""
    return MESSAGES.show(workshop)


def _broadcast(workshop, form):
    """Send the message to the chosen group (None: all of them); returns that choice."""
    group = group_in(request.form, form.group.name, workshop)
    room_services.broadcast(workshop, form.text.data, current_user.display_name, group)
    return group


@bp.route("/messages", methods=["POST"])
@form_view
def send_message(workshop):
    """A short message on every group’s screen, or on one group's."""
    form = MessageForm(prefix="message")
    form.set_groups(active_groups(workshop))
    group, status = attempt(form, "text", lambda: _broadcast(workshop, form))
    if status != 200:
        return MESSAGE_FORM.refuse(workshop, status, form)
    announce = (
        _("Your message is on the screens of %(group)s.", group=group.name)
        if group
        else _("Your message is on every group’s screen.")
    )
    return MESSAGE_FORM.done(workshop, announce)
