"""Where an autosave's time goes: N saves through the app in this process, under cProfile.

    .venv/bin/python bench/profile_save.py                 # 2,000 saves, SQLite in a temp folder
    .venv/bin/python bench/profile_save.py --saves 5000 --top 30

Prints the SQL statements one save runs, the CPU per save, and the top of the profile (by own
time and by cumulative time). No server, no network: what the request path itself costs.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def scene(app):
    from facilitator.accounts.services import sign_up
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.participants import services as participant_services
    from facilitator.planning.services import create_workshop
    from facilitator.stages.models import StageState

    with app.app_context():
        owner = sign_up(f"profile-{secrets.token_hex(4)}@example.org", "Profile", "profile-password")
        workshop = create_workshop(owner, "Profile", date.today(), locale="en")
        stage = workshop.process.stages[0]
        stage.state = StageState.OPEN.value
        group = Group(workshop_id=workshop.id, name="Group 1", position=1)
        db.session.add(group)
        db.session.commit()
        person = participant_services.join(workshop, group, "Member")
        field = next(f for f in stage.fields if f.kind != "choice")
        cookie = (
            participant_services.cookie_name(workshop),
            participant_services.cookie_value(app.config["SECRET_KEY"], person),
        )
        return f"/w/{workshop.id}/g/{group.id}", field.id, cookie


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true", help="only the cost per save")
    parser.add_argument("--callees", default="", help="print what these functions call instead (a pstats pattern)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.update(
        {
            "FACILITATOR_DATABASE_URL": f"sqlite:///{tmp}/profile.sqlite3",
            "FACILITATOR_SECRET_KEY": secrets.token_hex(16),
            "FACILITATOR_INSTANCE_PATH": tmp,
        }
    )
    os.environ.pop("FACILITATOR_REDIS_URL", None)
    from sqlalchemy import event

    from facilitator import create_app
    from facilitator.config import Config
    from facilitator.extensions import db

    app = create_app(Config)
    app.config["SAVE_RATE_LIMIT"] = "1000000 per minute"
    with app.app_context():
        db.create_all()
    base, field_id, (cookie_name, cookie_value) = scene(app)
    client = app.test_client()
    client.set_cookie(cookie_name, cookie_value)
    page = client.get(base).get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    headers = {"X-CSRFToken": token, "X-Autosave": "1"}
    url = f"{base}/fields/{field_id}"

    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, *rest: statements.append(statement.split()[0])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)

    def save(version):
        response = client.post(
            url, data={"value": f"text {version} " + "x" * 40, "base_version": version - 1}, headers=headers
        )
        assert response.status_code == 204, response.status_code

    save(1)
    statements.clear()
    save(2)
    print(f"one save runs {len(statements)} SQL statements: {', '.join(statements)}")
    event.remove(engine, "before_cursor_execute", listener)

    # First without the profiler (what a save really costs), then under it (where the time goes).
    started, cpu = time.perf_counter(), time.process_time()
    for version in range(3, args.saves + 3):
        save(version)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{args.saves} saves: {wall / args.saves * 1000:.2f} ms wall, {cpu / args.saves * 1000:.2f} ms CPU per save")
    if args.no_profile:
        return
    first = args.saves + 3
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    for version in range(first, first + args.saves):
        save(version)
    profile.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.saves} saves: {wall / args.saves * 1000:.2f} ms wall, {cpu / args.saves * 1000:.2f} ms CPU per save (under cProfile)"
    )
    if args.callees:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative").print_callees(args.callees)
        print(out.getvalue()[:8000])
        return
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n--- by {order} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


if __name__ == "__main__":
    main()
