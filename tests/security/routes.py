"""The app's routes, read from a freshly built app, and URLs built from their rules."""

import re

from facilitator import create_app
from facilitator.config import TestingConfig

ARGUMENT = re.compile(r"<([^>]+)>")


def app_routes():
    """(endpoint, method, rule) for every route but the static files."""
    app = create_app(TestingConfig)
    try:
        return sorted(
            (rule.endpoint, method, rule.rule)
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}
        )
    finally:
        app.extensions["broker"].close()


ROUTES = app_routes()


def arguments(rule):
    """{name: converter} of a rule's URL arguments ("default" for a plain <name>)."""
    found = {}
    for match in ARGUMENT.finditer(rule):
        converter, _sep, name = match.group(1).rpartition(":")
        found[name] = converter.split("(")[0] or "default"
    return found


def url_with(rule, values):
    """The rule with each argument replaced by values[name]."""

    def fill(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"teach the role table a value for <{name}> (route {rule})"
        return str(values[name])

    return ARGUMENT.sub(fill, rule)
