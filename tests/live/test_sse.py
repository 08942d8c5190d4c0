"""SSE streams: replay after reconnect, refresh when too far behind, heartbeat when idle."""

import time

from facilitator.live.broker import InProcessBroker
from facilitator.live.sse import decode_cursor, encode_cursor, event_stream


def parse(chunk):
    fields = {}
    for line in chunk.strip().split("\n"):
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    return fields


def test_cursor_round_trip_and_garbage():
    cursor = {"group:1": 4, "workshop:2": 9}
    assert decode_cursor(encode_cursor(cursor), cursor.keys()) == cursor
    assert decode_cursor("group:1=x,evil:3=5,,=", ["group:1"]) == {}


def test_fresh_stream_opens_then_delivers_live_messages():
    broker = InProcessBroker()
    broker.publish("group:1", "answer-saved", "old")
    stream = event_stream(broker, ["group:1"], heartbeat=0.05)
    assert next(stream).startswith("retry:")
    opened = parse(next(stream))
    assert opened["event"] == "stream-open" and opened["id"] == "group:1=1"
    broker.publish("group:1", "answer-saved", "7")
    event = parse(next(stream))
    assert (event["event"], event["data"], event["id"]) == ("answer-saved", "7", "group:1=2")
    stream.close()
    assert broker.hub.listener_count() == 0


def test_reconnect_replays_what_was_missed():
    broker = InProcessBroker()
    for n in range(3):
        broker.publish("group:1", "answer-saved", str(n))
    stream = event_stream(broker, ["group:1", "workshop:1"], last_event_id="group:1=1", heartbeat=0.05)
    next(stream)
    replayed = [parse(next(stream)) for _ in range(2)]
    assert [e["data"] for e in replayed] == ["1", "2"]
    assert replayed[-1]["id"] == "group:1=3,workshop:1=0"
    assert parse(next(stream))["event"] == "stream-open"
    stream.close()


def test_reconnect_after_too_long_asks_for_refresh():
    broker = InProcessBroker(replay_size=2)
    for n in range(5):
        broker.publish("group:1", "answer-saved", str(n))
    stream = event_stream(broker, ["group:1"], last_event_id="group:1=1", heartbeat=0.05)
    next(stream)
    event = parse(next(stream))
    assert event["event"] == "refresh" and event["id"] == "group:1=5"
    stream.close()


def test_idle_stream_sends_heartbeats():
    broker = InProcessBroker()
    stream = event_stream(broker, ["group:1"], heartbeat=0.05)
    next(stream), next(stream)
    started = time.monotonic()
    assert next(stream) == ": heartbeat\n\n"
    assert time.monotonic() - started < 1
    stream.close()


def test_a_message_published_during_replay_is_sent_once():
    broker = InProcessBroker()
    broker.publish("group:1", "answer-saved", "a")
    stream = event_stream(broker, ["group:1"], last_event_id="group:1=0", heartbeat=0.05)
    next(stream)  # subscribed by now
    broker.publish("group:1", "answer-saved", "b")  # both in the replay and in the queue
    events = [parse(next(stream)) for _ in range(3)]
    data = [e.get("data") for e in events if e["event"] == "answer-saved"]
    assert data == ["a", "b"]
    assert next(stream) == ": heartbeat\n\n"
    stream.close()
