"""Agenda pages and actions: one URL per thing, serving the full page or its htmx fragment."""

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..core.errors import form_view
from ..core.fragments import changed, focus_first_error, focus_on, join_fragments
from ..extensions import db
from ..workshops.services import workshop_for
from . import services
from .forms import AGENDA_MESSAGES, AddItemForm, ItemForm, SpeakerForm, agenda_message, kind_label
from .models import AgendaItem, Speaker

bp = Blueprint("agenda", __name__)

#: Sent with every successful change, so other widgets can reload with `agenda-changed from:body`.
CHANGED_EVENT = "agenda-changed"
ADD_PREFIX = "new"


# --- helpers -------------------------------------------------------------------------------


def _wants_fragment():
    """htmx asked for a piece of the page (a boosted request wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def _time_label(workshop):
    """Times of day as the workshop's own language writes them."""
    return lambda t: babel_format_time(t, "short", locale=workshop.locale)


def _date_label(workshop):
    """Dates as the workshop's own language writes them in full ('сряда, 6 юни 2012 г.')."""
    return lambda d: babel_format_date(d, "full", locale=workshop.locale)


def _day_choices(workshop, agenda, keep=None):
    """(index, label) for each day of the workshop, plus `keep` if an item sits on a later day."""
    label = _date_label(workshop)
    indexes = [day.index for day in agenda.days if not day.after_last_day]
    if keep is not None and keep not in indexes:
        indexes.append(keep)
    return [
        (day.index, _("Day %(number)d: %(date)s", number=day.number, date=label(day.date)))
        for day in agenda.days
        if day.index in indexes
    ]


def _context(workshop, agenda=None, **extra):
    """What every agenda template needs: the agenda and formatters in the workshop's language."""
    agenda = agenda or services.agenda_for(workshop)
    context = {
        "workshop": workshop,
        "section": "agenda",
        "agenda": agenda,
        "time_label": _time_label(workshop),
        "date_label": _date_label(workshop),
        "kind_label": kind_label,
        "speaker_line": services.speaker_line,
        "title_level": 4 if agenda.is_multi_day else 3,
        "focus": None,
        "status": None,
        "oob": False,
    }
    context.update(extra)
    return context


def _status(message):
    """An out-of-band update of the page's polite live region."""
    return render_template("agenda/_status.html", status=message)


def _changed(body, status_code=200):
    """Mark a successful change for listeners on the page."""
    return changed(body, CHANGED_EVENT, status_code)


def _add_form(workshop, agenda, formdata=None, day_index=None, fresh=False):
    """The add form at the bottom of the page; `fresh` ignores what the request posted."""
    kwargs = {"prefix": ADD_PREFIX}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    if day_index is not None:
        kwargs["day_index"] = day_index
    form = AddItemForm(**kwargs)
    form.set_days(_day_choices(workshop, agenda))
    return form


def _item_form(workshop, agenda, item, fresh=False):
    """The edit form for one item, prefixed by its id so several can be open at once."""
    kwargs = {"prefix": f"item-{item.id}"}
    if fresh:
        form = ItemForm(formdata=None, obj=item, **kwargs)
    else:
        form = ItemForm(day_index=item.day_index, **kwargs)
    form.set_days(_day_choices(workshop, agenda, keep=item.day_index))
    return form


def _speaker_forms(item, failing=None):
    """A form per speaker (fresh, except the one that was just refused) for the speakers fragment."""
    forms = []
    for speaker in item.speakers:
        if failing is not None and failing[0] == speaker.id:
            forms.append((speaker, failing[1]))
        else:
            forms.append((speaker, SpeakerForm(formdata=None, obj=speaker, prefix=f"speaker-{speaker.id}")))
    return forms


def _new_speaker_form(item, formdata=None, fresh=False):
    kwargs = {"prefix": f"new-speaker-{item.id}"}
    if fresh or formdata is not None:
        kwargs["formdata"] = formdata
    return SpeakerForm(**kwargs)


def _speakers_context(item, failing=None, new_form=None, message=None):
    return {
        "item": item,
        "speaker_forms": _speaker_forms(item, failing),
        "new_speaker_form": new_form or _new_speaker_form(item, fresh=True),
        "speakers_message": message,
    }


def _refuse(form, error):
    """Put a service's refusal next to the field it concerns (or on top of the form)."""
    message = agenda_message(error) if error.code in AGENDA_MESSAGES else _("That could not be saved.")
    if error.field and hasattr(form, error.field):
        getattr(form, error.field).errors.append(message)
    else:
        form.form_errors.append(message)


def _load_item(workshop, item_id):
    """The item; None if it no longer exists (deleted meanwhile); 404 if it is another workshop's."""
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        return None
    if item.workshop_id != workshop.id:
        abort(404)
    return item


def _load_speaker(item, speaker_id):
    """The speaker; None if it no longer exists; 404 if it belongs to another item."""
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None:
        return None
    if speaker.agenda_item_id != item.id:
        abort(404)
    return speaker


def _index_url(workshop, item=None):
    url = url_for("agenda.index", workshop_id=workshop.id)
    return f"{url}#agenda-item-{item.id}" if item is not None else url


def _page(workshop, status_code=200, add_form=None, status=None, agenda=None):
    """The whole agenda page."""
    agenda = agenda or services.agenda_for(workshop)
    add_form = add_form or _add_form(workshop, agenda, fresh=True)
    return render_template("agenda/index.html", add_form=add_form,
                           **_context(workshop, agenda, status=status)), status_code


def _agenda_answer(workshop, message, status_code=200, changed=True, focus=None):
    """The re-rendered agenda list with a spoken status, for moves, drags, deletes and retimes."""
    if _wants_fragment():
        body = join_fragments(
            render_template("agenda/_agenda.html", **_context(workshop, focus=focus)),
            _status(message),
        )
        response = make_response((body, status_code))
        if changed:
            response.headers["HX-Trigger"] = CHANGED_EVENT
        return response
    if status_code < 300:
        flash(message, "success")
        return redirect(_index_url(workshop))
    return _page(workshop, status_code, status=message)


def _gone(workshop, message=None):
    """Answer for an item someone else deleted meanwhile: say so and show the agenda as it is now."""
    message = message or _("This item no longer exists: someone deleted it meanwhile. The agenda below is up to date.")
    response = _agenda_answer(workshop, message, status_code=409, changed=False)
    if _wants_fragment():
        response.headers["HX-Retarget"] = "#agenda"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


# --- the page ------------------------------------------------------------------------------


@bp.route("/workshops/<int:workshop_id>/agenda")
@login_required
def index(workshop_id):
    """The agenda: days, items in order with their flags, and the add form."""
    workshop = workshop_for(current_user, workshop_id)
    if _wants_fragment():
        return render_template("agenda/_agenda.html", **_context(workshop))
    return _page(workshop)


# --- items ---------------------------------------------------------------------------------


@bp.route("/workshops/<int:workshop_id>/agenda/items", methods=["POST"])
@login_required
@form_view
def add_item(workshop_id):
    """Append an item; the add form comes back empty and the list shows the new item."""
    workshop = workshop_for(current_user, workshop_id)
    agenda = services.agenda_for(workshop)
    form = _add_form(workshop, agenda)
    if form.validate_on_submit():
        try:
            item = services.add_item(workshop, **form.values())
        except services.AgendaError as error:
            _refuse(form, error)
        else:
            agenda = services.agenda_for(workshop)
            entry = agenda.entry_for(item)
            time_label = _time_label(workshop)
            message = _("Added “%(title)s”, %(start)s–%(end)s.", title=item.title,
                        start=time_label(entry.starts_at), end=time_label(entry.ends_at))
            if not _wants_fragment():
                flash(message, "success")
                return redirect(_index_url(workshop, item))
            fresh = _add_form(workshop, agenda, fresh=True, day_index=item.day_index)
            focus_on(fresh.title)
            body = join_fragments(
                render_template("agenda/_add_form.html", add_form=fresh, **_context(workshop, agenda)),
                render_template("agenda/_agenda.html", **_context(workshop, agenda, oob=True)),
                _status(message),
            )
            return _changed(body)
    focus_first_error(form)
    return _add_form_answer(workshop, agenda, form, 422)


def _add_form_answer(workshop, agenda, form, status_code, message=None):
    """The add form with its errors (and what was typed), as a fragment or on the whole page."""
    if _wants_fragment():
        parts = [render_template("agenda/_add_form.html", add_form=form, **_context(workshop, agenda))]
        if message:
            parts.append(render_template("agenda/_agenda.html", **_context(workshop, agenda, oob=True)))
            parts.append(_status(message))
        return make_response((join_fragments(*parts), status_code))
    return _page(workshop, status_code, add_form=form, status=message, agenda=agenda)


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>")
@login_required
def item(workshop_id, item_id):
    """One item's row (what Cancel brings back), or the page it sits on."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop) if _wants_fragment() else abort(404)
    if not _wants_fragment():
        return redirect(_index_url(workshop, found))
    agenda = services.agenda_for(workshop)
    return render_template("agenda/_item_row.html", entry=agenda.entry_for(found),
                           **_context(workshop, agenda, focus=f"agenda-item-{found.id}-edit"))


def _edit_answer(workshop, item, form, status_code=200, agenda=None, speakers=None, status=None):
    """The item's edit form in place of its row, or on a page of its own without JavaScript."""
    agenda = agenda or services.agenda_for(workshop)
    context = _context(workshop, agenda, status=status)
    context.update(speakers or _speakers_context(item))
    context.update(entry=agenda.entry_for(item), form=form)
    if _wants_fragment():
        return render_template("agenda/_item_edit.html", **context), status_code
    return render_template("agenda/edit.html", **context), status_code


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>/edit")
@login_required
def edit_item(workshop_id, item_id):
    """The edit form for one item."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop) if _wants_fragment() else abort(404)
    agenda = services.agenda_for(workshop)
    form = _item_form(workshop, agenda, found, fresh=True)
    if _wants_fragment():
        focus_on(form.title)
    return _edit_answer(workshop, found, form, agenda=agenda)


def _typed_as_new(prefix):
    """What was typed into an item's edit form, re-keyed for the add form."""
    data = MultiDict()
    for key, value in request.form.items(multi=True):
        if key.startswith(prefix + "-") and not key.endswith("csrf_token"):
            data.add(f"{ADD_PREFIX}-{key[len(prefix) + 1:]}", value)
    return data


def _stale_edit(workshop, item_id):
    """The item was deleted while being edited: keep the text in the add form and say what happened."""
    agenda = services.agenda_for(workshop)
    form = _add_form(workshop, agenda, formdata=_typed_as_new(f"item-{item_id}"))
    message = _("Someone deleted this item while you were editing it, so nothing was saved. "
                "Your text is kept in the form below: add it as a new item, or leave it.")
    form.form_errors.append(message)
    if _wants_fragment():
        focus_on(form.title)
    response = _add_form_answer(workshop, agenda, form, 409, message=message)
    if _wants_fragment():
        response.headers["HX-Retarget"] = "#agenda-add-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>", methods=["POST"])
@login_required
@form_view
def update_item(workshop_id, item_id):
    """Save an item's edit form; its row comes back, with neighbours' flags brought up to date."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _stale_edit(workshop, item_id)
    agenda = services.agenda_for(workshop)
    form = _item_form(workshop, agenda, found)
    if form.validate_on_submit():
        old_day = found.day_index
        try:
            services.update_item(found, **form.values())
        except services.AgendaError as error:
            _refuse(form, error)
        else:
            message = _("Saved “%(title)s”.", title=found.title)
            if not _wants_fragment():
                flash(message, "success")
                return redirect(_index_url(workshop, found))
            agenda = services.agenda_for(workshop)
            focus = f"agenda-item-{found.id}-edit"
            if found.day_index != old_day:
                body = join_fragments(render_template("agenda/_agenda.html", **_context(workshop, agenda, focus=focus)),
                                  _status(message))
                response = _changed(body)
                response.headers["HX-Retarget"] = "#agenda"
                response.headers["HX-Reswap"] = "outerHTML"
                return response
            context = _context(workshop, agenda, focus=focus)
            parts = [render_template("agenda/_item_row.html", entry=agenda.entry_for(found), **context)]
            for entry in agenda.day(found.day_index).entries:
                if entry.item.id != found.id:
                    parts.append(render_template("agenda/_item_flags.html", entry=entry, oob_flags=True, **context))
            parts.append(_status(message))
            return _changed(join_fragments(*parts))
    focus_first_error(form)
    return _edit_answer(workshop, found, form, 422, agenda=agenda)


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>/move", methods=["POST"])
@login_required
def move_item(workshop_id, item_id):
    """Keyboard reorder: swap an item with the one above or below it on the same day."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop)
    direction = {"up": -1, "down": 1}.get(request.form.get("direction"))
    if direction is None:
        abort(400)
    moved = services.move_item(found, direction)
    entry = services.agenda_for(workshop).entry_for(found)
    if moved:
        text = (_("“%(title)s” moved up: now %(number)d of %(count)d.", title=found.title,
                  number=entry.number, count=entry.count)
                if direction < 0 else
                _("“%(title)s” moved down: now %(number)d of %(count)d.", title=found.title,
                  number=entry.number, count=entry.count))
    else:
        text = (_("“%(title)s” is already first.", title=found.title) if direction < 0
                else _("“%(title)s” is already last.", title=found.title))
    return _agenda_answer(workshop, text, changed=moved)


@bp.route("/workshops/<int:workshop_id>/agenda/order", methods=["POST"])
@login_required
def reorder(workshop_id):
    """Drag and drop: save the order the list was dragged into."""
    workshop = workshop_for(current_user, workshop_id)
    try:
        services.reorder(workshop, request.form.getlist("item"))
    except services.AgendaError:
        return _agenda_answer(
            workshop,
            _("The new order could not be saved: the list had changed meanwhile. "
              "The agenda below shows the saved order; try again."),
            status_code=422,
            changed=False,
        )
    return _agenda_answer(workshop, _("The new order is saved."))


@bp.route("/workshops/<int:workshop_id>/agenda/days/<int:day_index>/retime", methods=["POST"])
@login_required
def retime_day(workshop_id, day_index):
    """Shift one day's times so each item starts when the previous one ends."""
    workshop = workshop_for(current_user, workshop_id)
    agenda = services.agenda_for(workshop)
    if agenda.day(day_index) is None:
        abort(404)
    services.retime_day(workshop, day_index)
    if agenda.is_multi_day:
        message = _("Times on day %(number)d now follow the order, from %(start)s.", number=day_index + 1,
                    start=_time_label(workshop)(workshop.day_starts_at))
    else:
        message = _("Times now follow the order, from %(start)s.", start=_time_label(workshop)(workshop.day_starts_at))
    return _agenda_answer(workshop, message, focus=f"agenda-day-{day_index}-retime")


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete_item(workshop_id, item_id):
    """Ask before deleting (GET, the no-JavaScript path), then delete (POST)."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        if request.method == "GET" and not _wants_fragment():
            abort(404)
        return _gone(workshop, _("This item had already been deleted. The agenda below is up to date."))
    if request.method == "GET":
        template = "agenda/_delete_confirm.html" if _wants_fragment() else "agenda/delete.html"
        return render_template(template, item=found, **_context(workshop))
    day = services.day_items(workshop, found.day_index)
    index = day.index(found)
    rest = day[:index] + day[index + 1:]
    neighbour = rest[min(index, len(rest) - 1)] if rest else None
    focus = f"agenda-item-{neighbour.id}-edit" if neighbour else None
    title = found.title
    services.delete_item(found)
    return _agenda_answer(workshop, _("Deleted “%(title)s”.", title=title), focus=focus)


# --- speakers ------------------------------------------------------------------------------


def _speakers_answer(workshop, item, status_code=200, message=None, changed=False, alert=None, focus=None,
                     **speakers):
    """The item's speakers section, or its edit page without JavaScript."""
    context = _speakers_context(item, message=alert, **speakers)
    if _wants_fragment():
        parts = [render_template("agenda/_speakers.html", **_context(workshop, focus=focus), **context)]
        if message:
            parts.append(_status(message))
        response = make_response((join_fragments(*parts), status_code))
        if changed:
            response.headers["HX-Trigger"] = CHANGED_EVENT
        return response
    if status_code < 300 and changed:
        flash(message, "success")
        return redirect(url_for("agenda.edit_item", workshop_id=workshop.id, item_id=item.id)
                        + f"#agenda-item-{item.id}-speakers")
    agenda = services.agenda_for(workshop)
    return _edit_answer(workshop, item, _item_form(workshop, agenda, item, fresh=True), status_code,
                        agenda=agenda, speakers=context, status=message)


def _typed_speaker():
    """'Name, role, organisation' as typed into whichever speaker form was sent."""
    parts = []
    for suffix in ("name", "role", "organisation"):
        value = next((v for k, v in request.form.items() if k.endswith("-" + suffix)), "").strip()
        if value:
            parts.append(value)
    return ", ".join(parts)


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>/speakers", methods=["POST"])
@login_required
@form_view
def add_speaker(workshop_id, item_id):
    """Add a speaker to an item from the small form in its edit view."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop, _("Someone deleted this item meanwhile, so the speaker was not saved: %(speaker)s",
                                 speaker=_typed_speaker()))
    form = _new_speaker_form(found)
    if form.validate_on_submit():
        try:
            speaker = services.add_speaker(found, **form.values())
        except services.AgendaError as error:
            _refuse(form, error)
        else:
            message = _("Added speaker %(speaker)s.", speaker=services.speaker_line(speaker))
            fresh = _new_speaker_form(found, fresh=True)
            focus_on(fresh.name)
            return _speakers_answer(workshop, found, message=message, changed=True, new_form=fresh)
    focus_first_error(form)
    return _speakers_answer(workshop, found, 422, new_form=form)


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>/speakers/<int:speaker_id>",
          methods=["POST"])
@login_required
@form_view
def update_speaker(workshop_id, item_id, speaker_id):
    """Correct a speaker's name, role or organisation."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop, _("Someone deleted this item meanwhile, so the speaker was not saved: %(speaker)s",
                                 speaker=_typed_speaker()))
    speaker = _load_speaker(found, speaker_id)
    prefix = f"speaker-{speaker_id}"
    if speaker is None:
        typed = MultiDict(
            (f"new-speaker-{found.id}-{key[len(prefix) + 1:]}", value)
            for key, value in request.form.items(multi=True)
            if key.startswith(prefix + "-") and not key.endswith("csrf_token")
        )
        message = _("Someone removed this speaker meanwhile, so nothing was saved. "
                    "Your text is kept in the “Add a speaker” form.")
        return _speakers_answer(workshop, found, 409, message=message, alert=message,
                                new_form=_new_speaker_form(found, formdata=typed))
    form = SpeakerForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            services.update_speaker(speaker, **form.values())
        except services.AgendaError as error:
            _refuse(form, error)
        else:
            message = _("Saved speaker %(speaker)s.", speaker=services.speaker_line(speaker))
            return _speakers_answer(workshop, found, message=message, changed=True,
                                    focus=f"agenda-speaker-{speaker.id}-save")
    focus_first_error(form)
    return _speakers_answer(workshop, found, 422, failing=(speaker.id, form))


@bp.route("/workshops/<int:workshop_id>/agenda/items/<int:item_id>/speakers/<int:speaker_id>/remove",
          methods=["POST"])
@login_required
def remove_speaker(workshop_id, item_id, speaker_id):
    """Take a speaker off an item."""
    workshop = workshop_for(current_user, workshop_id)
    found = _load_item(workshop, item_id)
    if found is None:
        return _gone(workshop)
    speaker = _load_speaker(found, speaker_id)
    if speaker is None:
        return _speakers_answer(workshop, found, message=_("That speaker had already been removed."),
                                changed=False)
    line = services.speaker_line(speaker)
    services.remove_speaker(speaker)
    fresh = _new_speaker_form(found, fresh=True)
    focus_on(fresh.name)
    return _speakers_answer(workshop, found, message=_("Removed speaker %(speaker)s.", speaker=line), changed=True,
                            new_form=fresh)
