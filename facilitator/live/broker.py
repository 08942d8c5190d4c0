"""Publish to a channel, subscribe to channels: in-process by default, Redis pub/sub to scale out.

Messages carry an event name and a small payload (ids, not HTML): pages re-fetch their own
fragments, so markup keeps one tested source. The one exception is a stage change, whose cards
are rendered once per group and sent to its phones on a channel that is never replayed (see
live.events.news_channel): hundreds of phones would otherwise ask for them at the same moment.
Every message gets a sequence number per channel, and each channel keeps its recent messages, so
a reconnecting stream can replay what it missed (or learn that it must refresh, when the gap is
older than the buffer).
"""

import itertools
import json
import queue
import threading
from collections import deque
from dataclasses import dataclass
from functools import cached_property

#: Recent messages each channel keeps for reconnecting clients (a few minutes of a busy group).
REPLAY_SIZE = 200
#: A listener that falls this far behind is cut off and told to refresh instead.
QUEUE_SIZE = 1000


def sse_fields(event, data=""):
    """An event's lines in a server-sent event stream, all but its id."""
    return "".join([f"event: {event}\n", *(f"data: {line}\n" for line in data.split("\n"))])


@dataclass(frozen=True)
class Message:
    channel: str
    id: int
    event: str
    data: str = ""

    @cached_property
    def sse_fields(self):
        """The event's lines in a stream, written once however many streams send it."""
        return sse_fields(self.event, self.data)

    @classmethod
    def from_json(cls, text):
        return cls(**json.loads(text))


class Subscription:
    """One listener's queue over some channels; `overflowed` means it lost messages."""

    def __init__(self, hub, channels):
        self.hub = hub
        self.channels = tuple(channels)
        self.queue = queue.Queue(maxsize=QUEUE_SIZE)
        self.overflowed = False
        self.closed = False

    def deliver(self, message):
        try:
            self.queue.put_nowait(message)
        except queue.Full:
            self.overflowed = True

    def get(self, timeout=None):
        """The next message, or None when `timeout` seconds pass without one."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self):
        if not self.closed:
            self.closed = True
            self.hub.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LocalHub:
    """Fans messages out to the subscriptions of this process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_channel = {}

    def add(self, subscription):
        with self._lock:
            for channel in subscription.channels:
                self._by_channel.setdefault(channel, set()).add(subscription)

    def remove(self, subscription):
        with self._lock:
            for channel in subscription.channels:
                listeners = self._by_channel.get(channel)
                if listeners is not None:
                    listeners.discard(subscription)
                    if not listeners:
                        del self._by_channel[channel]

    def dispatch(self, message):
        with self._lock:
            listeners = list(self._by_channel.get(message.channel, ()))
        for subscription in listeners:
            subscription.deliver(message)

    def listener_count(self):
        with self._lock:
            return len({s for subs in self._by_channel.values() for s in subs})


class InProcessBroker:
    """The embedded default: one process, no extra service."""

    def __init__(self, replay_size=REPLAY_SIZE):
        self.hub = LocalHub()
        self._lock = threading.Lock()
        self._sequences = {}
        self._recent = {}
        self._last = {}
        self._replay_size = replay_size

    def publish(self, channel, event, data="", keep=True):
        """Number the message and hand it to the listeners; `keep` it for reconnecting streams."""
        with self._lock:
            counter = self._sequences.setdefault(channel, itertools.count(1))
            message = Message(channel, next(counter), event, data)
            self._last[channel] = message.id
            if keep:
                self._recent.setdefault(channel, deque(maxlen=self._replay_size)).append(message)
            # Inside the lock, so listeners get each channel's messages in id order.
            self.hub.dispatch(message)
        return message

    def subscribe(self, channels):
        subscription = Subscription(self.hub, channels)
        self.hub.add(subscription)
        return subscription

    def last_id(self, channel):
        with self._lock:
            return self._last.get(channel, 0)

    def missed(self, channel, after_id):
        """Messages after `after_id`, or None when some of them are no longer kept."""
        with self._lock:
            recent = list(self._recent.get(channel, ()))
        return _replay(recent, after_id)

    def close(self):
        pass


def _replay(recent, after_id):
    newer = [m for m in recent if m.id > after_id]
    if not newer:
        return []
    if newer[0].id != after_id + 1:
        return None
    return newer


#: KEYS: sequence, recent list, pub/sub channel; ARGV: channel, event, data, replay size (0: keep none).
_PUBLISH_SCRIPT = """
local id = redis.call('INCR', KEYS[1])
local payload = cjson.encode({channel = ARGV[1], id = id, event = ARGV[2], data = ARGV[3]})
if tonumber(ARGV[4]) > 0 then
  redis.call('RPUSH', KEYS[2], payload)
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
end
redis.call('PUBLISH', KEYS[3], payload)
return payload
"""


class RedisBroker:
    """Several app processes: sequence numbers and replay in Redis, delivery by pub/sub.

    One pub/sub connection per process listens to every channel and hands messages to the
    local hub, so a thousand open streams cost one Redis connection, not a thousand.
    """

    def __init__(self, url, prefix="facilitator:", replay_size=REPLAY_SIZE):
        import redis

        self.hub = LocalHub()
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix
        self._replay_size = replay_size
        self._listener = None
        self._listener_lock = threading.Lock()
        self._pubsub = None
        self._ready = threading.Event()
        self._stopping = False
        self._publish_script = self.redis.register_script(_PUBLISH_SCRIPT)

    def _key(self, kind, channel):
        return f"{self.prefix}{kind}:{channel}"

    def publish(self, channel, event, data="", keep=True):
        # Numbering and publishing are one script, which Redis runs atomically: two processes
        # publishing to one channel at once would otherwise deliver id 6 before id 5, and a
        # stream (which skips ids it has passed) would lose 5.
        payload = self._publish_script(
            keys=[self._key("seq", channel), self._key("recent", channel), self._key("ch", channel)],
            args=[channel, event, data or "", self._replay_size if keep else 0],
        )
        return Message.from_json(payload)

    def subscribe(self, channels):
        self._ensure_listener()
        subscription = Subscription(self.hub, channels)
        self.hub.add(subscription)
        return subscription

    def last_id(self, channel):
        return int(self.redis.get(self._key("seq", channel)) or 0)

    def missed(self, channel, after_id):
        recent = [Message.from_json(text) for text in self.redis.lrange(self._key("recent", channel), 0, -1)]
        return _replay(sorted(recent, key=lambda m: m.id), after_id)

    def _ensure_listener(self):
        with self._listener_lock:
            if self._listener is None:
                self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                self._pubsub.psubscribe(self._key("ch", "*"))
                self._listener = threading.Thread(target=self._listen, name="facilitator-broker", daemon=True)
                self._listener.start()
        self._ready.wait(5)

    def _listen(self):
        self._ready.set()
        while not self._stopping:
            try:
                item = self._pubsub.get_message(timeout=1.0)
            except Exception:  # connection lost: the stream's heartbeat keeps clients alive meanwhile
                if self._stopping:
                    return
                import time

                time.sleep(0.5)
                continue
            if item and item.get("type") == "pmessage":
                self.hub.dispatch(Message.from_json(item["data"]))

    def close(self):
        self._stopping = True
        if self._listener is not None:
            self._listener.join(timeout=3)
        if self._pubsub is not None:
            self._pubsub.close()
        self.redis.close()


def create_broker(app):
    """Redis when FACILITATOR_REDIS_URL is set, else in-process."""
    url = app.config.get("REDIS_URL")
    if url:
        return RedisBroker(url, prefix=app.config["REDIS_PREFIX"])
    return InProcessBroker()
