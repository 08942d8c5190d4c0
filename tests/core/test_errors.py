"""Error pages are friendly, translated and leak nothing."""

import pytest


def text(response):
    return response.get_data(as_text=True)


def test_unknown_url_gets_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert 'href="/"' in text(response)


def test_404_in_bulgarian(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "bg"})
    assert response.status_code == 404
    assert "Страницата не е намерена" in text(response)


@pytest.mark.own_app
def test_500_leaks_nothing(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/explode")
    def explode():
        raise RuntimeError("secret database password is hunter2")

    response = client.get("/explode", headers={"Accept-Language": "pl"})
    body = text(response)
    assert response.status_code == 500
    assert "Coś poszło nie tak po naszej stronie" in body
    assert "hunter2" not in body and "RuntimeError" not in body and "Traceback" not in body


def test_oversized_request_is_refused_politely(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/signin", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert "That was too much to send" in text(response)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_have_no_inline_script_or_style(client):
    """The CSP forbids them, so any that slipped in would be silently broken."""
    import re

    for url in ("/", "/signin", "/signup", "/no/such/page"):
        body = text(client.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert " style=" not in body and "<style" not in body, url
        assert not re.search(r"\son[a-z]+=", body), url


def test_session_cookie_is_httponly_and_lax(client):
    client.get("/signin")
    client.get("/signin")
    cookie = next(c for c in client._cookies.values() if c.key == "session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_base_layout_has_landmarks_and_skip_link(client):
    body = text(client.get("/"))
    assert 'class="skip-link" href="#main"' in body
    assert '<main id="main"' in body and "<header" in body and "<nav" in body and "<footer" in body
    assert '<label for="language-select">' in body


def test_expired_form_for_a_vanished_item_is_a_friendly_404(client, as_facilitator):
    """The CSRF handler re-renders form views; a view that 404s must still answer 404."""
    response = client.post("/workshops/99999/edit", data={"title": "x"})
    assert response.status_code == 404
    assert "This workshop is not available" in text(response)
