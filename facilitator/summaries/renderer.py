"""Render PDFs in a long-lived helper process, never in the process that holds the live streams.

WeasyPrint keeps the CPU for the whole render: inline, a 1.5 s render froze every SSE client of
the gevent worker for 1.5 s. So each web process starts one helper (lazily, on first need) and
sends it HTML over a pipe; under gevent the pipe waits cooperatively, so streams keep flowing.

The protocol is one frame each way, a kind byte and a length, then the bytes:

    web → helper   b"R" + length + HTML (UTF-8)
    helper → web   b"K" + length + PDF        or   b"E" + length + error text

The helper first sends an empty b"K" frame once WeasyPrint is imported and warmed up. It exits
when its stdin closes, so it never outlives the web process. A helper that dies is started
again; one that takes too long is killed.

    python -m facilitator.summaries.renderer STATIC_ROOT     # what the web process runs
"""

import atexit
import contextlib
import gc
import os
import signal
import struct
import subprocess
import sys
import threading
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _

#: The made-up origin PDF templates use for the app's static files (".invalid" never resolves).
STATIC_ORIGIN = "http://facilitator.invalid"

ROOT = Path(__file__).resolve().parents[2]
FRAME = struct.Struct(">cQ")
RENDER, OK, ERROR = b"R", b"K", b"E"
#: A render taking longer than this is stuck: the helper is killed and a new one started next time.
RENDER_TIMEOUT = 120
#: WeasyPrint caches grow with use; a fresh helper after this many renders keeps memory flat.
MAX_RENDERS = 200

WARM_UP_HTML = (
    '<!doctype html><html><head><style>body { font-family: "DejaVu Sans"; }</style></head>'
    "<body><p>Ąę Łódź — Кюстендил</p></body></html>"
)


class RenderError(RuntimeError):
    """The PDF could not be made: the helper refused the document, died twice or took too long."""


class _HelperGone(Exception):
    """The helper's pipe closed before a whole answer arrived."""


def _read_exact(stream, size):
    """`size` bytes from the stream, or None at a clean end of file before the first byte."""
    chunks, missing = [], size
    while missing:
        chunk = stream.read(missing)
        if not chunk:
            if missing == size and size:
                return None
            raise _HelperGone(f"pipe closed with {missing} of {size} bytes missing")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _write_frame(stream, kind, payload):
    stream.write(FRAME.pack(kind, len(payload)))
    stream.write(payload)
    stream.flush()


def _read_frame(stream):
    header = _read_exact(stream, FRAME.size)
    if header is None:
        raise _HelperGone("pipe closed")
    kind, length = FRAME.unpack(header)
    return kind, _read_exact(stream, length) if length else b""


class Renderer:
    """One helper process and the lock that lets one request at a time use it."""

    def __init__(self, static_root, timeout=RENDER_TIMEOUT, max_renders=MAX_RENDERS):
        self.static_root = str(static_root)
        self.timeout = timeout
        self.max_renders = max_renders
        #: How many helpers this renderer has started (the bench and tests read it).
        self.starts = 0
        self._lock = threading.Lock()
        self._process = None
        self._ready = False
        self._renders = 0

    @property
    def pid(self):
        """The helper's process id, or None while none runs."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def start(self):
        """Start the helper now, without waiting for it: it loads WeasyPrint while the caller goes on."""
        if not self._lock.acquire(blocking=False):
            return  # a render is under way, so the helper runs already
        try:
            self._ensure_process()
        finally:
            self._lock.release()

    def render(self, html):
        """The PDF of `html`, made by the helper; a helper found dead is replaced once."""
        data = html.encode("utf-8")
        with self._lock:
            for attempt in (1, 2):
                process = self._ensure_process()
                try:
                    return self._exchange(process, data)
                except _HelperGone as error:
                    self._discard()
                    if attempt == 2:
                        raise RenderError(f"the PDF helper stopped: {error}") from None
        raise AssertionError("unreachable")

    def close(self):
        """Stop the helper (it also stops by itself when this process ends)."""
        with self._lock:
            self._discard()

    def _ensure_process(self):
        if self._process is not None and self._process.poll() is not None:
            self._discard()  # it died between two renders
        if self._process is None:
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
            self._process = subprocess.Popen(
                [sys.executable, "-m", "facilitator.summaries.renderer", self.static_root],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=str(ROOT),
                env=env,
            )
            self._ready = False
            self._renders = 0
            self.starts += 1
        return self._process

    def _exchange(self, process, data):
        timed_out = []

        def kill():
            timed_out.append(True)
            process.kill()

        timer = threading.Timer(self.timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            if not self._ready:
                _read_frame(process.stdout)  # WeasyPrint is loaded and warm
                self._ready = True
            try:
                _write_frame(process.stdin, RENDER, data)
            except (BrokenPipeError, ValueError, OSError) as error:
                raise _HelperGone(str(error)) from None
            kind, payload = _read_frame(process.stdout)
        except _HelperGone:
            if timed_out:
                self._discard()
                raise RenderError(f"the PDF took longer than {self.timeout} s") from None
            raise
        finally:
            timer.cancel()
        if kind != OK:
            raise RenderError(payload.decode("utf-8", "replace"))
        self._renders += 1
        if self._renders >= self.max_renders:
            self._discard()
        return payload

    def _discard(self):
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.stdin.close()  # the helper exits at end of input
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


_renderers = {}
_renderers_lock = threading.Lock()


def renderer_for(static_root):
    """This process's renderer; a forked worker gets its own instead of sharing its parent's pipes."""
    key = (os.getpid(), str(static_root))
    with _renderers_lock:
        renderer = _renderers.get(key)
        if renderer is None:
            renderer = _renderers[key] = Renderer(static_root)
        return renderer


@atexit.register
def _stop_helpers():
    for (pid, _root), renderer in list(_renderers.items()):
        if pid == os.getpid():
            renderer.close()


# --- the helper process ------------------------------------------------------------------------


def serve(static_root, requests, answers):
    """Answer render frames until the web process closes our input."""
    import traceback

    from .pdf import html_to_pdf

    html_to_pdf(WARM_UP_HTML, static_root)  # fonts and caches loaded before the first real render
    # What is loaded by now (modules, WeasyPrint's stylesheets, font caches) lives as long as the
    # helper: frozen, the collector never walks it again.
    gc.collect()
    gc.freeze()
    _write_frame(answers, OK, b"")
    while True:
        try:
            kind, payload = _read_frame(requests)
        except _HelperGone:
            return
        if kind != RENDER:
            _write_frame(answers, ERROR, b"unknown request")
            continue
        try:
            with _collector_paused():
                pdf = html_to_pdf(payload.decode("utf-8"), static_root)
        except Exception as error:  # one bad document must not stop the helper
            traceback.print_exc()
            _write_frame(answers, ERROR, f"{type(error).__name__}: {error}".encode())
        else:
            _write_frame(answers, OK, pdf)
        # The render's cycles (its boxes point at their parents) go now, with the answer already
        # sent: memory stays at one render's worth, and the next render starts with none.
        gc.collect()


@contextlib.contextmanager
def _collector_paused():
    """No cyclic garbage collection during one render.

    A render allocates hundreds of thousands of objects that live until it ends; the collector,
    triggered every 700 allocations, walked them about 300 times per workshop PDF: 10-15% of its time.
    serve() collects once after each render instead.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def main(argv):
    """Run as the helper: frames on the original stdout; anything printed goes to stderr."""
    # Ctrl-C in the terminal reaches the whole process group; the helper stops with its parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(argv[1], sys.stdin.buffer, answers)


if __name__ == "__main__":
    main(sys.argv)


def pdf_unavailable(message):
    """The answer when the PDF helper failed (already logged): try again soon, nothing was lost."""
    return render_template("errors/error.html", title=_("The PDF could not be made just now"), message=message), 503
