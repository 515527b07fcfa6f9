"""document signatures

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:44:24.195595
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('signer', sa.String(length=300), nullable=False),
    sa.Column('certificate_serial', sa.String(length=80), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_signature_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_signature')),
    sa.UniqueConstraint('document_id', name=op.f('uq_document_signature_document_id'))
    )


def downgrade() -> None:
    op.drop_table('document_signature')
