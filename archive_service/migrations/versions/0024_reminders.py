"""reminders of the procedure's deadlines; an e-mail address on accounts

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 11:00:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('academic_year', sa.String(length=9), nullable=False),
        sa.Column('period_code', sa.String(length=8), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
        # one reminder of a kind per step and period, whatever runs again or is killed midway
        sa.UniqueConstraint('academic_year', 'period_code', 'step', 'kind', name=op.f('uq_reminder_academic_year')),
    )
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('email')
    op.drop_table('reminder')
