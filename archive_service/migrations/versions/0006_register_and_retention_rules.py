"""register and retention rules

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 22:45:29.002101
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('register_counter',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_register_counter'))
    )
    op.create_table('retention_rule',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('case_index', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_retention_rule'))
    )
    op.create_table('register_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('case_index', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('sheets', sa.Integer(), nullable=False),
    sa.Column('handed_over_by', sa.String(length=200), nullable=False),
    sa.Column('accepted_by', sa.String(length=200), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('room', sa.String(length=100), nullable=False),
    sa.Column('cabinet', sa.String(length=100), nullable=False),
    sa.Column('folder', sa.String(length=100), nullable=False),
    sa.Column('retention_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_register_entry_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entry')),
    sa.UniqueConstraint('document_id', name=op.f('uq_register_entry_document_id')),
    sa.UniqueConstraint('year', 'number', name='uq_register_number')
    )


def downgrade() -> None:
    op.drop_table('register_entry')
    op.drop_table('retention_rule')
    op.drop_table('register_counter')
