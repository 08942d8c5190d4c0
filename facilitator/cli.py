"""Command-line tools: `flask --app wsgi demo load` and `flask --app wsgi translate ...`."""

import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .accounts.cli import accounts
from .venue import cli as _venue_cli  # noqa: F401  (adds `venue check` to the venue group)
from .workshops.cli import venue

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"

demo = AppGroup("demo", help="The demo workshop and its facilitator.")
translate = AppGroup("translate", help="Extract, update and compile the pl, bg and en catalogs.")


@demo.command("load")
def demo_load():
    """Create the demo facilitator and the Kyustendil workshop (once) and print how to sign in."""
    from .demo import load_demo

    email = current_app.config["DEMO_EMAIL"]
    password = current_app.config["DEMO_PASSWORD"]
    _, workshop, created = load_demo(email, password)
    click.echo("Demo workshop " + ("created" if created else "already there") + f": {workshop.title}")
    click.echo(f"  Sign in with:  {email}  /  {password}" + ("" if created else "  (unless you changed the password)"))


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate.command("extract")
def translate_extract():
    """Collect every marked string into translations/messages.pot."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_pgettext:1c,2",
        "--no-location",
        "--sort-by-file",
        "-o",
        str(POT),
        ".",
    )


@translate.command("update")
def translate_update():
    """Extract, then merge new strings into each language's catalog."""
    translate_extract.callback()
    for lang in current_app.config["LANGUAGES"]:
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        action = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching"] if action == "update" else []
        _pybabel(action, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--no-wrap", *extra)


@translate.command("compile")
def translate_compile():
    """Build the .mo files the app reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def register_cli(app):
    app.cli.add_command(accounts)
    app.cli.add_command(demo)
    app.cli.add_command(translate)
    app.cli.add_command(venue)
