"""Publishing from services: channel names in one place, and the app's broker."""

from flask import current_app


def workshop_channel(workshop_id):
    return f"workshop:{workshop_id}"


def group_channel(group_id):
    return f"group:{group_id}"


def broker():
    return current_app.extensions["broker"]


def publish(channel, event, data=""):
    """Tell every stream on `channel` that something changed; call after the commit."""
    return broker().publish(channel, event, str(data))
