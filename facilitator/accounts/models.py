"""Facilitator accounts: the people who plan and run workshops."""

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Row, belongs_to
from ..extensions import db


def utcnow():
    return datetime.now(UTC)


class Facilitator(UserMixin, db.Model):
    """A signed-up organiser; participants never have accounts."""

    __tablename__ = "facilitators"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased so sign-in ignores the case people type.
    email: Mapped[str] = mapped_column(db.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(db.String(120))
    password_hash: Mapped[str] = mapped_column(db.String(255))
    #: The UI language the facilitator last chose (pl, bg or en).
    locale: Mapped[str | None] = mapped_column(db.String(8))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    #: The token of the session this object was loaded for (not stored); Flask-Login keeps it, not the id.
    session_token = None

    def get_id(self):
        """Flask-Login's alternative id: the session's token, so ending the session ends the cookies."""
        if not self.session_token:
            raise RuntimeError("open_session() before login_user()")
        return self.session_token

    def __eq__(self, other):
        """The same account, whichever session loaded it (UserMixin would compare session tokens)."""
        if isinstance(other, Facilitator):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self):
        return f"<Facilitator {self.email}>"


class FacilitatorSession(Row, db.Model):
    """One sign-in on one device, so it can be ended on the server whatever cookies remain."""

    __tablename__ = "facilitator_sessions"

    facilitator_id: Mapped[int] = belongs_to("facilitators")
    #: SHA-256 of the random token kept in the session and remember-me cookies; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    #: Updated at most every few minutes, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    #: What the browser called itself, so the account page can name the device.
    user_agent: Mapped[str] = mapped_column(db.String(200), default="")
    #: Set by sign-out, a password change or "sign out everywhere"; an ended session never comes back.
    revoked_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    facilitator = relationship(Facilitator)
