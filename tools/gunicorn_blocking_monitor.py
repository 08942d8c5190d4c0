"""gunicorn settings that log every time something holds the gevent event loop too long.

    GEVENT_MONITOR_THREAD_ENABLE=true GEVENT_MAX_BLOCKING_TIME=0.1 \\
    GEVENT_MONITOR_PRINT_BLOCKING_REPORTS=false \\
        gunicorn -c tools/gunicorn_blocking_monitor.py --worker-class gevent ... wsgi:app

One gevent worker serves every workshop, so a request that keeps the CPU for a second keeps every
participant's save and stream waiting for that second. gevent's monitor thread checks every
GEVENT_MAX_BLOCKING_TIME seconds whether the loop has switched greenlets since its last look; when
it has not, this writes one line to the log starting with BLOCKED, naming the greenlet and where
it was. The browser tests fail on such a line; the benchmarks count them.

gevent's own report (left off above) lists every greenlet, thousands with live streams, so this
line gives only the blocked stack. Starting the worker (importing the app) is not reported.
"""

import re
import sys

BLOCKED = "gevent-blocked:"
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
_serving = {}


def blocked_stack(info):
    """The blocked greenlet's frames from gevent's report, innermost last, as "file:line function"."""
    lines = "\n".join(info).splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("Blocked Stack"))
    except StopIteration:
        return []
    frames = []
    for line in lines[start + 1:]:
        if line.startswith("Info:"):
            break
        match = _FRAME.search(line)
        if match:
            path = re.sub(r".*/site-packages/", "", match["file"])
            frames.append(f"{path}:{match['line']} {match['function']}")
    return frames


def _on_event(event):
    from gevent.events import EventLoopBlocked

    if not isinstance(event, EventLoopBlocked):
        return
    hub = _serving.get("hub")
    if hub is None or event.greenlet is _serving["starting"]:
        return  # the worker is still starting: importing the app takes its time, before any request
    if event.hub is not hub:
        # Formatting gevent's report can give the monitor thread a hub of its own (a greenlet's repr
        # takes a patched lock), and that hub a monitor whose idle sleep then reads as a block forever.
        monitor = getattr(event.hub, "periodic_monitoring_thread", None)
        if monitor is not None:
            monitor.kill()
        return
    stack = " > ".join(blocked_stack(event.info)[-14:])
    sys.stderr.write(f"{BLOCKED} the event loop was held over {event.blocking_time} s by {event.greenlet!r}; "
                     f"stack: {stack}\n")
    sys.stderr.flush()


def post_fork(server, worker):
    """Listen to gevent's events in each worker."""
    from gevent import events

    if _on_event not in events.subscribers:
        events.subscribers.append(_on_event)


def post_worker_init(worker):
    """Once the app is loaded, a block is worth a line, unless the worker's main greenlet (which loaded it) is stuck."""
    import gevent
    from greenlet import getcurrent

    _serving.update(hub=gevent.get_hub(), starting=getcurrent())
