"""Which language a request is served in, and the helpers templates use for it."""

from flask import current_app, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale
from flask_login import current_user

from ..extensions import babel

#: Each language named in itself, so a lost user can find their own.
LANGUAGE_NAMES = {"pl": "Polski", "bg": "Български", "en": "English"}


def select_locale():
    """The user's explicit choice first, then their account, then the browser."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_i18n(app):
    """Bind Babel with our selector and expose formatters to templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.context_processor
    def language_context():
        return {
            "current_language": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
            "format_date": format_date,
            "format_datetime": format_datetime,
            "format_time": format_time,
            "format_decimal": format_decimal,
        }
