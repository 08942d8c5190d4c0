"""The meeting report: the organiser edits its introduction, previews it and publishes a share link.

The document itself is rendered in the workshop's language (the report is the workshop's content);
the page around it stays in the organiser's. Published reports are read without an account at
/r/<token> and /r/<token>.pdf; an unknown or withdrawn token is a plain 404.
"""

import hashlib
import threading
from collections import OrderedDict

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..core.errors import form_view
from ..core.htmx import Area, submit, wants_fragment
from ..summaries.renderer import STATIC_ORIGIN, RenderError, pdf_unavailable, renderer_for
from ..workshops.loading import load_workshop
from . import services
from .forms import ReportIntroForm

bp = Blueprint("report", __name__)

PREFIX = "/workshops/<int:workshop_id>/report"
EDIT = "report/edit.html"
INTRO = "report/_intro_form.html"
PUBLISH = "report/_publish.html"
#: The preview reloads on this event.
CHANGED = "report-changed"


bp.before_request(load_workshop)  # the routes that name a workshop get it loaded


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


def _with_document(context):
    """The whole Report section also shows the document's preview."""
    context["document"] = document_html(services.build_report(context["workshop"]))


ui = Area("report-status", complete_page=_with_document)


def _changed(workshop, fragment, message):
    """A change succeeded: htmx gets the panel, the announcement and the event; a plain form a redirect."""
    edit_url = url_for("report.edit", workshop_id=workshop.id)
    context = _context(workshop, message=message)
    return ui.answer(EDIT, fragment, context, announce=message, redirect_to=edit_url, event=CHANGED)


@bp.route(PREFIX, methods=["GET", "POST"])
@form_view
def edit(workshop):
    """The report page: the introduction form, the publishing panel and a preview of the document."""
    if request.method == "GET":
        return ui.answer(EDIT, INTRO, _context(workshop))
    form = ReportIntroForm(data={"intro": workshop.report_intro})
    if submit(form, lambda: services.save_intro(workshop, form.intro.data)) is None:
        return ui.refuse(EDIT, INTRO, _context(workshop, form=form))
    return _changed(workshop, INTRO, _("The introduction is saved."))


@bp.route(PREFIX + "/preview")
def preview(workshop):
    """The document as it would be published, re-fetched after the introduction changes."""
    if not wants_fragment():
        return redirect(url_for("report.edit", workshop_id=workshop.id))
    document = document_html(services.build_report(workshop))
    return render_template("report/_preview.html", workshop=workshop, document=document)


@bp.route(PREFIX + "/publish", methods=["POST"])
def publish(workshop):
    """Publish the report under a secret link anyone holding it can read."""
    services.publish_report(workshop)
    return _changed(workshop, PUBLISH, _("The report is published. Anyone with the link can read it."))


@bp.route(PREFIX + "/unpublish", methods=["POST"])
def unpublish(workshop):
    """Withdraw the report: its link stops working at once."""
    services.unpublish_report(workshop)
    return _changed(workshop, PUBLISH, _("The report is withdrawn. Its link no longer works."))


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
    workshop = _published_or_404(token)
    try:
        pdf = report_pdf(services.build_report(workshop))
    except RenderError:
        current_app.logger.exception("report PDF for workshop %s failed", workshop.id)
        return pdf_unavailable(_("Try again in a minute. The report itself is on its web page."))
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = "inline; filename=report.pdf"
    return response
