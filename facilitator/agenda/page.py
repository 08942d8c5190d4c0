"""What every agenda view shares: the blueprint, its answers, and loading the item a URL names."""

from flask import abort, request, url_for
from flask_babel import gettext as _

from ..core.domain import owned_row
from ..core.htmx import Area, wants_fragment
from ..workshops.loading import workshop_pages
from . import services
from .forms import (
    add_form,
    date_label,
    kind_label,
    new_speaker_form,
    speaker_forms,
    time_label,
)
from .models import AgendaItem

bp = workshop_pages("agenda", __name__, "/agenda")

INDEX = "agenda/index.html"
EDIT = "agenda/edit.html"
LIST = "agenda/_agenda.html"
ADD_FORM = "agenda/_add_form.html"
ROW = "agenda/_item_row.html"
SPEAKERS = "agenda/_speakers.html"


# --- helpers -------------------------------------------------------------------------------


def context_for(workshop, agenda=None, **extra):
    """What every agenda template needs: the agenda and formatters in the workshop's language."""
    agenda = agenda or services.agenda_for(workshop)
    context = {
        "workshop": workshop,
        "section": "agenda",
        "agenda": agenda,
        "time_label": time_label(workshop),
        "date_label": date_label(workshop),
        "kind_label": kind_label,
        "speaker_line": services.speaker_line,
        "title_level": 4 if agenda.is_multi_day else 3,
        "focus": None,
    }
    context.update(extra)
    return context


def complete_page(context):
    """The whole page also shows the add form: empty, unless the answer brings one."""
    if "add_form" not in context:
        context["add_form"] = add_form(context["workshop"], context["agenda"], fresh=True)


ui = Area("agenda-status", complete_page=complete_page)


def speakers_context(item, failing=None, new_form=None, message=None):
    return {
        "item": item,
        "speaker_forms": speaker_forms(item, failing),
        "new_speaker_form": new_form or new_speaker_form(item, fresh=True),
        "speakers_message": message,
    }


def load_item(workshop, item_id):
    """The item; None if it was deleted meanwhile; 404 if it is another workshop's."""
    return owned_row(AgendaItem, item_id, workshop_id=workshop.id)


class ItemGone(Exception):
    """An item someone deleted meanwhile, asked for by htmx: answered by `answer_gone`."""


def shown_item(workshop, item_id):
    """The item to show; deleted meanwhile: a 404 page, or to htmx the agenda as it is now."""
    found = load_item(workshop, item_id)
    if found is None:
        if not wants_fragment():
            abort(404)
        raise ItemGone()
    return found


@bp.errorhandler(ItemGone)
def answer_gone(error):
    return gone(request.view_args["workshop"])


def index_url(workshop, item=None):
    url = url_for("agenda.index", workshop_id=workshop.id)
    return f"{url}#agenda-item-{item.id}" if item is not None else url


def list_answer(workshop, message, status=200, focus=None, retarget=None):
    """The re-rendered agenda with a spoken status, for moves, drags, deletes and retimes."""
    return ui.answer(
        INDEX,
        LIST,
        context_for(workshop, focus=focus),
        status=status,
        announce=message,
        redirect_to=index_url(workshop),
        retarget=retarget,
    )


def gone(workshop, message=None):
    """Answer for an item someone else deleted meanwhile: say so and show the agenda as it is now."""
    message = message or _("This item no longer exists: someone deleted it meanwhile. The agenda below is up to date.")
    return list_answer(workshop, message, 409, retarget="#agenda")


def edit_answer(workshop, item, form, status=200, agenda=None, speakers=None, announce=None):
    """The item's edit form in place of its row, or on a page of its own without JavaScript."""
    agenda = agenda or services.agenda_for(workshop)
    context = context_for(workshop, agenda, **(speakers or speakers_context(item)))
    context.update(entry=agenda.entry_for(item), form=form)
    return ui.answer(EDIT, "agenda/_item_edit.html", context, status=status, announce=announce)
