"""gunicorn settings that log every time something holds the gevent event loop too long.

    GEVENT_MONITOR_THREAD_ENABLE=true GEVENT_MAX_BLOCKING_TIME=0.1 \\
    GEVENT_MONITOR_PRINT_BLOCKING_REPORTS=false \\
        gunicorn -c tools/gunicorn_blocking_monitor.py --worker-class gevent ... wsgi:app

One gevent worker serves every workshop, so a request that keeps the CPU for a second keeps every
participant's save and stream waiting for that second. gevent's monitor thread checks every
GEVENT_MAX_BLOCKING_TIME seconds whether the loop has switched greenlets since its last look and
reports where the greenlet that did not switch was.

That check measures wall time, so on a busy machine a greenlet the OS did not schedule looks
blocked too. So each greenlet's CPU time between two switches is also measured (a greenlet trace
reading the loop thread's CPU clock): when a greenlet gives the loop back after using more than
GEVENT_MAX_BLOCKING_TIME of CPU, a line starting with BLOCKED names it, with the stack gevent's
monitor saw (or where it switched out). With BLOCKING_MONITOR_FAIL_SECONDS set higher, a hold
between the two is written as SLOW instead, which fails nothing. A wall-time report whose greenlet then used less CPU is
written as STARVED, which fails nothing. The browser tests fail on a BLOCKED line; the
benchmarks count them. Starting the worker (importing the app) is not reported.

The longest CPU hold so far (by any greenlet, the loop's own included) is written as a LONGEST
line whenever it grows past 10 ms, and once more when the worker exits: the benchmarks print the
largest beside their latencies.
"""

import os
import re
import sys
import time

BLOCKED = "gevent-blocked:"
SLOW = "gevent-slow:"
STARVED = "gevent-starved:"
LONGEST = "gevent-longest:"
#: Shorter holds are not worth a line each as they become the longest so far.
NOTED_LONGEST = 0.01
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
_serving = {}
#: Stacks gevent's monitor reported, by greenlet, until that greenlet switches out.
_seen_stuck = {}


def blocked_stack(info):
    """The blocked greenlet's frames from gevent's report, innermost last, as "file:line function"."""
    lines = "\n".join(info).splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("Blocked Stack"))
    except StopIteration:
        return []
    frames = []
    for line in lines[start + 1 :]:
        if line.startswith("Info:"):
            break
        match = _FRAME.search(line)
        if match:
            path = re.sub(r".*/site-packages/", "", match["file"])
            frames.append(f"{path}:{match['line']} {match['function']}")
    return frames


def _frames_of(frame, limit=14):
    frames = []
    while frame is not None and len(frames) < limit:
        path = re.sub(r".*/site-packages/", "", frame.f_code.co_filename)
        frames.append(f"{path}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return list(reversed(frames))


def _on_event(event):
    """gevent's wall-time report: keep its stack until the greenlet's CPU time says what it was."""
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
    _seen_stuck.setdefault(id(event.greenlet), " > ".join(blocked_stack(event.info)[-14:]))


def _write(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _trace(event, args):
    """On every switch, charge the CPU used since the last one to the greenlet that gives up the loop."""
    if event not in ("switch", "throw"):
        return
    origin = args[0]
    now = time.thread_time()
    used, _serving["last"] = now - _serving["last"], now
    seen = _seen_stuck.pop(id(origin), None)
    if origin is _serving["starting"]:
        return
    if used > _serving["longest"][0]:
        _serving["longest"] = (
            used,
            "the event loop itself" if origin is _serving["hub"] else getattr(origin, "request_line", "?"),
        )
        if used > NOTED_LONGEST:  # noted at once: a worker killed at the end writes no last line
            _write_longest()
    if origin is _serving["hub"]:
        return
    if used > _serving["limit"]:
        stack = seen or " > ".join(_frames_of(getattr(origin, "gr_frame", None)))
        path = getattr(origin, "request_line", "?")
        prefix = BLOCKED if used > _serving["fail_over"] else SLOW
        _write(f"{prefix} the event loop was held for {used:.3f} s of CPU by {origin!r} serving {path}; stack: {stack}")
    elif seen is not None:
        _write(
            f"{STARVED} no switch for {_serving['limit']} s, but only {used:.3f} s of CPU was used "
            f"(the machine is busy); stack: {seen}"
        )


def pre_request(worker, req):
    """Remember which request each greenlet serves, so a block names it."""
    import greenlet

    greenlet.getcurrent().request_line = f"{req.method} {req.path}"


def post_fork(server, worker):
    """Listen to gevent's events in each worker."""
    from gevent import events

    if _on_event not in events.subscribers:
        events.subscribers.append(_on_event)


def post_worker_init(worker):
    """Once the app is loaded, a block is worth a line, unless the worker's main greenlet (which loaded it) is stuck."""
    import gevent
    import greenlet

    limit = gevent.config.max_blocking_time
    _serving.update(
        hub=gevent.get_hub(),
        starting=greenlet.getcurrent(),
        last=time.thread_time(),
        limit=limit,
        fail_over=float(os.environ.get("BLOCKING_MONITOR_FAIL_SECONDS") or limit),
        longest=(0.0, "nothing"),
    )
    greenlet.settrace(_trace)
    import gc

    gc.callbacks.append(_on_collection)


def _write_longest():
    used, what = _serving["longest"]
    pause, generation = _serving.get("gc_longest", (0.0, None))
    _write(
        f"{LONGEST} {used * 1000:.1f} ms of CPU without a switch, by {what} (pid {os.getpid()}); "
        f"longest garbage collection {pause * 1000:.1f} ms (generation {generation})"
    )


def _on_collection(phase, info):
    """How long each of Python's cycle collections takes: a long hold may be one of them."""
    if phase == "start":
        _serving["gc_started"] = time.thread_time()
    elif "gc_started" in _serving:
        pause = time.thread_time() - _serving.pop("gc_started")
        if pause > _serving.get("gc_longest", (0.0, None))[0]:
            _serving["gc_longest"] = (pause, info.get("generation"))


def worker_exit(server, worker):
    """The run's longest hold of the loop, for the benchmark that started this server."""
    if "longest" in _serving:
        _write_longest()
