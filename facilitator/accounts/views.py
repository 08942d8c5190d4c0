"""Sign up, sign in, sign out and change password."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..core.errors import form_view
from ..core.urls import safe_next_url
from ..extensions import db, limiter, login_manager
from . import services
from .models import Facilitator
from .forms import ACCOUNT_MESSAGES, ChangePasswordForm, SignInForm, SignUpForm

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to see that page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_facilitator(facilitator_id):
    """Flask-Login keeps the id in the session; this turns it back into the account."""
    return db.session.get(Facilitator, int(facilitator_id))


def _refuse(form, error):
    """Put a service's refusal next to the field it concerns."""
    message = str(ACCOUNT_MESSAGES[error.code]) % {"min": services.MIN_PASSWORD_LENGTH}
    getattr(form, error.field).errors.append(message)


def _render_form(template, form, status=None, **context):
    status = status or (422 if form.is_submitted() else 200)
    return render_template(template, form=form, **context), status


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_UP_RATE_LIMIT"], methods=["POST"])
@form_view
def sign_up():
    """Create a facilitator account and sign it in."""
    if current_user.is_authenticated:
        return redirect(url_for("workshops.dashboard"))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            facilitator = services.sign_up(
                form.email.data, form.display_name.data, form.password.data, locale=session.get("lang")
            )
        except services.AccountError as error:
            _refuse(form, error)
        else:
            login_user(facilitator)
            flash(_("Welcome, %(name)s! Your account is ready.", name=facilitator.display_name), "success")
            return redirect(url_for("workshops.dashboard"))
    return _render_form("accounts/sign_up.html", form)


def _count_failed_sign_in(response):
    """Only failed attempts use up the sign-in allowance."""
    return response.status_code != 302


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"], deduct_when=_count_failed_sign_in
)
@form_view
def sign_in():
    """Check the credentials and start a session."""
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")) or url_for("workshops.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            facilitator = services.authenticate(form.email.data, form.password.data)
        except services.AccountError as error:
            _refuse(form, error)
        else:
            login_user(facilitator, remember=form.remember.data)
            if facilitator.locale and "lang" not in session:
                session["lang"] = facilitator.locale
            return redirect(safe_next_url(request.args.get("next")) or url_for("workshops.dashboard"))
    return _render_form("accounts/sign_in.html", form)


@bp.errorhandler(429)
def too_many_attempts(error):
    """Keep the typed email and say plainly why the form was refused."""
    if request.endpoint == "accounts.sign_up":
        form = SignUpForm()
        form.form_errors.append(_("Too many new accounts from your address. Wait an hour, then try again."))
        return _render_form("accounts/sign_up.html", form, status=429)
    form = SignInForm()
    form.form_errors.append(_("Too many sign-in attempts from your address. Wait a minute, then try again."))
    return _render_form("accounts/sign_in.html", form, status=429)


@bp.route("/signout", methods=["POST"])
def sign_out():
    """End the session; a POST so no link or prefetch signs anyone out."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    """The facilitator's own account page."""
    return render_template("accounts/account.html", form=ChangePasswordForm())


@bp.route("/account/password", methods=["POST"])
@login_required
@form_view
def change_password():
    """Replace the password after checking the current one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except services.AccountError as error:
            _refuse(form, error)
        else:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.account"))
    return _render_form("accounts/account.html", form)
