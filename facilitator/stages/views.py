"""Stages pages and actions."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..workshops.services import workshop_for
from . import models  # noqa: F401

bp = Blueprint("stages", __name__)


@bp.route("/workshops/<int:workshop_id>/process")
@login_required
def workshop_process(workshop_id):
    """Placeholder page until this section is built."""
    workshop = workshop_for(current_user, workshop_id)
    return render_template("workshops/_placeholder.html", workshop=workshop, section="process")
