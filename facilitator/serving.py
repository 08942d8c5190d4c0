"""The app as a server process runs it: built once, warmed up, its start-up objects set aside.

`wsgi.py` (what `make run` serves) and an installed wheel (`gunicorn 'facilitator.serving:served_app()'`)
both start here; tests and the CLI build apps with `create_app` alone.
"""

import gc

from flask_babel import force_locale, get_translations
from sqlalchemy.orm import configure_mappers

from . import create_app


def warm_up(app):
    """Do at worker start what the first requests would otherwise do while holding the loop.

    Compiling a big template takes ~0.1 s of CPU, and so do SQLAlchemy configuring its mappers
    and Babel reading a language's catalog; compressing the static folder, about as much.
    """
    app.extensions["static_files"].prepare()
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    configure_mappers()
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()


def set_aside_what_lives_forever():
    """Python's cycle collector walks every object it tracks; a full pass over the app, its
    templates and mappers took over 0.1 s of CPU on the loop. What exists once the app is warm
    lives as long as the process: frozen, the collector never walks it again."""
    gc.collect()
    gc.freeze()


def served_app():
    app = create_app()
    warm_up(app)
    set_aside_what_lives_forever()
    return app
