"""the director's archive key (X25519, the private key sealed under the access code), its escrow copy,
and what a backup set is sealed with; the hand-over act's number

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('archive_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=20), nullable=False),
    sa.Column('holder_name', sa.String(length=300), nullable=False),
    sa.Column('fingerprint', sa.String(length=39), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sealed_private', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('resealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_key')),
    sa.UniqueConstraint('generation', 'holder', name=op.f('uq_archive_key_generation'))
    )
    with op.batch_alter_table('archive_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_key_fingerprint'), ['fingerprint'], unique=False)
    with op.batch_alter_table('backup_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_fingerprint', sa.String(length=39), nullable=True))
        batch_op.add_column(sa.Column('resealed_as', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('act_number', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('backup_set', schema=None) as batch_op:
        batch_op.drop_column('act_number')
        batch_op.drop_column('resealed_as')
        batch_op.drop_column('key_fingerprint')
    with op.batch_alter_table('archive_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_key_fingerprint'))
    op.drop_table('archive_key')
