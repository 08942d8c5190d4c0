"""Account operations as plain functions: views and the CLI call these, tests too."""

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .models import Facilitator

MIN_PASSWORD_LENGTH = 8


class AccountError(Exception):
    """A refused account operation; `field` names the form field it belongs to."""

    def __init__(self, code, field):
        super().__init__(code)
        self.code = code
        self.field = field


def normalise_email(email):
    return (email or "").strip().lower()


def _hash(password):
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    return generate_password_hash(password, method=method) if method else generate_password_hash(password)


def find_facilitator(email):
    """The account for an email, whatever case it was typed in."""
    return db.session.scalar(db.select(Facilitator).filter_by(email=normalise_email(email)))


def sign_up(email, display_name, password, locale=None):
    """Create a facilitator account; refuses an email that already has one."""
    email = normalise_email(email)
    if find_facilitator(email) is not None:
        raise AccountError("duplicate-email", "email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("short-password", "password")
    facilitator = Facilitator(
        email=email,
        display_name=display_name.strip(),
        password_hash=_hash(password),
        locale=locale,
    )
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


def authenticate(email, password):
    """The facilitator these credentials belong to, or AccountError saying which part is wrong."""
    facilitator = find_facilitator(email)
    if facilitator is None:
        raise AccountError("unknown-email", "email")
    if not check_password_hash(facilitator.password_hash, password):
        raise AccountError("wrong-password", "password")
    return facilitator


def change_password(facilitator, current_password, new_password):
    """Replace the password after proving the current one."""
    if not check_password_hash(facilitator.password_hash, current_password):
        raise AccountError("wrong-password", "current_password")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError("short-password", "new_password")
    facilitator.password_hash = _hash(new_password)
    db.session.commit()


def remember_locale(facilitator, locale):
    """Keep the facilitator's UI language on their account, for their other devices."""
    facilitator.locale = locale
    db.session.commit()


def ensure_demo_facilitator(email, password, display_name):
    """Create the demo account once; later calls leave it (and its password) alone."""
    facilitator = find_facilitator(email)
    if facilitator is None:
        facilitator = sign_up(email, display_name, password)
        return facilitator, True
    return facilitator, False
