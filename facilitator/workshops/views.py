"""One workshop's own pages and actions: edit, status, join code, QR and join sheet."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import Area, submit
from . import (
    addresses,
    models,  # noqa: F401
    services,
)
from .formatting import workshop_dates, workshop_status_label
from .forms import STATUS_DONE, WorkshopForm, status_of
from .loading import workshop_pages
from .qr import qr_svg, wifi_text

bp = workshop_pages("workshops", __name__)

JOIN = "workshops/join.html"
JOIN_PANEL = "workshops/_join_panel.html"

ui = Area("join-announcer")


@bp.app_context_processor
def workshop_helpers():
    return {"workshop_status_label": workshop_status_label, "workshop_dates": workshop_dates}


def _not_possible(message, back_url):
    """A change the workshop's status no longer allows (409): say why, and where to go back."""
    return render_template(
        "workshops/problem.html",
        title=_("That change is not possible now"),
        message=message,
        back_url=back_url,
        back_label=_("Back to the workshop"),
    ), 409


@bp.route("/edit", methods=["GET", "POST"])
@form_view
def edit(workshop):
    """Change what the workshop says about itself; its process snapshot stays as it is."""
    form = WorkshopForm(obj=workshop if request.method == "GET" else None)
    if submit(form, lambda: services.update_workshop(workshop, **form.workshop_fields())):
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("planning.detail", workshop_id=workshop.id))
    return render_template("workshops/edit.html", form=form, workshop=workshop, section="overview"), status_of(form)


@bp.route("/status", methods=["POST"])
def set_status(workshop):
    """Move the workshop to the status the pressed button names."""
    status = request.form.get("status", "")
    back_url = url_for("planning.detail", workshop_id=workshop.id)
    try:
        services.set_status(workshop, status)
    except DomainError:
        message = _(
            "The workshop is now “%(status)s”. Reload its page to see what you can do.",
            status=workshop_status_label(workshop.status),
        )
        return _not_possible(message, back_url)
    flash(str(STATUS_DONE[status]), "success")
    return redirect(back_url)


def _join_address():
    """Where phones reach this server: the public address, the one reached, or (on the laptop itself) the
    network address chosen in `?address=`, which must be one of the laptop's."""
    public = bool(current_app.config.get("PUBLIC_BASE_URL"))
    return addresses.join_address(request.scheme, request.host, request.values.get("address"), public=public)


def _join_link(workshop, address):
    """The join URL phones open: on the chosen network address, else the app's own external URL."""
    if address.base:
        return address.base + url_for("joining.join", code=workshop.join_code)
    return url_for("joining.join", code=workshop.join_code, _external=True)


def _join_context(workshop, **extra):
    """What the join panel and page show: the code, its URL phones can open, its QR and the address choice."""
    address = _join_address()
    url = _join_link(workshop, address)
    qr = qr_svg(url, _("QR code to join the workshop"), svg_id="join-qr")
    return {"workshop": workshop, "section": "join", "join_url": url, "qr": qr, "join_address": address, **extra}


@bp.route("/join")
def join_info(workshop):
    """The join code, its URL and QR code, as a page or (for htmx) the panel alone."""
    return ui.answer(JOIN, JOIN_PANEL, _join_context(workshop))


@bp.route("/join/regenerate", methods=["POST"])
def regenerate_code(workshop):
    """Replace the join code, e.g. after it leaked; people already in stay in."""
    join_url = url_for("workshops.join_info", workshop_id=workshop.id, address=_join_address().chosen)
    try:
        code = services.regenerate_join_code(workshop)
    except DomainError:
        return _not_possible(_("The workshop is finished, so its join code cannot be changed."), join_url)
    message = _("The new join code is %(code)s. The old code no longer works.", code=code)
    return ui.answer(JOIN, JOIN_PANEL, _join_context(workshop, changed=True), announce=message, redirect_to=join_url)


@bp.route("/join/sheet")
def join_sheet(workshop):
    """A printable A4 sheet for the venue; what participants read is in the workshop's language."""
    address = _join_address()
    url = _join_link(workshop, address)
    with force_locale(workshop.locale):
        sheet = {
            "heading": _("Join the workshop"),
            "instruction": _("Scan the QR code with your phone's camera, or type the address into a browser."),
            "code_label": _("Join code"),
            "wifi": _("Wi-Fi: %(name)s", name=workshop.wifi_name) if workshop.wifi_name else None,
            "wifi_heading": _("1. Connect to the Wi-Fi"),
            "join_heading": _("2. Join the workshop"),
            "wifi_password": _("Password: %(password)s", password=workshop.wifi_password),
            "wifi_instruction": _("Scan this code with the phone's camera to connect, or choose the network by hand."),
            "wifi_qr_label": _("QR code to connect to the Wi-Fi"),
            "qr_label": _("QR code to join the workshop"),
            "dates": workshop_dates(workshop, locale=workshop.locale),
        }
    qr = qr_svg(url, sheet["qr_label"], svg_id="join-sheet-qr", svg_class="qr join-sheet__qr")
    wifi_qr = None
    if workshop.wifi_name and workshop.wifi_password:
        wifi = wifi_text(workshop.wifi_name, workshop.wifi_password)
        wifi_qr = qr_svg(wifi, sheet["wifi_qr_label"], svg_id="join-sheet-wifi-qr", svg_class="qr join-sheet__wifi-qr")
    return render_template(
        "workshops/join_sheet.html",
        sheet=sheet,
        workshop=workshop,
        join_url=url,
        qr=qr,
        wifi_qr=wifi_qr,
        join_address=address,
    )
