"""Workshops keep the venue's Wi-Fi password, so the join sheet can print a QR code that connects a phone

Revision ID: c7c0wifi
Revises: c6c0locale
Create Date: 2026-12-01 22:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7c0wifi'
down_revision = 'c6c0locale'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wifi_password', sa.String(length=63), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('wifi_password')
