"""The facilitator's dashboard, a new workshop, a workshop's overview, and the next meeting copied from it."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import submit
from ..extensions import db
from ..stages.models import Process
from ..stages.services import check_usable, templates_of
from ..workshops import services as workshop_services
from ..workshops.forms import MAX_TITLE, STATUS_ACTIONS, WORKSHOP_LOCALES, NewWorkshopForm, status_of
from ..workshops.loading import load_workshop
from ..workshops.services import workshops_of
from . import services

bp = Blueprint("planning", __name__)


bp.before_request(load_workshop)  # the routes that name a workshop get it loaded


def _default_locale():
    """New workshops start in the facilitator's own UI language."""
    locale = str(get_locale())
    return locale if locale in WORKSHOP_LOCALES else "en"


@bp.route("/dashboard")
@login_required
def dashboard():
    """The facilitator's start page: each series with its meetings, then workshops to prepare or run,
    then finished ones."""
    workshops = workshops_of(current_user)
    in_series = {}
    for workshop in sorted((w for w in workshops if w.series_id), key=lambda w: (w.series_number or 0, w.id)):
        in_series.setdefault(workshop.series_id, (workshop.series, []))[1].append(workshop)
    alone = [w for w in workshops if not w.series_id]
    active = sorted((w for w in alone if not w.is_finished), key=lambda w: (w.starts_on, w.id))
    finished = [w for w in alone if w.is_finished]
    return render_template(
        "planning/dashboard.html",
        workshops=workshops,
        series_meetings=list(in_series.values()),
        active=active,
        finished=finished,
        group_counts=services.group_counts(workshops),
    )


def _create(form):
    """A draft workshop from what the form says; refused if its template is gone meanwhile."""
    template = None
    if form.template.data:
        template = db.session.get(Process, int(form.template.data))
        if template is None or template.owner_id != current_user.id or not template.is_template:
            raise DomainError("template-gone", "template")
        try:
            check_usable(template)
        except DomainError as error:  # no stages, or a stage without fields: said next to the choice
            raise DomainError(error.code, "template") from None
    return services.create_workshop(current_user, template=template, **form.workshop_fields())


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
@form_view
def new():
    """Create a draft workshop from the built-in process or one of the facilitator's templates."""
    form = NewWorkshopForm()
    form.set_templates(_("Service design in 8 stages (built in)"), templates_of(current_user))
    if not form.is_submitted():
        form.locale.data = _default_locale()
    workshop = submit(form, lambda: _create(form))
    if workshop is None:
        return render_template("planning/new.html", form=form), status_of(form)
    flash(_("The workshop is created. Next: plan its agenda and groups."), "success")
    return redirect(url_for("planning.detail", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>")
def detail(workshop):
    """The workshop's overview: what, when, where, how far the plan is, and its join code."""
    return render_template(
        "planning/detail.html",
        workshop=workshop,
        section="overview",
        counts=services.plan_counts(workshop),
        format_time=format_time,
        status_moves=[(status, STATUS_ACTIONS.get(status)) for status in workshop_services.allowed_statuses(workshop)],
    )


def copy_title(title):
    """'<title> (copy)' in the user's language, shortening the original so the result fits."""
    full = _("%(title)s (copy)", title=title)
    if len(full) <= MAX_TITLE:
        return full
    keep = max(len(title) - (len(full) - MAX_TITLE) - 1, 0)
    return _("%(title)s (copy)", title=title[:keep].rstrip() + "…")[:MAX_TITLE]


@bp.route("/workshops/<int:workshop_id>/copy", methods=["POST"])
def copy(workshop):
    """Start the next meeting of a series from this one's plan."""
    duplicate = services.copy_workshop(workshop, current_user, copy_title(workshop.title))
    flash(
        _(
            "This is a copy of “%(title)s” with its agenda, groups and process. Set its dates and venue.",
            title=workshop.title,
        ),
        "success",
    )
    return redirect(url_for("workshops.edit", workshop_id=duplicate.id))
