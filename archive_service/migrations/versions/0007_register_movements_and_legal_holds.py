"""register movements and legal holds

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 22:52:01.647235
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('legal_hold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('placed_on', sa.Date(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.Column('placed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entry.id'], name=op.f('fk_legal_hold_entry_id_register_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_hold'))
    )
    with op.batch_alter_table('legal_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_hold_entry_id'), ['entry_id'], unique=False)

    op.create_table('register_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('person', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entry.id'], name=op.f('fk_register_movement_entry_id_register_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_movement'))
    )
    with op.batch_alter_table('register_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_movement_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('register_movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_movement_entry_id'))

    op.drop_table('register_movement')
    with op.batch_alter_table('legal_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_hold_entry_id'))

    op.drop_table('legal_hold')
