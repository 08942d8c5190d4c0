"""Processes: ordered stages with the fields a group fills in.

The same tables hold a facilitator's reusable templates and each workshop's own snapshot,
so copying a template and snapshotting it into a workshop are one operation.
"""

import enum
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..core.models import Ordered, Row, belongs_to
from ..extensions import db


class FieldKind(str, enum.Enum):
    SHORT_TEXT = "short-text"
    LONG_TEXT = "long-text"
    CHOICE = "choice"
    NUMBER = "number"
    MONEY = "money"
    LIST = "list"


class StageState(str, enum.Enum):
    LOCKED = "locked"
    OPEN = "open"
    CLOSED = "closed"


class Process(Row, db.Model):
    """An ordered set of stages: a template (owned by a facilitator) or a workshop's snapshot."""

    __tablename__ = "processes"

    #: The facilitator whose template this is; None for a workshop's snapshot.
    owner_id: Mapped[int | None] = belongs_to("facilitators")
    is_template: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str] = mapped_column(db.String(200))
    #: Language the stage titles and prompts are written in.
    locale: Mapped[str] = mapped_column(db.String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    stages = relationship("Stage", order_by="Stage.position", cascade="all, delete-orphan", back_populates="process")


class Stage(Ordered, db.Model):
    """One step of the process, e.g. "Target group", with its prompt and time box."""

    __tablename__ = "stages"

    process_id: Mapped[int] = belongs_to("processes")
    title: Mapped[str] = mapped_column(db.String(200))
    prompt: Mapped[str] = mapped_column(db.Text, default="")
    #: Suggested minutes for the stage; None means no time box.
    time_box_minutes: Mapped[int | None] = mapped_column()
    #: Only meaningful in a workshop's snapshot: locked until the facilitator opens it.
    state: Mapped[str] = mapped_column(db.String(12), default=StageState.LOCKED.value, server_default="locked")
    #: When it was last closed: text typed as it closed is still accepted for a short grace.
    closed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

    process = relationship("Process", back_populates="stages")
    fields = relationship(
        "StageField", order_by="StageField.position", cascade="all, delete-orphan", back_populates="stage"
    )


class StageField(Ordered, db.Model):
    """One input of a stage's form."""

    __tablename__ = "stage_fields"

    stage_id: Mapped[int] = belongs_to("stages")
    #: Stable name within the process (e.g. "target_group"), used by summaries and the register.
    key: Mapped[str] = mapped_column(db.String(40))
    label: Mapped[str] = mapped_column(db.String(200))
    kind: Mapped[str] = mapped_column(db.String(20), default=FieldKind.LONG_TEXT.value)
    help: Mapped[str] = mapped_column(db.Text, default="")
    #: For choice fields: a list of {"value": ..., "label": ...} in the process's language.
    choices: Mapped[list | None] = mapped_column(db.JSON)

    stage = relationship("Stage", back_populates="fields")
    #: What the groups wrote into the field (named, not imported: answers build on stages).
    answers = relationship("Answer", viewonly=True)


class GroupStageState(Row, db.Model):
    """One group's own state for a stage, when the facilitator opened or closed it for that group only."""

    __tablename__ = "group_stage_states"
    __table_args__ = (db.UniqueConstraint("group_id", "stage_id"),)

    group_id: Mapped[int] = belongs_to("groups")
    stage_id: Mapped[int] = belongs_to("stages")
    state: Mapped[str] = mapped_column(db.String(12))
    closed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
