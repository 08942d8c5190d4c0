"""Fixtures for the generated security tests: the scene, and PDFs that need no helper process."""

import pytest
from jinja2 import BytecodeCache

from .scene import Scene


class _SharedBytecode(BytecodeCache):
    """Compiled templates kept across the many apps these tests build (each has its own Jinja)."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()


class _InstantRenderer:
    """Stands in for the PDF helper: what these tests judge is who gets a PDF, not how it looks."""

    def start(self):
        pass

    def render(self, html):
        assert isinstance(html, str) and html
        return b"%PDF-1.4\n% made for the security tests\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_pdfs(app, tmp_path, monkeypatch):
    """PDFs come at once from a stand-in renderer; caches and pending imports stay in the test's folder."""
    from facilitator.summaries import renderer, services

    monkeypatch.setattr(services, "renderer_for", lambda static_root: _InstantRenderer())
    monkeypatch.setattr(renderer, "renderer_for", lambda static_root: _InstantRenderer())
    app.jinja_env.bytecode_cache = _BYTECODE
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "pdf-cache")
    app.config["REGISTER_IMPORT_DIR"] = str(tmp_path / "register-imports")


@pytest.fixture
def scene(app):
    return Scene(app)
