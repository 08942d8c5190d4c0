"""An agenda item's speakers: add, correct and remove them from the item's edit view."""

from flask import request, url_for
from flask_babel import gettext as _

from ..core.domain import owned_row
from ..core.errors import form_view
from ..core.htmx import focus_on, retyped, submit
from . import services
from .forms import (
    SpeakerForm,
    item_form,
    new_speaker_form,
)
from .models import Speaker
from .page import (
    EDIT,
    SPEAKERS,
    bp,
    context_for,
    gone,
    load_item,
    speakers_context,
    ui,
)

# --- speakers ------------------------------------------------------------------------------


def _speakers_answer(workshop, item, status=200, message=None, changed=False, alert=None, focus=None, **speakers):
    """The item's speakers section, or its edit page without JavaScript (back on it after a change)."""
    agenda = services.agenda_for(workshop)
    context = context_for(
        workshop,
        agenda,
        focus=focus,
        entry=agenda.entry_for(item),
        form=item_form(workshop, agenda, item, fresh=True),
        **speakers_context(item, message=alert, **speakers),
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
    return gone(
        workshop, _("Someone deleted this item meanwhile, so the speaker was not saved: %(speaker)s", speaker=typed)
    )


@bp.route("/items/<int:item_id>/speakers", methods=["POST"])
@form_view
def add_speaker(workshop, item_id):
    """Add a speaker to an item from the small form in its edit view."""
    found = load_item(workshop, item_id)
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


def _item_and_speaker(workshop, item_id, speaker_id):
    """The item and its speaker; None for either one deleted meanwhile (404 for another item's)."""
    found = load_item(workshop, item_id)
    return found, owned_row(Speaker, speaker_id, agenda_item_id=found.id) if found is not None else None


@bp.route("/items/<int:item_id>/speakers/<int:speaker_id>", methods=["POST"])
@form_view
def update_speaker(workshop, item_id, speaker_id):
    """Correct a speaker's name, role or organisation."""
    found, speaker = _item_and_speaker(workshop, item_id, speaker_id)
    if found is None:
        return _speaker_lost(workshop)
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
    found, speaker = _item_and_speaker(workshop, item_id, speaker_id)
    if found is None:
        return gone(workshop)
    if speaker is None:
        return _speakers_answer(workshop, found, message=_("That speaker had already been removed."))
    line = services.speaker_line(speaker)
    services.remove_speaker(speaker)
    fresh = new_speaker_form(found, fresh=True)
    focus_on(fresh.name)
    return _speakers_answer(
        workshop, found, message=_("Removed speaker %(speaker)s.", speaker=line), changed=True, new_form=fresh
    )
