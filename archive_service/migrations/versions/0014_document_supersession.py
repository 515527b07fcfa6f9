"""document supersession: a copy replaced by one made from a corrected snapshot

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_supersession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('superseded_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('corrected_by', sa.String(length=200), nullable=False),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['successor_id'], ['document.id'],
                            name=op.f('fk_document_supersession_successor_id_document')),
    sa.ForeignKeyConstraint(['superseded_id'], ['document.id'],
                            name=op.f('fk_document_supersession_superseded_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_supersession')),
    sa.UniqueConstraint('superseded_id', name=op.f('uq_document_supersession_superseded_id'))
    )
    with op.batch_alter_table('document_supersession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_supersession_successor_id'), ['successor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('document_supersession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_supersession_successor_id'))
    op.drop_table('document_supersession')
