"""The meeting report: the organiser edits its introduction, previews it and publishes a share link.

The document itself is rendered in the workshop's language (the report is the workshop's content);
the page around it stays in the organiser's. Published reports are read without an account at
/r/<token> and /r/<token>.pdf; an unknown or withdrawn token is a plain 404.
"""

import hashlib
import threading
from collections import OrderedDict

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..core.errors import form_view
from ..summaries.renderer import STATIC_ORIGIN
from ..workshops.services import workshop_for
from . import services
from .forms import REPORT_MESSAGES, ReportIntroForm

bp = Blueprint("report", __name__)

#: Widgets showing the report reload on this event.
CHANGED = "report-changed"


def _wants_fragment():
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def document_html(report, template="report/_document.html", **extra):
    """The report as HTML in the workshop's language: our own template, user text escaped inside it."""
    with force_locale(report.locale):
        return Markup(render_template(template, report=report, **extra))


def _public_url(workshop, endpoint="report.public"):
    return url_for(endpoint, token=workshop.report_token, _external=True) if services.is_published(workshop) else None


def _context(workshop, form=None, message=None):
    return {
        "workshop": workshop,
        "section": "report",
        "form": form or ReportIntroForm(formdata=None, data={"intro": workshop.report_intro}),
        "published": services.is_published(workshop),
        "public_url": _public_url(workshop),
        "public_pdf_url": _public_url(workshop, "report.public_pdf"),
        "max_intro": services.MAX_INTRO,
        "message": message,
    }


@bp.route("/workshops/<int:workshop_id>/report", methods=["GET", "POST"])
@login_required
@form_view
def edit(workshop_id):
    """The report page: the introduction form, the publishing panel and a preview of the document."""
    workshop = workshop_for(current_user, workshop_id)
    form = ReportIntroForm(data={"intro": workshop.report_intro}) if request.method == "POST" else None
    if form is not None:
        if form.validate_on_submit():
            try:
                services.save_intro(workshop, form.intro.data)
            except services.ReportError as error:
                form.intro.errors.append(str(REPORT_MESSAGES[error.code]) % {"max": services.MAX_INTRO})
            else:
                message = _("The introduction is saved.")
                if not _wants_fragment():
                    flash(message, "success")
                    return redirect(url_for(".edit", workshop_id=workshop.id))
                context = _context(workshop, message=message)
                response = make_response(
                    render_template("report/_intro_form.html", **context)
                    + render_template("report/_status.html", message=message)
                )
                response.headers["HX-Trigger"] = CHANGED
                return response
        status = 400 if form.csrf_token.errors else 422
        if _wants_fragment():
            return render_template("report/_intro_form.html", **_context(workshop, form=form)), status
        return _page(workshop, form=form), status
    return _page(workshop)


def _page(workshop, form=None):
    """The whole Report section, with the document's preview."""
    return render_template(
        "report/edit.html", document=document_html(services.build_report(workshop)), **_context(workshop, form=form)
    )


@bp.route("/workshops/<int:workshop_id>/report/preview")
@login_required
def preview(workshop_id):
    """The document as it would be published, re-fetched after the introduction changes."""
    workshop = workshop_for(current_user, workshop_id)
    if not _wants_fragment():
        return redirect(url_for(".edit", workshop_id=workshop.id))
    return render_template(
        "report/_preview.html", workshop=workshop, document=document_html(services.build_report(workshop))
    )


def _publishing_done(workshop, message):
    if not _wants_fragment():
        flash(message, "success")
        return redirect(url_for(".edit", workshop_id=workshop.id))
    response = make_response(
        render_template("report/_publish.html", **_context(workshop, message=message))
        + render_template("report/_status.html", message=message)
    )
    response.headers["HX-Trigger"] = CHANGED
    return response


@bp.route("/workshops/<int:workshop_id>/report/publish", methods=["POST"])
@login_required
def publish(workshop_id):
    """Publish the report under a secret link anyone holding it can read."""
    workshop = workshop_for(current_user, workshop_id)
    services.publish_report(workshop)
    return _publishing_done(workshop, _("The report is published. Anyone with the link can read it."))


@bp.route("/workshops/<int:workshop_id>/report/unpublish", methods=["POST"])
@login_required
def unpublish(workshop_id):
    """Withdraw the report: its link stops working at once."""
    workshop = workshop_for(current_user, workshop_id)
    services.unpublish_report(workshop)
    return _publishing_done(workshop, _("The report is withdrawn. Its link no longer works."))


def _published_or_404(token):
    workshop = services.published_workshop(token)
    if workshop is None:
        abort(404)
    return workshop


@bp.route("/r/<token>")
def public(token):
    """The published report, readable by anyone with the link; no account needed."""
    workshop = _published_or_404(token)
    report = services.build_report(workshop)
    return render_template(
        "report/public.html",
        workshop=workshop,
        report=report,
        document=document_html(report),
        pdf_url=url_for(".public_pdf", token=token),
    )


#: Recent PDFs by a hash of their HTML: the same document is not rendered twice.
_pdf_cache = OrderedDict()
_pdf_cache_lock = threading.Lock()
PDF_CACHE_SIZE = 16


def report_pdf(report):
    """The report's PDF, rendered in the summaries' helper process (never in this one)."""
    from ..summaries.renderer import renderer_for

    html = document_html(report, "report/pdf.html", static_origin=STATIC_ORIGIN)
    key = hashlib.sha256(str(html).encode("utf-8")).hexdigest()
    with _pdf_cache_lock:
        if key in _pdf_cache:
            _pdf_cache.move_to_end(key)
            return _pdf_cache[key]
    pdf = renderer_for(current_app.static_folder).render(str(html))
    with _pdf_cache_lock:
        _pdf_cache[key] = pdf
        while len(_pdf_cache) > PDF_CACHE_SIZE:
            _pdf_cache.popitem(last=False)
    return pdf


@bp.route("/r/<token>.pdf")
def public_pdf(token):
    """The published report as a PDF to keep or print."""
    from ..summaries.renderer import RenderError

    workshop = _published_or_404(token)
    try:
        pdf = report_pdf(services.build_report(workshop))
    except RenderError:
        current_app.logger.exception("report PDF for workshop %s failed", workshop.id)
        return render_template(
            "errors/error.html",
            title=_("The PDF could not be made just now"),
            message=_("Try again in a minute. The report itself is on its web page."),
        ), 503
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = "inline; filename=report.pdf"
    return response
