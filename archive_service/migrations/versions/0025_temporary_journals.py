"""temporary journals issued while the journal system was down, and when their data were moved back

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 12:00:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'temporary_journal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('academic_year', sa.String(length=9), nullable=False),
        sa.Column('class_name', sa.String(length=10), nullable=False),
        sa.Column('date_from', sa.Date(), nullable=False),
        sa.Column('date_to', sa.Date(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.Column('made_by', sa.String(length=200), nullable=False),
        sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('restored_on', sa.Date(), nullable=True),
        sa.Column('moved_back_on', sa.Date(), nullable=True),
        sa.Column('moved_back_by', sa.String(length=200), nullable=True),
        sa.Column('moved_back_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], name=op.f('fk_temporary_journal_snapshot_id_snapshot')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_temporary_journal')),
    )
    op.create_index('ix_temporary_journal_class', 'temporary_journal', ['class_name', 'date_from'])


def downgrade() -> None:
    op.drop_index('ix_temporary_journal_class', table_name='temporary_journal')
    op.drop_table('temporary_journal')
