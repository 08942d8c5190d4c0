"""What a phone downloads: on its first visit (the join page, then its group's workspace, with
every stylesheet, script and icon they name) and on a return visit (the workspace again).

    .venv/bin/python bench/phone_bytes.py

Counts the bytes of each response body as the app sends it to a browser that takes gzip, and
the requests a return visit makes: an asset whose response said `immutable` is not asked for
again; any other asset costs a revalidation (a 304). No server, no network: the app in this
process, SQLite in a temp folder. Also prints what the same files weigh uncompressed.
"""

import os
import re
import secrets
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
BROWSER = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "pl"}


def scene(app):
    from facilitator.accounts.services import sign_up
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.participants import services as participant_services
    from facilitator.planning.services import create_workshop
    from facilitator.stages.models import StageState

    with app.app_context():
        owner = sign_up(f"bytes-{secrets.token_hex(4)}@example.org", "Bytes", "bytes-password")
        workshop = create_workshop(owner, "Bytes", date.today(), locale="pl")
        workshop.process.stages[0].state = StageState.OPEN.value
        group = Group(workshop_id=workshop.id, name="Grupa 1", position=1)
        db.session.add(group)
        db.session.commit()
        person = participant_services.join(workshop, group, "Ania")
        cookie = (
            participant_services.cookie_name(workshop),
            participant_services.cookie_value(app.config["SECRET_KEY"], person),
        )
        return f"/j/{workshop.join_code}", f"/w/{workshop.id}/g/{group.id}", cookie


def main():
    tmp = tempfile.mkdtemp()
    os.environ.update(
        {
            "FACILITATOR_DATABASE_URL": f"sqlite:///{tmp}/bytes.sqlite3",
            "FACILITATOR_SECRET_KEY": secrets.token_hex(16),
            "FACILITATOR_INSTANCE_PATH": tmp,
        }
    )
    os.environ.pop("FACILITATOR_REDIS_URL", None)
    from facilitator import create_app
    from facilitator.config import Config
    from facilitator.extensions import db

    app = create_app(Config)
    with app.app_context():
        db.create_all()
    join, workspace, (cookie_name, cookie_value) = scene(app)
    client = app.test_client()

    def page(url):
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, (url, response.status_code)
        return response

    first = [("join page", page(join))]
    client.set_cookie(cookie_name, cookie_value)
    first.append(("workspace", page(workspace)))
    assets = {}
    for _, response in first:
        for url in ASSET.findall(response.get_data(as_text=True)):
            assets.setdefault(url, None)
    for url in assets:
        assets[url] = client.get(url, headers=BROWSER)
    pages = sum(len(response.data) for _, response in first)
    sent = sum(len(response.data) for response in assets.values())
    raw = sum(len((ROOT / url.split("?")[0].lstrip("/")).read_bytes()) for url in assets)
    kept = [url for url, response in assets.items() if "immutable" in response.headers.get("Cache-Control", "")]
    print(f"first visit: {len(first)} pages {pages / 1024:.1f} KB + {len(assets)} assets {sent / 1024:.1f} KB sent")
    print(f"             (the same assets uncompressed: {raw / 1024:.1f} KB)")
    for url, response in assets.items():
        encoding = response.headers.get("Content-Encoding", "identity")
        print(f"  {len(response.data) / 1024:6.1f} KB  {encoding:8}  {response.headers['Cache-Control']:40}  {url}")
    again = page(workspace)
    asked = [url for url in ASSET.findall(again.get_data(as_text=True)) if url not in kept]
    print(
        f"return visit: the workspace {len(again.data) / 1024:.1f} KB; assets asked for again: {len(asked)}"
        f" (each a 304 revalidation); kept without asking: {len(kept)}"
    )


if __name__ == "__main__":
    main()
