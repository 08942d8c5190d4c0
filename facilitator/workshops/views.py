"""Workshops pages and actions: dashboard, create and edit, copy, status, join code and QR."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, format_time, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..core.errors import form_view
from ..extensions import db
from ..stages.models import Process
from ..stages.forms import process_message
from ..stages.services import ProcessError, check_usable, templates_of
from . import models  # noqa: F401
from . import services
from .formatting import workshop_dates, workshop_status_label
from .forms import GONE_TEMPLATE, MAX_TITLE, WORKSHOP_LOCALES, NewWorkshopForm, WorkshopForm
from .models import WorkshopStatus
from .qr import qr_svg
from .services import workshop_for, workshops_of

bp = Blueprint("workshops", __name__)

#: What a refused service call tells the user, next to the field it concerns.
WORKSHOP_MESSAGES = {
    "end-before-start": _l("The last day cannot be before the first day."),
    "day-end-before-start": _l("The day has to end after it starts."),
}

#: The button that moves a workshop to each status; finishing has its own confirming button.
STATUS_ACTIONS = {
    WorkshopStatus.LIVE.value: _l("Go live"),
    WorkshopStatus.DRAFT.value: _l("Back to draft"),
}


@bp.app_context_processor
def workshop_helpers():
    return {"workshop_status_label": workshop_status_label, "workshop_dates": workshop_dates}


@bp.errorhandler(404)
def workshop_not_found(error):
    """Say plainly that the workshop is gone or not theirs, without telling which."""
    return render_template(
        "workshops/problem.html",
        title=_("This workshop is not available"),
        message=(
            _("It may have been deleted meanwhile, or it belongs to another facilitator. Nothing was saved.")
            if request.method == "POST"
            else _("It may have been deleted, or it belongs to another facilitator.")
        ),
        back_url=url_for("workshops.dashboard"),
        back_label=_("Go to your workshops"),
    ), 404


def _wants_fragment():
    return request.htmx and not request.htmx.boosted


def _render_form(template, form, status=None, **context):
    status = status or (422 if form.is_submitted() else 200)
    return render_template(template, form=form, **context), status


def _refuse(form, error):
    """Put a service's refusal next to the field it concerns."""
    getattr(form, error.field).errors.append(str(WORKSHOP_MESSAGES[error.code]))


def _default_locale():
    """New workshops start in the facilitator's own UI language."""
    locale = str(get_locale())
    return locale if locale in WORKSHOP_LOCALES else "en"


@bp.route("/dashboard")
@login_required
def dashboard():
    """The facilitator's start page: workshops to prepare or run, then finished ones."""
    workshops = workshops_of(current_user)
    active = sorted((w for w in workshops if not w.is_finished), key=lambda w: (w.starts_on, w.id))
    finished = [w for w in workshops if w.is_finished]
    return render_template(
        "workshops/dashboard.html",
        workshops=workshops,
        active=active,
        finished=finished,
        group_counts=services.group_counts(workshops),
    )


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
@form_view
def new():
    """Create a draft workshop from the built-in process or one of the facilitator's templates."""
    form = NewWorkshopForm()
    form.set_templates(_("Service design in 8 stages (built in)"), templates_of(current_user))
    if not form.is_submitted():
        form.locale.data = _default_locale()
    if form.validate_on_submit():
        template = None
        if form.template.data:
            template = db.session.get(Process, int(form.template.data))
            if template is None or template.owner_id != current_user.id or not template.is_template:
                form.template.errors.append(str(GONE_TEMPLATE))
                return _render_form("workshops/new.html", form)
            try:
                check_usable(template)
            except ProcessError as error:
                form.template.errors.append(str(process_message(error.code)))
                return _render_form("workshops/new.html", form)
        workshop = services.create_workshop(current_user, template=template, **form.workshop_fields())
        flash(_("The workshop is created. Next: plan its agenda and groups."), "success")
        return redirect(url_for("workshops.detail", workshop_id=workshop.id))
    return _render_form("workshops/new.html", form)


@bp.route("/workshops/<int:workshop_id>")
@login_required
def detail(workshop_id):
    """The workshop's overview: what, when, where, how far the plan is, and its join code."""
    workshop = workshop_for(current_user, workshop_id)
    return render_template(
        "workshops/detail.html",
        workshop=workshop,
        section="overview",
        counts=services.plan_counts(workshop),
        format_time=format_time,
        status_moves=[(status, STATUS_ACTIONS.get(status)) for status in services.allowed_statuses(workshop)],
    )


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit(workshop_id):
    """Change what the workshop says about itself; its process snapshot stays as it is."""
    workshop = workshop_for(current_user, workshop_id)
    form = WorkshopForm(obj=workshop if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_workshop(workshop, **form.workshop_fields())
        except services.WorkshopError as error:
            _refuse(form, error)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id))
    return _render_form("workshops/edit.html", form, workshop=workshop, section="overview")


def copy_title(title):
    """'<title> (copy)' in the user's language, shortening the original so the result fits."""
    full = _("%(title)s (copy)", title=title)
    if len(full) <= MAX_TITLE:
        return full
    keep = max(len(title) - (len(full) - MAX_TITLE) - 1, 0)
    return _("%(title)s (copy)", title=title[:keep].rstrip() + "…")[:MAX_TITLE]


@bp.route("/workshops/<int:workshop_id>/copy", methods=["POST"])
@login_required
def copy(workshop_id):
    """Start the next meeting of a series from this one's plan."""
    workshop = workshop_for(current_user, workshop_id)
    duplicate = services.copy_workshop(workshop, current_user, copy_title(workshop.title))
    flash(
        _("This is a copy of “%(title)s” with its agenda, groups and process. Set its dates and venue.",
          title=workshop.title),
        "success",
    )
    return redirect(url_for("workshops.edit", workshop_id=duplicate.id))


@bp.route("/workshops/<int:workshop_id>/status", methods=["POST"])
@login_required
def set_status(workshop_id):
    """Move the workshop to the status the pressed button names."""
    workshop = workshop_for(current_user, workshop_id)
    status = request.form.get("status", "")
    try:
        services.set_status(workshop, status)
    except services.WorkshopError:
        return render_template(
            "workshops/problem.html",
            title=_("That change is not possible now"),
            message=_("The workshop is now “%(status)s”. Reload its page to see what you can do.",
                      status=workshop_status_label(workshop.status)),
            back_url=url_for("workshops.detail", workshop_id=workshop.id),
            back_label=_("Back to the workshop"),
        ), 409
    messages = {
        WorkshopStatus.LIVE.value: _("The workshop is live."),
        WorkshopStatus.DRAFT.value: _("The workshop is a draft again."),
        WorkshopStatus.FINISHED.value: _("The workshop is finished. Its join code no longer lets anyone in."),
    }
    flash(messages[status], "success")
    return redirect(url_for("workshops.detail", workshop_id=workshop.id))


def _join_context(workshop):
    """What the join panel and the sheet show: the code, its URL on this host, and its QR."""
    # The public address when one is configured, else the one the facilitator reached the laptop at.
    url = url_for("participants.join", code=workshop.join_code, _external=True)
    return {"workshop": workshop, "join_url": url}


@bp.route("/workshops/<int:workshop_id>/join")
@login_required
def join_info(workshop_id):
    """The join code, its URL and QR code, as a page or (for htmx) the panel alone."""
    workshop = workshop_for(current_user, workshop_id)
    context = _join_context(workshop)
    context["qr"] = qr_svg(context["join_url"], _("QR code to join the workshop"), svg_id="join-qr")
    if _wants_fragment():
        return render_template("workshops/_join_panel.html", **context)
    return render_template("workshops/join.html", section="join", **context)


@bp.route("/workshops/<int:workshop_id>/join/regenerate", methods=["POST"])
@login_required
def regenerate_code(workshop_id):
    """Replace the join code, e.g. after it leaked; people already in stay in."""
    workshop = workshop_for(current_user, workshop_id)
    try:
        code = services.regenerate_join_code(workshop)
    except services.WorkshopError:
        return render_template(
            "workshops/problem.html",
            title=_("That change is not possible now"),
            message=_("The workshop is finished, so its join code cannot be changed."),
            back_url=url_for("workshops.join_info", workshop_id=workshop.id),
            back_label=_("Back to the workshop"),
        ), 409
    announcement = _("The new join code is %(code)s. The old code no longer works.", code=code)
    if not _wants_fragment():
        flash(announcement, "success")
        return redirect(url_for("workshops.join_info", workshop_id=workshop.id))
    context = _join_context(workshop)
    context["qr"] = qr_svg(context["join_url"], _("QR code to join the workshop"), svg_id="join-qr")
    response = make_response(render_template("workshops/_join_panel.html", announcement=announcement, **context))
    response.headers["HX-Trigger"] = "join-code-changed"
    return response


@bp.route("/workshops/<int:workshop_id>/join/sheet")
@login_required
def join_sheet(workshop_id):
    """A printable A4 sheet for the venue; what participants read is in the workshop's language."""
    workshop = workshop_for(current_user, workshop_id)
    context = _join_context(workshop)
    with force_locale(workshop.locale):
        sheet = {
            "heading": _("Join the workshop"),
            "instruction": _("Scan the QR code with your phone's camera, or type the address into a browser."),
            "code_label": _("Join code"),
            "wifi": _("Wi-Fi: %(name)s", name=workshop.wifi_name) if workshop.wifi_name else None,
            "qr_label": _("QR code to join the workshop"),
            "dates": workshop_dates(workshop, locale=workshop.locale),
        }
    context["qr"] = qr_svg(context["join_url"], sheet["qr_label"], svg_id="join-sheet-qr",
                           svg_class="qr join-sheet__qr")
    return render_template("workshops/join_sheet.html", sheet=sheet, **context)
