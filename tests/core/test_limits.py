"""The in-process rate-limit counters: fixed windows that end on time, without a sweeper thread."""

import threading

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from facilitator.core import limits


def test_a_window_counts_up_to_its_limit_and_a_new_one_starts_when_it_ends(monkeypatch):
    clock = [1_000.0]
    monkeypatch.setattr(limits.time, "time", lambda: clock[0])
    storage = storage_from_string("facilitator-memory://")
    limiter = FixedWindowRateLimiter(storage)
    three = parse("3 per minute")
    assert [limiter.hit(three, "phone-a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(three, "phone-b")  # each key its own window
    assert limiter.get_window_stats(three, "phone-a").remaining == 0
    clock[0] += 61
    assert limiter.hit(three, "phone-a")  # the next minute
    assert limiter.get_window_stats(three, "phone-a").remaining == 2


def test_no_thread_is_started_and_ended_windows_are_swept_inline(monkeypatch):
    clock = [1_000.0]
    monkeypatch.setattr(limits.time, "time", lambda: clock[0])
    before = threading.active_count()
    storage = limits.WindowCounters()
    for n in range(500):
        storage.incr(f"phone-{n}", 60)
    assert threading.active_count() == before
    clock[0] += limits.SWEEP_SECONDS + 1
    storage.incr("phone-late", 60)
    assert storage.get("phone-1") == 0 and len(storage._windows) == 1
    assert storage.reset() == 1 and storage.get("phone-late") == 0
