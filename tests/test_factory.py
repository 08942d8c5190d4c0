"""The factory honours its configuration."""

import os

import pytest

from facilitator import create_app
from facilitator.config import Config, TestingConfig, normalise_database_url


def test_testing_config_uses_memory_sqlite_unless_told(monkeypatch):
    monkeypatch.delenv("FACILITATOR_TEST_DATABASE_URL", raising=False)
    app = create_app(TestingConfig)
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_default_config_is_sqlite_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("FACILITATOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("FACILITATOR_SECRET_KEY", "from-env")
    app = create_app(Config)
    assert not app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/facilitator.sqlite3")
    assert app.config["SECRET_KEY"] == "from-env"


def test_environment_names_database_and_redis(monkeypatch):
    monkeypatch.setenv("FACILITATOR_DATABASE_URL", "postgresql://u@127.0.0.1:5432/f")
    monkeypatch.setenv("FACILITATOR_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("FACILITATOR_SECRET_KEY", "k")
    app = create_app(Config)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/f"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/0"
    # Redis, when configured, also keeps the rate-limit counters shared between processes.
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_secret_key_is_generated_once_into_instance_folder(monkeypatch, tmp_path):
    from facilitator.config import load_or_create_secret_key

    first = load_or_create_secret_key(tmp_path)
    second = load_or_create_secret_key(tmp_path)
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_processes_starting_together_agree_on_one_secret_key(tmp_path, monkeypatch):
    """Found in the deployment check: two workers starting at once could each write a key of their
    own (46 of 200 tries), and a form sent to the other worker then failed."""
    from facilitator import config

    written, racing = [], []
    real_token = config.secrets.token_hex

    def slow_token(n):
        # The other worker finds no key file yet and writes its own before this one writes.
        key = real_token(n)
        if not racing:
            racing.append(True)
            written.append(config.load_or_create_secret_key(tmp_path))
        return key

    monkeypatch.setattr(config.secrets, "token_hex", slow_token)
    mine = config.load_or_create_secret_key(tmp_path)
    assert mine == written[0] == (tmp_path / "secret_key").read_text().strip()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://a/b") == "postgresql+psycopg://a/b"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATOR_DATABASE_URL", f"sqlite:///{tmp_path}/f.sqlite3")
    monkeypatch.setenv("FACILITATOR_SECRET_KEY", "k")
    app = create_app(Config)
    from facilitator.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_redis_prefix_names_broker_channels_and_rate_limit_keys(monkeypatch):
    monkeypatch.setenv("FACILITATOR_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("FACILITATOR_REDIS_PREFIX", "venue-a:")
    app = create_app(Config)
    assert app.extensions["broker"].prefix == "venue-a:"
    assert app.config["RATELIMIT_STORAGE_OPTIONS"] == {"key_prefix": "venue-a:limits"}
    app.extensions["broker"].close()


@pytest.mark.skipif(not os.environ.get("FACILITATOR_TEST_REDIS_URL"), reason="needs Redis")
def test_apps_sharing_a_redis_count_their_sign_ups_apart():
    """The browser tests' server shares Redis with the rest of the suite; its sign-ups are its own."""
    from facilitator.extensions import db

    overrides = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "WTF_CSRF_ENABLED": False, "SIGN_UP_RATE_LIMIT": "1 per hour"}
    apps = []

    def sign_up_twice():
        # One app at a time, as each server process has one: the limiter extension is process-wide.
        app = create_app(TestingConfig, overrides)
        apps.append(app)
        with app.app_context():
            db.create_all()
        client = app.test_client()
        return [client.post("/signup", data={}).status_code for _ in range(2)]

    try:
        assert sign_up_twice() == [422, 429]  # the form refuses the empty post; the second is one too many
        assert sign_up_twice() == [422, 429]  # a fresh namespace: the first app's count is not carried over
    finally:
        for app in apps:
            app.extensions["broker"].close()
