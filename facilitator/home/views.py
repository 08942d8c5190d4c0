"""The home page (the way in for participants and facilitators) and the language switcher."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..accounts import services as account_services
from ..core.urls import safe_next_url
from ..participants.forms import CodeForm

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Landing page: what this is, and the way in for facilitators."""
    return render_template("home/index.html", code_form=CodeForm())


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen UI language for this browser (and the account, if signed in)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        session.permanent = True
        if current_user.is_authenticated:
            account_services.remember_locale(current_user, lang)
    return redirect(safe_next_url(request.form.get("next")) or url_for("home.index"))
