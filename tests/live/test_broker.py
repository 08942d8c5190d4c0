"""The event broker: the same tests on the in-process hub and on Redis pub/sub (when configured)."""

import os
import secrets
import threading

import pytest

from facilitator.live.broker import InProcessBroker, RedisBroker

REDIS_URL = os.environ.get("FACILITATOR_TEST_REDIS_URL", "").strip()


@pytest.fixture(params=["in-process", "redis"])
def broker(request):
    if request.param == "in-process":
        broker = InProcessBroker(replay_size=5)
    else:
        if not REDIS_URL:
            pytest.skip("Redis runs in the PostgreSQL + Redis half of `make test`")
        broker = RedisBroker(REDIS_URL, prefix=f"test-{secrets.token_hex(4)}:", replay_size=5)
    yield broker
    broker.close()


def test_subscriber_receives_messages_of_its_channels_only(broker):
    with broker.subscribe(["group:1", "workshop:9"]) as sub:
        broker.publish("group:2", "answer-saved", "x")
        first = broker.publish("group:1", "answer-saved", "17")
        second = broker.publish("workshop:9", "stage-changed")
        got = [sub.get(timeout=2), sub.get(timeout=2)]
        assert [(m.channel, m.event, m.data) for m in got] == [
            ("group:1", "answer-saved", "17"),
            ("workshop:9", "stage-changed", ""),
        ]
        assert [m.id for m in got] == [first.id, second.id]
        assert sub.get(timeout=0.2) is None


def test_every_subscriber_gets_every_message(broker):
    subs = [broker.subscribe(["group:1"]) for _ in range(20)]
    broker.publish("group:1", "answer-saved", "1")
    assert all(s.get(timeout=2).data == "1" for s in subs)
    for s in subs:
        s.close()


def test_closed_subscription_gets_nothing(broker):
    sub = broker.subscribe(["group:1"])
    sub.close()
    broker.publish("group:1", "answer-saved")
    assert sub.get(timeout=0.2) is None
    assert broker.hub.listener_count() == 0


def test_news_of_the_moment_is_delivered_but_never_replayed(broker):
    """A group's stage cards (live.events.news_channel): live listeners get them, a reconnect does not."""
    with broker.subscribe(["news:1:bg"]) as sub:
        before = broker.last_id("news:1:bg")
        sent = broker.publish("news:1:bg", "stages", '<li id="stage-card-1">\n</li>', keep=False)
        got = sub.get(timeout=2)
        assert (got.event, got.data, got.id) == ("stages", '<li id="stage-card-1">\n</li>', sent.id)
    assert sent.id > before and broker.last_id("news:1:bg") == sent.id
    assert broker.missed("news:1:bg", before) == []  # nothing kept: and no gap that asks for a refresh


def test_a_message_is_written_for_streams_once(broker):
    with broker.subscribe(["group:1"]) as sub:
        broker.publish("group:1", "stages", "one\ntwo")
        message = sub.get(timeout=2)
    assert message.sse_fields == "event: stages\ndata: one\ndata: two\n"
    assert message.sse_fields is message.sse_fields  # written once, however many streams send it


def test_ids_grow_per_channel_and_replay_fills_a_gap(broker):
    ids = [broker.publish("group:1", "answer-saved", str(n)).id for n in range(4)]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert broker.last_id("group:1") == ids[-1]
    missed = broker.missed("group:1", ids[1])
    assert [m.data for m in missed] == ["2", "3"]
    assert broker.missed("group:1", ids[-1]) == []


def test_replay_says_refresh_when_the_gap_is_too_old(broker):
    first = broker.publish("group:1", "answer-saved", "0")
    for n in range(1, 8):  # replay keeps 5
        broker.publish("group:1", "answer-saved", str(n))
    assert broker.missed("group:1", first.id) is None


def test_publishing_from_many_threads_loses_nothing(broker):
    with broker.subscribe(["group:1"]) as sub:

        def publish_some(n):
            for i in range(25):
                broker.publish("group:1", "answer-saved", f"{n}-{i}")

        threads = [threading.Thread(target=publish_some, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        received = [sub.get(timeout=2) for _ in range(100)]
        assert None not in received
        assert len({m.data for m in received}) == 100
        # In id order: a stream skips an id lower than one it has sent, so a late one would be lost.
        assert [m.id for m in received] == sorted({m.id for m in received})


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis")
def test_two_processes_publishing_to_one_channel_deliver_in_id_order():
    """Two workers saving in one group at once: every teammate's stream must see ids in order."""
    prefix = f"test-{secrets.token_hex(4)}:"
    brokers = [RedisBroker(REDIS_URL, prefix=prefix) for _ in range(2)]
    try:
        with brokers[0].subscribe(["group:7"]) as sub:

            def publish_some(broker, n):
                for i in range(100):
                    broker.publish("group:7", "answer-saved", f"{n}-{i}")

            threads = [threading.Thread(target=publish_some, args=(brokers[n % 2], n)) for n in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ids = [sub.get(timeout=2).id for _ in range(600)]
            assert ids == list(range(1, 601))
    finally:
        for broker in brokers:
            broker.close()


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis")
def test_redis_brokers_in_two_processes_share_messages():
    """Two brokers stand in for two app processes: a publish on one reaches the other's subscriber."""
    prefix = f"test-{secrets.token_hex(4)}:"
    one, two = RedisBroker(REDIS_URL, prefix=prefix), RedisBroker(REDIS_URL, prefix=prefix)
    try:
        with two.subscribe(["group:5"]) as sub:
            sent = one.publish("group:5", "answer-saved", "42")
            got = sub.get(timeout=2)
            assert (got.id, got.data) == (sent.id, "42")
            assert two.last_id("group:5") == sent.id
    finally:
        one.close()
        two.close()
