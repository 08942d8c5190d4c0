"""The workshop's agenda: ordered items with times, kinds and speakers."""

import enum
from datetime import time

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Ordered, belongs_to
from ..extensions import db


class AgendaItemKind(str, enum.Enum):
    TALK = "talk"
    GREETING = "greeting"
    GROUP_WORK = "group-work"
    BREAK = "break"
    DISCUSSION = "discussion"


class AgendaItem(Ordered, db.Model):
    """One slot of the day: a talk, a greeting, group work, a break or a discussion."""

    __tablename__ = "agenda_items"

    workshop_id: Mapped[int] = belongs_to("workshops")
    #: Order within the workshop; the agenda is shown and exported in this order.
    #: 0 for the first day of a multi-day workshop, 1 for the second, and so on.
    day_index: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[time] = mapped_column(db.Time)
    duration_minutes: Mapped[int] = mapped_column(default=30)
    title: Mapped[str] = mapped_column(db.String(200))
    kind: Mapped[str] = mapped_column(db.String(20), default=AgendaItemKind.TALK.value)
    description: Mapped[str] = mapped_column(db.Text, default="")

    speakers = relationship("Speaker", order_by="Speaker.position", cascade="all, delete-orphan", back_populates="item")


class Speaker(Ordered, db.Model):
    """A named person on an agenda item, with the role and organisation the report prints."""

    __tablename__ = "speakers"

    agenda_item_id: Mapped[int] = belongs_to("agenda_items")
    name: Mapped[str] = mapped_column(db.String(120))
    role: Mapped[str] = mapped_column(db.String(200), default="")
    organisation: Mapped[str] = mapped_column(db.String(200), default="")

    item = relationship("AgendaItem", back_populates="speakers")
