"""What every register view shares: the blueprint, its answers, and loading the row a URL names."""

from flask import stream_template, url_for
from flask_babel import gettext as _

from ..core.domain import owned_row
from ..core.htmx import Area
from ..extensions import db
from ..groups.models import Group
from ..stages.categories import category_label
from ..workshops.loading import workshop_pages
from . import reading, services
from .forms import ImportForm, add_form, fill_form_for
from .models import RegisterEntry

bp = workshop_pages("register", __name__)

#: An import report lists at most this many problems; the rest are counted.
SHOWN_ERRORS = 300
#: Template output chunks rendered between two pauses: about 10 ms (a 2,000-row table has 170,000).
CHUNKS_PER_SLICE = 2000
INDEX = "register/index.html"
TABLE = "register/_table.html"
ROW = "register/_row.html"
ADD_FORM = "register/_add_form.html"
FILL = "register/_fill_form.html"
IMPORT = "register/_import.html"


# --- helpers -------------------------------------------------------------------------------


def render(name, **context):
    """A template rendered in slices with pauses between: a 2,000-row register takes a second to render."""
    parts = []
    for index, part in enumerate(stream_template(name, **context), 1):
        parts.append(part)
        if index % CHUNKS_PER_SLICE == 0:
            reading.pause()
    return "".join(parts)


def group_names(workshop):
    return dict(db.session.execute(db.select(Group.id, Group.name).filter_by(workshop_id=workshop.id)).all())


def context_for(workshop, entries=None, **extra):
    """What every register template needs (the import panel starts empty)."""
    entries = services.entries_of(workshop) if entries is None else entries
    return {
        "workshop": workshop,
        "section": "register",
        "entries": entries,
        "group_names": group_names(workshop),
        "category_label": lambda key: category_label(key, workshop.locale) if key else "",
        "focus": None,
        "report": None,
        "outcome": None,
        "token": None,
        "shown_errors": SHOWN_ERRORS,
        **extra,
    }


def with_fill_form(context):
    """The fill form too, its list of rows following the context's (after rows changed, and on the page)."""
    if "fill_form" not in context:
        context["fill_form"] = fill_form_for(context["workshop"], context["entries"], fresh=True)
    return context


def complete_page(context):
    """The whole page also shows the add, fill and import forms: empty, unless the answer brings one."""
    context.setdefault("add_form", add_form(fresh=True))
    context.setdefault("import_form", ImportForm(formdata=None))
    with_fill_form(context)


ui = Area("register-status", complete_page=complete_page, render=render)


def load_entry(workshop, entry_id):
    """The row; None if it was deleted meanwhile; 404 if it is another workshop's."""
    return owned_row(RegisterEntry, entry_id, workshop_id=workshop.id)


def index_url(workshop, entry=None):
    url = url_for("register.index", workshop_id=workshop.id)
    return f"{url}#register-row-{entry.id}" if entry is not None else url


def gone(workshop, message=None):
    """A row someone deleted meanwhile: say so and show the register as it is now."""
    message = message or _(
        "This row is no longer in the register: someone deleted it meanwhile. The table below is up to date."
    )
    return ui.refuse(INDEX, TABLE, context_for(workshop), status=409, announce=message, retarget="#register-table")
