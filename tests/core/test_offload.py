"""Password hashing and other GIL-releasing work run beside the gevent loop, not on it."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from gevent import monkey; monkey.patch_all()
    import hashlib, sys, gevent
    from facilitator.core.offload import off_the_loop

    def heavy():
        # scrypt at n=2**15 takes a good fraction of a second and releases the GIL
        return hashlib.scrypt(b"correct horse", salt=b"s" * 16, n=2**15, r=8, p=1, maxmem=64 * 1024 * 1024)

    def ticks_during(call):
        ticks = []
        ticker = gevent.spawn(lambda: [ticks.append(gevent.sleep(0.005)) for _ in range(10_000)])
        gevent.sleep(0)
        call()
        ticker.kill()
        return len(ticks)

    print(ticks_during(heavy), ticks_during(lambda: off_the_loop(heavy)))
""")


def test_work_off_the_loop_lets_other_greenlets_run_meanwhile():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    on_loop, off_loop = map(int, result.stdout.split())
    assert on_loop <= 1  # the loop stood still for the whole hash
    assert off_loop >= 5  # other requests kept being served


def test_without_gevent_it_simply_calls():
    from facilitator.core.offload import off_the_loop

    assert off_the_loop(lambda a, b=0: a + b, 2, b=3) == 5
