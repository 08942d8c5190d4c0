"""Run CPU-heavy work beside the gevent loop, so one request never stalls every workshop's streams."""

import sys


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
