"""how a school binds its paper copies in a school year: per period, or the year's volume per class

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 13:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # no row: each period's copy is bound as its own file (as before)
    op.create_table(
        'year_binding',
        sa.Column('academic_year', sa.String(length=9), nullable=False),
        sa.Column('per_year', sa.Boolean(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('set_by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('academic_year', name=op.f('pk_year_binding')),
    )


def downgrade() -> None:
    op.drop_table('year_binding')
