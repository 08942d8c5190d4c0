"""Templates give the event loop back while they render (core.templates)."""

from facilitator.core import offload, templates


def test_a_long_render_lets_others_run_and_renders_the_same(app, monkeypatch):
    turns = []
    monkeypatch.setattr(templates, "on_gevent", lambda: True)
    monkeypatch.setattr(offload, "let_others_run", lambda: turns.append(1))
    monkeypatch.setattr(offload, "SLICE_SECONDS", 0)  # every piece is a slice
    source = "{% for n in range(300) %}<li>{{ n }} {{ name }}</li>{% endfor %}"
    sliced = app.jinja_env.from_string(source).render(name="<Ана>")
    monkeypatch.setattr(templates, "on_gevent", lambda: False)
    whole = app.jinja_env.from_string(source).render(name="<Ана>")
    assert sliced == whole and sliced.count("<li>") == 300 and "&lt;Ана&gt;" in sliced
    assert len(turns) >= 300  # the loop got its turn between the pieces


def test_outside_gevent_a_render_runs_straight_through(app, monkeypatch):
    turns = []
    monkeypatch.setattr(offload, "let_others_run", lambda: turns.append(1))
    assert app.jinja_env.from_string("{{ 1 + 1 }}").render() == "2" and turns == []
