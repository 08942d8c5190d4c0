"""Add seat takeovers, and give every group a new 8-digit PIN

Revision ID: c2b0seats
Revises: c1a0sessions
Create Date: 2026-11-26 10:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2b0seats'
down_revision = 'c1a0sessions'
branch_labels = None
depends_on = None

groups = sa.table('groups', sa.column('id', sa.Integer()), sa.column('join_pin', sa.String(8)))


def upgrade():
    op.create_table('seat_takeovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['facilitators.id'], name=op.f('fk_seat_takeovers_decided_by_id_facilitators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_seat_takeovers_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_seat_takeovers_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_seat_takeovers_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_takeovers'))
    )
    with op.batch_alter_table('seat_takeovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_takeovers_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_takeovers_workshop_id'), ['workshop_id'], unique=False)

    # Four-digit PINs were shown on every member's screen and fall to guessing; members no longer
    # see PINs, so nobody relies on the old ones: every group gets an 8-digit one (groups/pins.py).
    bind = op.get_bind()
    for (group_id,) in bind.execute(sa.select(groups.c.id)).all():
        bind.execute(groups.update().where(groups.c.id == group_id)
                     .values(join_pin=f"{secrets.randbelow(10**8):08d}"))


def downgrade():
    # The new PINs stay: they fit the column, and old code compares them as it compared the short ones.
    with op.batch_alter_table('seat_takeovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_takeovers_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_seat_takeovers_participant_id'))

    op.drop_table('seat_takeovers')
