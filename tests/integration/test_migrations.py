"""Migrations build exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from archive_service.adapters import db
from archive_service.adapters.orm import Base
from conftest import NOW, POSTGRES_ADMIN_URL


def test_the_migrated_schema_matches_the_models(archive):
    with archive.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    """An engine on an empty database of its own (not migrated), SQLite or PostgreSQL."""
    if request.param == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield engine
        engine.dispose()
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"archive_migration_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = db.make_engine(make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_accounts_made_before_temporary_passwords_keep_the_passwords_they_use(empty_engine):
    db.upgrade(empty_engine, "0019")
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO user_account (login, full_name, role, password_hash, active, failed_logins, "
                          "created_at, session_epoch) VALUES ('zavuch', 'Иванова Т. П.', 'deputy', 'h', :yes, 0, "
                          ":at, 1)"), {"yes": True, "at": NOW})
    db.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT must_change_password FROM user_account")).scalar_one() in (False, 0)
    command.downgrade(db.alembic_config(empty_engine), "0019")  # and back: the column goes, the account stays
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT login FROM user_account")).scalar_one() == "zavuch"


def test_versions_stored_before_findings_were_kept_get_them_on_their_first_reading(empty_engine):
    """0021 makes the table empty (the rules live in the application, not in a migration): a version
    stored before it is checked on the first reading of its period and its findings kept."""
    from archive_service.adapters.orm import School, SnapshotRecord
    from archive_service.domain.preflight import PreflightThresholds
    from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
    from archive_service.services import snapshots
    from archive_service.services.ingest import _record, preflight_report
    from archive_service.services.unit_of_work import UnitOfWork
    from builders import as_bytes, snapshot_with_late_arrival

    db.upgrade(empty_engine, "0020")
    snap = parse_snapshot(as_bytes(snapshot_with_late_arrival()))
    canonical = canonical_bytes(snap)
    record = _record(snap, canonical, content_hash(canonical), None, reason=None, ingested_by="Иванова Т. П.", now=NOW)
    columns = [c.key for c in SnapshotRecord.__table__.columns if c.key != "id"]
    with empty_engine.begin() as conn:
        conn.execute(School.__table__.insert().values(id=snap.school.id, full_name=snap.school.full_name,
                                                      short_name=snap.school.short_name,
                                                      director_name=snap.school.director.full_name))
        conn.execute(SnapshotRecord.__table__.insert().values({c: getattr(record, c) for c in columns}))
    db.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM preflight_report")).scalar_one() == 0
    uow = UnitOfWork(db.make_session_factory(empty_engine))
    (report,) = snapshots.preflight_period(uow, "2026/2027", ["Q2"], (), PreflightThresholds())
    assert report == preflight_report(snap, PreflightThresholds()) and report.findings
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT finding_count FROM preflight_report")).scalar_one() == len(report.findings)
    command.downgrade(db.alembic_config(empty_engine), "0020")  # and back: the findings go, the version stays
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT class_name FROM snapshot")).scalar_one() == "5А"
        assert "preflight_report" not in conn.dialect.get_table_names(conn)


def test_issues_get_a_return_by_date_and_older_issues_keep_none(empty_engine):
    def columns() -> dict[str, dict]:
        return {c["name"]: c for c in inspect(empty_engine).get_columns("register_movement")}

    db.upgrade(empty_engine, "0021")
    assert "return_by" not in columns()
    db.upgrade(empty_engine)
    assert columns()["return_by"]["nullable"]  # an issue recorded before has no return-by date: never overdue
    command.downgrade(db.alembic_config(empty_engine), "0021")  # and back: the column goes
    assert "return_by" not in columns()
