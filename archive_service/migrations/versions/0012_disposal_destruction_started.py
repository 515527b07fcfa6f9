"""disposal act items record when their destruction began

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('disposal_act_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('destruction_started_at', sa.DateTime(timezone=True), nullable=True))
    # an item destroyed before this column existed began its destruction when it ended
    op.execute("UPDATE disposal_act_item SET destruction_started_at = destroyed_at WHERE destroyed_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('disposal_act_item', schema=None) as batch_op:
        batch_op.drop_column('destruction_started_at')
