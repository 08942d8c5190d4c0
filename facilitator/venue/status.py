"""One check at a time per server: its state in a small JSON file in the instance folder.

The check's own process writes how far it is (and at the end its figures); the page reads the
file to show "running, 35 s left" and then the verdict, in the reader's language.
"""

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .check import CheckRefused

STATUS_FILE = "venue-check.json"
LOG_FILE = "venue-check.log"
#: A check that says it runs but started this long ago died without a word.
STALE_SECONDS = 15 * 60


def status_path(app):
    """The server's check state: in its instance folder (VENUE_CHECK_STATUS_FILE moves it, for tests)."""
    return Path(app.config.get("VENUE_CHECK_STATUS_FILE") or Path(app.instance_path) / STATUS_FILE)


def alive(pid):
    """Whether the process runs (a zombie, exited but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except PermissionError:
        return True  # another user's process, but running
    except FileNotFoundError:
        return os.path.isdir("/proc") is False  # no /proc (macOS): kill said it exists
    except (OSError, ValueError, IndexError):
        return False


def read(path):
    """The last check's state, or None; a running one whose process is gone reads as 'stopped'."""
    try:
        status = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    if status.get("state") == "running":
        gone = not status.get("pid") or not alive(status["pid"])
        if gone or time.time() - status.get("started", 0) > STALE_SECONDS:
            status["state"] = "stopped"
    return status


def is_running(path):
    status = read(path)
    return status is not None and status["state"] == "running"


@contextmanager
def _locked(path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path, status):
    path = Path(path)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(status))
    tmp.replace(path)


def claim(path, pid, **info):
    """Mark a check running in process `pid`; refused while another runs."""
    with _locked(path):
        current = read(path)
        if current is not None and current["state"] == "running" and current.get("pid") != pid:
            raise CheckRefused("running")
        _write(path, {"state": "running", "pid": pid, "started": time.time(), **info})


def update(path, pid, **values):
    """Add to the state of the check `pid` runs (another check's file is left alone)."""
    with _locked(path):
        current = read(path) or {}
        if current.get("pid") not in (None, pid):
            return
        current.update(values, pid=pid)
        _write(path, current)
