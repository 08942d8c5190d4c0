"""What groups write into their stage fields."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..extensions import db


class Answer(db.Model):
    """A group's current text for one field; `version` grows with every save."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("group_id", "field_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(db.ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    field_id: Mapped[int] = mapped_column(db.ForeignKey("stage_fields.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(db.Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
