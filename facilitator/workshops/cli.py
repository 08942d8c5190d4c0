"""`flask --app wsgi venue addresses`: where phones in the room reach this laptop, and the QR to join.

`make run` prints it before the server starts, in the language of the terminal (LANG), so whoever
sets up the room sees the address to give out without opening a page.
"""

import io
import os

import click
import segno
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from . import addresses
from .models import Workshop, WorkshopStatus
from .qr import ERROR_LEVEL

venue = AppGroup("venue", help="The venue's network: the addresses phones use to reach this laptop.")
#: The join QR codes printed at start, live workshops first: more would scroll the address away.
MOST_WORKSHOPS = 3
ANY_ADDRESS = ("0.0.0.0", "", "::", "[::]")


def terminal_language(environ, languages):
    """The app language the terminal's locale names (LC_ALL, LC_MESSAGES, LANG), else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").split(".")[0].split("_")[0].lower()
        if value in languages:
            return value
        if value:
            break
    return "en"


def reachable_bases(host, port, found):
    """The base URLs a phone can open: every LAN address when the server listens on all of them."""
    suffix = "" if port == 80 else f":{port}"
    if host in ANY_ADDRESS:
        return [f"http://{address}{suffix}" for address in addresses.lan_addresses(found)]
    if addresses.is_loopback(host):
        return []
    return [f"http://{host}{suffix}"]


def workshops_to_join(today, limit=MOST_WORKSHOPS):
    """Live workshops, then drafts held today: the ones a room might be joining now."""
    live = db.select(Workshop).filter_by(status=WorkshopStatus.LIVE.value).order_by(Workshop.starts_on.desc())
    found = list(db.session.scalars(live.limit(limit)))
    if len(found) < limit:
        today_drafts = db.select(Workshop).filter(
            Workshop.status == WorkshopStatus.DRAFT.value, Workshop.starts_on <= today
        )
        today_drafts = today_drafts.filter(db.func.coalesce(Workshop.ends_on, Workshop.starts_on) >= today)
        found += list(db.session.scalars(today_drafts.order_by(Workshop.id).limit(limit - len(found))))
    return found


def terminal_qr(url):
    """The QR code of `url` drawn in text, light on dark as terminals show it."""
    out = io.StringIO()
    segno.make(url, error=ERROR_LEVEL).terminal(out=out, compact=True, border=2)
    return out.getvalue()


def address_report(host, port, found, workshops, join_path):
    """What `venue addresses` prints: where phones reach the server and each workshop's join link and QR."""
    bases = reachable_bases(host, port, found)
    if not bases:
        if host in ANY_ADDRESS:
            return [_("This laptop is on no network phones could reach: connect it to the venue's Wi-Fi.")]
        return [
            _("Only this laptop can open it (%(host)s).", host=host),
            _("For phones in the room, start it with: make run HOST=0.0.0.0"),
        ]
    lines = [_("Phones on the same Wi-Fi open:")] + [f"    {base}" for base in bases]
    for workshop in workshops:
        url = bases[0] + join_path(workshop)
        lines += ["", _("Join “%(title)s” (code %(code)s):", title=workshop.title, code=workshop.join_code), url]
        lines += terminal_qr(url).splitlines()
    if not workshops:
        lines += ["", _("No workshop is live today; each workshop's page links to its join code and QR code.")]
    return lines


@venue.command("addresses")
@click.option("--host", default="127.0.0.1", help="The address the server listens on (HOST).")
@click.option("--port", default=5000, type=int, help="Its port (PORT).")
def print_addresses(host, port):
    """Print the addresses phones can use and each live workshop's join link with its QR code."""
    from datetime import date

    from flask import url_for

    language = terminal_language(os.environ, current_app.config["LANGUAGES"])
    with current_app.test_request_context(), force_locale(language):
        lines = address_report(
            host,
            port,
            addresses.machine_addresses(),
            workshops_to_join(date.today()),
            lambda workshop: url_for("joining.join", code=workshop.join_code),
        )
        click.echo("\n".join(["", *("  " + line if line else line for line in lines), ""]))
