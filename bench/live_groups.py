"""Live groups under load: N participants in groups of five, each saving every 2 s, each holding
one SSE stream; how long until every teammate's stream shows a save?

    .venv/bin/python bench/live_groups.py                      # 500 participants, embedded default
    .venv/bin/python bench/live_groups.py --participants 2000
    .venv/bin/python bench/live_groups.py --database-url postgresql://... --redis-url redis://... --workers 2

It starts the app as `make run` does (gunicorn, gevent worker, migrated database), then a bare
gevent SSE echo server (bench/echo_sse.py) under the same load, and prints both; the ratio of
the app's p95 to the echo's is the figure to compare across machines.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import gevent  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
#: gevent's blocking monitor, as the browser tests run it: a line in the log per block over 0.1 s.
MONITOR = ROOT / "tools" / "gunicorn_blocking_monitor.py"
MONITOR_ENV = {
    "GEVENT_MONITOR_THREAD_ENABLE": "true",
    "GEVENT_MAX_BLOCKING_TIME": "0.1",
    "GEVENT_MONITOR_PRINT_BLOCKING_REPORTS": "false",
}
from facilitator.venue.check import rss_kb  # noqa: E402  (the server's memory, children included)
from facilitator.venue.client import Connection as PhoneConnection  # noqa: E402
from facilitator.venue.client import stream_events  # noqa: E402  (what a phone's SSE stream hears)

BLOCKED = "gevent-blocked:"
LONGEST = "gevent-longest:"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not answer")


#: A participant's keep-alive connection, waiting as long as the server takes: the latency is measured.
Connection = functools.partial(PhoneConnection, timeout=None)


# --- the two targets ---------------------------------------------------------------------------


class AppTarget:
    """The real app: participants made with the services, cookies signed with the app's key."""

    name = "app"

    def __init__(self, args, tmp):
        self.args = args
        self.env = {
            **os.environ,
            "FACILITATOR_SECRET_KEY": secrets.token_hex(16),
            "FACILITATOR_INSTANCE_PATH": str(tmp / "instance"),
            **MONITOR_ENV,
        }
        self.log_path = tmp / "server.log"
        self.env["FACILITATOR_DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if args.redis_url:
            self.env["FACILITATOR_REDIS_URL"] = args.redis_url
        else:
            self.env.pop("FACILITATOR_REDIS_URL", None)

    def start(self):
        subprocess.run(
            [BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=self.env, check=True, capture_output=True
        )
        self.port = free_port()
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--config",
                MONITOR,
                "--worker-class",
                "gevent",
                "--workers",
                str(self.args.workers),
                "--worker-connections",
                "10000",
                "--graceful-timeout",
                "5",
                "--timeout",
                "120",
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(f"http://127.0.0.1:{self.port}/", self.process)
        return self.process

    def _log_lines(self, prefix):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if line.startswith(prefix)]

    def blocks(self):
        """The monitor's lines so far: each time the event loop was held over 0.1 s, and where."""
        return self._log_lines(BLOCKED)

    def longest_block(self):
        """The longest the event loop went without a switch in any worker (ms), and by what."""
        found = []
        for line in self._log_lines(LONGEST):
            found.append((float(line.split()[1]), line.split(", by ", 1)[-1]))
        return max(found, default=(float("nan"), "no report (the server did not exit cleanly)"))

    def set_scene(self, participants, group_size):
        """A workshop with its first three stages open; members and their cookies."""
        os.environ.update({k: v for k, v in self.env.items() if k.startswith("FACILITATOR_")})
        from datetime import date

        from facilitator import create_app
        from facilitator.accounts.services import sign_up
        from facilitator.config import Config
        from facilitator.extensions import db
        from facilitator.groups.models import Group
        from facilitator.participants import services as participant_services
        from facilitator.planning.services import create_workshop
        from facilitator.stages.models import FieldKind, StageState

        app = create_app(Config)
        members = []
        with app.app_context():
            self.owner_email = f"bench-{secrets.token_hex(4)}@example.org"
            owner = sign_up(self.owner_email, "Bench", "bench-password")
            workshop = create_workshop(owner, "Benchmark", date.today(), locale="en")
            for stage in workshop.process.stages[:3]:
                stage.state = StageState.OPEN.value
            fields = [f.id for s in workshop.process.stages[:3] for f in s.fields if f.kind != FieldKind.CHOICE.value][
                :group_size
            ]
            groups = []
            for n in range(participants // group_size):
                group = Group(workshop_id=workshop.id, name=f"Group {n + 1}", position=n)
                db.session.add(group)
                groups.append(group)
            db.session.commit()
            key = app.config["SECRET_KEY"]
            for group in groups:
                for k in range(group_size):
                    person = participant_services.join(workshop, group, f"Member {k + 1}")
                    members.append(
                        {
                            "group": group.id,
                            "field": fields[k % len(fields)],
                            "cookie": f"{participant_services.cookie_name(workshop)}="
                            f"{participant_services.cookie_value(key, person)}",
                            "base": f"/w/{workshop.id}/g/{group.id}",
                        }
                    )
            self.workshop_id = workshop.id
            self.stage_ids = [stage.id for stage in workshop.process.stages]
            db.session.remove()
            db.engine.dispose()
        self.app = app
        return members

    def prepare(self, member):
        """Each device loads its workspace once, for its session cookie and CSRF token."""
        import re

        conn = Connection(self.port)
        sock = socket.create_connection(("127.0.0.1", self.port))
        request = (
            f"GET {member['base']} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {member['cookie']}\r\n"
            "Connection: close\r\n\r\n"
        )
        sock.sendall(request.encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        sock.close()
        head, _, body = data.partition(b"\r\n\r\n")
        cookies = [member["cookie"]]
        for line in head.decode("latin-1").split("\r\n"):
            if line.lower().startswith("set-cookie:") and "session=" in line:
                cookies.append(line.split(":", 1)[1].split(";", 1)[0].strip())
        member["cookies"] = "; ".join(cookies)
        member["csrf"] = re.search(rb'name="csrf-token" content="([^"]+)"', body).group(1).decode()
        member["conn"] = conn

    def stream(self, member):
        return f"{member['base']}/stream", {"Cookie": member["cookies"]}

    def save(self, member, version):
        body = urlencode({"value": f"text {version} " + "x" * 40, "base_version": version - 1}).encode()
        return (
            "POST",
            f"{member['base']}/fields/{member['field']}",
            body,
            {
                "Cookie": member["cookies"],
                "X-CSRFToken": member["csrf"],
                "X-Autosave": "1",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def event_key(self, event, data):
        if event.startswith("field-"):
            return int(event[6:]), json.loads(data)["v"]
        return None

    def verify(self, members, saved):
        """Saves lost: answers whose stored version is not the number of successful saves."""
        from facilitator.answers.models import Answer
        from facilitator.extensions import db

        lost = 0
        with self.app.app_context():
            for member in members:
                answer = db.session.scalar(
                    db.select(Answer).filter_by(group_id=member["group"], field_id=member["field"])
                )
                expected = saved.get((member["group"], member["field"]), 0)
                if (answer.version if answer else 0) != expected:
                    lost += 1
            db.session.remove()
            db.engine.dispose()
        return lost


class EchoTarget:
    """The floor: the same traffic through bench/echo_sse.py."""

    name = "echo"

    def __init__(self, args, tmp):
        self.args = args

    def start(self):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "echo_sse.py"), str(self.port)])
        wait_for(f"http://127.0.0.1:{self.port}/publish?channel=x", self.process)
        return self.process

    def set_scene(self, participants, group_size):
        return [{"group": n // group_size, "field": n % group_size} for n in range(participants)]

    def prepare(self, member):
        member["conn"] = Connection(self.port)

    def stream(self, member):
        return f"/stream?channel=g{member['group']}", {}

    def save(self, member, version):
        query = urlencode({"channel": f"g{member['group']}", "event": f"field-{member['field']}", "data": version})
        return "POST", f"/publish?{query}", b"", {}

    def event_key(self, event, data):
        if event.startswith("field-"):
            return int(event[6:]), int(data)
        return None

    def verify(self, members, saved):
        return 0


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(target, args, observer=None):
    """Drive the load against one target; `observer` may watch other events and add its own work."""
    process = target.start()
    members = target.set_scene(args.participants, args.group_size)
    pool = gevent.pool.Pool(50)
    pool.map(target.prepare, members)

    sent_at = {}  # (group, field, version) -> time the save request left
    received = {}  # (group, field, version) -> number of teammates whose stream delivered it
    latencies = []
    errors = {"save": 0, "stream": 0}
    saved = {}
    opened = []
    peak_rss = [rss_kb(process.pid)]

    def listen(member):
        def on_event(event, data, now):
            if observer is not None:
                observer.on_event(member, event, data, now)
            key = target.event_key(event, data)
            if key is None or key[0] == member["field"]:
                return  # not a save, or my own save
            full = (member["group"],) + key
            if full in sent_at:
                received[full] = received.get(full, 0) + 1
                latencies.append(now - sent_at[full])

        path, headers = target.stream(member)
        try:
            stream_events(target.port, path, headers, on_event, lambda: opened.append(1))
        except Exception:
            errors["stream"] += 1

    listeners = []
    for i, member in enumerate(members):
        listeners.append(gevent.spawn(listen, member))
        if i % 50 == 49:
            gevent.sleep(0.05)
    deadline = time.monotonic() + 60
    while len(opened) < len(members) and time.monotonic() < deadline:
        gevent.sleep(0.1)
    print(f"  [{target.name}] {len(opened)}/{len(members)} streams open", flush=True)

    if observer is not None and hasattr(observer, "before"):
        observer.before(target)  # e.g. a facilitator signing in, before the load starts
    stop_at = time.monotonic() + args.seconds

    def participant(member):
        gevent.sleep(random.uniform(0, args.interval))
        version = 0
        while time.monotonic() < stop_at:
            version += 1
            method, path, body, headers = target.save(member, version)
            sent_at[(member["group"], member["field"], version)] = time.monotonic()
            try:
                status, _ = member["conn"].request(method, path, body, headers)
            except Exception:
                status = 0
                member["conn"].close()
            if status in (200, 204):
                saved[(member["group"], member["field"])] = version
            else:
                errors["save"] += 1
                errors.setdefault("statuses", {}).setdefault(status, 0)
                errors["statuses"][status] += 1
                sent_at.pop((member["group"], member["field"], version), None)
                version -= 1
            gevent.sleep(args.interval)

    def sample_memory():
        while time.monotonic() < stop_at + 5:
            peak_rss[0] = max(peak_rss[0], rss_kb(process.pid))
            gevent.sleep(0.5)

    sampler = gevent.spawn(sample_memory)
    workers = [gevent.spawn(participant, member) for member in members]
    extra = gevent.spawn(observer.during, target, members, stop_at) if observer is not None else None
    gevent.joinall(workers + ([extra] if extra else []))
    gevent.sleep(3)  # let the last deliveries arrive
    sampler.kill()
    teammates = args.group_size - 1
    expected = len(sent_at) * teammates
    delivered = sum(min(count, teammates) for count in received.values())
    saves_lost = target.verify(members, saved)
    for greenlet in listeners:
        greenlet.kill()
    for member in members:
        member["conn"].close()
    process.terminate()
    process.wait(timeout=15)
    if errors.get("statuses"):
        print(f"  [{target.name}] failed saves by status: {errors['statuses']}")
    blocks = target.blocks() if hasattr(target, "blocks") else []
    longest = (float("nan"), "")
    if hasattr(target, "blocks"):
        longest = target.longest_block()
        print(
            f"  [{target.name}] event loop held over 0.1 s: {len(blocks)} times; longest hold "
            f"{longest[0]:.1f} ms ({longest[1]})" + "".join(f"\n    {line[:600]}" for line in blocks[:3])
        )
    return {
        "saves": len(sent_at),
        "save_errors": errors["save"],
        "stream_errors": errors["stream"],
        "deliveries": expected,
        "lost": expected - delivered,
        "saves_lost": saves_lost,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "rss_mb": peak_rss[0] / 1024,
        "longest_ms": longest[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--group-size", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between one participant's saves")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.workers > 1 and not args.redis_url:
        parser.error("more than one worker needs --redis-url (the in-process broker lives in one process)")

    print(
        f"{args.participants} participants in groups of {args.group_size}, a save every {args.interval:g} s "
        f"each, for {args.seconds} s; {args.workers} app worker(s), "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}{' + Redis' if args.redis_url else ''}"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for target_class in (AppTarget, EchoTarget):
            target = target_class(args, Path(tmp))
            results[target.name] = run(target, args)
    print()
    print(
        f"{'':6} {'saves':>7} {'errors':>7} {'deliveries':>10} {'lost':>5} {'saves lost':>10} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'peak RSS MB':>11} {'longest loop hold ms':>20}"
    )
    for name, r in results.items():
        print(
            f"{name:6} {r['saves']:>7} {r['save_errors'] + r['stream_errors']:>7} {r['deliveries']:>10} "
            f"{r['lost']:>5} {r['saves_lost']:>10} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
            f"{r['rss_mb']:>11.1f} {r['longest_ms']:>20.1f}"
        )
    app, echo = results["app"], results["echo"]
    print(
        f"\napp / echo: p50 {app['p50'] / echo['p50']:.2f}, p95 {app['p95'] / echo['p95']:.2f}, "
        f"p99 {app['p99'] / echo['p99']:.2f}"
    )


if __name__ == "__main__":
    main()
