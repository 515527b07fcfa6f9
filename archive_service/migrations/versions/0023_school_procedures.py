"""the school's own procedure: chosen per school year, edited copies, event dates

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a year without a choice follows the ready procedure of reference 000 (the board as it was)
    op.create_table(
        'procedure_choice',
        sa.Column('academic_year', sa.String(length=9), nullable=False),
        sa.Column('procedure_key', sa.String(length=40), nullable=False),
        sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('chosen_by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('academic_year', name=op.f('pk_procedure_choice')),
    )
    op.create_table(
        'school_procedure',
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('based_on', sa.String(length=40), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changed_by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_school_procedure')),
    )
    op.create_table(
        'procedure_event_date',
        sa.Column('academic_year', sa.String(length=9), nullable=False),
        sa.Column('event', sa.String(length=20), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('set_by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('academic_year', 'event', name=op.f('pk_procedure_event_date')),
    )


def downgrade() -> None:
    op.drop_table('procedure_event_date')
    op.drop_table('school_procedure')
    op.drop_table('procedure_choice')
