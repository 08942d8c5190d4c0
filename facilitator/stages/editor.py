"""The process editor as its templates see it, and the one way its views answer.

The editor serves two owners with the same views and fragments: a facilitator's template
(/templates/<process_id>/...) and a draft workshop's own process (/workshops/<workshop_id>/process/...).
"""

from flask import flash, make_response, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..core.domain import message_for
from ..core.htmx import Area, wants_fragment
from ..core.i18n import LANGUAGE_NAMES
from . import default_template, services
from .forms import FieldForm, NewFieldForm, NewStageForm, ProcessNameForm, ReplaceProcessForm, StageForm

#: The built-in template's languages, in the order the programme's documents use them.
DEFAULT_LOCALES = ("pl", "bg", "en")

LIST = "stages/_stage_list.html"
CARD = "stages/_stage_card.html"
ROW = "stages/_field_row.html"


class Editor:
    """What the editor templates need: the process, where its actions post, and any bound forms or notices."""

    def __init__(self, process, workshop=None):
        self.process = process
        self.workshop = workshop
        self.editable = workshop is None or services.snapshot_editable(workshop)
        #: Forms bound to what was just posted, shown instead of fresh ones: key -> form.
        self.forms = {}
        #: Messages shown at the top of a fragment: "page", "list", "stage-<id>" or "field-<id>".
        self.notices = {}
        #: The stage whose card asks "remove this stage?".
        self.confirm_stage_id = None
        #: The id of the element that gets focus after a swap (autofocus).
        self.focus = None

    @property
    def page(self):
        """The whole page around the editor: the template's own page, or the workshop's Process tab."""
        return "stages/edit_template.html" if self.workshop is None else "stages/workshop_process.html"

    def url(self, action, **values):
        """The URL of an editor action for this template or this workshop's process."""
        if self.workshop is not None:
            return url_for("stages.workshop_" + action, workshop_id=self.workshop.id, **values)
        return url_for("stages.template_" + action, process_id=self.process.id, **values)

    @property
    def page_url(self):
        if self.workshop is not None:
            return url_for("stages.workshop_process", workshop_id=self.workshop.id)
        return url_for("stages.edit_template", process_id=self.process.id)

    def stage_number(self, stage):
        return self.process.stages.index(stage) + 1

    def field_number(self, field):
        return field.stage.fields.index(field) + 1

    def name_form(self):
        form = self.forms.get("rename") or ProcessNameForm(formdata=None, obj=self.process, prefix="rename")
        form.name.label.text = _("Template name") if self.workshop is None else _("Process name")
        return form

    def new_stage_form(self):
        return self.forms.get("new-stage") or NewStageForm(formdata=None, prefix="new-stage")

    def stage_form(self, stage):
        key = f"stage-{stage.id}"
        minutes = stage.time_box_minutes
        return self.forms.get(key) or StageForm(
            formdata=None,
            prefix=key,
            data={"title": stage.title, "prompt": stage.prompt, "time_box": "" if minutes is None else str(minutes)},
        )

    def new_field_form(self, stage):
        key = f"new-field-{stage.id}"
        return self.forms.get(key) or NewFieldForm(formdata=None, prefix=key)

    def field_form(self, field):
        key = f"field-{field.id}"
        return self.forms.get(key) or FieldForm(
            formdata=None,
            prefix=key,
            data={
                "label": field.label,
                "kind": field.kind,
                "help": field.help,
                "choices": "\n".join(choice["label"] for choice in field.choices or []),
            },
        )


# --- The workshop's Process tab --------------------------------------------------------------------


def _language_choice(value, group, name, locale):
    label = _("%(name)s (%(language)s)", name=name, language=LANGUAGE_NAMES.get(locale, locale))
    return SelectChoice(value=value, optgroup=group, label=label)


def replace_form(workshop, posted=False):
    """The "replace with a template" form: the built-in template in each language, then the user's own."""
    if posted:
        form = ReplaceProcessForm(prefix="replace")
    else:
        form = ReplaceProcessForm(formdata=None, prefix="replace", data={"source": "default:" + workshop.locale})
    built_in, own = _("Built-in"), _("Your templates")
    form.source.choices = [
        _language_choice(f"default:{code}", built_in, default_template.NAME[code], code) for code in DEFAULT_LOCALES
    ] + [
        _language_choice(f"template:{template.id}", own, template.name, template.locale)
        for template in services.templates_of(current_user)
    ]
    return form


def process_tab(workshop, editor, replace=None):
    """What the workshop's Process tab shows around its editor (None while it has no process)."""
    has_answers = workshop.process is not None and services.process_has_answers(workshop.process)
    return {
        "workshop": workshop,
        "section": "process",
        "editor": editor,
        "replace_form": replace or replace_form(workshop),
        "has_answers": has_answers,
        "can_replace": services.snapshot_editable(workshop) and not has_answers,
    }


def _complete_page(context):
    """A workshop's Process tab also shows the replace form; a template's page needs nothing more."""
    editor = context["editor"]
    if editor.workshop is not None:
        context.update({**process_tab(editor.workshop, editor), **context})


ui = Area("process-status", complete_page=_complete_page)


# --- Answers ---------------------------------------------------------------------------------------


def show(editor, fragment, status=200, **context):
    """The fragment for htmx, else the whole page (a refusal's too, with the bound forms and notices)."""
    return ui.answer(editor.page, fragment, dict(context, editor=editor), status=status)


def changed(editor, fragment, message, anchor="", **context):
    """After a change: the fragment with `message` read out for htmx, else back on the page with it flashed."""
    return ui.answer(
        editor.page, fragment, dict(context, editor=editor), announce=message, redirect_to=editor.page_url + anchor
    )


def refused(editor, form, key, fragment, **context):
    """A form the checks refused: shown again as typed, its errors next to its fields."""
    editor.forms[key] = form
    return show(editor, fragment, 422, **context)


def read_only(editor):
    """A live or finished workshop's process stays as it is: say so, and show it as it is now."""
    message = message_for("not-draft")
    if wants_fragment():
        flash(message, "error")
        response = make_response("", 409)
        response.headers["HX-Refresh"] = "true"
        return response
    editor.notices["page"] = message
    return show(editor, LIST, 409)


def stage_gone(editor, stage_id, fragment):
    """The stage was removed meanwhile: said in the fragment's place (or above the list); nothing was saved."""
    if fragment == LIST:
        editor.notices["list"] = _(
            "That stage was removed meanwhile, perhaps by someone else. Here are the stages as they are now."
        )
        return show(editor, LIST, 409)
    message = _(
        "This stage was removed meanwhile, perhaps by someone else, so nothing was saved. "
        "Reload the page to see the process as it is now."
    )
    editor.notices["page"] = message
    return show(editor, "stages/_stage_gone.html", 409, stage_id=stage_id, message=message)


def field_gone(editor, stage, field_id, fragment):
    """The field was removed meanwhile: said in its row's place, or at the top of its stage's card."""
    message = _("This field was removed meanwhile, perhaps by someone else, so nothing was saved.")
    editor.notices[f"stage-{stage.id}"] = message
    if fragment == ROW:
        return show(editor, "stages/_field_gone.html", 409, field_id=field_id, message=message)
    return show(editor, CARD, 409, stage=stage)
