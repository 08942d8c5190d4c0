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


def broker():
    return current_app.extensions["broker"]


def origin():
    """Which screen's action this change comes from, and the region its answer brought:
    "<screen> <region>" (set by the control room for its own actions, see control.page), else "".
    That screen need not fetch the region again when the stream tells it of the change."""
    return g.get("event_origin", "") if has_request_context() else ""


def publish(channel, event, data=""):
    """Tell every stream on `channel` that something changed; call after the commit."""
    return broker().publish(channel, event, str(data))
