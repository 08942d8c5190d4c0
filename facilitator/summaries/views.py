"""PDF summaries: the facilitator's downloads and release switch, and participants' downloads.

Facilitators download any group's PDF and the workshop PDF at any time. Participants download
their own group's PDF and the workshop PDF from the device that joined, once the facilitator
has released them. PDFs are made by the renderer's helper process and cached (services.py).
"""

import io

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ..core.htmx import Area
from ..extensions import db
from ..groups.models import Group
from ..groups.services import active_groups
from ..participants.loading import seat_pages
from ..workshops.loading import workshop_pages
from . import services
from .renderer import RenderError, pdf_unavailable

bp = workshop_pages("summaries", __name__)
ui = Area("summaries-status")


def _download(workshop, group, name):
    """The summary PDF as a download; a friendly 503 when the helper could not make it."""
    try:
        pdf = services.summary_pdf(workshop, group)
    except RenderError:
        current_app.logger.exception("summary PDF for workshop %s failed", workshop.id)
        return pdf_unavailable(_("Try again in a minute. If it keeps failing, tell the facilitator."))
    if pdf is None:  # the group was archived meanwhile
        abort(404)
    return _send(pdf, name)


def _send(pdf, name):
    """The PDF as a download that no shared cache keeps (participants' copies are theirs)."""
    response = send_file(
        io.BytesIO(pdf.data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
        etag=pdf.fingerprint,
        conditional=True,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _group_in(workshop, group_id):
    """The workshop's own current group named in the URL; 404 for any other."""
    group = db.session.get(Group, group_id)
    if group is None or group.workshop_id != workshop.id or group.is_archived:
        abort(404)
    return group


def _release_context(workshop):
    return {"workshop": workshop, "released": workshop.pdfs_released_at is not None}


@bp.route("/summaries")
def index(workshop):
    """The PDFs of the workshop and of each group, and whether participants may download them."""
    services.start_renderer()  # warm, so the first download does not also wait for it to start
    return render_template(
        "summaries/index.html",
        section="summaries",
        groups=active_groups(workshop),
        **_release_context(workshop),
    )


@bp.route("/summaries/release", methods=["POST"])
def release(workshop):
    """Let participants download the PDFs, or stop them again."""
    wanted = request.form.get("released")
    if wanted not in ("1", "0"):
        abort(400)
    services.set_pdfs_released(workshop, wanted == "1")
    if wanted == "1":
        message = _("Participants can now download their group's PDF and the workshop PDF.")
    else:
        message = _("Participants can no longer download the PDFs.")
    index_url = url_for(".index", workshop_id=workshop.id)
    return ui.answer(
        None, "summaries/_release.html", _release_context(workshop), announce=message, redirect_to=index_url
    )


@bp.route("/summary.pdf")
def workshop_pdf(workshop):
    """The workshop PDF for the facilitator."""
    return _download(workshop, None, services.download_name(workshop.title))


@bp.route("/groups/<int:group_id>/summary.pdf")
def group_pdf(workshop, group_id):
    """One group's PDF for the facilitator."""
    group = _group_in(workshop, group_id)
    return _download(workshop, group, services.download_name(workshop.title, group.name))


# --- participants ----------------------------------------------------------------------------


def _unavailable(workshop, title, message, link=None, link_label=None):
    """A friendly 403 page in the participant's language, with the way back."""
    page = render_template(
        "summaries/unavailable.html", workshop=workshop, title=title, message=message, link=link, link_label=link_label
    )
    return page, 403


def _join_first():
    """No seat: nothing about the workshop (not even whether it exists), and no join code: the way
    in is the home page's join form, with the code the facilitator shows."""
    return _unavailable(
        None,
        _("Join the workshop on this device first"),
        _(
            "The PDFs are for the workshop's participants. Open them from the phone or laptop you "
            "joined the workshop with."
        ),
        url_for("home.index"),
        _("Join the workshop"),
    )


seat_bp = seat_pages("participant_pdfs", __name__, no_seat=_join_first)


@seat_bp.before_request
def _released():
    """Before a participant's download: the facilitator must have released the PDFs."""
    seat = request.view_args["seat"]
    if seat.workshop.pdfs_released_at is not None:
        return None
    return _unavailable(
        seat.workshop,
        _("The PDFs are not ready yet"),
        _(
            "The facilitator has not released the PDFs yet. They usually do at the end of the "
            "group work; come back to this page then."
        ),
        seat.url,
        _("Back to your group"),
    )


@seat_bp.route("/summary.pdf", endpoint="group_pdf")
def participant_group_pdf(seat):
    """A participant's own group's PDF, once released."""
    if seat.group.is_archived:
        abort(404)
    return _download(seat.workshop, seat.group, services.download_name(seat.workshop.title, seat.group.name))


@seat_bp.route("/workshop.pdf", endpoint="workshop_pdf")
def participant_workshop_pdf(seat):
    """The workshop PDF for a participant, once released."""
    return _download(seat.workshop, None, services.download_name(seat.workshop.title))
