"""What groups write into their stage fields."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..core.models import Row, belongs_to
from ..extensions import db


class Answer(Row, db.Model):
    """A group's current text for one field; `version` grows with every save."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("group_id", "field_id"),)

    group_id: Mapped[int] = belongs_to("groups")
    field_id: Mapped[int] = belongs_to("stage_fields")
    value: Mapped[str] = mapped_column(db.Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    #: Display name of whoever saved last (participants have no accounts).
    updated_by: Mapped[str] = mapped_column(db.String(120), default="", server_default="")


class AnswerRevision(Row, db.Model):
    """Every saved version of an answer, so nothing typed is ever lost."""

    __tablename__ = "answer_revisions"
    __table_args__ = (UniqueConstraint("answer_id", "version"),)

    answer_id: Mapped[int] = belongs_to("answers")
    version: Mapped[int] = mapped_column()
    value: Mapped[str] = mapped_column(db.Text, default="")
    author: Mapped[str] = mapped_column(db.String(120), default="")
    participant_id: Mapped[int | None] = mapped_column(db.ForeignKey("participants.id", ondelete="SET NULL"))
    #: The revision this one restored, when it is a restore.
    restored_from: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
