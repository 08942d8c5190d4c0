"""Migrations, not create_all, build the real database: they must match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from facilitator.extensions import db


def test_migrations_build_exactly_the_models(app):
    # The app fixture made the tables with create_all; start again from nothing.
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
    # Leave the schema as the other tests expect it (PostgreSQL keeps it between tests).
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
