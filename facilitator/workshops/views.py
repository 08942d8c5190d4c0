"""Workshops pages and actions."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .formatting import workshop_dates, workshop_status_label
from .services import workshop_for, workshops_of
from . import models  # noqa: F401

bp = Blueprint("workshops", __name__)


@bp.app_context_processor
def workshop_helpers():
    return {"workshop_status_label": workshop_status_label, "workshop_dates": workshop_dates}


@bp.route("/dashboard")
@login_required
def dashboard():
    """The facilitator's start page: their workshops."""
    return render_template("workshops/dashboard.html", workshops=workshops_of(current_user))


@bp.route("/workshops/<int:workshop_id>")
@login_required
def detail(workshop_id):
    """Placeholder page until this section is built."""
    workshop = workshop_for(current_user, workshop_id)
    return render_template("workshops/_placeholder.html", workshop=workshop, section="overview")



@bp.route("/workshops/<int:workshop_id>/join")
@login_required
def join_info(workshop_id):
    """Placeholder page until this section is built."""
    workshop = workshop_for(current_user, workshop_id)
    return render_template("workshops/_placeholder.html", workshop=workshop, section="join")
