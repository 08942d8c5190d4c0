"""Server-sent event streams: one per page, over the channels that page cares about.

The stream's event id is a cursor naming the last message seen on every channel, so the
browser's automatic reconnect (which sends it back as Last-Event-ID) resumes exactly where it
left off; when the broker no longer keeps what was missed, the stream says `refresh`. Live-only
channels (a group's stage news) are not replayed: what they told is on the workshop's channel too.
"""

from flask import Response, current_app, request

from ..extensions import db
from .broker import sse_fields
from .events import is_live_only

HEARTBEAT_SECONDS = 15
RETRY_MILLISECONDS = 2000


def encode_cursor(cursor):
    return ",".join(f"{channel}={seq}" for channel, seq in sorted(cursor.items()))


def decode_cursor(text, channels):
    """Read a Last-Event-ID back; anything malformed or foreign is ignored."""
    cursor = {}
    for part in (text or "").split(","):
        channel, _, seq = part.rpartition("=")
        if channel in channels and seq.isdigit():
            cursor[channel] = int(seq)
    return cursor


def format_event(event, event_id):
    """One of the stream's own events (no broker message behind it) at the stream's cursor."""
    return f"id: {event_id}\n{sse_fields(event)}\n"


def format_message(message, event_id):
    """A broker message as one stream sends it: only its id (this stream's cursor) is its own."""
    return f"id: {event_id}\n{message.sse_fields}\n"


def event_stream(broker, channels, last_event_id=None, heartbeat=HEARTBEAT_SECONDS, max_seconds=None):
    """Yield SSE text: what was missed, then live messages, with a heartbeat comment when idle."""
    import time

    channels = tuple(channels)
    subscription = broker.subscribe(channels)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        known = decode_cursor(last_event_id, channels)
        cursor = {c: known[c] if c in known else broker.last_id(c) for c in channels}
        needs_refresh = False
        for channel in known:
            if is_live_only(channel):
                continue  # its news is of the moment; what it told is replayed on other channels
            missed = broker.missed(channel, cursor[channel])
            if missed is None:
                needs_refresh = True
                cursor[channel] = broker.last_id(channel)
                continue
            for message in missed:
                cursor[channel] = message.id
                yield format_message(message, encode_cursor(cursor))
        if needs_refresh:
            yield format_event("refresh", encode_cursor(cursor))
        else:
            yield format_event("stream-open", encode_cursor(cursor))
        started = time.monotonic()
        while max_seconds is None or time.monotonic() - started < max_seconds:
            message = subscription.get(timeout=heartbeat)
            if subscription.overflowed:
                # This listener fell too far behind: start it over from the present.
                subscription.overflowed = False
                while subscription.get(timeout=0) is not None:
                    pass
                for channel in channels:
                    cursor[channel] = broker.last_id(channel)
                yield format_event("refresh", encode_cursor(cursor))
                continue
            if message is None:
                yield ": heartbeat\n\n"
                continue
            if message.id <= cursor.get(message.channel, 0):
                continue  # already sent as part of the replay
            cursor[message.channel] = message.id
            yield format_message(message, encode_cursor(cursor))
    finally:
        subscription.close()


def stream_response(broker, channels, last_event_id=None, **kwargs):
    """A streaming response that proxies must not buffer or cache."""
    response = Response(event_stream(broker, channels, last_event_id, **kwargs), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"  # nginx would otherwise hold events back
    return response


def stream_of(channels):
    """The page's stream over `channels`, resuming after the Last-Event-ID the browser sends back.

    A stream may stay open for hours (a projector all day), so the request's database connection
    goes back to the pool before the first event.
    """
    last_event_id = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    broker = current_app.extensions["broker"]
    heartbeat = current_app.config.get("SSE_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
    db.session.remove()
    return stream_response(broker, channels, last_event_id, heartbeat=heartbeat)
