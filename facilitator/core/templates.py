"""Templates that give the event loop back while they render.

A big page (the control room of a 300-person plenary, a register of thousands of rows) takes a
tenth of a second or more to render, and one gevent process serves every workshop's saves and
streams meanwhile. Every template the app renders goes through `SlicedTemplate`: its output is
gathered piece by piece, and after each slice of CPU (core.offload.SLICE_SECONDS) the loop gets
its turn.
"""

from jinja2 import Template

from .offload import in_turns, on_gevent


class SlicedTemplate(Template):
    """Renders like any Jinja template; on gevent, it lets other greenlets run between slices."""

    def render(self, *args, **kwargs):
        if not on_gevent():
            return super().render(*args, **kwargs)
        context = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat(in_turns(self.root_render_func(context)))
        except Exception:
            self.environment.handle_exception()
