"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""

from flask_babel import force_locale, get_translations
from sqlalchemy.orm import configure_mappers

from facilitator import create_app

app = create_app()


def _warm_up():
    """Do at worker start what the first requests would otherwise do while holding the loop.

    Compiling a big template takes ~0.1 s of CPU, and so do SQLAlchemy configuring its mappers
    and Babel reading a language's catalog.
    """
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    configure_mappers()
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()


_warm_up()
