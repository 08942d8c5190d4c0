"""A series, its partner organisations and who plans it; each meeting is an ordinary workshop."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..core.models import Ordered, Row, belongs_to
from ..extensions import db


class Series(Row, db.Model):
    """Meetings that belong together ("Podaj dalej": four meetings, four libraries, hosted in turn)."""

    __tablename__ = "series"

    title: Mapped[str] = mapped_column(db.String(200))
    description: Mapped[str] = mapped_column(db.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    partners = relationship(
        "SeriesPartner", back_populates="series", order_by="SeriesPartner.position", cascade="all, delete-orphan"
    )
    memberships = relationship("SeriesFacilitator", back_populates="series", cascade="all, delete-orphan")


class SeriesPartner(Ordered, db.Model):
    """An organisation of the series, in the order they host (its place is where its meetings are held)."""

    __tablename__ = "series_partners"
    __table_args__ = (UniqueConstraint("series_id", "name"),)

    series_id: Mapped[int] = belongs_to("series")
    name: Mapped[str] = mapped_column(db.String(200))
    place: Mapped[str] = mapped_column(db.String(200), default="", server_default="")

    series = relationship("Series", back_populates="partners")


class SeriesFacilitator(Row, db.Model):
    """Who plans the whole series: its owner and the partners' people as co-facilitators of every meeting."""

    __tablename__ = "series_facilitators"
    __table_args__ = (UniqueConstraint("series_id", "facilitator_id"),)

    series_id: Mapped[int] = belongs_to("series")
    facilitator_id: Mapped[int] = belongs_to("facilitators")
    role: Mapped[str] = mapped_column(db.String(20))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    series = relationship("Series", back_populates="memberships")
    facilitator = relationship("Facilitator")
