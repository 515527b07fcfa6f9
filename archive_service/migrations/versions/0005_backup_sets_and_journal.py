"""backup sets and journal

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 22:27:09.151772
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('backup_journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('medium', sa.String(length=200), nullable=False),
    sa.Column('set_id', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_journal')),
    sa.UniqueConstraint('hash', name=op.f('uq_backup_journal_hash')),
    sa.UniqueConstraint('seq', name=op.f('uq_backup_journal_seq'))
    )
    op.create_table('backup_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.String(length=80), nullable=False),
    sa.Column('academic_year', sa.String(length=9), nullable=False),
    sa.Column('periods', sa.String(length=80), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('retain_until', sa.Date(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('copies', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_set')),
    sa.UniqueConstraint('set_id', name=op.f('uq_backup_set_set_id'))
    )


def downgrade() -> None:
    op.drop_table('backup_set')
    op.drop_table('backup_journal')
