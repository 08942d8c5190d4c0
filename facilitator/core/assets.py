"""Static files as a phone on a borrowed router needs them: fetched once, small, and never asked about again.

Every `url_for("static", ...)` carries the file's content hash (`?v=`), so a browser may keep what
that URL names for a year without revalidating it; a changed file gets a new URL. Text files go
out gzip-compressed to browsers that accept it, compressed once per process and kept (the whole
folder is a few hundred kilobytes). A URL without the current hash (a page from before an update,
a hand-typed link) still gets the file, but the browser must revalidate it.
"""

import gzip
import hashlib
import mimetypes
import os
import stat as stat_module

from flask import abort, current_app, request
from werkzeug.security import safe_join

#: A year: what "never ask again" means to a browser; `immutable` stops even a reload's revalidation.
FOREVER = "public, max-age=31536000, immutable"
#: Without the right hash: keep it, but ask (a 304 costs a few hundred bytes).
REVALIDATE = "no-cache"
#: Worth compressing: text. Images such as PNG are compressed already; SVG is text.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
#: Below this, the gzip header and the Vary bookkeeping cost more than they save.
SMALLEST = 512


#: path -> ((mtime, size), what _load returns): one per process, shared by every app it builds.
_READ = {}


class StaticFiles:
    """The static folder's files, each read once per process with its hash and compressed bytes."""

    def __init__(self, folder):
        self.folder = folder

    def _load(self, filename):
        """(hash, gzip bytes or None), read again only when the file on disk changed."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if not stat_module.S_ISREG(stat.st_mode):
            return None  # a folder, say
        key = (stat.st_mtime_ns, stat.st_size)
        known = _READ.get(path)
        if known and known[0] == key:
            return known[1]
        with open(path, "rb") as source:
            content = source.read()
        digest = hashlib.sha256(content).hexdigest()[:12]
        compressed = None
        mimetype = mimetypes.guess_type(filename)[0] or ""
        if len(content) >= SMALLEST and mimetype.startswith(COMPRESSIBLE):
            # mtime=0: the same file compresses to the same bytes in every process (one ETag).
            packed = gzip.compress(content, compresslevel=9, mtime=0)
            compressed = packed if len(packed) < len(content) else None
        loaded = (digest, content, compressed, mimetype or "application/octet-stream")
        _READ[path] = (key, loaded)
        return loaded

    def version(self, filename):
        """The file's content hash, or None when there is no such file."""
        loaded = self._load(filename)
        return loaded[0] if loaded else None

    def prepare(self):
        """Hash and compress every file now, before the server takes requests (see serving.warm_up)."""
        for root, _dirs, names in os.walk(self.folder):
            for name in names:
                self._load(os.path.relpath(os.path.join(root, name), self.folder).replace(os.sep, "/"))

    def respond(self, filename):
        """The static view: the file, compressed when the browser takes gzip, cached per its hash."""
        loaded = self._load(filename)
        if loaded is None:
            abort(404)
        digest, content, compressed, mimetype = loaded
        if compressed is not None and request.accept_encodings["gzip"]:
            response = current_app.response_class(compressed, mimetype=mimetype)
            response.headers["Content-Encoding"] = "gzip"
            response.set_etag(digest + "-gz")
        else:
            response = current_app.response_class(content, mimetype=mimetype)
            response.set_etag(digest)
        if compressed is not None:
            response.vary.add("Accept-Encoding")  # one URL, two bodies: caches must tell them apart
        response.headers["Cache-Control"] = FOREVER if request.args.get("v") == digest else REVALIDATE
        return response.make_conditional(request)


def init_assets(app):
    """Serve the static folder through StaticFiles and give every static URL its file's hash."""
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files
    app.view_functions["static"] = files.respond

    @app.url_defaults
    def versioned_static(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = files.version(values["filename"])
            if version:
                values["v"] = version

    return files
