"""Configuration classes; deployment settings come from FACILITATOR_* environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENV_PREFIX = "FACILITATOR_"
LANGUAGES = ("pl", "bg", "en")
PACKAGE_DIR = Path(__file__).resolve().parent
#: A wheel carries templates/, static/, translations/, migrations/ in facilitator/_data (setup.py).
INSTALLED = (PACKAGE_DIR / "_data").is_dir()
#: Where those folders are: inside the installed package, or beside the package in a checkout.
DATA_DIR = PACKAGE_DIR / "_data" if INSTALLED else PACKAGE_DIR.parent


def env(name, default=None):
    """Read one FACILITATOR_* variable, treating an empty value as unset."""
    value = os.environ.get(ENV_PREFIX + name, "")
    return value if value.strip() else default


def normalise_database_url(url):
    """Point plain postgres URLs at psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_or_create_secret_key(instance_path):
    """Keep one random key per installation so sessions survive restarts.

    Several workers may start at once: the file is created only if none exists (O_EXCL), whole,
    and a worker that finds one made meanwhile takes that key, so they all agree.
    """
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return _key_in(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_text(key)
    draft.chmod(0o600)
    try:
        os.link(draft, path)  # fails if another worker's key is there already
    except FileExistsError:
        key = _key_in(path)
    except OSError:  # a file system without hard links: create it exclusively instead
        try:
            with open(path, "x") as file:
                file.write(key)
            path.chmod(0o600)
        except FileExistsError:
            key = _key_in(path)
    finally:
        draft.unlink()
    return key


def _key_in(path):
    return path.read_text().strip()


def system_timezone():
    """The laptop's own time zone name, so "Saved 14:03" matches the clock on the wall."""
    try:
        return Path("/etc/timezone").read_text().strip() or "UTC"
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return "UTC"
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"


def parse_bool(name, value):
    """Read an on/off setting, refusing anything ambiguous at startup rather than guessing."""
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{ENV_PREFIX}{name} must be true or false, not {value!r}")


def read_mail_settings(config):
    """Overlay the FACILITATOR_MAIL_* variables (the reset-link mail) onto a config mapping."""
    for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER"):
        value = env(name)
        if value:
            config[name] = value.strip() if name != "MAIL_PASSWORD" else value
    port = env("MAIL_PORT")
    if port:
        if not port.strip().isdigit():
            raise ValueError(f"{ENV_PREFIX}MAIL_PORT must be a port number, not {port!r}")
        config["MAIL_PORT"] = int(port)
    use_tls = env("MAIL_USE_TLS")
    if use_tls:
        config["MAIL_USE_TLS"] = parse_bool("MAIL_USE_TLS", use_tls)


def hosting_settings():
    """What a deployment behind TLS on the internet sets; a venue laptop on plain http sets none.

    Kept apart from Config.from_environment so tests can build a hosted app from the same parsing.
    """
    settings = {}
    base = env("PUBLIC_BASE_URL")
    if base:
        settings["PUBLIC_BASE_URL"] = base.strip().rstrip("/")
    hosts = env("TRUSTED_HOSTS")
    if hosts:
        settings["TRUSTED_HOSTS"] = [host.strip() for host in hosts.split(",") if host.strip()]
    secure = env("SECURE_COOKIES")
    if secure is not None:
        secure = parse_bool("SECURE_COOKIES", secure)
        settings.update(SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_SECURE=secure, WTF_CSRF_SSL_STRICT=secure)
    hsts = env("HSTS_SECONDS")
    if hsts is not None:
        settings["HSTS_SECONDS"] = int(hsts)
    proxies = env("PROXY_FIX")
    if proxies is not None:
        settings["PROXY_FIX"] = int(proxies)
    return settings


class Config:
    """The embedded default: SQLite in the instance folder, in-process broker."""

    TESTING = False
    #: None means "SQLite file in the instance folder", resolved by the factory.
    SQLALCHEMY_DATABASE_URI = None
    REDIS_URL = None
    #: Every Redis key and channel starts with this, so installations (or test runs) can share a Redis.
    REDIS_PREFIX = "facilitator:"
    SECRET_KEY = None

    LANGUAGES = LANGUAGES
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = env("TIMEZONE") or system_timezone()
    BABEL_TRANSLATION_DIRECTORIES = str(DATA_DIR / "translations")

    # A facilitator tab stays open through a whole workshop afternoon and evening.
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    WTF_CSRF_SSL_STRICT = False  # venues serve plain http on the LAN
    #: scheme and host people reach the app at, e.g. https://warsztaty.example.org; None: the
    #: address each request came to (a laptop's LAN address at a venue).
    PUBLIC_BASE_URL = None
    #: Host names the app answers to (Flask checks the Host header against them); None: any.
    TRUSTED_HOSTS = None
    #: Served over TLS: Secure cookies, and plain http is redirected to https.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    #: Strict-Transport-Security max-age in seconds; 0 sends no HSTS header.
    HSTS_SECONDS = 0
    #: How many reverse proxies stand in front (their X-Forwarded-* headers are believed); 0: none.
    PROXY_FIX = 0
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    #: Uploads (spreadsheets later) are small; refuse anything bigger outright.
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024

    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    #: Counted in this process (core.limits) unless Redis is configured, then in Redis.
    RATELIMIT_STORAGE_URI = "facilitator-memory://"
    RATELIMIT_STRATEGY = "fixed-window"
    SIGN_IN_RATE_LIMIT = "10 per minute;50 per hour"
    SIGN_UP_RATE_LIMIT = "20 per hour"
    #: Failed sign-ins for one typed email, from any address, so many addresses cannot share out the guessing.
    SIGN_IN_ACCOUNT_RATE_LIMIT = "10 per 15 minutes"
    #: Reset-link requests, counted per address and per typed email.
    PASSWORD_RESET_RATE_LIMIT = "5 per hour"
    #: Seconds a mailed reset link works.
    PASSWORD_RESET_MAX_AGE = 3600

    # Mail, for password-reset links; without a server, whoever runs the laptop resets passwords with
    # `flask --app wsgi accounts reset-password EMAIL`.
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    #: STARTTLS before logging in; port 465 always speaks TLS from the start.
    MAIL_USE_TLS = True
    #: The From address; defaults to MAIL_USERNAME.
    MAIL_SENDER = None

    DEMO_EMAIL = "demo@example.org"
    DEMO_PASSWORD = "demo-workshop"

    @classmethod
    def from_environment(cls, config):
        """Overlay FACILITATOR_* variables onto a config mapping."""
        url = env("DATABASE_URL")
        if url:
            config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
        for name in ("REDIS_URL", "REDIS_PREFIX", "SECRET_KEY", "DEMO_PASSWORD"):
            if env(name):
                config[name] = env(name)
        config.update(hosting_settings())
        read_mail_settings(config)


class TestingConfig(Config):
    """In-memory SQLite unless the test run names a real database."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SECRET_KEY = "test-secret-key"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    WTF_CSRF_ENABLED = True
    # Fast hashing keeps the suite quick; production uses werkzeug's default scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"

    @classmethod
    def from_environment(cls, config):
        """Tests read FACILITATOR_TEST_* so a developer's own settings never leak in."""
        url = os.environ.get("FACILITATOR_TEST_DATABASE_URL", "").strip()
        if url:
            config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
        redis_url = os.environ.get("FACILITATOR_TEST_REDIS_URL", "").strip()
        if redis_url:
            config["REDIS_URL"] = redis_url
            # Each test app counts rate limits and streams events in a namespace of its own: the live
            # server of the browser tests shares this Redis and must not inherit the suite's sign-ups.
            config["REDIS_PREFIX"] = f"facilitator-test-{secrets.token_hex(4)}:"
