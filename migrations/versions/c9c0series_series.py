"""Series of meetings hosted in turn by partner organisations; a workshop's place in its series

Revision ID: c9c0series
Revises: c8c0simple
Create Date: 2026-12-01 22:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9c0series'
down_revision = 'c8c0simple'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'series_partners',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=200), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['series_id'], ['series.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('series_id', 'name'),
    )
    with op.batch_alter_table('series_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_partners_series_id'), ['series_id'], unique=False)
    op.create_table(
        'series_facilitators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=False),
        sa.Column('facilitator_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['facilitator_id'], ['facilitators.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['series_id'], ['series.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('series_id', 'facilitator_id'),
    )
    with op.batch_alter_table('series_facilitators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_facilitators_facilitator_id'), ['facilitator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_facilitators_series_id'), ['series_id'], unique=False)
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('series_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('host_partner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_workshops_series_id'), ['series_id'], unique=False)
        batch_op.create_foreign_key('fk_workshops_series_id', 'series', ['series_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            'fk_workshops_host_partner_id', 'series_partners', ['host_partner_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_constraint('fk_workshops_host_partner_id', type_='foreignkey')
        batch_op.drop_constraint('fk_workshops_series_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workshops_series_id'))
        batch_op.drop_column('host_partner_id')
        batch_op.drop_column('series_number')
        batch_op.drop_column('series_id')
    op.drop_table('series_facilitators')
    op.drop_table('series_partners')
    op.drop_table('series')
