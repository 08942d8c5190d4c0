"""Facilitator accounts: the people who plan and run workshops."""

from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


def utcnow():
    return datetime.now(timezone.utc)


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

    def __repr__(self):
        return f"<Facilitator {self.email}>"
