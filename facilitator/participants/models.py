"""Group members: people who joined with the code, without an account."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..core.models import Row, belongs_to
from ..extensions import db


class Participant(Row, db.Model):
    """Someone in a workshop, known by a display name and a signed cookie on their device."""

    __tablename__ = "participants"

    workshop_id: Mapped[int] = belongs_to("workshops")
    group_id: Mapped[int | None] = mapped_column(db.ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    display_name: Mapped[str] = mapped_column(db.String(60))
    #: The secret half of the device's cookie; a new one signs the old device out.
    token: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    #: Set when the facilitator removes the person; their cookie stops working.
    removed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    #: Presents the group's result from the projector.
    is_spokesperson: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    #: The field the person last typed in, and when (from the presence pings): text typed there just
    #: before the stage closed may still be saved for a few seconds (see stages.state.refusal).
    typing_field_id: Mapped[int | None] = mapped_column(db.ForeignKey("stage_fields.id", ondelete="SET NULL"))
    typing_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    #: The language the device last opened the workspace in: stage news is rendered in it.
    locale: Mapped[str | None] = mapped_column(db.String(8))
    #: The simple view (large text, one question at a time) chosen by the member; None follows the workshop's default.
    simple_mode: Mapped[bool | None] = mapped_column(db.Boolean)

    group = relationship("Group")
    workshop = relationship("Workshop")


class TakeoverStatus:
    """What became of a request to take a member's seat with the group PIN."""

    PENDING = "pending"  # the seat's device was active: waiting for a facilitator
    APPROVED = "approved"
    REFUSED = "refused"
    TAKEN = "taken"  # the seat's device was idle: taken at once, shown to the facilitators


class SeatTakeover(Row, db.Model):
    """A new device taking a member's seat with the group PIN: pending, decided, or done at once."""

    __tablename__ = "seat_takeovers"

    workshop_id: Mapped[int] = belongs_to("workshops")
    participant_id: Mapped[int] = belongs_to("participants")
    group_id: Mapped[int | None] = mapped_column(db.ForeignKey("groups.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(db.String(16), default=TakeoverStatus.PENDING)
    #: The waiting device's secret (in its cookie), so only it can take the approved seat.
    secret: Mapped[str] = mapped_column(db.String(64))
    requested_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("facilitators.id", ondelete="SET NULL"))
    #: When the waiting device took the approved seat; an approval lets one device in, once.
    claimed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    participant = relationship("Participant")
    group = relationship("Group")
    decided_by = relationship("Facilitator")
