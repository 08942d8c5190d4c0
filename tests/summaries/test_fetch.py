"""No URL in user content, and no URL but the app's static files at all, is ever fetched for a PDF."""

import http.server
import threading
from pathlib import Path

import pytest

from facilitator.extensions import db
from facilitator.summaries import services
from facilitator.summaries.renderer import STATIC_ORIGIN

from .conftest import answer, demo_group, fields_by_key, join_group, pdf_text

STATIC = Path(__file__).resolve().parents[2] / "static"


def nospace(text):
    return "".join(text.split())


@pytest.fixture
def web_server():
    """A local HTTP server that records every request it gets; the tests expect none."""
    requests = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_urls_typed_into_answers_are_never_fetched(demo_workshop, web_server):
    base = web_server.base
    group = demo_group(demo_workshop, "Група 1")
    fields = fields_by_key(demo_workshop)
    image = f'<img src="{base}/x.png">'
    styled = f'<p style="background:url({base}/y)">фон</p>'
    answer(group, fields["description"], image + " " + styled)
    answer(group, fields["needs"], f'<link rel="stylesheet" href="{base}/z.css"> @import url({base}/w.css);')
    answer(group, fields["partners"], f"{base}/partner.png\nurl({base}/list)")
    join_group(demo_workshop, group, f"url({base}/name)")
    demo_workshop.description = f'<iframe src="{base}/frame"></iframe>'
    db.session.commit()

    group_text = pdf_text(services.summary_pdf(demo_workshop, group).data)
    workshop_text = pdf_text(services.summary_pdf(demo_workshop).data)

    assert web_server.requests == []
    # They are shown as the text that was typed (wherever a line happened to break).
    for text in (group_text, workshop_text):
        assert nospace(image) in nospace(text) and nospace(styled) in nospace(text)
    assert nospace(f'<iframe src="{base}/frame"></iframe>') in nospace(workshop_text)


def test_the_fetcher_serves_static_files_and_refuses_the_rest(web_server, tmp_path):
    from facilitator.summaries.pdf import FetchRefused, StaticOnlyFetcher

    fetcher = StaticOnlyFetcher(STATIC)
    response = fetcher(STATIC_ORIGIN + "/static/css/pdf.css")
    assert response.read() == (STATIC / "css" / "pdf.css").read_bytes()
    assert response.content_type == "text/css"
    response.close()
    data = fetcher("data:text/plain;base64,0JrRjtGB0YLQtdC90LTQuNC7")
    assert data.read().decode() == "Кюстендил"
    data.close()

    secret = tmp_path / "secret.txt"
    secret.write_text("not for PDFs")
    for url in [
        web_server.base + "/x.png",
        "https://example.org/font.woff2",
        "ftp://127.0.0.1/x",
        f"file://{secret}",
        f"file://{STATIC}/css/pdf.css",  # the right file, but not by the app's own address
        STATIC_ORIGIN + "/static/../facilitator/config.py",
        STATIC_ORIGIN + "/static/%2e%2e/facilitator/config.py",
        STATIC_ORIGIN + "/static/css/missing.css",
        STATIC_ORIGIN + "/static/css",  # a folder
        STATIC_ORIGIN + "/instance/secret_key",
        "http://facilitator.invalid@127.0.0.1/static/css/pdf.css",
    ]:
        with pytest.raises(FetchRefused):
            fetcher(url)
    assert web_server.requests == []


def test_a_document_that_asks_for_urls_gets_only_static_files(web_server, tmp_path, monkeypatch):
    """Even markup that is not escaped (a template mistake) cannot reach the network or the disk."""
    from facilitator.summaries.pdf import StaticOnlyFetcher, html_to_pdf

    base = web_server.base
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="{STATIC_ORIGIN}/static/css/pdf.css">
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="stylesheet" href="file://{secret}">
      <style>@import url({base}/import.css); @font-face {{ font-family: X; src: url({base}/font.woff); }}
             p {{ background: url({base}/background.png); font-family: X; }}</style>
    </head><body>
      <p>Łódź — Кюстендил</p><img src="{base}/img.png"><img src="/static/favicon.svg">
      <object data="{base}/object"></object><embed src="{base}/embed">
    </body></html>"""
    asked = []

    class Watching(StaticOnlyFetcher):
        def fetch(self, url, headers=None):
            asked.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr("facilitator.summaries.pdf.StaticOnlyFetcher", Watching)
    data = html_to_pdf(html, STATIC)
    assert data.startswith(b"%PDF-")
    assert web_server.requests == []
    assert f"{STATIC_ORIGIN}/static/css/pdf.css" in asked and f"{base}/img.png" in asked  # asked, refused

    # The server would have noticed: WeasyPrint's own fetcher does reach it.
    from weasyprint import HTML

    HTML(string=f'<img src="{base}/control.png">').write_pdf()
    assert web_server.requests == ["/control.png"]
