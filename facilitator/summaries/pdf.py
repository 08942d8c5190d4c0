"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

Only the renderer's helper process imports this module (WeasyPrint is slow to import and its
rendering holds the CPU); the web process just builds HTML and talks to that process.
Templates name their stylesheet as STATIC_ORIGIN + "/static/..." (renderer.py): an origin that
exists nowhere (".invalid" never resolves), so a missed rule could never reach the network anyway.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .renderer import STATIC_ORIGIN

STATIC_PREFIX = "/static/"


class FetchRefused(ValueError):
    """A URL the PDF may not load: anything that is not one of the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serve files under `static_root` (and data: URLs); refuse every other URL without opening it."""

    def __init__(self, static_root):
        # Only data: is left to urllib, and only through fetch() below; no redirects either.
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.static_root = Path(static_root).resolve()
        #: Every URL asked for, allowed or not (tests read it).
        self.asked = []

    def fetch(self, url, headers=None):
        """Answer from the static folder or refuse; never touches the network."""
        self.asked.append(url)
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if (parts.scheme.lower(), parts.netloc.lower()) != tuple(urlsplit(STATIC_ORIGIN)[:2]):
            raise FetchRefused(f"refused: {url[:200]}")
        path = self._static_path(unquote(parts.path))
        if path is None:
            raise FetchRefused(f"not a static file: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _static_path(self, url_path):
        if not url_path.startswith(STATIC_PREFIX):
            return None
        path = (self.static_root / url_path[len(STATIC_PREFIX) :]).resolve()
        if not path.is_relative_to(self.static_root) or not path.is_file():
            return None
        return path


def html_to_pdf(html, static_root):
    """The PDF bytes of one HTML document, its static files read from `static_root`."""
    fetcher = StaticOnlyFetcher(static_root)
    return HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher).write_pdf()
