"""Agenda pages and item actions (speakers: speakers.py), serving the full page or its htmx fragment."""

from flask import abort, request
from flask_babel import gettext as _

from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import focus_on, next_focus, retyped, submit, wants_fragment
from . import (
    services,
)
from . import speakers as speaker_routes  # noqa: F401  (its routes are on this blueprint)
from .forms import (
    ADD_PREFIX,
    add_form,
    item_form,
    time_label,
)
from .page import (
    ADD_FORM,
    INDEX,
    LIST,
    ROW,
    bp,
    context_for,
    edit_answer,
    gone,
    index_url,
    list_answer,
    load_item,
    shown_item,
    ui,
)

bp.add_url_rule(
    "",
    "index",
    ui.page_view(INDEX, LIST, context_for, "The agenda: days, items in order with their flags, and the add form."),
)


# --- items ---------------------------------------------------------------------------------


@bp.route("/items", methods=["POST"])
@form_view
def add_item(workshop):
    """Append an item; the add form comes back empty and the list shows the new item."""
    agenda = services.agenda_for(workshop)
    form = add_form(workshop, agenda)
    item = submit(form, lambda: services.add_item(workshop, **form.values()))
    if item is None:
        return ui.refuse(INDEX, ADD_FORM, context_for(workshop, agenda, add_form=form))
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
        context_for(workshop, agenda, add_form=fresh),
        announce=message,
        also=[LIST],
        redirect_to=index_url(workshop, item),
    )


@bp.route("/items/<int:item_id>")
def item(workshop, item_id):
    """One item's row (what Cancel brings back), or the page it sits on."""
    found = shown_item(workshop, item_id)
    agenda = services.agenda_for(workshop)
    context = context_for(workshop, agenda, entry=agenda.entry_for(found), focus=f"agenda-item-{found.id}-edit")
    return ui.answer(INDEX, ROW, context, redirect_to=index_url(workshop, found))


@bp.route("/items/<int:item_id>/edit")
def edit_item(workshop, item_id):
    """The edit form for one item."""
    found = shown_item(workshop, item_id)
    agenda = services.agenda_for(workshop)
    form = item_form(workshop, agenda, found, fresh=True)
    if wants_fragment():
        focus_on(form.title)
    return edit_answer(workshop, found, form, agenda=agenda)


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
        context_for(workshop, agenda, add_form=form),
        status=409,
        announce=message,
        also=[LIST],
        retarget="#agenda-add-form",
    )


def _saved(workshop, item, old_day):
    """The saved item's row with its neighbours' flags brought up to date; the whole list if it changed day."""
    agenda = services.agenda_for(workshop)
    context = context_for(workshop, agenda, entry=agenda.entry_for(item), focus=f"agenda-item-{item.id}-edit")
    message = _("Saved “%(title)s”.", title=item.title)
    if item.day_index != old_day:
        return ui.answer(
            INDEX, LIST, context, announce=message, redirect_to=index_url(workshop, item), retarget="#agenda"
        )
    flags = [
        ("agenda/_item_flags.html", {"entry": entry, "oob_flags": True})
        for entry in agenda.day(item.day_index).entries
        if entry.item.id != item.id
    ]
    return ui.answer(INDEX, ROW, context, announce=message, also=flags, redirect_to=index_url(workshop, item))


@bp.route("/items/<int:item_id>", methods=["POST"])
@form_view
def update_item(workshop, item_id):
    """Save an item's edit form; its row comes back, with neighbours' flags brought up to date."""
    found = load_item(workshop, item_id)
    if found is None:
        return _stale_edit(workshop, item_id)
    agenda = services.agenda_for(workshop)
    form = item_form(workshop, agenda, found)
    old_day = found.day_index
    if submit(form, lambda: services.update_item(found, **form.values())) is None:
        return edit_answer(workshop, found, form, 422, agenda=agenda)
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
    found = load_item(workshop, item_id)
    if found is None:
        return gone(workshop)
    direction = {"up": -1, "down": 1}.get(request.form.get("direction"))
    if direction is None:
        abort(400)
    moved = services.move_item(found, direction)
    return list_answer(workshop, _moved_message(workshop, found, direction, moved))


@bp.route("/order", methods=["POST"])
def reorder(workshop):
    """Drag and drop: save the order the list was dragged into."""
    try:
        services.reorder(workshop, request.form.getlist("item"))
    except DomainError:
        return list_answer(
            workshop,
            _(
                "The new order could not be saved: the list had changed meanwhile. "
                "The agenda below shows the saved order; try again."
            ),
            422,
        )
    return list_answer(workshop, _("The new order is saved."))


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
    return list_answer(workshop, message, focus=f"agenda-day-{day_index}-retime")


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
def delete_item(workshop, item_id):
    """Ask before deleting (GET, the no-JavaScript path), then delete (POST)."""
    found = load_item(workshop, item_id)
    if found is None:
        if request.method == "GET" and not wants_fragment():
            abort(404)
        return gone(workshop, _("This item had already been deleted. The agenda below is up to date."))
    if request.method == "GET":
        return ui.answer("agenda/delete.html", "agenda/_delete_confirm.html", context_for(workshop, item=found))
    neighbour = next_focus(services.day_items(workshop, found.day_index), found)
    title = found.title
    services.delete_item(found)
    return list_answer(
        workshop,
        _("Deleted “%(title)s”.", title=title),
        focus=f"agenda-item-{neighbour.id}-edit" if neighbour else None,
    )
