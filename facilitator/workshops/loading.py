"""What a facilitator's URL names, loaded once before the view: the workshop, theirs or nothing.

Every area's pages of one workshop live under `/workshops/<id>/...` on a blueprint made by
`workshop_pages`. Its views never read the id: they receive `workshop`, already checked.
"""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .services import managed_workshop


def workshop_not_found(error=None):
    """Say plainly that the workshop is gone or not theirs, without telling which."""
    return render_template(
        "workshops/problem.html",
        title=_("This workshop is not available"),
        message=(
            _("It may have been deleted meanwhile, or it belongs to another facilitator. Nothing was saved.")
            if request.method == "POST"
            else _("It may have been deleted, or it belongs to another facilitator.")
        ),
        back_url=url_for("planning.dashboard"),
        back_label=_("Go to your workshops"),
    ), 404


def load_workshop():
    """Before a view whose URL names a workshop: sign-in first, then the workshop in place of its id.

    A URL that names none (a blueprint's dashboard or public page) passes untouched, so one
    blueprint can hold both kinds.
    """
    if "workshop_id" not in (request.view_args or {}):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    workshop = managed_workshop(current_user, request.view_args.pop("workshop_id"))
    if workshop is None:
        return workshop_not_found()
    request.view_args["workshop"] = workshop
    return None


def workshop_pages(name, import_name, path=""):
    """A blueprint for an area's pages of one workshop, all under `/workshops/<id><path>`."""
    blueprint = Blueprint(name, import_name, url_prefix="/workshops/<int:workshop_id>" + path)
    blueprint.before_request(load_workshop)
    return blueprint
