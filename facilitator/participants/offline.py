"""The service worker that keeps a group's page on the phone for when the Wi-Fi drops.

Browsers run service workers only in secure contexts (https, or http on localhost), so a venue
laptop on plain http://192.168.x.y gets none and the page works as before; behind TLS a phone that
reloads or reopens the tab offline gets its group's page as it last saw it (static/js/offline.js
says so on the page). The worker's script is served from the root, outside `/w/` where every URL
belongs to a seat, and its header lets it work on `/w/` and nowhere else; its rules (`RULES`, what
it keeps and what it never keeps) are written into it here, so tests read the same.
"""

import json
import re
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app

bp = Blueprint("offline", __name__)

#: Where the worker works: every participant URL, nothing of the facilitators'.
SCOPE = "/w/"
#: What the worker keeps and what it leaves alone; JavaScript and Python regular expressions alike.
RULES = {
    # A group's workspace page: asked for over the network first, the last good copy kept for when
    # the network fails. Nothing else under the seat (fragments, saves, the stream, the PDFs).
    "page": r"^/w/\d+/g/\d+$",
    # Static files named by their content hash (core.assets): kept, and served without asking.
    "static": r"^/static/.+[?&]v=[0-9a-f]+$",
    # The seat is gone (session ended, moved, removed): the kept pages are thrown away, as the
    # phone may be handed to someone else.
    "ended": [401, 403, 404, 410],
    "caches": {"pages": "facilitator-pages-v1", "static": "facilitator-static-v1"},
}


def keeps(kind, path_and_query):
    """Whether the worker keeps what this URL (path and query) answers as `kind` ("page" or "static")."""
    return re.search(RULES[kind], path_and_query) is not None


@cache
def _script(folder):
    source = (Path(folder) / "js" / "offline-worker.js").read_text(encoding="utf-8")
    return "var OFFLINE_RULES = " + json.dumps(RULES) + ";\n" + source


bp.add_app_template_global(SCOPE, "offline_scope")


@bp.route("/offline-worker.js")
def worker():
    """The service worker, allowed the participants' pages only, asked about on every visit."""
    response = current_app.response_class(_script(current_app.static_folder), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # a new version reaches phones on their next visit
    response.headers["Service-Worker-Allowed"] = SCOPE
    return response
