"""Facilitator: live service-design workshops with breakout groups."""

from pathlib import Path

from flask import Flask, has_request_context
from flask_talisman import Talisman
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import DATA_DIR, INSTALLED, PACKAGE_DIR, Config, env, load_or_create_secret_key
from .core import limits as _limits  # noqa: F401  (registers facilitator-memory:// for Flask-Limiter)
from .extensions import csrf, db, htmx, limiter, login_manager, migrate

#: Strict policy: no inline script or style, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def create_app(config_class=Config, overrides=None):
    """Build the app; tests pass TestingConfig and per-test overrides."""
    app = FacilitatorFlask(
        __name__,
        template_folder=str(DATA_DIR / "templates"),
        static_folder=str(DATA_DIR / "static"),
        instance_path=_instance_path(),
    )
    from .core.urls import BoundedIntConverter

    # Before any blueprint adds a rule, so every <int:...> stops at what the database stores.
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.from_object(config_class)
    config_class.from_environment(app.config)
    if overrides:
        app.config.update(overrides)
    _fill_defaults(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(DATA_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    _init_hosting(app)

    from .live.broker import create_broker

    app.extensions["broker"] = create_broker(app)

    from .core.i18n import init_i18n

    init_i18n(app)

    from .accounts import views as accounts_views
    from .agenda import views as agenda_views
    from .answers import models as answer_models  # noqa: F401  (tables for migrations)
    from .control import views as control_views
    from .core.errors import register_error_handlers
    from .groups import views as groups_views
    from .home import views as home_views
    from .participants import joining as joining_views
    from .participants import models as participant_models  # noqa: F401
    from .participants import offline as offline_views
    from .participants import views as participants_views
    from .planning import views as planning_views
    from .presenter import views as presenter_views
    from .register import models as register_models  # noqa: F401
    from .register import views as register_views
    from .report import views as report_views
    from .room import models as room_models  # noqa: F401
    from .series import views as series_views
    from .stages import views as stages_views
    from .summaries import views as summaries_views
    from .venue import views as venue_views
    from .workshops import views as workshops_views

    for blueprint in (
        home_views.bp,
        accounts_views.bp,
        workshops_views.bp,
        planning_views.bp,
        agenda_views.bp,
        groups_views.bp,
        stages_views.bp,
        joining_views.bp,
        participants_views.bp,
        offline_views.bp,
        control_views.bp,
        presenter_views.bp,
        register_views.bp,
        report_views.bp,
        summaries_views.bp,
        summaries_views.seat_bp,
        series_views.bp,
        venue_views.bp,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)

    from .core.assets import init_assets

    init_assets(app)

    from .cli import register_cli

    register_cli(app)

    @app.after_request
    def vary_on_htmx(response):
        """One URL serves a page or a fragment, so caches must key on HX-Request."""
        response.vary.add("HX-Request")
        return response

    return app


def _instance_path():
    """FACILITATOR_INSTANCE_PATH, else instance/ in a checkout; installed, Flask's <prefix>/var/facilitator-instance."""
    return env("INSTANCE_PATH") or (None if INSTALLED else str(PACKAGE_DIR.parent / "instance"))


class FacilitatorFlask(Flask):
    """Flask whose external links use the public address, when one is set, not the Host header,
    and whose templates give the event loop back while they render (core.templates)."""

    def create_jinja_environment(self):
        from .core.templates import SlicedTemplate

        environment = super().create_jinja_environment()
        environment.template_class = SlicedTemplate
        return environment

    def url_for(self, endpoint, *, _external=None, **values):
        base = self.config.get("PUBLIC_BASE_URL")
        external = _external if _external is not None else not has_request_context()
        if base and external:
            return base + super().url_for(endpoint, _external=False, **values)
        return super().url_for(endpoint, _external=_external, **values)


def _init_hosting(app):
    """Security headers for every deployment; TLS, HSTS and proxy headers only when configured."""
    if app.config.get("PROXY_FIX"):
        hops = app.config["PROXY_FIX"]
        # Not X-Forwarded-Prefix: the app serves from the root, and a prefix a client sent would
        # move every link (and the links in reset e-mails) wherever it likes.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=0)
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    hsts = int(app.config.get("HSTS_SECONDS") or 0)
    # One Talisman per app: it keeps its options on itself, and tests build many apps.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=secure,  # venues run plain http on a local network; a TLS deployment says so
        session_cookie_secure=secure,
        strict_transport_security=hsts > 0,
        strict_transport_security_max_age=hsts,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        frame_options="DENY",
    )


def _fill_defaults(app):
    """Resolve settings that depend on the instance folder."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "facilitator.sqlite3")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    if app.config.get("REDIS_URL") and app.config.get("RATELIMIT_STORAGE_URI") == "facilitator-memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
        # limits' own prefix, so a reset (tests do one) clears this installation's counters only.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"key_prefix": app.config["REDIS_PREFIX"] + "limits"})


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers and the writer work at once; SQLite leaves foreign keys off by default."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL keeps the database consistent through crashes and skips an fsync per commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
