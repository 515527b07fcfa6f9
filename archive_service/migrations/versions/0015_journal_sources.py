"""journal sources: configured journal systems (secret encrypted) and the history of pulls

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 10:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('login', sa.String(length=200), nullable=False),
    sa.Column('school', sa.String(length=100), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('secret', sa.LargeBinary(), nullable=False),
    sa.Column('calendar', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_source')),
    sa.UniqueConstraint('name', name=op.f('uq_journal_source_name'))
    )
    op.create_table('source_pull',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_name', sa.String(length=100), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('academic_year', sa.String(length=9), nullable=False),
    sa.Column('period_code', sa.String(length=8), nullable=False),
    sa.Column('triggered_by', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_pull'))
    )
    with op.batch_alter_table('source_pull', schema=None) as batch_op:
        batch_op.create_index('ix_source_pull_source', ['source_name', 'started_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('source_pull', schema=None) as batch_op:
        batch_op.drop_index('ix_source_pull_source')
    op.drop_table('source_pull')
    op.drop_table('journal_source')
