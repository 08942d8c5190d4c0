"""Agenda pages and actions: one URL per thing, serving the full page or its htmx fragment."""

from flask import abort, request, url_for
from flask_babel import gettext as _

from ..core.domain import DomainError, owned_row
from ..core.errors import form_view
from ..core.htmx import Area, focus_on, next_focus, retyped, submit, wants_fragment
from ..workshops.loading import workshop_pages
from . import services
from .forms import (
    ADD_PREFIX,
    SpeakerForm,
    add_form,
    date_label,
    item_form,
    kind_label,
    new_speaker_form,
    speaker_forms,
    time_label,
)
from .models import AgendaItem, Speaker

bp = workshop_pages("agenda", __name__, "/agenda")

INDEX = "agenda/index.html"
EDIT = "agenda/edit.html"
LIST = "agenda/_agenda.html"
ADD_FORM = "agenda/_add_form.html"
ROW = "agenda/_item_row.html"
SPEAKERS = "agenda/_speakers.html"


# --- helpers -------------------------------------------------------------------------------


def _context(workshop, agenda=None, **extra):
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


def _complete_page(context):
    """The whole page also shows the add form: empty, unless the answer brings one."""
    if "add_form" not in context:
        context["add_form"] = add_form(context["workshop"], context["agenda"], fresh=True)


ui = Area("agenda-status", complete_page=_complete_page)


def _speakers_context(item, failing=None, new_form=None, message=None):
    return {
        "item": item,
        "speaker_forms": speaker_forms(item, failing),
        "new_speaker_form": new_form or new_speaker_form(item, fresh=True),
        "speakers_message": message,
    }


def _load_item(workshop, item_id):
    """The item; None if it was deleted meanwhile; 404 if it is another workshop's."""
    return owned_row(AgendaItem, item_id, workshop_id=workshop.id)


class _ItemGone(Exception):
    """An item someone deleted meanwhile, asked for by htmx: answered by `_answer_gone`."""


def _shown_item(workshop, item_id):
    """The item to show; deleted meanwhile: a 404 page, or to htmx the agenda as it is now."""
    found = _load_item(workshop, item_id)
    if found is None:
        if not wants_fragment():
            abort(404)
        raise _ItemGone()
    return found


@bp.errorhandler(_ItemGone)
def _answer_gone(error):
    return _gone(request.view_args["workshop"])


def _index_url(workshop, item=None):
    url = url_for("agenda.index", workshop_id=workshop.id)
    return f"{url}#agenda-item-{item.id}" if item is not None else url


def _list_answer(workshop, message, status=200, focus=None, retarget=None):
    """The re-rendered agenda with a spoken status, for moves, drags, deletes and retimes."""
    return ui.answer(
        INDEX,
        LIST,
        _context(workshop, focus=focus),
        status=status,
        announce=message,
        redirect_to=_index_url(workshop),
        retarget=retarget,
    )


def _gone(workshop, message=None):
    """Answer for an item someone else deleted meanwhile: say so and show the agenda as it is now."""
    message = message or _("This item no longer exists: someone deleted it meanwhile. The agenda below is up to date.")
    return _list_answer(workshop, message, 409, retarget="#agenda")


# --- the page ------------------------------------------------------------------------------


@bp.route("")
def index(workshop):
    """The agenda: days, items in order with their flags, and the add form."""
    return ui.answer(INDEX, LIST, _context(workshop))


# --- items ---------------------------------------------------------------------------------


@bp.route("/items", methods=["POST"])
@form_view
def add_item(workshop):
    """Append an item; the add form comes back empty and the list shows the new item."""
    agenda = services.agenda_for(workshop)
    form = add_form(workshop, agenda)
    item = submit(form, lambda: services.add_item(workshop, **form.values()))
    if item is None:
        return ui.refuse(INDEX, ADD_FORM, _context(workshop, agenda, add_form=form))
    agenda = services.agenda_for(workshop)
    entry, label = agenda.entry_for(item), time_label(workshop)
    message = _(
        "Added “%(title)s”, %(start)s–%(end)s.",
        title=item.title,
        start=label(entry.starts_at),
        end=label(entry.ends_at),
    )
    fresh = add_form(workshop, agenda, fresh=True, day_index=item.day_index)
    focus_on(fresh.title)
    return ui.answer(
        INDEX,
        ADD_FORM,
        _context(workshop, agenda, add_form=fresh),
        announce=message,
        also=[LIST],
        redirect_to=_index_url(workshop, item),
    )


@bp.route("/items/<int:item_id>")
def item(workshop, item_id):
    """One item's row (what Cancel brings back), or the page it sits on."""
    found = _shown_item(workshop, item_id)
    agenda = services.agenda_for(workshop)
    context = _context(workshop, agenda, entry=agenda.entry_for(found), focus=f"agenda-item-{found.id}-edit")
    return ui.answer(INDEX, ROW, context, redirect_to=_index_url(workshop, found))


def _edit_answer(workshop, item, form, status=200, agenda=None, speakers=None, announce=None):
    """The item's edit form in place of its row, or on a page of its own without JavaScript."""
    agenda = agenda or services.agenda_for(workshop)
    context = _context(workshop, agenda, **(speakers or _speakers_context(item)))
    context.update(entry=agenda.entry_for(item), form=form)
    return ui.answer(EDIT, "agenda/_item_edit.html", context, status=status, announce=announce)


@bp.route("/items/<int:item_id>/edit")
def edit_item(workshop, item_id):
    """The edit form for one item."""
    found = _shown_item(workshop, item_id)
    agenda = services.agenda_for(workshop)
    form = item_form(workshop, agenda, found, fresh=True)
    if wants_fragment():
        focus_on(form.title)
    return _edit_answer(workshop, found, form, agenda=agenda)


def _stale_edit(workshop, item_id):
    """The item was deleted while being edited: keep the text in the add form and say what happened."""
    agenda = services.agenda_for(workshop)
    form = add_form(workshop, agenda, formdata=retyped(f"item-{item_id}", ADD_PREFIX))
    message = _(
        "Someone deleted this item while you were editing it, so nothing was saved. "
        "Your text is kept in the form below: add it as a new item, or leave it."
    )
    form.form_errors.append(message)
    if wants_fragment():
        focus_on(form.title)
    return ui.refuse(
        INDEX,
        ADD_FORM,
        _context(workshop, agenda, add_form=form),
        status=409,
        announce=message,
        also=[LIST],
        retarget="#agenda-add-form",
    )


def _saved(workshop, item, old_day):
    """The saved item's row with its neighbours' flags brought up to date; the whole list if it changed day."""
    agenda = services.agenda_for(workshop)
    context = _context(workshop, agenda, entry=agenda.entry_for(item), focus=f"agenda-item-{item.id}-edit")
    message = _("Saved “%(title)s”.", title=item.title)
    if item.day_index != old_day:
        return ui.answer(
            INDEX, LIST, context, announce=message, redirect_to=_index_url(workshop, item), retarget="#agenda"
        )
    flags = [
        ("agenda/_item_flags.html", {"entry": entry, "oob_flags": True})
        for entry in agenda.day(item.day_index).entries
        if entry.item.id != item.id
    ]
    return ui.answer(INDEX, ROW, context, announce=message, also=flags, redirect_to=_index_url(workshop, item))


@bp.route("/items/<int:item_id>", methods=["POST"])
@form_view
def update_item(workshop, item_id):
    """Save an item's edit form; its row comes back, with neighbours' flags brought up to date."""
    found = _load_item(workshop, item_id)
    if found is None:
        return _stale_edit(workshop, item_id)
    agenda = services.agenda_for(workshop)
    form = item_form(workshop, agenda, found)
    old_day = found.day_index
    if submit(form, lambda: services.update_item(found, **form.values())) is None:
        return _edit_answer(workshop, found, form, 422, agenda=agenda)
    return _saved(workshop, found, old_day)


def _moved_message(workshop, item, direction, moved):
    """What a keyboard move did, in words: the new place, or that there was nowhere to go."""
    entry = services.agenda_for(workshop).entry_for(item)
    if not moved:
        return (
            _("“%(title)s” is already first.", title=item.title)
            if direction < 0
            else _("“%(title)s” is already last.", title=item.title)
        )
    if direction < 0:
        return _(
            "“%(title)s” moved up: now %(number)d of %(count)d.",
            title=item.title,
            number=entry.number,
            count=entry.count,
        )
    return _(
        "“%(title)s” moved down: now %(number)d of %(count)d.", title=item.title, number=entry.number, count=entry.count
    )


@bp.route("/items/<int:item_id>/move", methods=["POST"])
def move_item(workshop, item_id):
    """Keyboard reorder: swap an item with the one above or below it on the same day."""
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop)
    direction = {"up": -1, "down": 1}.get(request.form.get("direction"))
    if direction is None:
        abort(400)
    moved = services.move_item(found, direction)
    return _list_answer(workshop, _moved_message(workshop, found, direction, moved))


@bp.route("/order", methods=["POST"])
def reorder(workshop):
    """Drag and drop: save the order the list was dragged into."""
    try:
        services.reorder(workshop, request.form.getlist("item"))
    except DomainError:
        return _list_answer(
            workshop,
            _(
                "The new order could not be saved: the list had changed meanwhile. "
                "The agenda below shows the saved order; try again."
            ),
            422,
        )
    return _list_answer(workshop, _("The new order is saved."))


@bp.route("/days/<int:day_index>/retime", methods=["POST"])
def retime_day(workshop, day_index):
    """Shift one day's times so each item starts when the previous one ends."""
    agenda = services.agenda_for(workshop)
    if agenda.day(day_index) is None:
        abort(404)
    services.retime_day(workshop, day_index)
    start = time_label(workshop)(workshop.day_starts_at)
    if agenda.is_multi_day:
        message = _("Times on day %(number)d now follow the order, from %(start)s.", number=day_index + 1, start=start)
    else:
        message = _("Times now follow the order, from %(start)s.", start=start)
    return _list_answer(workshop, message, focus=f"agenda-day-{day_index}-retime")


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
def delete_item(workshop, item_id):
    """Ask before deleting (GET, the no-JavaScript path), then delete (POST)."""
    found = _load_item(workshop, item_id)
    if found is None:
        if request.method == "GET" and not wants_fragment():
            abort(404)
        return _gone(workshop, _("This item had already been deleted. The agenda below is up to date."))
    if request.method == "GET":
        return ui.answer("agenda/delete.html", "agenda/_delete_confirm.html", _context(workshop, item=found))
    neighbour = next_focus(services.day_items(workshop, found.day_index), found)
    title = found.title
    services.delete_item(found)
    return _list_answer(
        workshop,
        _("Deleted “%(title)s”.", title=title),
        focus=f"agenda-item-{neighbour.id}-edit" if neighbour else None,
    )


# --- speakers ------------------------------------------------------------------------------


def _speakers_answer(workshop, item, status=200, message=None, changed=False, alert=None, focus=None, **speakers):
    """The item's speakers section, or its edit page without JavaScript (back on it after a change)."""
    agenda = services.agenda_for(workshop)
    context = _context(
        workshop,
        agenda,
        focus=focus,
        entry=agenda.entry_for(item),
        form=item_form(workshop, agenda, item, fresh=True),
        **_speakers_context(item, message=alert, **speakers),
    )
    edit_url = url_for("agenda.edit_item", workshop_id=workshop.id, item_id=item.id)
    return ui.answer(
        EDIT,
        SPEAKERS,
        context,
        status=status,
        announce=message,
        redirect_to=f"{edit_url}#agenda-item-{item.id}-speakers" if changed else None,
    )


def _speaker_lost(workshop):
    """The item went while a speaker was typed: say so, with the typed speaker to copy."""
    typed = ", ".join(
        value
        for value in (
            next((v for k, v in request.form.items() if k.endswith("-" + suffix)), "").strip()
            for suffix in ("name", "role", "organisation")
        )
        if value
    )
    return _gone(
        workshop, _("Someone deleted this item meanwhile, so the speaker was not saved: %(speaker)s", speaker=typed)
    )


@bp.route("/items/<int:item_id>/speakers", methods=["POST"])
@form_view
def add_speaker(workshop, item_id):
    """Add a speaker to an item from the small form in its edit view."""
    found = _load_item(workshop, item_id)
    if found is None:
        return _speaker_lost(workshop)
    form = new_speaker_form(found)
    speaker = submit(form, lambda: services.add_speaker(found, **form.values()))
    if speaker is None:
        return _speakers_answer(workshop, found, 422, new_form=form)
    fresh = new_speaker_form(found, fresh=True)
    focus_on(fresh.name)
    message = _("Added speaker %(speaker)s.", speaker=services.speaker_line(speaker))
    return _speakers_answer(workshop, found, message=message, changed=True, new_form=fresh)


@bp.route("/items/<int:item_id>/speakers/<int:speaker_id>", methods=["POST"])
@form_view
def update_speaker(workshop, item_id, speaker_id):
    """Correct a speaker's name, role or organisation."""
    found = _load_item(workshop, item_id)
    if found is None:
        return _speaker_lost(workshop)
    speaker = owned_row(Speaker, speaker_id, agenda_item_id=found.id)
    if speaker is None:
        message = _(
            "Someone removed this speaker meanwhile, so nothing was saved. "
            "Your text is kept in the “Add a speaker” form."
        )
        typed = new_speaker_form(found, formdata=retyped(f"speaker-{speaker_id}", f"new-speaker-{found.id}"))
        return _speakers_answer(workshop, found, 409, message=message, alert=message, new_form=typed)
    form = SpeakerForm(prefix=f"speaker-{speaker_id}")
    if submit(form, lambda: services.update_speaker(speaker, **form.values())) is None:
        return _speakers_answer(workshop, found, 422, failing=(speaker.id, form))
    message = _("Saved speaker %(speaker)s.", speaker=services.speaker_line(speaker))
    return _speakers_answer(workshop, found, message=message, changed=True, focus=f"agenda-speaker-{speaker.id}-save")


@bp.route("/items/<int:item_id>/speakers/<int:speaker_id>/remove", methods=["POST"])
def remove_speaker(workshop, item_id, speaker_id):
    """Take a speaker off an item."""
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop)
    speaker = owned_row(Speaker, speaker_id, agenda_item_id=found.id)
    if speaker is None:
        return _speakers_answer(workshop, found, message=_("That speaker had already been removed."))
    line = services.speaker_line(speaker)
    services.remove_speaker(speaker)
    fresh = new_speaker_form(found, fresh=True)
    focus_on(fresh.name)
    return _speakers_answer(
        workshop, found, message=_("Removed speaker %(speaker)s.", speaker=line), changed=True, new_form=fresh
    )
