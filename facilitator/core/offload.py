"""Run CPU-heavy work beside the gevent loop, so one request never stalls every workshop's streams."""

import sys
import time

#: CPU a long piece of work may hold the loop for before it lets others run: well under the 50 ms
#: a save may wait, and long enough not to queue behind every other greenlet too often.
SLICE_SECONDS = 0.02


def on_gevent():
    """True in the served process (gunicorn's gevent worker patches the standard library)."""
    if "gevent" not in sys.modules:
        return False
    from gevent import monkey

    return monkey.is_module_patched("socket")


def off_the_loop(function, *args, **kwargs):
    """Call `function` in gevent's thread pool when the process runs on gevent, else just call it.

    Only for work that releases the GIL (hashlib's scrypt and pbkdf2 do): the loop keeps serving
    saves and streams meanwhile. Outside gevent (tests, the CLI) there is no loop to protect.
    """
    if on_gevent():
        from gevent import get_hub

        return get_hub().threadpool.apply(function, args, kwargs)
    return function(*args, **kwargs)


def in_background(function, *args):
    """Call `function` in a greenlet of its own, after the current request's answer can go out;
    outside gevent (tests, the CLI) call it now, so what it does is done when this returns."""
    if on_gevent():
        import gevent

        return gevent.spawn(function, *args)
    return function(*args)


def let_others_run():
    """Between slices of long work on the loop: let waiting saves and streams go first."""
    if on_gevent():
        import gevent

        gevent.sleep(0)


def in_turns(items, slice_seconds=None):
    """Go through `items`, letting waiting saves and streams run whenever a slice of CPU is used up
    by the work done on them (outside gevent, straight through)."""
    budget = SLICE_SECONDS if slice_seconds is None else slice_seconds
    started = time.thread_time()
    for item in items:
        yield item
        if time.thread_time() - started > budget:
            let_others_run()
            started = time.thread_time()
