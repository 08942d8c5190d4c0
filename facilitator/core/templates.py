"""Templates that give the event loop back while they render.

A big page (the control room of a 300-person plenary, a register of thousands of rows) takes a
tenth of a second or more to render, and one gevent process serves every workshop's saves and
streams meanwhile. Every template the app renders goes through `SlicedTemplate`: its output is
gathered piece by piece, and every 20 ms of CPU the loop gets its turn.
"""

import time

from jinja2 import Template

from .offload import let_others_run, on_gevent

#: CPU a render may hold the loop for before it lets others run: well under the 50 ms a save may
#: wait, and long enough that a render does not queue behind every other greenlet too often.
SLICE_SECONDS = 0.02


def _in_slices(pieces):
    started = time.thread_time()
    for piece in pieces:
        yield piece
        if time.thread_time() - started > SLICE_SECONDS:
            let_others_run()
            started = time.thread_time()


class SlicedTemplate(Template):
    """Renders like any Jinja template; on gevent, it lets other greenlets run between slices."""

    def render(self, *args, **kwargs):
        if not on_gevent():
            return super().render(*args, **kwargs)
        context = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat(_in_slices(self.root_render_func(context)))
        except Exception:
            self.environment.handle_exception()
