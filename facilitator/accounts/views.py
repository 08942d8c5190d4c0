"""Sign up, sign in, sign out, change or reset the password, and end sessions."""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from ..core.errors import form_view, retry_after_seconds, wait_for
from ..core.htmx import submit
from ..core.urls import safe_next_url
from ..extensions import db, limiter, login_manager
from . import services
from .forms import (
    MAX_EMAIL,
    ChangePasswordForm,
    ForgotPasswordForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from .mail import mail_configured

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to see that page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_facilitator(token):
    """Flask-Login keeps the session's token (cookie or remember-me); only a live session signs in."""
    record = services.find_session(token)
    if record is None:
        return None
    if services.session_is_stale(record):
        g.touch_session_id = record.id
    facilitator = record.facilitator
    facilitator.session_token = token
    return facilitator


@bp.after_app_request
def note_session_in_use(response):
    """Write a session's last-seen time after the view, so it never commits the view's own work."""
    session_id = g.pop("touch_session_id", None)
    if session_id is not None and not (db.session.new or db.session.dirty or db.session.deleted):
        try:
            services.touch_session(session_id)
        except SQLAlchemyError:  # only a convenience for the account page; never fail a request for it
            db.session.rollback()
    return response


def _start_session(facilitator, remember=False):
    """Sign in with a new server-side session, a new remember-me token and a new CSRF token."""
    services.open_session(facilitator, request.user_agent.string)
    login_user(facilitator, remember=remember)
    # A token someone saw before the sign-in must not work after it.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def _form_page(template, form, **context):
    """The form's page: 200 when it is first shown, 422 once it was sent and refused."""
    return render_template(template, form=form, **context), 422 if form.is_submitted() else 200


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_UP_RATE_LIMIT"], methods=["POST"])
@form_view
def sign_up():
    """Create a facilitator account and sign it in."""
    if current_user.is_authenticated:
        return redirect(url_for("planning.dashboard"))
    form = SignUpForm()
    facilitator = submit(
        form,
        lambda: services.sign_up(form.email.data, form.display_name.data, form.password.data, session.get("lang")),
    )
    if facilitator is None:
        return _form_page("accounts/sign_up.html", form)
    _start_session(facilitator)
    flash(_("Welcome, %(name)s! Your account is ready.", name=facilitator.display_name), "success")
    return redirect(url_for("planning.dashboard"))


def _count_failed_sign_in(response):
    """Only failed attempts use up the sign-in allowance."""
    return response.status_code != 302


def _typed_account():
    """Rate-limit key for the account a form names, whether or not it exists."""
    return "account:" + services.normalise_email(request.form.get("email"))[:MAX_EMAIL]


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"], deduct_when=_count_failed_sign_in)
@limiter.limit(
    lambda: current_app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"],
    key_func=_typed_account,
    methods=["POST"],
    deduct_when=_count_failed_sign_in,
)
@form_view
def sign_in():
    """Check the credentials and start a session."""
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")) or url_for("planning.dashboard"))
    form = SignInForm()
    facilitator = submit(form, lambda: services.authenticate(form.email.data, form.password.data))
    if facilitator is None:
        return _form_page("accounts/sign_in.html", form, mail_configured=mail_configured())
    _start_session(facilitator, remember=form.remember.data)
    if facilitator.locale and "lang" not in session:
        session["lang"] = facilitator.locale
    return redirect(safe_next_url(request.args.get("next")) or url_for("planning.dashboard"))


@bp.errorhandler(429)
def too_many_attempts(error):
    """Keep the typed email and say plainly why the form was refused and when to try again."""
    seconds = retry_after_seconds()
    when = wait_for(seconds)
    context = {}
    if request.endpoint == "accounts.sign_up":
        template, form = "accounts/sign_up.html", SignUpForm()
        message = _("Too many new accounts from your address. Try again in %(when)s.", when=when)
    elif request.endpoint == "accounts.forgot_password":
        template, form = "accounts/forgot_password.html", ForgotPasswordForm()
        message = _("Too many requests for a reset link. Try again in %(when)s.", when=when)
    else:
        template, form = "accounts/sign_in.html", SignInForm()
        context["mail_configured"] = mail_configured()
        if getattr(getattr(error, "limit", None), "key_func", None) is _typed_account:
            message = _("Too many failed sign-ins for this account. Try again in %(when)s.", when=when)
        else:
            message = _("Too many sign-in attempts from your address. Try again in %(when)s.", when=when)
    form.form_errors.append(message)
    return render_template(template, form=form, **context), 429, {"Retry-After": str(seconds)}


@bp.route("/signout", methods=["POST"])
def sign_out():
    """End the session on the server; a POST so no link or prefetch signs anyone out."""
    if current_user.is_authenticated:
        services.end_session(current_user.session_token)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of this account, this device's too."""
    services.end_all_sessions(current_user)
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("accounts.sign_in"))


def _account_page(form, status=200):
    current = services.find_session(current_user.session_token)
    sessions = services.live_sessions(current_user)
    return render_template(
        "accounts/account.html", form=form, sessions=sessions, current_session_id=current.id if current else None
    ), status


@bp.route("/account", methods=["GET"])
@login_required
def account():
    """The facilitator's own account page."""
    return _account_page(ChangePasswordForm())


@bp.route("/account/password", methods=["POST"])
@login_required
@form_view
def change_password():
    """Replace the password after checking the current one; other devices are signed out."""
    form = ChangePasswordForm()

    def change():
        old, new = form.current_password.data, form.new_password.data
        return services.change_password(current_user, old, new, keep_session=current_user.session_token)

    if submit(form, change) is None:
        return _account_page(form, status=422)
    flash(_("Your password is changed. Your other devices are signed out."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], key_func=_typed_account, methods=["POST"])
@form_view
def forgot_password():
    """Mail a reset link; the answer is the same whether an account uses the email or not."""
    if not mail_configured():
        abort(404)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data,
            lambda token: url_for("accounts.reset_password", token=token, _external=True),
            str(get_locale()),
        )
        flash(
            _("If an account uses this email, we sent it a link to set a new password. The link works for one hour."),
            "info",
        )
        return redirect(url_for("accounts.sign_in"))
    return _form_page("accounts/forgot_password.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@form_view
def reset_password(token):
    """Set a new password from a mailed link; the link then stops working and every session ends."""
    facilitator = services.facilitator_for_reset_token(token)
    if facilitator is None:
        return render_template("accounts/reset_link_expired.html", mail_configured=mail_configured()), 410
    form = ResetPasswordForm()
    if submit(form, lambda: services.set_password(facilitator, form.new_password.data)) is None:
        return _form_page("accounts/reset_password.html", form, token=token)
    logout_user()
    flash(_("Your new password is set. Sign in with it."), "success")
    return redirect(url_for("accounts.sign_in"))
