"""Account operations as plain functions: views and the CLI call these, tests too."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.domain import DomainError
from ..core.offload import off_the_loop
from ..extensions import db
from .mail import send_password_reset
from .models import Facilitator, FacilitatorSession, utcnow

MIN_PASSWORD_LENGTH = 8
#: A session's last-seen time is written at most this often, not on every request.
LAST_SEEN_EVERY = timedelta(minutes=5)
MAX_USER_AGENT = 200


def normalise_email(email):
    return (email or "").strip().lower()


def _hash(password):
    """A new password hash, computed beside the event loop: scrypt takes ~0.1 s of CPU."""
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    if method:
        return off_the_loop(generate_password_hash, password, method=method)
    return off_the_loop(generate_password_hash, password)


def _matches(password_hash, password):
    """Check a password beside the event loop, for the same reason as `_hash`."""
    return off_the_loop(check_password_hash, password_hash, password)


def find_facilitator(email):
    """The account for an email, whatever case it was typed in."""
    return db.session.scalar(db.select(Facilitator).filter_by(email=normalise_email(email)))


def sign_up(email, display_name, password, locale=None):
    """Create a facilitator account; refuses an email that already has one."""
    email = normalise_email(email)
    if find_facilitator(email) is not None:
        raise DomainError("duplicate-email", "email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("short-password", "password", min=MIN_PASSWORD_LENGTH)
    facilitator = Facilitator(
        email=email,
        display_name=display_name.strip(),
        password_hash=_hash(password),
        locale=locale,
    )
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


#: One throwaway hash per hashing method, checked for unknown emails so they take as long as known ones.
_DUMMY_HASHES = {}


def _dummy_hash():
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = _hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[method]


def authenticate(email, password):
    """The facilitator these credentials belong to; one refusal for an unknown email or a wrong password.

    Saying which part is wrong would tell anyone which emails have accounts, so both answer alike
    and both cost one password check.
    """
    facilitator = find_facilitator(email)
    if facilitator is None:
        _matches(_dummy_hash(), password)
        raise DomainError("bad-credentials")
    if not _matches(facilitator.password_hash, password):
        raise DomainError("bad-credentials")
    return facilitator


def change_password(facilitator, current_password, new_password, keep_session=None):
    """Replace the password after proving the current one; every other session ends."""
    if not _matches(facilitator.password_hash, current_password):
        raise DomainError("wrong-password", "current_password")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise DomainError("short-password", "new_password", min=MIN_PASSWORD_LENGTH)
    facilitator.password_hash = _hash(new_password)
    end_all_sessions(facilitator, keep=keep_session)
    return facilitator


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_lifetime():
    """A session unused for longer than any of its cookies could live is over."""
    config = current_app.config
    return max(config["PERMANENT_SESSION_LIFETIME"], config["REMEMBER_COOKIE_DURATION"])


def open_session(facilitator, user_agent=""):
    """Start a server-side session for a sign-in and return its new random token."""
    now = utcnow()
    # Keep the table small: this account's ended and long-idle sessions go.
    db.session.execute(
        db.delete(FacilitatorSession)
        .where(FacilitatorSession.facilitator_id == facilitator.id)
        .where(
            (FacilitatorSession.revoked_at.is_not(None)) | (FacilitatorSession.last_seen_at < now - _idle_lifetime())
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        FacilitatorSession(
            facilitator_id=facilitator.id,
            token_hash=_token_hash(token),
            created_at=now,
            last_seen_at=now,
            user_agent=(user_agent or "")[:MAX_USER_AGENT],
        )
    )
    db.session.commit()
    facilitator.session_token = token
    return token


def find_session(token):
    """The live session record a token names, or None."""
    if not token or not isinstance(token, str):
        return None
    record = db.session.scalar(
        db.select(FacilitatorSession).where(
            FacilitatorSession.token_hash == _token_hash(token), FacilitatorSession.revoked_at.is_(None)
        )
    )
    if record is None or _aware(record.last_seen_at) < utcnow() - _idle_lifetime():
        return None
    return record


def _aware(moment):
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def session_is_stale(record):
    return _aware(record.last_seen_at) < utcnow() - LAST_SEEN_EVERY


def touch_session(session_id):
    """Note that a session is still in use, for the account page's list of devices."""
    db.session.execute(
        db.update(FacilitatorSession).where(FacilitatorSession.id == session_id).values(last_seen_at=utcnow())
    )
    db.session.commit()


def end_session(token):
    """Sign-out: this session's cookies, copied or not, stop working."""
    record = find_session(token)
    if record is not None:
        record.revoked_at = utcnow()
        db.session.commit()


def end_all_sessions(facilitator, keep=None):
    """End every session and remember-me token of an account, except the one `keep` names."""
    query = (
        db.update(FacilitatorSession)
        .where(FacilitatorSession.facilitator_id == facilitator.id, FacilitatorSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if keep:
        query = query.where(FacilitatorSession.token_hash != _token_hash(keep))
    db.session.execute(query)
    db.session.commit()


def live_sessions(facilitator):
    """The account's sessions still open, most recently used first."""
    return db.session.scalars(
        db.select(FacilitatorSession)
        .where(FacilitatorSession.facilitator_id == facilitator.id, FacilitatorSession.revoked_at.is_(None))
        .where(FacilitatorSession.last_seen_at >= utcnow() - _idle_lifetime())
        .order_by(FacilitatorSession.last_seen_at.desc(), FacilitatorSession.id.desc())
    ).all()


def set_password(facilitator, new_password):
    """Give an account a new password without the old one (reset link, CLI); every session ends."""
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise DomainError("short-password", "new_password", min=MIN_PASSWORD_LENGTH)
    facilitator.password_hash = _hash(new_password)
    end_all_sessions(facilitator)
    return facilitator


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="facilitator-password-reset")


def _password_fingerprint(facilitator):
    """Changes with every new password hash, so a reset link works once; the hash itself stays private."""
    return hashlib.sha256(facilitator.password_hash.encode()).hexdigest()[:32]


def password_reset_token(facilitator):
    """A signed token for a reset link: it names the account and expires (PASSWORD_RESET_MAX_AGE)."""
    return _reset_serializer().dumps([facilitator.id, _password_fingerprint(facilitator)])


def facilitator_for_reset_token(token):
    """The account a reset token is for, or None once it has expired, been used, or was never ours."""
    try:
        facilitator_id, fingerprint = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
        facilitator = db.session.get(Facilitator, int(facilitator_id))
        if facilitator is None or not hmac.compare_digest(str(fingerprint), _password_fingerprint(facilitator)):
            return None
    except (BadSignature, ValueError, TypeError, OverflowError):
        return None
    return facilitator


def request_password_reset(email, link_for, locale):
    """Mail a reset link if an account uses this email; say nothing either way.

    :param link_for: builds the link's absolute URL from a token.
    """
    facilitator = find_facilitator(email)
    if facilitator is None:
        return False
    send_password_reset(facilitator, link_for(password_reset_token(facilitator)), locale)
    return True


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
