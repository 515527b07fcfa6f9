"""paperless schools: the school year's archival original (paper or the signed electronic copy), and
the medium of a register entry

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 13:30:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'archival_original',
        sa.Column('academic_year', sa.String(length=9), nullable=False),
        sa.Column('electronic', sa.Boolean(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('set_by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('academic_year', name=op.f('pk_archival_original')),
    )
    with op.batch_alter_table('register_entry') as batch:
        batch.add_column(sa.Column('medium', sa.String(length=20), nullable=False, server_default='paper'))


def downgrade() -> None:
    with op.batch_alter_table('register_entry') as batch:
        batch.drop_column('medium')
    op.drop_table('archival_original')
