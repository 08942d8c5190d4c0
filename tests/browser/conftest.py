"""A real server (gunicorn + gevent, as `make run` starts it) and Debian's chromium via Playwright."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
#: gunicorn settings that log a line whenever something holds the event loop over 0.1 s.
MONITOR = ROOT / "tools" / "gunicorn_blocking_monitor.py"
MONITOR_ENV = {
    "GEVENT_MONITOR_THREAD_ENABLE": "true",
    "GEVENT_MAX_BLOCKING_TIME": "0.1",
    "GEVENT_MONITOR_PRINT_BLOCKING_REPORTS": "false",  # the monitor's own line is enough (see MONITOR)
    # Holds over 0.1 s are logged as SLOW; a test fails past 0.25 s of CPU. Two pages still take
    # 0.1-0.17 s on this 2-core machine (the stage editor, the control room's first render): until
    # they are cheaper, failing at 0.1 s would fail CI on them alone.
    "BLOCKING_MONITOR_FAIL_SECONDS": "0.25",
}
BLOCKED = "gevent-blocked:"
#: Lines some test failed on already.
REPORTED_BLOCKS = []
#: Counts the page's live streams that opened (htmx's sseOpen comes once the server has subscribed).
COUNT_OPEN_STREAMS = (
    "document.addEventListener('htmx:sseOpen', function () {"
    " window.__streamsOpened = (window.__streamsOpened || 0) + 1; }, true);"
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, report what each page showed: CI keeps only the log, not the screen."""
    outcome = yield
    report = outcome.get_result()
    pages = getattr(item, "open_pages", ())
    if report.when != "call" or not report.failed or not pages:
        return
    lines = []
    for number, page in enumerate(pages, 1):
        try:
            text = " ".join(page.locator("main").inner_text(timeout=1000).split())
        except Exception as error:  # a closed page still deserves a line
            text = f"(unreadable: {error.__class__.__name__})"
        lines.append(f"page {number}: {page.url}\n  {text[:600]}")
    report.sections.append(("what the pages showed", "\n".join(lines)))
    log = getattr(item, "server_log", None)
    if log is not None and log.exists():
        tail = log.read_text(errors="replace").splitlines()[-25:]
        if any("Traceback" in line or "Error" in line for line in tail):
            report.sections.append(("the end of the server's log", "\n".join(tail)))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def server_database(tmp_path_factory):
    """A database of the server's own: SQLite in a temp folder, or a fresh PostgreSQL database."""
    test_url = os.environ.get("FACILITATOR_TEST_DATABASE_URL", "").strip()
    if not test_url:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("server") / "facilitator.sqlite3")
        return
    import psycopg

    name = "facilitator_browser_" + secrets.token_hex(4)
    admin_url = test_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _with_database(test_url, name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server_env(server_database, tmp_path_factory):
    """The environment the live server runs with (its database, Redis and key)."""
    env = {
        "FACILITATOR_DATABASE_URL": server_database,
        "FACILITATOR_SECRET_KEY": secrets.token_hex(16),
        "FACILITATOR_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
    }
    redis_url = os.environ.get("FACILITATOR_TEST_REDIS_URL", "").strip()
    if redis_url:
        env["FACILITATOR_REDIS_URL"] = redis_url
        # Rate limits and events of earlier runs (or of the rest of the suite) stay out of this server's way.
        env["FACILITATOR_REDIS_PREFIX"] = f"facilitator-browser-{secrets.token_hex(4)}:"
    return env


@pytest.fixture(scope="session")
def server_app(server_env, live_server):
    """An app in the test process on the server's own database, to set the scene with services."""
    from facilitator import create_app
    from facilitator.config import Config

    saved = {key: os.environ.get(key) for key in server_env}
    os.environ.update(server_env)
    try:
        app = create_app(Config)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield app
    from facilitator.extensions import db

    with app.app_context():
        db.engine.dispose()
    app.extensions["broker"].close()


class Server:
    """One app process as `make run` starts it (gunicorn, gevent worker)."""

    def __init__(self, env, log_path):
        self.env = {**os.environ, **env, **MONITOR_ENV}
        if "FACILITATOR_REDIS_URL" not in env:
            self.env.pop("FACILITATOR_REDIS_URL", None)
        self.log_path = log_path

    def start(self):
        port = _free_port()
        self.log = open(self.log_path, "w")  # noqa: SIM115 (open for the server's whole life)
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
                "2000",
                "--graceful-timeout",
                "2",
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).read()
                return self.url
            except OSError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise RuntimeError("server did not start:\n" + Path(self.log_path).read_text()) from error
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def migrate(env):
    full = {**os.environ, **env}
    subprocess.run(
        [BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=full, check=True, capture_output=True
    )


@pytest.fixture(scope="session")
def live_server(server_env):
    """Migrate a fresh database and serve it exactly as `make run` does; yields the base URL."""
    migrate(server_env)
    log_path = Path(server_env["FACILITATOR_INSTANCE_PATH"]) / "server.log"
    server = Server(server_env, log_path)
    yield server.start()
    server.stop()
    # A block at the end of the last test is reported after that test ended.
    late = [line for line in blocks_logged(log_path) if line not in REPORTED_BLOCKS]
    assert not late, "the server held its event loop over 0.25 s of CPU after the last test:\n" + "\n".join(late)


def blocks_logged(log_path, start=0):
    """The monitor's lines in the server's log from byte `start` on."""
    if not log_path.exists():
        return []
    with open(log_path, "rb") as log:
        log.seek(start)
        text = log.read().decode("utf-8", "replace")
    return [line for line in text.splitlines() if line.startswith(BLOCKED)]


@pytest.fixture(autouse=True)
def event_loop_never_blocked(request):
    """Fail a test during which the server held its event loop too long: every workshop waited meanwhile."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    log_path = Path(request.getfixturevalue("server_env")["FACILITATOR_INSTANCE_PATH"]) / "server.log"
    start = log_path.stat().st_size
    yield
    blocks = blocks_logged(log_path, start)
    REPORTED_BLOCKS.extend(blocks)
    assert not blocks, (
        "the server held its event loop over 0.25 s of CPU (the monitor reports a moment later, so a "
        "block at the end of the previous test can show here; the stack names the request):\n" + "\n".join(blocks)
    )


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, server_env, request):
    """Open pages in fresh browser contexts; fails the test on any CSP violation or JS error."""
    contexts, problems = [], []
    request.node.open_pages = []
    request.node.server_log = Path(server_env["FACILITATOR_INSTANCE_PATH"]) / "server.log"

    def open_page(locale="en-GB", expected_statuses=()):
        """`expected_statuses`: answers the test provokes on purpose (e.g. 409 for a conflict)."""
        context = browser.new_context(base_url=live_server, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.add_init_script(COUNT_OPEN_STREAMS)
        request.node.open_pages.append(page)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        # A re-rendered form answers 422 on purpose; only failing sub-resources are problems.
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error" and not msg.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} {response.url}")
                if response.status >= 400
                and response.request.resource_type != "document"
                and response.status not in expected_statuses
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == []


def wait_for_live_stream(page):
    """Wait until the page's live stream is open: whatever is published from now on reaches it."""
    page.wait_for_function("() => window.__streamsOpened > 0")


def check_accessibility(page):
    """Run axe-core on the page and fail on serious or critical violations."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)
