"""Register import: how fast hostile uploads are refused, how long the largest accepted file takes,
and whether the server's event loop stays free meanwhile.

    .venv/bin/python bench/register_import.py              # both parts, 3 runs each
    .venv/bin/python bench/register_import.py --runs 5 --no-server

Part 1, in this process: `parse_import` on each file (the files tests/register/test_bounds.py
refuses, built by tests/register/workbooks.py), its time, and the longest stretch of work between
two pauses, which is the longest the event loop is held. Part 2, against a server started as
`make run` does with gevent's blocking monitor on: a facilitator uploads each file while another
client asks for the home page every 10 ms; it prints the upload's time, the slowest of those
answers meanwhile, and how often the monitor saw the loop held over 0.1 s.
"""

import argparse
import csv
import http.cookiejar
import io
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.register import workbooks  # noqa: E402

#: gevent's blocking monitor, as the browser tests run it: a line in the log per block over 0.1 s.
MONITOR = ROOT / "tools" / "gunicorn_blocking_monitor.py"
MONITOR_ENV = {
    "GEVENT_MONITOR_THREAD_ENABLE": "true",
    "GEVENT_MAX_BLOCKING_TIME": "0.1",
    "GEVENT_MONITOR_PRINT_BLOCKING_REPORTS": "false",
}
BLOCKED = "gevent-blocked:"

HEADERS = [
    "Library ID",
    "Library name",
    "Municipality",
    "Settlement",
    "Service delivered with the support of volunteers",
    "Target group",
]


def largest_csv():
    """2,000 rows whose cells are as long as the register keeps them: about the 4 MB upload limit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for n in range(2000):
        writer.writerow(
            [
                732 + n,
                "НЧ " + "Библиотека " * 9,
                "Бобошево",
                "гр. Бобошево",
                "Е-здраве: " + "Обучение на възрастни " * 40,
                "Възрастни " * 10,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def files():
    """(label, file name, bytes): the hostile files, then the largest ones the import accepts."""
    return [
        ("3,000,000 cells in one row", "wide.xlsx", workbooks.wide_row(3_000_000, headings=HEADERS)),
        ("300,000 cells in one row", "wide.xlsx", workbooks.wide_row(300_000, headings=HEADERS)),
        (
            "3,000,000 empty cells",
            "empty.xlsx",
            workbooks.workbook(
                [
                    workbooks.SHEET_HEAD,
                    workbooks.row_xml(1, HEADERS)[:-6],
                    "<c/>" * 3_000_000,
                    "</row>",
                    workbooks.SHEET_TAIL,
                ]
            ),
        ),
        ("zip bomb, 1 GB of spaces", "bomb.xlsx", workbooks.padded_sheet(1 << 30)),
        ("2,001 rows", "rows.xlsx", workbooks.register_rows(HEADERS, 2001, columns=6)),
        ("largest accepted XLSX (2,000 x 12)", "largest.xlsx", workbooks.register_rows(HEADERS, 2000, columns=12)),
        ("largest accepted CSV (2,000 rows, 4 MB)", "largest.csv", largest_csv()),
    ]


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


# --- part 1: in this process ------------------------------------------------------------------------


def in_process(cases, runs):
    from facilitator import create_app
    from facilitator.config import Config
    from facilitator.register import reading, spreadsheets

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("FACILITATOR_SECRET_KEY", secrets.token_hex(16))
        saved = os.environ.get("FACILITATOR_INSTANCE_PATH")
        os.environ["FACILITATOR_INSTANCE_PATH"] = tmp
        try:
            app = create_app(Config)
        finally:
            if saved is None:
                os.environ.pop("FACILITATOR_INSTANCE_PATH")
            else:
                os.environ["FACILITATOR_INSTANCE_PATH"] = saved
    holds = []
    last = [0.0]

    def pause():
        now = time.perf_counter()
        holds.append(now - last[0])
        last[0] = now

    reading.pause = pause  # measure the stretches between pauses instead of yielding
    print(f"\n{'file':42} {'size':>9} {'outcome':>28} {'median s':>9} {'longest hold ms, each run':>26}")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for label, name, data in cases:
            times, longest = [], []
            for _ in range(runs):
                holds.clear()
                start = last[0] = time.perf_counter()
                report = spreadsheets.parse_import(data, name, Counter(), "bg")
                end = time.perf_counter()
                holds.append(end - last[0])
                times.append(end - start)
                longest.append(max(holds))
            outcome = report.errors[0].message[:28] if report.fatal else f"{len(report.rows)} rows read"
            print(
                f"{label:42} {len(data) / 1024:>7.0f}kB {outcome:>28} {statistics.median(times):>9.3f} "
                f"{' '.join(f'{hold * 1000:.1f}' for hold in longest):>26}",
                flush=True,
            )


# --- part 2: against a server -------------------------------------------------------------------------


class Server:
    def __init__(self, tmp):
        self.env = {
            **os.environ,
            "FACILITATOR_SECRET_KEY": secrets.token_hex(16),
            "FACILITATOR_INSTANCE_PATH": str(tmp / "instance"),
            "FACILITATOR_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            **MONITOR_ENV,
        }
        self.env.pop("FACILITATOR_REDIS_URL", None)
        self.log_path = tmp / "server.log"

    def start(self):
        subprocess.run(
            [BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=self.env, check=True, capture_output=True
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--config",
                MONITOR,
                "--worker-class",
                "gevent",
                "--workers",
                "1",
                "--worker-connections",
                "1000",
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
        wait_for(self.url + "/", self.process)

    def workshop(self):
        """A facilitator and a workshop, made with the services on the server's database."""
        os.environ.update({k: v for k, v in self.env.items() if k.startswith("FACILITATOR_")})
        from datetime import date

        from facilitator import create_app
        from facilitator.accounts.services import sign_up
        from facilitator.config import Config
        from facilitator.planning.services import create_workshop

        app = create_app(Config)
        with app.app_context():
            self.email = f"bench-{secrets.token_hex(4)}@example.org"
            owner = sign_up(self.email, "Bench", "bench-password")
            return create_workshop(owner, "Register import", date.today(), locale="en").id

    def blocks(self):
        return [line for line in self.log_path.read_text(errors="replace").splitlines() if line.startswith(BLOCKED)]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


def _token(page):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _multipart(name, data):
    boundary = "bench" + secrets.token_hex(8)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def against_server(cases, runs):
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp))
        server.start()
        try:
            workshop_id = server.workshop()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            token = _token(opener.open(server.url + "/signin").read().decode())
            form = urllib.parse.urlencode(
                {"csrf_token": token, "email": server.email, "password": "bench-password"}
            ).encode()
            opener.open(server.url + "/signin", form).read()
            register = f"{server.url}/workshops/{workshop_id}/register"
            print(
                f"\nserver: gunicorn + gevent, monitor on (over {MONITOR_ENV['GEVENT_MAX_BLOCKING_TIME']} s);"
                " a home page request every 10 ms meanwhile"
            )
            print(f"{'file':42} {'status':>6} {'upload s':>9} {'slowest other ms':>16} {'loop held >0.1 s':>16}")
            for label, name, data in cases:
                if len(data) > 4 * 1024 * 1024:
                    print(f"{label:42} {'-':>6}  larger than the 4 MB upload limit: refused before it is read")
                    continue
                for _ in range(runs):
                    token = _token(opener.open(register).read().decode())
                    body, content_type = _multipart(name, data)
                    request = urllib.request.Request(
                        register + "/import",
                        body,
                        {"Content-Type": content_type, "X-CSRFToken": token, "HX-Request": "true"},
                    )
                    seen, done = [], threading.Event()

                    def ping():
                        while not done.is_set():
                            start = time.perf_counter()
                            urllib.request.urlopen(server.url + "/", timeout=120).read()
                            seen.append(time.perf_counter() - start)
                            done.wait(0.01)

                    before = len(server.blocks())
                    pinger = threading.Thread(target=ping)
                    pinger.start()
                    start = time.perf_counter()
                    try:
                        status = opener.open(request, timeout=300).status
                    except urllib.error.HTTPError as error:
                        status = error.code
                    took = time.perf_counter() - start
                    done.set()
                    pinger.join()
                    time.sleep(0.3)  # the monitor reports a moment after the block
                    held = len(server.blocks()) - before
                    print(f"{label:42} {status:>6} {took:>9.3f} {max(seen) * 1000:>16.1f} {held:>16}", flush=True)
            for line in server.blocks()[:5]:
                print("  " + line[:700])
        finally:
            server.stop()
        longest = [
            line for line in server.log_path.read_text(errors="replace").splitlines() if "gevent-longest:" in line
        ]
        print(
            "longest hold of the loop in the run: " + (longest[-1].split(":", 1)[1].strip() if longest else "no report")
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-server", action="store_true", help="only part 1, in this process")
    args = parser.parse_args()
    print("building the files ...", flush=True)
    cases = files()
    in_process(cases, args.runs)
    if not args.no_server:
        against_server(cases, args.runs)


if __name__ == "__main__":
    main()
