"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""

from facilitator import create_app

app = create_app()


def _compile_templates():
    """Compile every template at worker start: a big one compiled on first use holds the loop ~0.1 s."""
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)


_compile_templates()
