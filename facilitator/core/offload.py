"""Run CPU-heavy work beside the gevent loop, so one request never stalls every workshop's streams."""

import sys


def off_the_loop(function, *args, **kwargs):
    """Call `function` in gevent's thread pool when the process runs on gevent, else just call it.

    Only for work that releases the GIL (hashlib's scrypt and pbkdf2 do): the loop keeps serving
    saves and streams meanwhile. Outside gevent (tests, the CLI) there is no loop to protect.
    """
    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            from gevent import get_hub

            return get_hub().threadpool.apply(function, args, kwargs)
    return function(*args, **kwargs)
