"""Columns most tables share, written once: a row number, a place in a list, an owner row."""

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Row:
    """A table whose rows the database numbers."""

    id: Mapped[int] = mapped_column(primary_key=True)


class Ordered(Row):
    """A row with a place among its siblings (agenda items, groups, stages, fields, ...)."""

    position: Mapped[int] = mapped_column(default=0)


def belongs_to(table, **options):
    """The row's owner in `table`: indexed, and the row is deleted with it."""
    return mapped_column(db.ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True, **options)
