"""PDFs are made in a helper process, so the server holding the live streams never stops for them."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from facilitator.summaries.renderer import Renderer, RenderError, renderer_for

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
HTML = "<!doctype html><html><body><p style=\"font-family: 'DejaVu Sans'\">Łódź — Кюстендил</p></body></html>"


def helper_command(pid):
    return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")


def test_pdfs_are_made_in_another_process(app):
    renderer = renderer_for(app.static_folder)
    pdf = renderer.render(HTML)
    assert pdf.startswith(b"%PDF-")
    assert renderer.pid is not None and renderer.pid != os.getpid()
    assert b"facilitator.summaries.renderer" in helper_command(renderer.pid)
    # One helper per process: the next render (and any app in this process) uses the same one.
    assert renderer_for(app.static_folder) is renderer
    pid = renderer.pid
    renderer.render(HTML)
    assert renderer.pid == pid


def test_a_helper_that_died_is_started_again(app):
    renderer = renderer_for(app.static_folder)
    renderer.render(HTML)
    old_pid, starts = renderer.pid, renderer.starts
    os.kill(old_pid, signal.SIGKILL)
    assert renderer.render(HTML).startswith(b"%PDF-")
    assert renderer.pid != old_pid and renderer.starts == starts + 1


def test_a_helper_that_takes_too_long_is_stopped():
    renderer = Renderer(STATIC, timeout=0.05)
    try:
        with pytest.raises(RenderError, match="longer than"):
            renderer.render(HTML)
        assert renderer.pid is None
    finally:
        renderer.close()


def test_helpers_stop_when_closed(app):
    renderer = Renderer(STATIC)
    renderer.render(HTML)
    pid = renderer.pid
    renderer.close()
    assert renderer.pid is None
    assert not Path(f"/proc/{pid}").exists()  # ended and reaped


def test_a_fresh_helper_after_many_renders(app):
    renderer = Renderer(STATIC, max_renders=1)
    try:
        renderer.render(HTML)
        renderer.render(HTML)
        assert renderer.starts == 2
    finally:
        renderer.close()


# Run under gevent, as `make run` serves the app: a live stream of the same process keeps
# receiving events every 20 ms while the workshop PDF is made, then (to show the probe can
# tell) while the same PDF is made inline.
GEVENT_PROBE = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import json, os, sys, time
    import gevent
    from facilitator import create_app, demo
    from facilitator.config import TestingConfig
    from facilitator.extensions import db
    from facilitator.live.sse import event_stream
    from facilitator.summaries import services
    from facilitator.summaries.renderer import renderer_for

    folder = sys.argv[1]
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/probe.sqlite3",
                                     "PDF_CACHE_DIR": f"{folder}/cache"})
    arrivals = []

    def listen(broker):
        for chunk in event_stream(broker, ["workshop:probe"], heartbeat=1):
            if "event: tick" in chunk:
                arrivals.append(time.perf_counter())

    def tick(broker):
        while True:
            broker.publish("workshop:probe", "tick")
            gevent.sleep(0.02)

    def worst_gap(start, end):
        times = [t for t in arrivals if start <= t <= end]
        edges = [start] + times + [end]
        return max(b - a for a, b in zip(edges, edges[1:]))

    with app.app_context():
        db.create_all()
        _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
        broker = app.extensions["broker"]
        workers = [gevent.spawn(listen, broker), gevent.spawn(tick, broker)]
        gevent.sleep(0.3)
        start = time.perf_counter()
        services.summary_pdf(workshop)
        end = time.perf_counter()
        helper = renderer_for(app.static_folder).pid
        gevent.sleep(0.1)

        from facilitator.summaries.pdf import html_to_pdf
        html = services.workshop_pdf_html(workshop)
        inline_start = time.perf_counter()
        html_to_pdf(html, app.static_folder)
        inline_end = time.perf_counter()
        gevent.sleep(0.1)
        gevent.killall(workers)
        renderer_for(app.static_folder).close()
        print(json.dumps({
            "render_seconds": end - start, "worst_gap": worst_gap(start, end),
            "inline_seconds": inline_end - inline_start, "inline_gap": worst_gap(inline_start, inline_end),
            "helper_pid": helper, "server_pid": os.getpid(),
        }))
""")


@pytest.mark.serial
def test_live_streams_keep_flowing_while_a_pdf_is_made(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("FACILITATOR_")}
    result = subprocess.run(
        [sys.executable, "-c", GEVENT_PROBE, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["helper_pid"] != figures["server_pid"]
    # The render (including the helper's first start) takes a while...
    assert figures["render_seconds"] > 0.3
    # ...and meanwhile events arrive with no gap longer than a fraction of it,
    assert figures["worst_gap"] < 0.25, figures
    # while the same PDF made inline stops the stream for longer than that: the probe can tell.
    assert figures["inline_gap"] >= 0.25, figures


def test_starting_ahead_never_waits_for_a_render_under_way():
    renderer = Renderer(STATIC)
    try:
        renderer._lock.acquire()  # as while another request's PDF is being made
        try:
            renderer.start()  # returns at once instead of waiting for that render
        finally:
            renderer._lock.release()
        assert renderer.pid is None
        renderer.start()
        assert renderer.pid is not None
    finally:
        renderer.close()


def test_the_helper_renders_with_the_collector_paused_and_collects_after(monkeypatch):
    """serve() pauses the cyclic collector for each render (a tenth of the time went to it) and collects after."""
    import gc
    import io

    from facilitator.summaries import pdf, renderer

    seen = []

    def fake_html_to_pdf(html, static_root):
        seen.append(gc.isenabled())
        if "bad" in html:
            raise ValueError("refused")
        return b"%PDF-" + html.encode()

    collected = []
    real_collect = gc.collect
    monkeypatch.setattr(pdf, "html_to_pdf", fake_html_to_pdf)
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(True) or real_collect(*a))
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not this test process's objects
    requests = io.BytesIO()
    for html in (b"<p>one</p>", b"<p>bad</p>", b"<p>two</p>"):
        renderer._write_frame(requests, renderer.RENDER, html)
    requests.seek(0)
    answers = io.BytesIO()
    assert gc.isenabled()
    renderer.serve(str(STATIC), requests, answers)
    assert gc.isenabled()  # back on after every render, the failed one too
    assert seen == [True, False, False, False]  # the warm-up ran as before; each render paused
    assert len(collected) == 1 + 3  # once before freezing, once after each answer
    answers.seek(0)
    frames = [renderer._read_frame(answers) for _ in range(4)]
    assert [kind for kind, _ in frames] == [renderer.OK, renderer.OK, renderer.ERROR, renderer.OK]
    assert frames[3][1] == b"%PDF-<p>two</p>"
