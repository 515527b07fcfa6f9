"""a district's own archive: the schools each district inspector may search and read

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # present in every archive (one schema for all); rows only in a district's own archive
    op.create_table(
        'school_grant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('school_code', sa.String(length=32), nullable=False),
        sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('granted_by', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_school_grant_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_school_grant')),
        sa.UniqueConstraint('user_id', 'school_code', name='uq_school_grant_user_id_school_code'),
    )
    op.create_index(op.f('ix_school_grant_user_id'), 'school_grant', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_school_grant_user_id'), table_name='school_grant')
    op.drop_table('school_grant')
