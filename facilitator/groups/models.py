"""Breakout groups of a workshop."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Ordered, belongs_to
from ..extensions import db


class Group(Ordered, db.Model):
    """A breakout group; archived rather than deleted once it has members or answers."""

    __tablename__ = "groups"

    workshop_id: Mapped[int] = belongs_to("workshops")
    name: Mapped[str] = mapped_column(db.String(80))
    #: A key of groups.palette.PALETTE, never a raw colour, so contrast stays checked.
    colour: Mapped[str] = mapped_column(db.String(20), default="blue")
    #: A key of stages.categories.SERVICE_CATEGORIES, or None before the group chooses.
    service_category: Mapped[str | None] = mapped_column(db.String(32))
    #: The group's members open the simple view unless they choose the full one (a group of people new to smartphones).
    simple_mode: Mapped[bool] = mapped_column(db.Boolean, default=False, server_default=db.false())
    archived_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    #: Eight digits (see groups.pins) only the facilitator sees; with it, someone who lost their cookie rejoins.
    join_pin: Mapped[str | None] = mapped_column(db.String(8))
    #: Everyone who ever joined the group, removed people too (named, not imported: participants build on groups).
    members = relationship("Participant", viewonly=True)

    @property
    def is_archived(self):
        return self.archived_at is not None
