"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...` (see facilitator.serving)."""

from facilitator.serving import served_app

app = served_app()
