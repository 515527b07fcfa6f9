"""initial tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 20:43:26.679025
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_event_seq'))
    )
    op.create_table('school',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('short_name', sa.String(length=300), nullable=False),
    sa.Column('director_name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school'))
    )
    op.create_table('snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('academic_year', sa.String(length=9), nullable=False),
    sa.Column('period_code', sa.String(length=8), nullable=False),
    sa.Column('period_kind', sa.String(length=16), nullable=False),
    sa.Column('period_number', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('class_name', sa.String(length=10), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('source_system', sa.String(length=300), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ingested_by', sa.String(length=200), nullable=False),
    sa.Column('student_count', sa.Integer(), nullable=False),
    sa.Column('subject_count', sa.Integer(), nullable=False),
    sa.Column('lesson_count', sa.Integer(), nullable=False),
    sa.Column('mark_count', sa.Integer(), nullable=False),
    sa.Column('absence_count', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['previous_id'], ['snapshot.id'], name=op.f('fk_snapshot_previous_id_snapshot')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_snapshot_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshot')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_snapshot_content_hash')),
    sa.UniqueConstraint('school_id', 'academic_year', 'period_code', 'class_id', 'version', name='uq_snapshot_version')
    )
    with op.batch_alter_table('snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_snapshot_period', ['academic_year', 'period_code'], unique=False)

    op.create_table('snapshot_student',
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], name=op.f('fk_snapshot_student_snapshot_id_snapshot')),
    sa.PrimaryKeyConstraint('snapshot_id', 'student_id', name=op.f('pk_snapshot_student'))
    )
    with op.batch_alter_table('snapshot_student', schema=None) as batch_op:
        batch_op.create_index('ix_snapshot_student_name', ['full_name', 'birth_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('snapshot_student', schema=None) as batch_op:
        batch_op.drop_index('ix_snapshot_student_name')

    op.drop_table('snapshot_student')
    with op.batch_alter_table('snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_snapshot_period')

    op.drop_table('snapshot')
    op.drop_table('school')
    op.drop_table('audit_event')
    op.drop_table('api_token')
