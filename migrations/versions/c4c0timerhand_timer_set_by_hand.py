"""A countdown remembers whether the facilitator set it by hand: "next stage" keeps it

Revision ID: c4c0timerhand
Revises: c3c0nowitem
Create Date: 2026-12-01 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4c0timerhand'
down_revision = 'c3c0nowitem'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stage_timers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_hand', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('stage_timers', schema=None) as batch_op:
        batch_op.drop_column('by_hand')
