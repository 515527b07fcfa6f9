"""the pre-flight findings of a snapshot version are kept when it is stored: the pre-flight pages
read them instead of checking the stored snapshots again

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # versions stored before this revision get their findings on the first reading of their period
    # (services.snapshots.preflight_period): the rules live in the application, not in a migration
    op.create_table(
        'preflight_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.Column('rules', sa.Integer(), nullable=False),
        sa.Column('min_marks_one_hour', sa.Integer(), nullable=False),
        sa.Column('min_marks', sa.Integer(), nullable=False),
        sa.Column('finding_count', sa.Integer(), nullable=False),
        sa.Column('findings', sa.JSON(), nullable=False),
        sa.Column('arrived', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'],
                                name=op.f('fk_preflight_report_snapshot_id_snapshot')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_preflight_report')),
        sa.UniqueConstraint('snapshot_id', 'rules', 'min_marks_one_hour', 'min_marks',
                            name='uq_preflight_report_key'),
    )


def downgrade() -> None:
    op.drop_table('preflight_report')
