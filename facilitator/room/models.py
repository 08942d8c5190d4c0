"""What the facilitator drives live: the timer, messages to groups, help flags, stage comments."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..core.models import Row, belongs_to
from ..extensions import db


class StageTimer(Row, db.Model):
    """The workshop's countdown, kept as a deadline on the server so every screen agrees.

    Running: `deadline` is when time is up. Paused: `remaining_seconds` holds what is left.
    Screens compute the rest from the server's clock, so a phone's wrong clock does not matter.
    """

    __tablename__ = "stage_timers"

    workshop_id: Mapped[int] = mapped_column(db.ForeignKey("workshops.id", ondelete="CASCADE"), unique=True)
    stage_id: Mapped[int | None] = mapped_column(db.ForeignKey("stages.id", ondelete="SET NULL"))
    duration_seconds: Mapped[int] = mapped_column(default=0)
    deadline: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    remaining_seconds: Mapped[int | None] = mapped_column()
    #: Set by the facilitator (start, add minutes), not a stage's time box: "next stage" keeps it.
    by_hand: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Broadcast(Row, db.Model):
    """A short message from the facilitator to every group or to one."""

    __tablename__ = "broadcasts"

    workshop_id: Mapped[int] = belongs_to("workshops")
    #: None: every group.
    group_id: Mapped[int | None] = belongs_to("groups")
    text: Mapped[str] = mapped_column(db.String(500))
    author: Mapped[str] = mapped_column(db.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class HelpRequest(Row, db.Model):
    """A group's "we need help", raised until a facilitator clears it."""

    __tablename__ = "help_requests"

    workshop_id: Mapped[int] = belongs_to("workshops")
    group_id: Mapped[int] = belongs_to("groups")
    participant_id: Mapped[int | None] = mapped_column(db.ForeignKey("participants.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class StageComment(Row, db.Model):
    """The facilitator's note on one group's stage, shown to that group live."""

    __tablename__ = "stage_comments"

    group_id: Mapped[int] = belongs_to("groups")
    stage_id: Mapped[int] = belongs_to("stages")
    text: Mapped[str] = mapped_column(db.String(1000))
    author: Mapped[str] = mapped_column(db.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
