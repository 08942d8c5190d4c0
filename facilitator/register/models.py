"""The results register: which library will run which new service, as the seed's table lists."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..core.models import Ordered, belongs_to
from ..extensions import db


class RegisterEntry(Ordered, db.Model):
    """One library's row: who, where, which service (with volunteers), for whom; the service may be empty."""

    __tablename__ = "register_entries"

    workshop_id: Mapped[int] = belongs_to("workshops")
    #: The programme's library number, e.g. 732.
    library_number: Mapped[int] = mapped_column()
    library_name: Mapped[str] = mapped_column(db.String(200))
    municipality: Mapped[str] = mapped_column(db.String(120), default="")
    settlement: Mapped[str] = mapped_column(db.String(120), default="")
    #: A key of stages.categories.SERVICE_CATEGORIES, or None while the row has no service.
    service_category: Mapped[str | None] = mapped_column(db.String(32))
    service_description: Mapped[str] = mapped_column(db.Text, default="")
    target_group: Mapped[str] = mapped_column(db.String(300), default="")
    #: The breakout group whose result filled this row, if one did.
    group_id: Mapped[int | None] = mapped_column(db.ForeignKey("groups.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
