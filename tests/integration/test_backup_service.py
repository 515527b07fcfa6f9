"""Backups through the application: two media, audit with repair, restore, the usage journal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import delete, update

from archive_service.adapters.orm import BackupJournalEntry
from archive_service.domain.actor import Actor
from archive_service.services import backup
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from signing.zones import local_moment
from storage import StorageError

DEPUTY = Actor("Иванова Т. П.", "deputy")


@pytest.fixture
def created(archive):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    with_archive_key(archive)
    return backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                actor=DEPUTY, now=NOW).as_dict()


def test_a_backup_is_complete_only_with_both_copies_verified(archive, created):
    assert created["complete"] and [c["verified"] for c in created["copies"]] == [True, True]
    assert created["retain_until"] == "2033-01-01"
    (row,) = [b.as_dict() for b in backup.list_backups(archive.uow())]
    assert set(row["copies"]) == {"Носитель A", "Носитель B"}
    assert row["copies"]["Носитель B"]["location"] == "архив, металлический шкаф"


def test_the_audit_repairs_a_damaged_copy_and_the_journal_says_so(archive, created):
    medium_a = archive.media()[0]
    (medium_a.root / created["set_id"] / "data/payload.tar.sealed").unlink()
    findings = backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)
    assert [f.outcome for f in findings if f.outcome != "ok"] == ["repaired"]
    last = backup.journal_rows(archive.uow())[-1]
    assert last["action"] == "проверка" and "восстановлено" in last["result"]


def test_restore_needs_the_code_and_every_attempt_is_journaled(archive, created, tmp_path):
    with pytest.raises(StorageError, match="неверный код"):
        backup.restore_backup(archive.uow(), archive.media(), created["set_id"], "чужой", tmp_path / "x",
                              actor=DEPUTY, purpose="проверка", now=NOW, own_state=archive.own_state())
    bag = backup.restore_backup(archive.uow(), archive.media(), created["set_id"], KEY_CODE, tmp_path / "ok",
                                actor=DEPUTY, purpose="запрос инспектора", now=NOW, own_state=archive.own_state())
    restored = json.loads((bag / "data/snapshots/Q2/5А.json").read_bytes())
    assert restored["class"]["name"] == "5А"
    actions = [(r["action"], r["result"][:5]) for r in backup.journal_rows(archive.uow())]
    assert actions[-2:] == [("восстановление", "отказ"), ("восстановление", "восст")]


@pytest.mark.parametrize("tamper", ["edit", "reorder", "delete"])
def test_an_edited_reordered_or_deleted_journal_entry_is_detected(archive, created, tamper):
    backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)
    assert backup.verify_journal(archive.uow()) == (4, [])  # start, created ×2, audit
    with archive.uow() as uow:
        if tamper == "edit":
            uow.session.execute(update(BackupJournalEntry).where(BackupJournalEntry.seq == 2)
                                .values(purpose="другая цель"))
        elif tamper == "reorder":
            uow.session.execute(update(BackupJournalEntry).where(BackupJournalEntry.seq == 1).values(seq=100))
            uow.session.execute(update(BackupJournalEntry).where(BackupJournalEntry.seq == 2).values(seq=1))
            uow.session.execute(update(BackupJournalEntry).where(BackupJournalEntry.seq == 100).values(seq=2))
        else:
            uow.session.execute(delete(BackupJournalEntry).where(BackupJournalEntry.seq == 2))
        uow.commit()
    count, breaks = backup.verify_journal(archive.uow())
    assert breaks, tamper


def test_the_cli_creates_audits_restores_and_verifies_the_journal(archive, runner, monkeypatch, tmp_path):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    assert runner.invoke(args=["--as", "director",
                               "backup", "key", "init"], input=f"{KEY_CODE}\n{KEY_CODE}\n").exit_code == 0
    created = runner.invoke(args=["--as", "deputy", "backup", "create", "--year", "2026/2027", "--period", "Q2"])
    assert created.exit_code == 0 and "записан и проверен" in created.output, created.output
    (row,) = json.loads(runner.invoke(args=["backup", "list", "--json"]).output)
    audited = runner.invoke(args=["--as", "director", "backup", "audit"])
    assert audited.exit_code == 0 and "тревог: 0" in audited.output
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", KEY_CODE)
    restored = runner.invoke(args=["--as", "director", "backup", "restore", row["set_id"], "--to", str(tmp_path / "r")])
    assert restored.exit_code == 0 and "восстановлен и проверен" in restored.output
    journal = runner.invoke(args=["backup", "journal", "--verify"])
    # start, create ×2, audit, restore (a list by nobody named is not journaled)
    assert journal.exit_code == 0 and "записей 5" in journal.output


def test_the_cli_list_names_the_period_and_the_dates_as_people_read_them(archive, runner, created):
    """`backup list`: the set's number as `backup restore` takes it, then «2026/2027: II четверть», the
    moment it was made in the school's time zone and the keep-until date as dd.mm.yyyy (issue 17)."""
    listed = runner.invoke(args=["backup", "list"]).output
    (row,) = backup.list_backups(archive.uow())
    assert row.set_id in listed and "2026/2027: II четверть;" in listed
    assert f"создан {local_moment(dt.datetime.fromisoformat(row.created_at), archive.zone)};" in listed
    assert f"хранить до {dt.date.fromisoformat(row.retain_until[:10]):%d.%m.%Y};" in listed
    people_read = listed.replace(row.set_id, "")
    assert "Q2" not in people_read and row.retain_until not in people_read and "UTC" not in people_read


def test_the_nightly_task_audits_and_repairs(archive, app, created):
    (archive.media()[1].root / created["set_id"] / "manifest-sha256.txt").write_text("испорчено")
    result = app.extensions["celery"].tasks["archive.audit_backups"].delay().get()
    assert result["repaired"] == 1 and result["alarms"] == []


def test_the_handover_act_and_the_journal_print_as_pdf(archive, runner, created, tmp_path):
    import subprocess

    act = tmp_path / "act.pdf"
    assert runner.invoke(args=["backup", "act", created["set_id"], "--out", str(act)]).exit_code == 0
    text = subprocess.run(["pdftotext", str(act), "-"], capture_output=True, text=True, check=True).stdout
    assert "АКТ" in text and "Носитель A" in text and "Носитель B" in text and "Принял: директор" in text
    assert "Сергеева О" in text or "Сергеева Ольга Викторовна" in text
    journal = tmp_path / "journal.pdf"
    assert runner.invoke(args=["backup", "journal", "--pdf", str(journal)]).exit_code == 0
    text = subprocess.run(["pdftotext", str(journal), "-"], capture_output=True, text=True, check=True).stdout
    assert "Журнал пользования резервными копиями" in text and "создание" in text and "цела" in text


def test_medium_a_is_the_object_lock_bucket_when_s3_is_configured(archive):
    import dataclasses

    from storage.s3 import S3Medium

    configured = dataclasses.replace(archive.settings, s3_endpoint="http://127.0.0.1:9", s3_bucket="medium-a",
                                     s3_access_key="k", s3_secret_key="s")
    medium_a, medium_b = type(archive)(configured).media()
    assert isinstance(medium_a, S3Medium) and medium_a.bucket == "medium-a" and medium_a.object_lock
    assert medium_b.label == "Носитель B"


def test_a_monthly_copy_holds_only_the_snapshots_exported_that_month(archive, runner, monkeypatch):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)  # exported 26.12.2026
    with_archive_key(archive)
    december = runner.invoke(args=["--as", "deputy",
                                   "backup", "create", "--year", "2026/2027", "--period", "Q2", "--month", "2026-12"])
    assert december.exit_code == 0 and "файлов 3" in december.output
    with archive.uow() as uow:
        assert [b.periods for b in uow.backups.all()] == ["месяц 2026-12"]  # the set is the month's
    november = runner.invoke(args=["--as", "deputy",
                                   "backup", "create", "--year", "2026/2027", "--period", "Q2", "--month", "2026-11"])
    assert november.exit_code == 1 and "нет снимков" in november.output
    bad = runner.invoke(args=["--as", "deputy",
                              "backup", "create", "--year", "2026/2027", "--period", "Q2", "--month", "12.2026"])
    assert bad.exit_code == 2 and "ГГГГ-ММ" in bad.output
