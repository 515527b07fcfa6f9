"""documents prepared for a signature made in the director's browser (CryptoPro plug-in)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 12:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('prepared_signature',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('reserved_start', sa.Integer(), nullable=False),
    sa.Column('reserved_end', sa.Integer(), nullable=False),
    sa.Column('digest_algorithm', sa.String(length=20), nullable=False),
    sa.Column('digest', sa.String(length=128), nullable=False),
    sa.Column('certificate', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_prepared_signature_document_id_document')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_prepared_signature_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_signature'))
    )
    with op.batch_alter_table('prepared_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prepared_signature_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prepared_signature_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_prepared_signature_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('prepared_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prepared_signature_user_id'))
        batch_op.drop_index(batch_op.f('ix_prepared_signature_expires_at'))
        batch_op.drop_index(batch_op.f('ix_prepared_signature_document_id'))
    op.drop_table('prepared_signature')
