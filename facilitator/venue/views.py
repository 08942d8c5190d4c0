"""The workshop's "Check this laptop" page: start the venue check, watch it run, read the verdict.

The check runs in a process of its own (`flask venue check --status-file ...`), never in a
request: its hundred phones would hold the server's event loop. The page polls the check's
status file until the verdict is in.
"""

import os
import socket
import subprocess
import sys
import time

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..core.htmx import Area
from ..workshops.loading import workshop_pages
from ..workshops.services import workshops_of
from . import check, status
from .cli import progress_line
from .forms import CheckForm
from .verdict import figures_line, verdict

bp = workshop_pages("venue", __name__, "/venue")
PAGE = "venue/index.html"
PANEL = "venue/_panel.html"
STATUS = "venue/_status.html"
ui = Area("venue-check-status")


def own_url(environ):
    """The address this server itself listens on, from the connection the request came in on."""
    sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    try:
        host, port = sock.getsockname()[:2]
    except (AttributeError, OSError, TypeError, ValueError):
        return None
    if not isinstance(host, str):
        return None
    if not host.startswith("127."):
        try:  # bound to every address: the phones then speak from loopback addresses of their own
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            host = "127.0.0.1"
        except OSError:
            pass
    return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"


def spawn_check(environ, phones, workshop, language):
    """Start `flask venue check` against this server in a process of its own; reaped when it ends."""
    url = own_url(environ)
    if url is None:
        raise check.CheckRefused("no-address")
    app = current_app
    path = status.status_path(app)
    command = [sys.executable, "-m", "flask", "--app", "facilitator:create_app()", "venue", "check"]
    command += ["--phones", str(phones), "--url", url, "--workshop", str(workshop.id), "--language", language]
    command += ["--status-file", str(path), "--server-pid", str(os.getpid()), "--no-start"]
    with open(path.with_name(status.LOG_FILE), "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    status.claim(path, process.pid, phones=phones, workshop_id=workshop.id, step="starting")
    import threading

    threading.Thread(target=process.wait, daemon=True).start()  # no zombie left behind


def _refusal(refused):
    """A refusal names only the live workshops this facilitator runs; others are counted."""
    if refused.code == "server-live":
        mine = {w.title for w in workshops_of(current_user)}
        shown = [title for title in refused.titles if title in mine]
        refused = check.CheckRefused(refused.code, shown, others=len(refused.titles) - len(shown))
    return check.refusal_message(refused)


def status_context(workshop):
    """What the status region shows: nothing yet, a running check, its verdict, or why it stopped."""
    found = status.read(status.status_path(current_app))
    context = {"workshop": workshop, "check": found, "result": None, "progress": None, "figures_line": None}
    if found is None:
        return context
    if found["state"] == "running":
        values = dict(found.get("values") or {})
        step = found.get("step", "starting")
        if step == "typing" and "at" in found:
            values["left"] = max(0, round(values.get("left", 0) - (time.time() - found["at"])))
        context["progress"] = progress_line(step, values)
    elif found["state"] == "done":
        context["result"] = verdict(found["figures"], found["phones"])
        context["figures_line"] = figures_line(found["figures"])
    elif found["state"] == "refused":
        context["refusal"] = check.refusal_message(check.CheckRefused(found.get("refusal", ""), []))
    return context


def _context(workshop, form=None, refusal=None):
    context = status_context(workshop)
    context.update(form=form or CheckForm(formdata=None), refusal_now=refusal)
    return context


@bp.route("")
def page(workshop):
    """The check's page: the number of phones, and the last check's state or verdict."""
    return ui.answer(PAGE, PANEL, _context(workshop))


@bp.route("/status")
def progress(workshop):
    """The status region alone, which the page polls while a check runs."""
    return ui.answer(PAGE, STATUS, _context(workshop))


@bp.route("", methods=["POST"])
def start(workshop):
    """Start a check of this many phones, unless a workshop is live or a check already runs."""
    form = CheckForm()
    if not form.validate_on_submit():
        return ui.answer(PAGE, PANEL, _context(workshop, form), status=422)
    launch = current_app.config.get("VENUE_CHECK_LAUNCHER") or spawn_check
    try:
        check.refuse_if_live(workshop)
        if status.is_running(status.status_path(current_app)):
            raise check.CheckRefused("running")
        launch(request.environ, form.phones.data, workshop, str(get_locale()))
    except check.CheckRefused as refused:
        return ui.answer(PAGE, PANEL, _context(workshop, form, _refusal(refused)), status=409)
    return ui.answer(
        PAGE,
        PANEL,
        _context(workshop),
        announce=_("The check has started."),
        redirect_to=url_for("venue.page", workshop_id=workshop.id),
    )
