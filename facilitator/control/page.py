"""The control room's blueprint, what each of its regions shows, and how an action answers.

One page of regions; each region is a fragment with its own context, re-fetched by the page when
the stream names its event. An action answers its region to htmx (with a line for the page's
status region) and, without JavaScript, redirects back to the page at that region, or shows the
whole page with the refusal in place.
"""

import math
import re
import secrets

from babel.lists import format_list
from flask import abort, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..accounts.models import utcnow
from ..agenda.forms import kind_label
from ..agenda.models import AgendaItem, AgendaItemKind
from ..answers import services as answer_services
from ..core.domain import DomainError, message_for, owned_row
from ..core.htmx import Area
from ..core.offload import in_turns
from ..core.urls import parse_id
from ..extensions import db
from ..groups import pins
from ..groups.models import Group
from ..groups.services import active_groups
from ..participants import services as participant_services
from ..participants.models import Participant, SeatTakeover, TakeoverStatus
from ..room import services as room_services
from ..stages.models import Stage
from ..stages.state import next_step, overrides_for, stage_state_for, stages_of
from ..workshops import services as workshop_services
from ..workshops.loading import workshop_pages
from ..workshops.models import FacilitatorRole
from . import services
from .forms import (
    AddMinutesForm,
    CommentForm,
    InviteForm,
    MessageForm,
    RenameForm,
    StartTimerForm,
    status_for,
)

bp = workshop_pages("control", __name__, "/control")

ROOM = "control/room.html"

#: The rows a URL may name besides the workshop: view argument, its model and whose it must be.
URL_ROWS = {
    "group_id": ("group", Group, lambda workshop: {"workshop_id": workshop.id}),
    "stage_id": ("stage", Stage, lambda workshop: {"process_id": workshop.process_id}),
    "participant_id": ("participant", Participant, lambda workshop: {"workshop_id": workshop.id, "removed_at": None}),
    "takeover_id": ("takeover", SeatTakeover, lambda workshop: {"workshop_id": workshop.id}),
    "item_id": ("item", AgendaItem, lambda workshop: {"workshop_id": workshop.id}),
}


def found(model, row_id, **owner):
    """The row, or 404 if it is gone (removed meanwhile) or belongs to another workshop."""
    row = owned_row(model, row_id, **owner)
    if row is None:
        abort(404)
    return row


#: The region each action answers with (see live.events.origin).
ANSWERED_REGION = {
    "control.next_stage": "stage-bar",
    "control.stage_state": "stage-bar",
    "control.group_stage_state": "grid",
    **{f"control.timer_{name}": "timer-panel" for name in ("start", "add", "pause", "resume", "reset")},
}
SCREEN = re.compile(r"[A-Za-z0-9_-]{8,32}")


@bp.before_request
def say_whose_change():
    """An action from this control room page names the page, so its own stream can skip the region
    the action's answer already brought (control.js)."""
    screen = request.headers.get("X-Screen", "")
    if request.method == "POST" and request.endpoint in ANSWERED_REGION and SCREEN.fullmatch(screen):
        g.event_origin = f"{screen} {ANSWERED_REGION[request.endpoint]}"


@bp.before_request
def load_rows():
    """After the workshop: the group, stage, person, takeover or agenda item its URL names, once."""
    args = request.view_args
    for key, (name, model, owner) in URL_ROWS.items():
        if key in args:
            args[name] = found(model, args.pop(key), **owner(args["workshop"]))


def named_in(values, name, model, **owner):
    """The row an optional id in a form or query names: None when empty, 404 when not a number or not theirs."""
    raw = (values.get(name) or "").strip()
    if not raw:
        return None
    row_id = parse_id(raw)  # not a number, or past any id the database holds
    if row_id is None:
        abort(404)
    return found(model, row_id, **owner)


def group_in(values, name, workshop):
    return named_in(values, name, Group, workshop_id=workshop.id)


@bp.app_template_filter("name_list")
def name_list(names):
    """'Ana, Boris and Vera' in the reader's language."""
    names = [str(n) for n in names]
    return format_list(names, locale=str(get_locale())) if names else ""


@bp.errorhandler(404)
def gone(error):
    """Something in the address is not there (any more): say so plainly, with the way back."""
    workshop = (request.view_args or {}).get("workshop")
    return render_template(
        "workshops/problem.html",
        title=_("This is not available"),
        message=_(
            "It may have been removed meanwhile by another facilitator, or it belongs to another "
            "workshop. Nothing was changed."
        ),
        back_url=url_for("planning.dashboard")
        if workshop is None
        else url_for("control.room", workshop_id=workshop.id),
        back_label=_("Back to the control room"),
    ), 404


# --- what each region shows ---------------------------------------------------------------------


def stage_bar_context(workshop, stage_error=None):
    stages = stages_of(workshop)
    current, following, can_advance = next_step(stages)
    return {
        "stages": stages,
        "current": current,
        "following": following,
        "can_advance": can_advance,
        "stage_error": stage_error,
    }


def timer_context(workshop, start_form=None, add_form=None):
    focus = services.stage_in_focus(workshop)
    default = focus.time_box_minutes if focus is not None and focus.time_box_minutes else 10
    return {
        "timer": room_services.timer_state(workshop),
        "timer_url": url_for("control.timer", workshop_id=workshop.id),
        "start_form": start_form or StartTimerForm(formdata=None, prefix="start", minutes=str(default)),
        "add_form": add_form or AddMinutesForm(formdata=None, prefix="add", minutes="5"),
    }


def grid_context(workshop, selected=None, grid_error=None):
    grid = services.overview(workshop)
    focus = services.stage_in_focus(workshop, grid["stages"])
    return {
        "grid": grid,
        "focus": focus,
        "focus_index": grid["stages"].index(focus) if focus is not None else None,
        "selected": selected,
        "grid_error": grid_error,
        "help_rows": [row for row in grid["rows"] if row["needs_help"]],
    }


def closing_context(workshop, now=None):
    """Groups whose typing may still arrive in a stage that closed seconds ago, and how long at most."""
    now = now or utcnow()
    waiting = participant_services.typing_as_closed(workshop, now)
    seconds = max((math.ceil((entry["until"] - now).total_seconds()) for entry in waiting), default=0)
    return {"closing": waiting, "closing_seconds": seconds}


def help_context(workshop):
    help_groups = {h.group_id for h in room_services.open_help_requests(workshop)}
    return {"help_rows": [{"group": g} for g in active_groups(workshop) if g.id in help_groups]}


def group_context(workshop, group, comment_forms=None):
    if group is None:
        return {"selected": None}
    overrides = overrides_for(group)
    forms = comment_forms or {}
    return {
        "selected": group,
        "detail_stages": [
            {
                "stage": stage,
                "state": stage_state_for(stage, group, overrides),
                "comments": room_services.comments_for(group, stage),
                "form": forms.get(stage.id) or CommentForm(formdata=None, prefix=f"comment-{stage.id}"),
            }
            for stage in stages_of(workshop)
        ],
        "answers": answer_services.answers_of(group),
        "help_request": room_services.open_help_request(group),
    }


def message_form_context(workshop, form=None):
    form = form or MessageForm(formdata=None, prefix="message")
    form.set_groups(active_groups(workshop))
    return {"message_form": form}


def messages_context(workshop):
    names = {g.id: g.name for g in db.session.scalars(db.select(Group).filter_by(workshop_id=workshop.id))}
    return {"recent_messages": room_services.recent_messages(workshop), "group_names": names}


class RenameForms(dict):
    """Each person's rename form, made when the template reaches that person (a plenary has hundreds)."""

    def __init__(self, people, given):
        super().__init__(given)
        self._names = {p.id: p.display_name for p in people}

    def __missing__(self, participant_id):
        form = RenameForm(formdata=None, prefix=f"rename-{participant_id}", name=self._names[participant_id])
        self[participant_id] = form
        return form


def people_context(workshop, rename_forms=None, people_errors=None, moving=None):
    """Who is in which group; `moving`: the person whose "move to" list is shown open."""
    groups = active_groups(workshop)
    people = services.participants_of(workshop)
    active_ids = {g.id for g in groups}
    by_group = {}
    for person in people:
        by_group.setdefault(person.group_id, []).append(person)
    return {
        "people_groups": [{"group": g, "members": by_group.get(g.id, [])} for g in groups],
        "unassigned": [p for p in people if p.group_id not in active_ids],
        "move_targets": groups,
        "moving": moving,
        "rename_forms": RenameForms(people, rename_forms or {}),
        "people_errors": people_errors or {},
        "spoken_pin": pins.spoken,
    }


def takeovers_context(workshop, takeover_error=None):
    return {
        "takeovers": services.takeovers_of(workshop),
        "takeover_statuses": TakeoverStatus,
        "takeover_error": takeover_error,
    }


def run_of_show_context(workshop, agenda_error=None):
    items = services.agenda_of(workshop)
    current = next((i for i in items if i.id == workshop.current_agenda_item_id), None)
    return {
        "agenda": items,
        "current_item": current,
        "group_work_now": current is not None and current.kind == AgendaItemKind.GROUP_WORK.value,
        "kind_label": kind_label,
        "status_moves": workshop_services.allowed_statuses(workshop),
        "agenda_error": agenda_error,
    }


def facilitators_context(workshop, invite_form=None, facilitator_error=None):
    return {
        "memberships": services.facilitators_of(workshop),
        "owner_role": FacilitatorRole.OWNER.value,
        "invite_form": invite_form or InviteForm(formdata=None, prefix="invite"),
        "facilitator_error": facilitator_error,
    }


def room_context(workshop, selected=None):
    """Everything the page shows."""
    context = {"workshop": workshop, "section": "control", "screen": secrets.token_urlsafe(9)}
    regions = (
        stage_bar_context,
        closing_context,
        timer_context,
        lambda workshop: grid_context(workshop, selected),
        lambda workshop: group_context(workshop, selected),
        message_form_context,
        messages_context,
        people_context,
        takeovers_context,
        run_of_show_context,
        facilitators_context,
    )
    for region in in_turns(regions):  # a plenary's page: the loop gets its turns meanwhile
        context.update(region(workshop))
    return context


# --- answering -----------------------------------------------------------------------------------


def _complete_page(context):
    """The whole page around one region's context (a refused form keeps what it brings)."""
    for key, value in room_context(context["workshop"], context.get("selected")).items():
        context.setdefault(key, value)


ui = Area("control-status", complete_page=_complete_page)


class Region:
    """One region of the page: its fragment, what it shows, and the anchor a plain form post returns to."""

    def __init__(self, fragment, context, anchor):
        self.fragment, self.context, self.anchor = fragment, context, anchor

    def _context(self, workshop, *args, extra=None, **kwargs):
        return dict(self.context(workshop, *args, **kwargs), workshop=workshop, **(extra or {}))

    def show(self, workshop, *args, **kwargs):
        """The region for htmx, or the whole page for anyone else (a bookmark, no JavaScript)."""
        return ui.answer(ROOM, self.fragment, self._context(workshop, *args, **kwargs))

    def done(self, workshop, announce, *args, query=None, anchor=None, **kwargs):
        """A success: the fresh region and `announce` for htmx, else back to the page at the region."""
        back = url_for("control.room", workshop_id=workshop.id, **(query or {})) + "#" + (anchor or self.anchor)
        return ui.answer(
            ROOM, self.fragment, self._context(workshop, *args, **kwargs), announce=announce, redirect_to=back
        )

    def refuse(self, workshop, status, *args, **kwargs):
        """A refusal: the region with its message, as a fragment or within the page."""
        return ui.refuse(ROOM, self.fragment, self._context(workshop, *args, **kwargs), status=status)

    def refuse_error(self, workshop, error, key):
        """A refusal worded in the region's own error line (`key` names the context argument)."""
        return self.refuse(workshop, status_for(error.code), **{key: message_for(error.code, **error.params)})


STAGE_BAR = Region("control/_stage_bar.html", stage_bar_context, "stage-bar")
TIMER_PANEL = Region("control/_timer_panel.html", timer_context, "timer-panel")
GRID = Region("control/_grid.html", grid_context, "grid")
HELP = Region("control/_help_alerts.html", help_context, "help-alerts")
CLOSING = Region("control/_closing.html", closing_context, "closing")
GROUP = Region("control/_group_detail.html", group_context, "group-detail")
MESSAGE_FORM = Region("control/_message_form.html", message_form_context, "messages-heading")
MESSAGES = Region("control/_messages.html", messages_context, "messages-heading")
PEOPLE = Region("control/_people.html", people_context, "people")
TAKEOVERS = Region("control/_takeovers.html", takeovers_context, "takeovers-heading")
RUN_OF_SHOW = Region("control/_run_of_show.html", run_of_show_context, "run-of-show")
FACILITATORS = Region("control/_facilitators.html", facilitators_context, "facilitators")


def attempt(form, field, action):
    """Run `action()` for a valid form: its result and 200; refused, None and the status, the words on `field`.

    A form fails validation only on its expired token (400, the typed text kept); the services
    judge the values and name no field, so the refusal goes next to the one this form asks for.
    """
    if not form.validate_on_submit():
        return None, 400
    try:
        return action(), 200
    except DomainError as error:
        getattr(form, error.field or field).errors.append(message_for(error.code, **error.params))
        return None, status_for(error.code)
