"""inventories of files are numbered (file_inventory); the default schedule gets case indexes

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 19:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

DEFAULT_CASE_INDEX = {"class_journal": "02-14", "summary_sheet": "02-15"}
"""As `retention.DEFAULT_CASE_INDEX` on the day of this migration (a migration never imports code that changes)."""


def upgrade() -> None:
    op.create_table('file_inventory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('covers', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('sheets', sa.Integer(), nullable=False),
    sa.Column('compiled_on', sa.Date(), nullable=False),
    sa.Column('compiled_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_inventory')),
    sa.UniqueConstraint('year', 'number', name='uq_file_inventory_number')
    )
    with op.batch_alter_table('file_inventory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_inventory_digest'), ['digest'], unique=False)
    # a schedule seeded before case indexes had defaults holds "": it gets the default index (never a
    # school's own one); register entries keep the index they were registered with
    rule = sa.table('retention_rule', sa.column('kind', sa.String), sa.column('case_index', sa.String))
    for kind, index in DEFAULT_CASE_INDEX.items():
        op.execute(rule.update().where(rule.c.kind == kind, rule.c.case_index == '').values(case_index=index))


def downgrade() -> None:
    with op.batch_alter_table('file_inventory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_inventory_digest'))
    op.drop_table('file_inventory')
