"""backup sets recorded before writing: state, writer, heartbeat, file hashes

Revision ID: 0011
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('backup_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), server_default='complete', nullable=False))
        batch_op.add_column(sa.Column('writer', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hashes', sa.JSON(), nullable=True))
    backup_set = sa.table('backup_set', sa.column('state', sa.String), sa.column('complete', sa.Boolean))
    op.execute(backup_set.update().where(backup_set.c.complete == sa.false()).values(state='incomplete'))


def downgrade() -> None:
    with op.batch_alter_table('backup_set', schema=None) as batch_op:
        batch_op.drop_column('hashes')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('writer')
        batch_op.drop_column('state')
