"""One workshop's own pages and actions: edit, status, join code, QR and join sheet."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..core.errors import form_view
from . import (
    models,  # noqa: F401
    services,
)
from .formatting import workshop_dates, workshop_status_label
from .forms import WorkshopForm
from .loading import workshop_not_found
from .models import WorkshopStatus
from .qr import qr_svg
from .services import workshop_for

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


bp.register_error_handler(404, workshop_not_found)


def _wants_fragment():
    return request.htmx and not request.htmx.boosted


def render_form(template, form, status=None, **context):
    status = status or (422 if form.is_submitted() else 200)
    return render_template(template, form=form, **context), status


def _refuse(form, error):
    """Put a service's refusal next to the field it concerns."""
    getattr(form, error.field).errors.append(str(WORKSHOP_MESSAGES[error.code]))


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
            return redirect(url_for("planning.detail", workshop_id=workshop.id))
    return render_form("workshops/edit.html", form, workshop=workshop, section="overview")


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
            message=_(
                "The workshop is now “%(status)s”. Reload its page to see what you can do.",
                status=workshop_status_label(workshop.status),
            ),
            back_url=url_for("planning.detail", workshop_id=workshop.id),
            back_label=_("Back to the workshop"),
        ), 409
    messages = {
        WorkshopStatus.LIVE.value: _("The workshop is live."),
        WorkshopStatus.DRAFT.value: _("The workshop is a draft again."),
        WorkshopStatus.FINISHED.value: _("The workshop is finished. Its join code no longer lets anyone in."),
    }
    flash(messages[status], "success")
    return redirect(url_for("planning.detail", workshop_id=workshop.id))


def _join_context(workshop):
    """What the join panel and the sheet show: the code, its URL on this host, and its QR."""
    # The public address when one is configured, else the one the facilitator reached the laptop at.
    url = url_for("joining.join", code=workshop.join_code, _external=True)
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
    context["qr"] = qr_svg(
        context["join_url"], sheet["qr_label"], svg_id="join-sheet-qr", svg_class="qr join-sheet__qr"
    )
    return render_template("workshops/join_sheet.html", sheet=sheet, **context)
