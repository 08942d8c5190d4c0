"""The simple view: a workshop's and a group's default, and each member's own choice

Revision ID: c8c0simple
Revises: c7c0wifi
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8c0simple'
down_revision = 'c7c0wifi'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('simple_mode', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('simple_mode', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('simple_mode', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('simple_mode')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('simple_mode')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('simple_mode')
