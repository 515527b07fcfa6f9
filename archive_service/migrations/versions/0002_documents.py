"""documents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 21:13:10.712978
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('academic_year', sa.String(length=9), nullable=False),
    sa.Column('period_code', sa.String(length=8), nullable=False),
    sa.Column('class_name', sa.String(length=10), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('template_version', sa.String(length=40), nullable=False),
    sa.Column('duplex', sa.Boolean(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('sheets', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_document_school_id_school')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], name=op.f('fk_document_snapshot_id_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('document_id', name=op.f('uq_document_document_id'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_period', ['academic_year', 'period_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_period')

    op.drop_table('document')
