"""Static files: a phone fetches each once, compressed, and never asks about it again until it changes."""

import gzip
import re
from pathlib import Path

import pytest

from facilitator.core.assets import StaticFiles

ROOT = Path(__file__).resolve().parents[2]
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def assets_of(html):
    return ASSET.findall(html)


@pytest.fixture
def page_assets(client, as_facilitator, workshop):
    """What the workshop page asks the browser to load: its stylesheets, scripts and icon."""
    found = assets_of(client.get(f"/workshops/{workshop.id}").get_data(as_text=True))
    assert len(found) >= 4
    return found


def test_every_static_url_on_a_page_names_its_content_and_is_kept_for_a_year(client, page_assets):
    for url in page_assets:
        path, _, query = url.partition("?v=")
        on_disk = (ROOT / path.lstrip("/")).read_bytes()
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        body = response.data
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        assert body == on_disk, url
        assert re.fullmatch(r"[0-9a-f]{12}", query), url


def test_text_files_go_out_compressed_to_a_browser_that_takes_gzip(client, page_assets):
    script = next(url for url in page_assets if "htmx.es2017.min.js" in url)
    on_disk = (ROOT / "static/vendor/htmx/htmx.es2017.min.js").read_bytes()
    packed = client.get(script, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == on_disk
    assert len(packed.data) < len(on_disk) / 2
    plain = client.get(script)  # a client that does not say it takes gzip
    assert "Content-Encoding" not in plain.headers and plain.data == on_disk


def test_a_cached_file_is_confirmed_with_a_304_and_no_body(client, page_assets):
    for encoding in ("gzip", "identity"):
        first = client.get(page_assets[0], headers={"Accept-Encoding": encoding})
        again = client.get(
            page_assets[0], headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]}
        )
        assert again.status_code == 304 and again.data == b""


def test_a_url_without_the_current_hash_is_served_but_must_be_revalidated(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache", url


def test_a_changed_file_gets_a_new_url(tmp_path):
    sheet = tmp_path / "css" / "app.css"
    sheet.parent.mkdir()
    sheet.write_text("body { color: black; }" * 40)
    files = StaticFiles(str(tmp_path))
    before = files.version("css/app.css")
    sheet.write_text("body { color: navy; }" * 40)
    after = files.version("css/app.css")
    assert before and after and before != after
    assert files.version("css/missing.css") is None


def test_nothing_outside_the_static_folder_is_served(client):
    for url in ("/static/../wsgi.py", "/static/%2e%2e/wsgi.py", "/static/missing.js", "/static/css"):
        assert client.get(url).status_code == 404, url
