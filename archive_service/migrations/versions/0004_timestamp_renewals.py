"""timestamp renewals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 22:11:29.031480
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('timestamp_renewal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_sha256', sa.String(length=64), nullable=False),
    sa.Column('timestamp_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('renewed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['signature_id'], ['document_signature.id'], name=op.f('fk_timestamp_renewal_signature_id_document_signature')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timestamp_renewal'))
    )
    with op.batch_alter_table('timestamp_renewal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timestamp_renewal_signature_id'), ['signature_id'], unique=False)

    with op.batch_alter_table('document_signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timestamp_expires_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('document_signature', schema=None) as batch_op:
        batch_op.drop_column('timestamp_expires_at')

    with op.batch_alter_table('timestamp_renewal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timestamp_renewal_signature_id'))

    op.drop_table('timestamp_renewal')
