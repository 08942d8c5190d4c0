"""The rate limits' counters for one process: fixed windows in a dict, and no sweeper thread.

limits' own memory storage starts a 10 ms timer thread on nearly every hit, and each one walks
every key. The save limit has a key per phone, so at a plenary's scale that sweeping cost more
than the saves (bench/live_groups.py). Here a window that has ended is dropped when its key is
next counted or read, and the rest are swept at most once a minute, inline.
"""

import threading
import time

from limits.storage import Storage

SWEEP_SECONDS = 60


class WindowCounters(Storage):
    """`facilitator-memory://`: what Flask-Limiter counts in when there is no Redis."""

    STORAGE_SCHEME = ["facilitator-memory"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._windows = {}  # key -> [count, when the window ends (epoch seconds, as limits counts)]
        self._lock = threading.Lock()
        self._swept_at = time.time()

    @property
    def base_exceptions(self):
        return ValueError

    def _sweep(self, now):
        if now - self._swept_at >= SWEEP_SECONDS:
            self._swept_at = now
            for key in [key for key, (_, ends) in self._windows.items() if ends <= now]:
                del self._windows[key]

    def incr(self, key, expiry, amount=1):
        now = time.time()
        with self._lock:
            self._sweep(now)
            window = self._windows.get(key)
            if window is None or window[1] <= now:
                window = self._windows[key] = [0, now + expiry]
            window[0] += amount
            return window[0]

    def get(self, key):
        window = self._windows.get(key)
        return window[0] if window is not None and window[1] > time.time() else 0

    def get_expiry(self, key):
        window = self._windows.get(key)
        return window[1] if window is not None else time.time()

    def check(self):
        return True

    def reset(self):
        with self._lock:
            count = len(self._windows)
            self._windows.clear()
            return count

    def clear(self, key):
        with self._lock:
            self._windows.pop(key, None)
