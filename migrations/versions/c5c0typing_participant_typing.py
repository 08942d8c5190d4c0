"""Participants remember the field they last typed in: only their text may arrive after a close

Revision ID: c5c0typing
Revises: c4c0timerhand
Create Date: 2026-12-01 15:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5c0typing'
down_revision = 'c4c0timerhand'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('typing_field_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('typing_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            'fk_participants_typing_field_id_stage_fields', 'stage_fields', ['typing_field_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint('fk_participants_typing_field_id_stage_fields', type_='foreignkey')
        batch_op.drop_column('typing_at')
        batch_op.drop_column('typing_field_id')
