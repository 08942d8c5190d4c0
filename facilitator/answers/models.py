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
    #: Display name of whoever saved last (participants have no accounts).
    updated_by: Mapped[str] = mapped_column(db.String(120), default="", server_default="")


class AnswerRevision(db.Model):
    """Every saved version of an answer, so nothing typed is ever lost."""

    __tablename__ = "answer_revisions"
    __table_args__ = (UniqueConstraint("answer_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(db.ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    value: Mapped[str] = mapped_column(db.Text, default="")
    author: Mapped[str] = mapped_column(db.String(120), default="")
    participant_id: Mapped[int | None] = mapped_column(db.ForeignKey("participants.id", ondelete="SET NULL"))
    #: The revision this one restored, when it is a restore.
    restored_from: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
