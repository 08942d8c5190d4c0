"""Add facilitator sessions, so sign-out and password changes end them on the server

Revision ID: c1a0sessions
Revises: bd7e5e6e3eb3
Create Date: 2026-11-26 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1a0sessions'
down_revision = 'bd7e5e6e3eb3'
branch_labels = None
depends_on = None


def upgrade():
    # Sessions signed in before this migration carry an account id, not a session token: they end,
    # and everyone signs in once more.
    op.create_table('facilitator_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['facilitator_id'], ['facilitators.id'], name=op.f('fk_facilitator_sessions_facilitator_id_facilitators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitator_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_facilitator_sessions_token_hash'))
    )
    with op.batch_alter_table('facilitator_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitator_sessions_facilitator_id'), ['facilitator_id'], unique=False)


def downgrade():
    with op.batch_alter_table('facilitator_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilitator_sessions_facilitator_id'))

    op.drop_table('facilitator_sessions')
