"""Small helpers for views that answer htmx with several fragments at once."""

from flask import make_response


def focus_on(field):
    """Give this field `autofocus`, which htmx honours on swapped-in content."""
    field.render_kw = dict(field.render_kw or {}, autofocus=True)
    return field


def focus_first_error(form):
    """Put the focus on the first refused field, so its message is read out with it."""
    for field in form:
        if field.errors and field.type not in ("CSRFTokenField", "HiddenField"):
            focus_on(field)
            return


def join_fragments(*parts):
    """Several fragments in one htmx answer: the first goes into the target, the rest out of band."""
    return "\n".join(parts)


def changed(body, event, status_code=200):
    """A successful change, announced to listeners on the page with `HX-Trigger`."""
    response = make_response(body, status_code)
    response.headers["HX-Trigger"] = event
    return response
