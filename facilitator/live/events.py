"""Publishing from services: channel names in one place, and the app's broker."""

from flask import current_app


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


def publish(channel, event, data=""):
    """Tell every stream on `channel` that something changed; call after the commit."""
    return broker().publish(channel, event, str(data))
