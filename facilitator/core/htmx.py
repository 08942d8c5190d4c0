"""One answer path for views that serve a whole page or, to htmx, a piece of it.

A view says what it has to show (page, fragment, context, status, announcement) and `Area.answer`
decides: the fragment (with out-of-band parts and the spoken announcement) for htmx, a redirect
with a flash for a plain request that succeeded, or the whole page, refusals included.
"""

from flask import flash, make_response, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from .domain import DomainError, show_on


def wants_fragment():
    """htmx asked for a piece of the page (a history restore wants the whole page back)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


class Area:
    """What one area's answers share: its live region, how a full page is completed, its renderer.

    `region` is the id of the page's polite live region that announcements go to; `complete_page`
    adds to a context what only the whole page shows (its other forms), so fragments skip that work.
    """

    def __init__(self, region, complete_page=None, render=render_template):
        self.region = region
        self.complete_page = complete_page
        self.render = render

    def answer(
        self,
        page,
        fragment,
        context,
        *,
        status=200,
        announce=None,
        also=(),
        redirect_to=None,
        retarget=None,
        event=None,
    ):
        """The fragment to htmx, a redirect with `announce` flashed after a plain success, else the page.

        `also` lists templates sent out of band with the fragment (a name, or a name and extra
        context); `retarget` swaps the fragment into that selector instead of the request's target;
        `event` is sent as `HX-Trigger` for listeners on the page.
        """
        if wants_fragment():
            parts = [self.render(fragment, **dict(context, oob=False))]
            for part in also:
                name, extra = (part, {}) if isinstance(part, str) else part
                parts.append(self.render(name, **dict(context, oob=True, **extra)))
            if announce:
                parts.append(self.render("core/_announce.html", region=self.region, announce=announce))
            response = make_response("\n".join(parts), status)
            if retarget:
                response.headers["HX-Retarget"] = retarget
                response.headers["HX-Reswap"] = "outerHTML"
            if event and status < 300:
                response.headers["HX-Trigger"] = event
            return response
        if redirect_to and status < 300:
            if announce:
                flash(announce, "success")
            return redirect(redirect_to)
        context = dict(context, announce=announce, oob=False)
        if self.complete_page is not None:
            self.complete_page(context)
        return make_response(self.render(page, **context), status)

    def page_view(self, page, fragment, context_for, doc):
        """The area's own page of a workshop, whole or (to htmx) its main fragment: the same in every area."""

        def show(workshop):
            return self.answer(page, fragment, context_for(workshop))

        show.__doc__ = doc
        return show

    def refuse(self, page, fragment, context, *, status=422, **kwargs):
        """A refusal (422 by default; 403, 409, 413 alike): never a redirect, always what went wrong."""
        return self.answer(page, fragment, context, status=status, **kwargs)


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


def submit(form, action):
    """Validate `form` and run `action()`; its result, or None when refused (errors on the fields, focus on the first).

    `action` raises DomainError to refuse; it must return something other than None when it succeeds.
    """
    if form.validate_on_submit():
        try:
            return action()
        except DomainError as error:
            show_on(form, error)
    focus_first_error(form)
    return None


def retyped(old_prefix, new_prefix):
    """What was typed into the form prefixed `old_prefix`, keyed for the one prefixed `new_prefix`.

    For an edit whose row was deleted meanwhile: the text goes back into the add form, not lost.
    """
    start = old_prefix + "-"
    return MultiDict(
        (f"{new_prefix}-{key[len(start) :]}", value)
        for key, value in request.form.items(multi=True)
        if key.startswith(start) and not key.endswith("csrf_token")
    )


def next_focus(rows, removed):
    """The row that takes `removed`'s place in `rows` (the next one, else the previous), or None."""
    index = rows.index(removed)
    rest = rows[:index] + rows[index + 1 :]
    return rest[min(index, len(rest) - 1)] if rest else None
