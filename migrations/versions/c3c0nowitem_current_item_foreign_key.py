"""The agenda item running now is a foreign key: deleting the item clears it

Revision ID: c3c0nowitem
Revises: c2b0seats
Create Date: 2026-12-01 13:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3c0nowitem'
down_revision = 'c2b0seats'
branch_labels = None
depends_on = None

NAME = 'fk_workshops_current_agenda_item_id_agenda_items'


def upgrade():
    # An id left behind by an item deleted before this migration would break the constraint.
    op.execute(
        "UPDATE workshops SET current_agenda_item_id = NULL WHERE current_agenda_item_id IS NOT NULL "
        "AND current_agenda_item_id NOT IN (SELECT id FROM agenda_items)"
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_foreign_key(NAME, 'agenda_items', ['current_agenda_item_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_constraint(NAME, type_='foreignkey')
