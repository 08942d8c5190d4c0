"""Publishing from services: channel names in one place, and the app's broker."""

from flask import current_app, g, has_request_context


def workshop_channel(workshop_id):
    """What every screen in the workshop needs: stages opening and closing, messages, the timer."""
    return f"workshop:{workshop_id}"


def control_channel(workshop_id):
    """What only the facilitators' screens need: every save, presence, help requests."""
    return f"control:{workshop_id}"


def group_channel(group_id):
    return f"group:{group_id}"


#: Channels whose messages are news of the moment, never replayed to a stream that reconnects.
LIVE_ONLY = "news:"


def news_channel(group_id, locale):
    """A group's stage cards as they change, rendered once in one language for every member's phone.

    Live only: a stream that was away replays the workshop's `stages-changed` instead, and the
    phone fetches the cards as they are then (a card from minutes ago would hide newer answers).
    """
    return f"{LIVE_ONLY}{group_id}:{locale}"


def is_live_only(channel):
    return channel.startswith(LIVE_ONLY)


def broker():
    return current_app.extensions["broker"]


def origin():
    """Which screen's action this change comes from, and the region its answer brought:
    "<screen> <region>" (set by the control room for its own actions, see control.page), else "".
    That screen need not fetch the region again when the stream tells it of the change."""
    return g.get("event_origin", "") if has_request_context() else ""


def publish(channel, event, data=""):
    """Tell every stream on `channel` that something changed; call after the commit."""
    return broker().publish(channel, event, str(data), keep=not is_live_only(channel))
