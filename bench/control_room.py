"""The control room under load: while bench/live_groups.py's participants save (default 500), the
facilitator opens and closes a stage every few seconds through the control room's own route; how
long until every participant's phone shows the new stage card?

    .venv/bin/python bench/control_room.py [--participants 500] [--seconds 60] [--every 3] [--refetch]

Prints p50/p95/max latency from the facilitator's request to each participant's stream hearing
of it (its group's news, or the workshop's `stages-changed`), and any stage change a stream never
received. With --refetch each phone also does what the page does when its news did not come (it
fetches the same cards once), and the time until the new card was on every phone is printed:
what a participant sees, not just what their stream hears.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_groups import AppTarget, Connection, EchoTarget, percentile, run  # noqa: E402


class StageFlipper:
    """Signs in as the workshop's facilitator and flips stage 4 open and closed."""

    def __init__(self, every, refetch=False):
        self.every = every
        self.refetch = refetch
        self.cards = {}  # n-th change -> [time until that participant's new card arrived]
        self.card_errors = 0
        self.fetched = 0
        self.port = self.stage_id = None
        self.sent = {}  # n-th change -> time the request left
        self.arrivals = {}  # n-th change -> [latency per participant]
        self.expected = 0
        self.errors = 0

    def on_event(self, member, event, data, now):
        if not self.sent or event not in ("stages", "stages-changed"):
            return
        n = len(self.sent)
        if member["flips_seen"] < n:
            member["flips_seen"] = n
            self.arrivals.setdefault(n, []).append(now - self.sent[n])
        if event == "stages" and f'id="stage-card-{self.stage_id}"' in data:
            member["news_seen"] = re.search(r'data-serial="([^"]*)"', data).group(1)
            if self.refetch:
                self.cards.setdefault(n, []).append(now - self.sent[n])  # the card came in the news
        elif event == "stages-changed" and self.refetch:
            said = json.loads(data)
            if said["n"] != member.get("news_seen") and self.stage_id in said["stages"]:
                gevent.spawn(self.fetch_card, member, n, said)

    def fetch_card(self, member, n, said):
        """What the page does when its news did not come: GET the same cards (one connection per device)."""
        conn = member.setdefault("card_conn", Connection(self.port))
        try:
            query = urlencode(
                {"stages": ",".join(map(str, said["stages"])), "timer": int(said["timer"]), "n": said["n"]}
            )
            status, _ = conn.request(
                "GET",
                f"{member['base']}/news?{query}",
                b"",
                {"Cookie": member["cookies"], "HX-Request": "true"},
            )
        except OSError:
            status = 0
            conn.close()
        if status == 200:
            self.fetched += 1
            self.cards.setdefault(n, []).append(time.monotonic() - self.sent[n])
        else:
            self.card_errors += 1

    def before(self, target):
        """The facilitator signs in and opens the control room before the participants start."""
        self.session = sign_in(target)

    def during(self, target, members, stop_at):
        for member in members:
            member["flips_seen"] = 0
        stage_id = target.stage_ids[3]
        self.port, self.stage_id = target.port, stage_id
        self.expected = len(members)
        cookies, token = self.session
        conn = Connection(target.port)
        state = "open"
        gevent.sleep(self.every)
        while time.monotonic() < stop_at - 1:
            body = urlencode({"state": state}).encode()
            self.sent[len(self.sent) + 1] = time.monotonic()
            status, _ = conn.request(
                "POST",
                f"/workshops/{target.workshop_id}/control/stages/{stage_id}/state",
                body,
                {
                    "Cookie": cookies,
                    "X-CSRFToken": token,
                    "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            if status != 200:
                self.errors += 1
            state = "closed" if state == "open" else "open"
            gevent.sleep(self.every)


def sign_in(target):
    """A facilitator's session cookie and CSRF token, through the real sign-in form."""
    import socket

    def fetch(request):
        sock = socket.create_connection(("127.0.0.1", target.port))
        sock.sendall(request.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        sock.close()
        return data

    page = fetch("GET /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    session = re.search(rb"Set-Cookie: session=([^;]+)", page).group(1).decode()
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = urlencode({"csrf_token": token, "email": target.owner_email, "password": "bench-password"})
    answer = fetch(
        f"POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: session={session}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n{form}"
    )
    session = re.search(rb"Set-Cookie: session=([^;]+)", answer).group(1).decode()
    # Signing in starts a new session: the token to act with is the control room page's own.
    page = fetch(
        f"GET /workshops/{target.workshop_id}/control HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: session={session}\r\n\r\n"
    )
    renewed = re.search(rb"Set-Cookie: session=([^;]+)", page)
    session = renewed.group(1).decode() if renewed else session
    token = re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()
    return f"session={session}", token


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--group-size", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between stage changes")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--refetch", action="store_true", help="each participant re-fetches its stage card")
    args = parser.parse_args()
    flipper = StageFlipper(args.every, args.refetch)
    with tempfile.TemporaryDirectory() as tmp:
        load = run(AppTarget(args, Path(tmp)), args, observer=flipper)
        # The bare echo under the same saves: its p95 from a message to its listeners is the yardstick.
        echo = run(EchoTarget(args, Path(tmp)), args)
    latencies = [x for values in flipper.arrivals.values() for x in values]
    missed = sum(flipper.expected - len(flipper.arrivals.get(n, [])) for n in flipper.sent)
    yardstick = echo["p95"] / 1000
    print(
        f"\n{args.participants} participants saving every {args.interval:g} s (save p95 "
        f"{load['p95']:.1f} ms, {load['p95'] / echo['p95']:.1f}x the echo's {echo['p95']:.1f} ms; "
        f"{load['saves']} saves, {load['save_errors']} failed); {len(flipper.sent)} stage changes, "
        f"one every {args.every:g} s; longest loop hold {load['longest_ms']:.1f} ms"
    )
    print(
        f"stage change -> every participant's stream: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms, max {max(latencies or [float('nan')]) * 1000:.1f} ms; "
        f"deliveries {len(latencies)}, missed {missed}, request errors {flipper.errors}; "
        f"p95 / echo p95 = {percentile(latencies, 0.95) / yardstick:.1f}"
    )
    if args.refetch:
        cards = [x for values in flipper.cards.values() for x in values]
        print(
            f"stage change -> new stage card on every screen: p50 {percentile(cards, 0.5) * 1000:.1f} ms, "
            f"p95 {percentile(cards, 0.95) * 1000:.1f} ms, max {max(cards or [float('nan')]) * 1000:.1f} ms; "
            f"cards {len(cards)} ({flipper.fetched} fetched), failed {flipper.card_errors}; "
            f"p95 / echo p95 = {percentile(cards, 0.95) / yardstick:.1f}"
        )


if __name__ == "__main__":
    main()
