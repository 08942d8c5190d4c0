"""PDF summaries: the facilitator's downloads and release switch, and participants' downloads.

Facilitators download any group's PDF and the workshop PDF at any time. Participants download
their own group's PDF and the workshop PDF from the device that joined, once the facilitator
has released them. PDFs are made by the renderer's helper process and cached (services.py).
"""

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..groups.models import Group
from ..participants import services as participant_services
from ..workshops.services import workshop_for
from . import services
from .renderer import RenderError

bp = Blueprint("summaries", __name__)

#: Sent with a changed release state; the same event goes to participants' streams.
CHANGED = {"HX-Trigger": "pdfs-changed"}


def _wants_fragment():
    return bool(request.htmx) and not request.htmx.boosted


def _download(workshop, group, name):
    """The summary PDF as a download; a friendly 503 when the helper could not make it."""
    try:
        pdf = services.summary_pdf(workshop, group)
    except RenderError:
        current_app.logger.exception("summary PDF for workshop %s failed", workshop.id)
        return render_template(
            "errors/error.html",
            title=_("The PDF could not be made just now"),
            message=_("Try again in a minute. If it keeps failing, tell the facilitator."),
        ), 503
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


def _release_context(workshop, message=None):
    released_at = workshop.pdfs_released_at
    return {"workshop": workshop, "message": message, "released": released_at is not None}


@bp.route("/workshops/<int:workshop_id>/summaries")
@login_required
def index(workshop_id):
    """The PDFs of the workshop and of each group, and whether participants may download them."""
    workshop = workshop_for(current_user, workshop_id)
    services.start_renderer()  # warm, so the first download does not also wait for it to start
    return render_template(
        "summaries/index.html",
        section="summaries",
        groups=services.active_groups(workshop),
        **_release_context(workshop),
    )


@bp.route("/workshops/<int:workshop_id>/summaries/release", methods=["POST"])
@login_required
def release(workshop_id):
    """Let participants download the PDFs, or stop them again."""
    workshop = workshop_for(current_user, workshop_id)
    wanted = request.form.get("released")
    if wanted not in ("1", "0"):
        abort(400)
    services.set_pdfs_released(workshop, wanted == "1")
    if wanted == "1":
        message = _("Participants can now download their group's PDF and the workshop PDF.")
    else:
        message = _("Participants can no longer download the PDFs.")
    if not _wants_fragment():
        flash(message, "success")
        return redirect(url_for(".index", workshop_id=workshop.id))
    return render_template("summaries/_release.html", **_release_context(workshop, message)), 200, CHANGED


@bp.route("/workshops/<int:workshop_id>/summary.pdf")
@login_required
def workshop_pdf(workshop_id):
    """The workshop PDF for the facilitator."""
    workshop = workshop_for(current_user, workshop_id)
    return _download(workshop, None, services.download_name(workshop.title))


@bp.route("/workshops/<int:workshop_id>/groups/<int:group_id>/summary.pdf")
@login_required
def group_pdf(workshop_id, group_id):
    """One group's PDF for the facilitator."""
    workshop = workshop_for(current_user, workshop_id)
    group = _group_in(workshop, group_id)
    return _download(workshop, group, services.download_name(workshop.title, group.name))


# --- participants ----------------------------------------------------------------------------


def _unavailable(workshop, title, message, link=None, link_label=None):
    """A friendly 403 page in the participant's language, with the way back."""
    return make_response(
        render_template(
            "summaries/unavailable.html",
            workshop=workshop,
            title=title,
            message=message,
            link=link,
            link_label=link_label,
        ),
        403,
    )


def _participant_seat(workshop_id, group_id):
    """The participant's workshop and group, or the refusal to send: their device's cookie decides."""
    participant = participant_services.participant_from_cookie(
        current_app.config["SECRET_KEY"],
        workshop_id,
        request.cookies.get(participant_services.cookie_name(workshop_id)),
    )
    if participant is None:
        # No seat: nothing about the workshop (not even whether it exists), and no join code:
        # the way in is the home page's join form, with the code the facilitator shows.
        return None, _unavailable(
            None,
            _("Join the workshop on this device first"),
            _(
                "The PDFs are for the workshop's participants. Open them from the phone or laptop you "
                "joined the workshop with."
            ),
            url_for("home.index"),
            _("Join the workshop"),
        )
    workshop = participant.workshop
    if participant.group_id != group_id:
        abort(403)
    workspace = url_for("participants.workspace", workshop_id=workshop.id, group_id=group_id)
    if workshop.pdfs_released_at is None:
        return None, _unavailable(
            workshop,
            _("The PDFs are not ready yet"),
            _(
                "The facilitator has not released the PDFs yet. They usually do at the end of the "
                "group work; come back to this page then."
            ),
            workspace,
            _("Back to your group"),
        )
    return participant, None


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/summary.pdf")
def participant_group_pdf(workshop_id, group_id):
    """A participant's own group's PDF, once released."""
    participant, refusal = _participant_seat(workshop_id, group_id)
    if refusal is not None:
        return refusal
    if participant.group.is_archived:
        abort(404)
    return _download(
        participant.workshop,
        participant.group,
        services.download_name(participant.workshop.title, participant.group.name),
    )


@bp.route("/w/<int:workshop_id>/g/<int:group_id>/workshop.pdf")
def participant_workshop_pdf(workshop_id, group_id):
    """The workshop PDF for a participant, once released."""
    participant, refusal = _participant_seat(workshop_id, group_id)
    if refusal is not None:
        return refusal
    return _download(participant.workshop, None, services.download_name(participant.workshop.title))
