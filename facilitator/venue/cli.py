"""`flask --app wsgi venue check --phones 60`: the venue check from the terminal (`make check-venue`).

Against the server at --url (the one `make run` serves); if nothing answers there, it starts the
app as `make run` does (gunicorn, one gevent worker, the same settings) on a free port and stops
it afterwards. The page's check runs this same command in a process of its own (--status-file).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import click
import gevent
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..workshops.cli import terminal_language, venue
from ..workshops.models import Workshop
from . import check, status
from .verdict import FAILS, figures_line, verdict

START_WAIT = 30  # seconds a started server gets to answer


def answers(url):
    """Whether any HTTP server answers at `url`."""
    try:
        urllib.request.urlopen(url.rstrip("/") + "/", timeout=3).read()
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(url, start=True):
    """The server at `url` if one answers, else the app started for the check: (url, its pid or None)."""
    if answers(url):
        yield url, None
        return
    if not start:
        raise check.CheckRefused("no-server", [url])
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--worker-class",
        "gevent",
        "--workers",
        "1",
        "--worker-connections",
        "10000",
        "--graceful-timeout",
        "5",
        "--timeout",
        "60",
        "--no-control-socket",
        "--bind",
        f"127.0.0.1:{port}",
        "facilitator.serving:served_app()",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    own = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_WAIT
        while not answers(own):
            if process.poll() is not None or time.monotonic() > deadline:
                raise check.CheckRefused("no-server", [url])
            time.sleep(0.3)
        yield own, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def progress_line(step, values):
    """What the check says it is doing, in the current language."""
    if step == "joining":
        return _("%(done)d of %(phones)d phones joined.", **values)
    if step == "typing":
        return _("Phones typing: %(left)d s left.", **values)
    if step == "finishing":
        return _("Counting what arrived and deleting the check's workshop…")
    return _("Starting…")


@venue.command("check")
@click.option("--phones", default=60, type=int, help="How many phones to simulate (10 to 300).")
@click.option("--url", default="http://127.0.0.1:5000", help="The server to check (make run's address).")
@click.option("--workshop", "workshop_id", type=int, help="Copy this workshop's process and groups.")
@click.option("--seconds", default=check.SECONDS, type=int, help="How long the phones type.")
@click.option("--language", help="The language of the verdict (default: the terminal's).")
@click.option("--status-file", type=click.Path(dir_okay=False), help="Where the page reads the check's state.")
@click.option("--server-pid", type=int, help="The server's process, to measure its memory.")
@click.option("--no-start", is_flag=True, help="Never start a server: refuse if nothing answers at --url.")
def check_command(phones, url, workshop_id, seconds, language, status_file, server_pid, no_start):
    """Simulate N phones joining a throwaway workshop and typing for a minute; print the verdict."""
    app = current_app._get_current_object()
    language = language or terminal_language(os.environ, app.config["LANGUAGES"])
    path = status_file or status.status_path(app)
    pid = os.getpid()
    with app.test_request_context(), force_locale(language):
        source = db.session.get(Workshop, workshop_id) if workshop_id else None
        if workshop_id and source is None:
            raise click.ClickException(_("There is no workshop %(id)d.", id=workshop_id))
        try:
            check.check_phones(phones)
            check.refuse_if_live(source)
            status.claim(path, pid, phones=phones, workshop_id=workshop_id, step="starting", seconds=seconds)
        except check.CheckRefused as refused:
            click.echo(check.refusal_message(refused), err=True)
            if refused.code != "running":
                status.update(path, pid, state="refused", refusal=refused.code, titles=refused.titles)
            sys.exit(2)

        def progress(step, **values):
            click.echo("  " + progress_line(step, values))
            status.update(path, pid, step=step, values=values, at=time.time())

        main = gevent.getcurrent()
        gevent.signal_handler(signal.SIGTERM, lambda: gevent.kill(main, SystemExit(1), block=False))
        click.echo(
            _("Checking %(phones)d phones against %(url)s for %(seconds)d s…", phones=phones, url=url, seconds=seconds)
        )
        try:
            with served(url, start=not no_start) as (target, started_pid):
                figures = check.run_check(
                    app,
                    target,
                    phones,
                    source=source,
                    seconds=seconds,
                    progress=progress,
                    server_pid=server_pid or started_pid,
                )
        except check.CheckRefused as refused:
            click.echo(check.refusal_message(refused), err=True)
            status.update(path, pid, state="refused", refusal=refused.code, titles=refused.titles)
            sys.exit(2)
        except BaseException:
            status.update(path, pid, state="failed")
            raise
        status.update(path, pid, state="done", figures=figures, finished=time.time())
        found = verdict(figures, phones)
        click.echo("")
        for line in found.lines():
            click.echo(line)
        click.echo(figures_line(figures))
        sys.exit(1 if found.level == FAILS else 0)
