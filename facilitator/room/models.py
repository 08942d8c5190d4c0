"""What the facilitator drives live: the timer, messages to groups, help flags, stage comments."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..extensions import db


class StageTimer(db.Model):
    """The workshop's countdown, kept as a deadline on the server so every screen agrees.

    Running: `deadline` is when time is up. Paused: `remaining_seconds` holds what is left.
    Screens compute the rest from the server's clock, so a phone's wrong clock does not matter.
    """

    __tablename__ = "stage_timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(db.ForeignKey("workshops.id", ondelete="CASCADE"), unique=True)
    stage_id: Mapped[int | None] = mapped_column(db.ForeignKey("stages.id", ondelete="SET NULL"))
    duration_seconds: Mapped[int] = mapped_column(default=0)
    deadline: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    remaining_seconds: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Broadcast(db.Model):
    """A short message from the facilitator to every group or to one."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(db.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    #: None: every group.
    group_id: Mapped[int | None] = mapped_column(db.ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(db.String(500))
    author: Mapped[str] = mapped_column(db.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class HelpRequest(db.Model):
    """A group's "we need help", raised until a facilitator clears it."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(db.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(db.ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(db.ForeignKey("participants.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class StageComment(db.Model):
    """The facilitator's note on one group's stage, shown to that group live."""

    __tablename__ = "stage_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(db.ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(db.ForeignKey("stages.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(db.String(1000))
    author: Mapped[str] = mapped_column(db.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
