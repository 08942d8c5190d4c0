"""Friendly error pages in the user's language, and form-aware CSRF handling."""

import math
import time

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import npgettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from ..extensions import db, limiter


def form_view(view):
    """Mark a view whose FlaskForm checks CSRF itself, so a bad token re-renders its form.

    The form then shows what was typed with the token error at the top, instead of a bare
    error page that would lose the user's text. Only FlaskForm views may be marked: their
    validate_on_submit() fails on the same token, so nothing is acted on.
    """
    view.rerender_on_csrf_error = True
    return view


#: Form fields that hold secrets or bookkeeping, never something a person wants back.
_NOT_TYPED = ("csrf", "password", "confirm", "pin", "token", "version")


def typed_texts(form, limit=20, max_chars=20_000):
    """What a person typed into a refused form, so the error page can give it back to copy.

    Numbers alone (ids, versions) and secrets are left out; the template escapes the rest.
    """
    texts = []
    for name, value in form.items(multi=True):
        if any(word in name.lower() for word in _NOT_TYPED):
            continue
        value = value.strip()
        if not value or value.isdigit() or value in ("y", "on", "http://"):
            continue
        texts.append(value[:max_chars])
        if len(texts) == limit:
            break
    return texts


def retry_after_seconds():
    """Seconds until the limit this request hit lets the next attempt through (at least one)."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def wait_for(seconds):
    """How long to wait, in words that follow "Try again in" (Polish takes the accusative there)."""
    if seconds < 60:
        return npgettext("try again in", "%(num)d second", "%(num)d seconds", seconds)
    # Rounded, not ceiled: a limit's window rarely ends on the second, and 901 s reads as 15 minutes.
    minutes = max(1, round(seconds / 60))
    if minutes < 120:
        return npgettext("try again in", "%(num)d minute", "%(num)d minutes", minutes)
    return npgettext("try again in", "%(num)d hour", "%(num)d hours", round(minutes / 60))


def _page(template, status, **context):
    return render_template(template, **context), status


#: Errors whose page only names what happened and what to do next.
PLAIN_PAGES = {
    403: (_l("This is not yours to change"), _l("You do not have access to this page or action.")),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. Check the link, or start from the home page."),
    ),
    405: (_l("That action is not available here"), _l("Go back and use the page's own buttons.")),
    413: (
        _l("That was too much to send"),
        _l("The text or file is larger than we accept. Shorten it and try again."),
    ),
}


def _plain_page(status, title, message):
    def handler(error):
        return _page("errors/error.html", status, title=title, message=message)

    return handler


def _holds_nul(values):
    return any("\x00" in value for value in values if isinstance(value, str))


def refuse_nul_bytes():
    """No person types a NUL byte; PostgreSQL cannot store one in text, so refuse it at the door."""
    if (
        _holds_nul((request.view_args or {}).values())
        or _holds_nul(request.args.values())
        or _holds_nul(request.args.keys())
        or (request.method == "POST" and (_holds_nul(request.form.values()) or _holds_nul(request.form.keys())))
    ):
        abort(400)


def _load_what_the_url_names():
    """Run the blueprint's own before-request loaders, which the app's CSRF check stopped before.

    They put what the URL names (the workshop, the seat) into the view's arguments, or answer
    for the view (sign in first, not yours); that answer is returned.
    """
    for name in reversed(request.blueprints):
        for load in current_app.before_request_funcs.get(name, ()):
            answer = load()
            if answer is not None:
                return answer
    return None


def register_error_handlers(app):
    """Error pages that say what happened in plain words and never leak internals."""

    app.before_request(refuse_nul_bytes)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        view = current_app.view_functions.get(request.endpoint)
        if view is not None and getattr(view, "rerender_on_csrf_error", False):
            try:
                refused = _load_what_the_url_names()
                if refused is not None:
                    return refused
                rendered = view(**(request.view_args or {}))
            except HTTPException as error:  # e.g. the workshop was deleted meanwhile
                return current_app.handle_http_exception(error)
            response = current_app.make_response(rendered)
            response.status_code = 400
            return response
        return _page(
            "errors/error.html",
            400,
            title=_("This form has expired"),
            message=_(
                "The page was open too long or was sent from somewhere else. "
                "Go back, reload the page and send it again."
            ),
            typed=typed_texts(request.form),
        )

    @app.errorhandler(400)
    def bad_request(error):
        if isinstance(error, SecurityError):
            # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
            return _("This server does not answer to that address."), 400, {"Content-Type": "text/plain; charset=utf-8"}
        return _page(
            "errors/error.html",
            400,
            title=_("Something in the request was wrong"),
            message=_("Go back, reload the page and try again."),
        )

    for status, (title, message) in PLAIN_PAGES.items():
        app.register_error_handler(status, _plain_page(status, title, message))

    @app.errorhandler(429)
    def too_many_requests(error):
        seconds = retry_after_seconds()
        body, status = _page(
            "errors/error.html",
            429,
            title=_("Too many requests"),
            message=_("You are going faster than we can follow. Try again in %(when)s.", when=wait_for(seconds)),
        )
        return body, status, {"Retry-After": str(seconds)}

    @app.errorhandler(500)
    def server_error(error):
        # The failed statement may have left the session unusable, and the page reads the account.
        db.session.rollback()
        return _page(
            "errors/error.html",
            500,
            title=_("Something went wrong on our side"),
            message=_(
                "Nothing you typed was your fault. Try again in a moment; if it keeps happening, tell the facilitator."
            ),
        )
