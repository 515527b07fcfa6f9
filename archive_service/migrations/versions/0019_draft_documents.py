"""a document made before its period ended is a draft («ЧЕРНОВИК — период не завершён» on every
page): never signed, registered or put in a backup set as an archive copy

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # copies made before this revision carry no mark: they are what they say, final copies
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('draft', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.drop_column('draft')
