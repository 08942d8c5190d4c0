"""A facilitator's series: the list, a new one, and a series' page with its partners and meetings.

Every view whose URL names a series receives `series`, loaded once and checked (`load_series`).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.domain import DomainError
from ..core.errors import form_view
from ..core.htmx import submit
from ..workshops.loading import workshop_not_found
from ..workshops.services import workshops_of
from . import services
from .forms import InviteForm, MeetingForm, PartnerForm, SeriesForm

bp = Blueprint("series", __name__, url_prefix="/series")
PAGE = "series/detail.html"


@bp.before_request
@login_required
def load_series():
    """Sign-in first; a URL naming a series gets it in place of its id, or the "not available" page."""
    if "series_id" not in (request.view_args or {}):
        return None
    series = services.managed_series(current_user, request.view_args.pop("series_id"))
    if series is None:
        return workshop_not_found()
    request.view_args["series"] = series
    return None


def _free_workshops():
    """The facilitator's workshops that belong to no series yet: the ones that can join one."""
    return [w for w in workshops_of(current_user) if w.series_id is None]


def _page(series, status=200, **forms):
    meetings = services.meetings_of(series)
    meeting_form = forms.get("meeting_form") or MeetingForm(formdata=None)
    meeting_form.workshop.choices = [(w.id, w.title) for w in _free_workshops()]
    meeting_form.host.choices = [(0, _("No host"))] + [(p.id, f"{p.name} ({p.place})") for p in series.partners]
    host = services.next_host(series, meetings)
    context = {
        "series": series,
        "meetings": meetings,
        "next_host": host,
        "next_number": len(meetings) + 1,
        "planners": sorted(series.memberships, key=lambda m: (m.role != "owner", m.facilitator.display_name)),
        "partner_form": forms.get("partner_form") or PartnerForm(formdata=None),
        "invite_form": forms.get("invite_form") or InviteForm(formdata=None),
        "meeting_form": meeting_form,
    }
    return render_template(PAGE, **context), status


@bp.route("")
def index():
    """The facilitator's series, and a form to start one."""
    return render_template("series/index.html", all_series=services.series_of(current_user), form=SeriesForm())


@bp.route("", methods=["POST"])
@form_view
def create():
    """Start a series; its partners and meetings are added on its page."""
    form = SeriesForm()
    series = submit(form, lambda: services.create_series(current_user, form.title.data, form.description.data))
    if series is None:
        return render_template("series/index.html", all_series=services.series_of(current_user), form=form), 422
    flash(
        _("Series “%(title)s” created. Add its partners, then plan its first meeting.", title=series.title), "success"
    )
    return redirect(url_for("series.detail", series_id=series.id))


@bp.route("/<int:series_id>")
def detail(series):
    """The series: its partners in hosting order, its meetings past and coming, who plans it."""
    return _page(series)


@bp.route("/<int:series_id>/partners", methods=["POST"])
@form_view
def add_partner(series):
    """A partner organisation joins the end of the hosting order."""
    form = PartnerForm()
    partner = submit(form, lambda: services.add_partner(series, form.name.data, form.place.data))
    if partner is None:
        return _page(series, 422, partner_form=form)
    flash(_("“%(name)s” is a partner of the series.", name=partner.name), "success")
    return redirect(url_for("series.detail", series_id=series.id) + "#partners")


@bp.route("/<int:series_id>/next", methods=["POST"])
def plan_next(series):
    """The next meeting, from the last one's plan, hosted by the partner whose turn it is."""
    number = len(services.meetings_of(series)) + 1
    title = _("%(series)s: meeting %(number)d", series=series.title, number=number)[: services.MAX_TITLE]
    meeting = services.plan_next_meeting(series, current_user, title)
    flash(_("Meeting %(number)d is planned from the last one. Set its date and venue.", number=number), "success")
    return redirect(url_for("workshops.edit", workshop_id=meeting.id))


@bp.route("/<int:series_id>/meetings", methods=["POST"])
@form_view
def add_meeting(series):
    """One of the facilitator's workshops becomes the series' next meeting."""
    form = MeetingForm()
    free = {w.id: w for w in _free_workshops()}
    hosts = {p.id: p for p in series.partners}

    def join():
        if form.workshop.data not in free:
            raise DomainError("choose-workshop", "workshop")
        return services.add_meeting(series, free[form.workshop.data], hosts.get(form.host.data))

    meeting = submit(form, join)
    if meeting is None:
        return _page(series, 422, meeting_form=form)
    flash(
        _("“%(title)s” is meeting %(number)d of the series.", title=meeting.title, number=meeting.series_number),
        "success",
    )
    return redirect(url_for("series.detail", series_id=series.id) + "#meetings")


@bp.route("/<int:series_id>/co-facilitators", methods=["POST"])
@form_view
def invite(series):
    """A partner's person plans every meeting of the series with you."""
    form = InviteForm()
    person = submit(form, lambda: services.invite_co_facilitator(series, form.email.data))
    if person is None:
        return _page(series, 422, invite_form=form)
    flash(_("%(name)s now plans every meeting of the series.", name=person.display_name), "success")
    return redirect(url_for("series.detail", series_id=series.id) + "#planners")
