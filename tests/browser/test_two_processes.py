"""Scale-out: two app processes on PostgreSQL + Redis; a save on one reaches a stream on the other."""

import json
import os
import re
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest

from .conftest import Server

pytestmark = pytest.mark.skipif(
    not os.environ.get("FACILITATOR_TEST_REDIS_URL"), reason="runs in the PostgreSQL + Redis half of `make test`"
)


def test_a_save_on_one_process_reaches_a_stream_on_the_other(server_env, server_app, live_server, tmp_path):
    from facilitator import demo
    from facilitator.extensions import db
    from facilitator.participants import services as participants
    from facilitator.stages.models import StageState

    second = Server(server_env, tmp_path / "second.log")
    second.start()
    try:
        with server_app.app_context():
            _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
            workshop.process.stages[1].state = StageState.OPEN.value
            db.session.commit()
            from facilitator.groups.models import Group

            group = db.session.scalar(db.select(Group).filter_by(workshop_id=workshop.id, name="Група 3"))
            ana_name = f"Ана {os.getpid()}-{tmp_path.name}"
            ana = participants.join(workshop, group, ana_name)
            cookie = f"{participants.cookie_name(workshop)}={participants.cookie_value(server_env['FACILITATOR_SECRET_KEY'], ana)}"
            field = workshop.process.stages[1].fields[0]
            field_id = field.id
            from facilitator.answers.services import answer_for

            current = answer_for(group, field)
            version = current.version if current else 0
            base = f"/w/{workshop.id}/g/{group.id}"

        # Boris's phone listens on the second process.
        stream = urllib.request.urlopen(
            urllib.request.Request(
                second.url + base + "/stream", headers={"Cookie": cookie, "Accept": "text/event-stream"}
            ),
            timeout=10,
        )
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        while b"event: stream-open" not in stream.readline():
            pass

        # Ana saves through the first process.
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(urllib.request.Request(live_server + base, headers={"Cookie": cookie})).read().decode()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        session = next(c for c in jar if c.name == "session")
        saved = opener.open(
            urllib.request.Request(
                live_server + base + f"/fields/{field_id}",
                method="POST",
                data=urlencode({"value": "Запазено в процес 1", "base_version": str(version)}).encode(),
                headers={"Cookie": f"{cookie}; session={session.value}", "X-CSRFToken": token, "X-Autosave": "1"},
            )
        )
        assert saved.status == 204

        lines = []
        while not any(line.startswith(f"event: field-{field_id}") for line in lines):
            lines.append(stream.readline().decode().strip())
        data = stream.readline().decode().strip()
        assert json.loads(data.removeprefix("data: ")) == {"v": version + 1, "t": "Запазено в процес 1", "by": ana_name}
        stream.close()
    finally:
        second.stop()
