"""a paper file is issued until a return-by date

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # files issued before this revision have no return-by date: they are never shown as overdue
    with op.batch_alter_table('register_movement') as batch:
        batch.add_column(sa.Column('return_by', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('register_movement') as batch:
        batch.drop_column('return_by')
