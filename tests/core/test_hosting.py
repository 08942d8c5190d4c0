"""Hosting behind TLS on the internet: the public address, trusted hosts, Secure cookies, HSTS, a proxy."""

import pytest

from facilitator import create_app
from facilitator.config import Config, TestingConfig, hosting_settings
from facilitator.extensions import db
from tests.conftest import CSRF_INPUT, RequestClient, csrf_token_from


@pytest.fixture
def make_app(monkeypatch):
    """An app built from FACILITATOR_* variables, as a deployment configures it."""
    apps = []

    def make(**variables):
        for name, value in variables.items():
            monkeypatch.setenv("FACILITATOR_" + name, value)
        # Tests never read FACILITATOR_* themselves, so the hosting part is passed on as overrides.
        hosted = create_app(TestingConfig, overrides={**hosting_settings(), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        apps.append(hosted)
        return hosted

    yield make
    for hosted in apps:
        hosted.extensions["broker"].close()


def test_hosting_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("FACILITATOR_PUBLIC_BASE_URL", "https://warsztaty.example.org/")
    monkeypatch.setenv("FACILITATOR_TRUSTED_HOSTS", "warsztaty.example.org, .example.org")
    monkeypatch.setenv("FACILITATOR_SECURE_COOKIES", "true")
    monkeypatch.setenv("FACILITATOR_HSTS_SECONDS", "31536000")
    monkeypatch.setenv("FACILITATOR_PROXY_FIX", "1")
    config = {}
    Config.from_environment(config)
    assert config["PUBLIC_BASE_URL"] == "https://warsztaty.example.org"
    assert config["TRUSTED_HOSTS"] == ["warsztaty.example.org", ".example.org"]
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["HSTS_SECONDS"] == 31536000
    assert config["PROXY_FIX"] == 1


def test_defaults_suit_a_laptop_on_plain_http():
    app = create_app(TestingConfig)
    try:
        assert app.config["PUBLIC_BASE_URL"] is None
        assert app.config["TRUSTED_HOSTS"] is None
        assert app.config["SESSION_COOKIE_SECURE"] is False
    finally:
        app.extensions["broker"].close()


def _signed_in_owner(app):
    from datetime import date

    from facilitator.accounts import services as accounts
    from facilitator.planning import services as planning

    with app.app_context():
        db.create_all()
        owner = accounts.sign_up("ana@example.org", "Ana", "correct horse")
        workshop = planning.create_workshop(owner, "Podaj dalej", date(2026, 5, 4), locale="pl")
        return workshop.id, workshop.join_code


def _sign_in(client, base_url="http://localhost"):
    token = csrf_token_from(client, "/signin")
    response = client.post(
        "/signin",
        data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse"},
        base_url=base_url,
    )
    assert response.status_code == 302
    return response


def _from_host(client, url, host):
    """A request whose Host header names `host`, carrying the session the client holds for localhost."""
    cookieless = client.application.test_client(use_cookies=False)  # else the jar drops the Cookie header
    return cookieless.get(url, headers={"Host": host, "Cookie": f"session={client.get_cookie('session').value}"})


def test_the_join_link_and_qr_use_the_public_address_not_the_host_header(make_app):
    app = make_app(PUBLIC_BASE_URL="https://warsztaty.example.org")
    app.test_client_class = RequestClient
    workshop_id, code = _signed_in_owner(app)
    with app.app_context():
        client = app.test_client()
        _sign_in(client)
        body = _from_host(client, f"/workshops/{workshop_id}/join", "evil.example").get_data(as_text=True)
    assert f"https://warsztaty.example.org/j/{code}" in body
    assert "evil.example" not in body


def test_without_a_public_address_the_join_link_follows_the_laptops_address(app, client, as_facilitator, workshop):
    body = _from_host(client, f"/workshops/{workshop.id}/join", "192.168.1.20:5000").get_data(as_text=True)
    assert f"http://192.168.1.20:5000/j/{workshop.join_code}" in body


def test_a_host_that_is_not_trusted_is_refused(make_app):
    app = make_app(TRUSTED_HOSTS="warsztaty.example.org")
    with app.app_context():
        db.create_all()
        client = app.test_client()
        assert client.get("/", headers={"Host": "warsztaty.example.org"}).status_code == 200
        refused = client.get("/", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "evil.example" not in refused.get_data(as_text=True)


def test_secure_cookies_and_hsts_behind_tls(make_app):
    app = make_app(SECURE_COOKIES="true", HSTS_SECONDS="31536000", PROXY_FIX="1")
    app.test_client_class = RequestClient
    _signed_in_owner(app)
    with app.app_context():
        client = app.test_client()
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "warsztaty.example.org"}
        page = client.get("/signin", headers=https)
        assert page.status_code == 200
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        token = CSRF_INPUT.search(page.get_data(as_text=True)).group(1)
        response = client.post(
            "/signin",
            headers={**https, "Referer": "https://warsztaty.example.org/signin"},
            data={"csrf_token": token, "email": "ana@example.org", "password": "correct horse", "remember": "y"},
        )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)


def test_plain_http_to_a_tls_deployment_is_sent_to_https(make_app):
    app = make_app(SECURE_COOKIES="true", HSTS_SECONDS="300", PROXY_FIX="1")
    with app.app_context():
        db.create_all()
        response = app.test_client().get(
            "/", headers={"X-Forwarded-Proto": "http", "X-Forwarded-Host": "warsztaty.example.org"}
        )
    assert response.status_code in (301, 302)
    assert response.headers["Location"].startswith("https://warsztaty.example.org/")


def test_the_proxy_tells_the_real_address_for_rate_limits(make_app):
    app = make_app(PROXY_FIX="1")
    app.config["SIGN_IN_RATE_LIMIT"] = "2 per minute"
    from facilitator.extensions import limiter

    with app.app_context():
        db.create_all()
        limiter.reset()
        client = app.test_client()

        def attempt(address):
            token = csrf_token_from(client, "/signin")
            return client.post(
                "/signin",
                headers={"X-Forwarded-For": address},
                data={"csrf_token": token, "email": "nobody@example.org", "password": "wrong one"},
            )

        assert [attempt("203.0.113.7").status_code for _ in range(3)][-1] == 429
        assert attempt("198.51.100.9").status_code != 429


def test_a_path_prefix_a_client_sends_does_not_move_the_links(make_app):
    """Found in the deployment check: with the proxy setting on, X-Forwarded-Prefix was believed,
    so anyone could make the app write its links (and reset e-mails) under /evil."""
    app = make_app(PROXY_FIX="1")
    with app.app_context():
        db.create_all()
        page = app.test_client().get("/signin", headers={"X-Forwarded-Prefix": "/evil"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'href="/signup"' in body and "/evil" not in body


def test_a_participants_seat_cookie_is_secure_behind_tls(make_app):
    app = make_app(SECURE_COOKIES="true", PROXY_FIX="1")
    app.test_client_class = RequestClient
    from facilitator.extensions import db as database
    from facilitator.groups.models import Group

    workshop_id, code = _signed_in_owner(app)
    with app.app_context():
        group = Group(workshop_id=workshop_id, name="Grupa 1", position=1)
        database.session.add(group)
        database.session.commit()
        client = app.test_client()
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "warsztaty.example.org"}
        page = client.get(f"/j/{code}", headers=https)
        token = CSRF_INPUT.search(page.get_data(as_text=True)).group(1)
        response = client.post(
            f"/j/{code}",
            headers={**https, "Referer": f"https://warsztaty.example.org/j/{code}"},
            data={
                "csrf_token": token,
                "display_name": "Ewa",
                "group": str(group.id),
                "website": "",
                "homepage": "http://",
            },
        )
    assert response.status_code == 302
    seat = [cookie for cookie in response.headers.getlist("Set-Cookie") if cookie.startswith(f"fp_{workshop_id}=")]
    assert seat and "Secure" in seat[0]
