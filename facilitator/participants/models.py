"""Group members: people who joined with the code, without an account."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..extensions import db


class Participant(db.Model):
    """Someone in a workshop, known by a display name and a signed cookie on their device."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(db.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
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

    group = relationship("Group")
    workshop = relationship("Workshop")
