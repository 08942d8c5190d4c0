"""Workshops and who runs them."""

import enum
from datetime import date, datetime, time

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..core.models import Row, belongs_to
from ..extensions import db


class WorkshopStatus(str, enum.Enum):
    DRAFT = "draft"
    LIVE = "live"
    FINISHED = "finished"


class FacilitatorRole(str, enum.Enum):
    OWNER = "owner"
    CO_FACILITATOR = "co-facilitator"


class Workshop(Row, db.Model):
    """One meeting: its plan (agenda, groups, process) and, later, its live run."""

    __tablename__ = "workshops"
    __table_args__ = (
        # A join code identifies one workshop among those still open; finished ones may reuse it.
        Index(
            "uq_workshops_open_join_code",
            "join_code",
            unique=True,
            sqlite_where=db.text("status != 'finished'"),
            postgresql_where=db.text("status != 'finished'"),
        ),
    )

    title: Mapped[str] = mapped_column(db.String(200))
    description: Mapped[str] = mapped_column(db.Text, default="")
    starts_on: Mapped[date] = mapped_column(db.Date)
    #: None for a one-day workshop.
    ends_on: Mapped[date | None] = mapped_column(db.Date)
    #: Agenda items past this time of day are flagged.
    day_starts_at: Mapped[time] = mapped_column(db.Time, default=time(9, 0))
    day_ends_at: Mapped[time] = mapped_column(db.Time, default=time(17, 0))
    venue_place: Mapped[str] = mapped_column(db.String(200), default="")
    venue_address: Mapped[str] = mapped_column(db.String(300), default="")
    #: Language of the workshop's content and PDFs; each person's UI language stays their own.
    locale: Mapped[str] = mapped_column(db.String(8), default="en")
    status: Mapped[str] = mapped_column(db.String(16), default=WorkshopStatus.DRAFT.value)
    join_code: Mapped[str | None] = mapped_column(db.String(12))
    #: Printed on the join sheet so people at the venue find the laptop's network.
    wifi_name: Mapped[str] = mapped_column(db.String(100), default="")
    #: With it, the join sheet also prints a QR code that connects a phone to the Wi-Fi; shown to facilitators only.
    wifi_password: Mapped[str] = mapped_column(db.String(63), default="", server_default="")
    #: Every member's workspace opens in the simple view unless they choose the full one.
    simple_mode: Mapped[bool] = mapped_column(db.Boolean, default=False, server_default=db.false())
    #: The workshop's own snapshot of a process template.
    process_id: Mapped[int | None] = mapped_column(db.ForeignKey("processes.id", ondelete="SET NULL"))
    #: When the facilitator let participants download the PDFs; None until then.
    pdfs_released_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    #: The meeting report's own introduction, written by the organiser.
    report_intro: Mapped[str] = mapped_column(db.Text, default="", server_default="")
    #: Secret part of the report's public share link; None until published.
    report_token: Mapped[str | None] = mapped_column(db.String(64), unique=True)
    report_published_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    #: The agenda item running now; deleting that item clears it (an id reused later must not be "now").
    #: Created after both tables (use_alter): the two tables point at each other.
    current_agenda_item_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("agenda_items.id", ondelete="SET NULL", use_alter=True)
    )
    #: The series this meeting belongs to (series area), its number there and the partner hosting it.
    series_id: Mapped[int | None] = mapped_column(db.ForeignKey("series.id", ondelete="SET NULL"), index=True)
    series_number: Mapped[int | None] = mapped_column()
    host_partner_id: Mapped[int | None] = mapped_column(db.ForeignKey("series_partners.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    process = relationship("Process", foreign_keys=[process_id])
    series = relationship("Series", foreign_keys=[series_id])
    host = relationship("SeriesPartner", foreign_keys=[host_partner_id])
    memberships = relationship("WorkshopFacilitator", back_populates="workshop", cascade="all, delete-orphan")

    @property
    def is_finished(self):
        return self.status == WorkshopStatus.FINISHED.value

    @property
    def day_count(self):
        return (self.ends_on - self.starts_on).days + 1 if self.ends_on else 1

    def __repr__(self):
        return f"<Workshop {self.id} {self.title!r}>"


class WorkshopFacilitator(Row, db.Model):
    """Who may plan and drive a workshop: its owner and, later, co-facilitators."""

    __tablename__ = "workshop_facilitators"
    __table_args__ = (UniqueConstraint("workshop_id", "facilitator_id"),)

    workshop_id: Mapped[int] = belongs_to("workshops")
    facilitator_id: Mapped[int] = belongs_to("facilitators")
    role: Mapped[str] = mapped_column(db.String(20), default=FacilitatorRole.OWNER.value)
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    workshop = relationship("Workshop", back_populates="memberships")
    facilitator = relationship("Facilitator")
