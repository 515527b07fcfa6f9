"""Backups that are never half-written, hidden, mixed up or restored over the archive itself.

A killed `backup create` leaves a registered, journaled set that a re-run finishes; two
backups in the same second are two sets; a damaged marker or sidecar on one medium is
repaired and the set restores; a restore never lands in a non-empty directory or in the
archive's own state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import backup
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from storage import DirectoryMedium, StorageError
from store_support import store_env

DEPUTY = Actor("Иванова Т. П.", "deputy")
WRITER = Path(__file__).with_name("killed_backup_writer.py")


@pytest.fixture
def ingested(archive):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    with_archive_key(archive)


def sets_on(medium: DirectoryMedium) -> set[str]:
    return {name.split("/", 1)[0] for name in medium.list()}


def create(archive, media=None) -> dict:
    return backup.create_backup(archive.uow(), archive.store, media or archive.media(), "2026/2027", ["Q2"],
                                actor=DEPUTY, now=NOW).as_dict()


def restored_snapshot(archive, set_id: str, code: str, target: Path) -> dict:
    bag = backup.restore_backup(archive.uow(), archive.media(), set_id, code, target, actor=DEPUTY,
                                purpose="проверка", now=NOW, own_state=archive.own_state())
    return json.loads((bag / "data/snapshots/Q2/5А.json").read_bytes())


# 5 objects and a marker per medium: killed before any byte, inside medium A, at A's marker (all
# files on A), inside medium B, at B's marker
@pytest.mark.parametrize("kill_at", [1, 3, 6, 8, 12])
def test_a_backup_killed_at_any_moment_is_registered_and_journaled_and_a_rerun_finishes_that_set(
        archive, settings, ingested, kill_at, tmp_path):
    killed = subprocess.run([sys.executable, str(WRITER), str(settings.home), settings.database_url,
                             NOW.isoformat(), str(kill_at)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **store_env(settings.home)})
    assert killed.returncode == -9, killed.stderr
    (row,) = [b.as_dict() for b in backup.list_backups(archive.uow())]
    assert row["state"] == "writing" and not row["complete"]
    assert [(r["action"], r["set_id"]) for r in backup.journal_rows(archive.uow())] == [("начало записи",
                                                                                         row["set_id"])]
    for medium in archive.media():
        assert sets_on(medium) <= {row["set_id"]}
    (alarm,) = backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)
    assert (alarm.set_id, alarm.outcome) == (row["set_id"], "alarm") and "повторите создание" in alarm.detail

    again = create(archive)
    assert (again["set_id"], again["resumed"], again["complete"]) == (row["set_id"], True, True)
    assert [b.state for b in backup.list_backups(archive.uow())] == ["complete"]
    assert [sets_on(m) for m in archive.media()] == [{row["set_id"]}, {row["set_id"]}]
    findings = backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)
    assert findings and {f.outcome for f in findings} == {"ok"}
    assert restored_snapshot(archive, row["set_id"], KEY_CODE, tmp_path / "r")["class"]["name"] == "5А"
    assert backup.verify_journal(archive.uow())[1] == []


def test_a_write_that_fails_lets_go_of_the_set_and_a_rerun_in_the_same_process_finishes_it(archive, ingested):
    class Dying(DirectoryMedium):
        def write(self, name, data, *, retain_until):
            if name.endswith("manifest-sha256.txt"):
                raise OSError("No space left on device")
            super().write(name, data, retain_until=retain_until)

    medium_a, medium_b = archive.media()
    with pytest.raises(StorageError, match="прервана ошибкой носителя; повторите создание"):
        create(archive, media=[medium_a, Dying(medium_b.root, medium_b.label, medium_b.location)])
    (row,) = [b.as_dict() for b in backup.list_backups(archive.uow())]
    assert row["state"] == "writing"
    assert backup.journal_rows(archive.uow())[-1]["result"].startswith("прервано")
    again = create(archive)
    assert (again["set_id"], again["resumed"], again["complete"]) == (row["set_id"], True, True)


def test_two_backups_in_the_same_second_in_one_process_are_two_sets_each_with_its_own_payload(
        archive, ingested, tmp_path):
    results: dict[str, dict] = {}

    def make(name: str) -> None:
        results[name] = create(archive)

    threads = [threading.Thread(target=make, args=(name,)) for name in ("первый", "второй")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["set_id"] for r in results.values()}) == 2 and all(r["complete"] for r in results.values())
    for name, result in results.items():
        assert restored_snapshot(archive, result["set_id"], KEY_CODE, tmp_path / name)["class"]["name"] == "5А"
    assert {f.outcome for f in backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)} == {"ok"}


def test_a_set_left_on_a_medium_without_a_row_is_an_alarm_of_the_audit(archive, ingested):
    created = create(archive)
    medium_b = archive.media()[1]
    for name in medium_b.list(created["set_id"] + "/"):
        medium_b.write(name.replace(created["set_id"], "2026-2027-Q2-20270110T090000"), medium_b.read(name),
                       retain_until=NOW.date())
    alarms = [f for f in backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)
              if f.outcome == "alarm"]
    assert [(f.set_id, f.medium) for f in alarms] == [("2026-2027-Q2-20270110T090000", "Носитель B")]
    assert "не зарегистрированный" in alarms[0].detail


@pytest.mark.parametrize("fault", ["flip", "delete", "truncate"])
def test_a_damaged_marker_on_medium_a_is_repaired_by_the_audit_and_the_set_restores(
        archive, runner, ingested, monkeypatch, fault, tmp_path):
    created = create(archive)
    marker = archive.media()[0].root / created["set_id"] / "COMPLETE"
    data = marker.read_bytes()
    if fault == "flip":
        marker.write_bytes(data[:40] + bytes([data[40] ^ 0x01]) + data[41:])
    elif fault == "delete":
        marker.unlink()
    else:
        marker.write_bytes(data[:20])
    audited = runner.invoke(args=["--as", "director", "backup", "audit"])
    assert audited.exit_code == 0 and "восстановлено: " + created["set_id"] + "/COMPLETE" in audited.output
    assert marker.read_bytes() == data
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", KEY_CODE)
    restored = runner.invoke(args=["--as", "director",
                                   "backup", "restore", created["set_id"], "--to", str(tmp_path / "r")])
    assert restored.exit_code == 0, restored.output


def test_a_deleted_sidecar_is_reported_and_repaired(archive, ingested):
    created = create(archive)
    sidecar = archive.media()[0].root / created["set_id"] / "data/payload.tar.sealed.meta.json"
    sidecar.unlink()
    (finding,) = [f for f in backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=NOW)
                  if f.outcome != "ok"]
    assert (finding.name, finding.aspect, finding.outcome) == ("data/payload.tar.sealed", "meta", "repaired")
    assert sidecar.exists()
    assert "сведения о хранении" in backup.journal_rows(archive.uow())[-1]["result"]


def test_a_restore_into_a_non_empty_directory_is_refused_and_the_directory_is_left_as_it_was(
        archive, ingested, tmp_path):
    created = create(archive)
    target = tmp_path / "папка"
    target.mkdir()
    (target / "мой файл.txt").write_text("не трогать")
    with pytest.raises(StorageError, match="не пуста"):
        restored_snapshot(archive, created["set_id"], KEY_CODE, target)
    assert [p.name for p in target.iterdir()] == ["мой файл.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore")]
    assert backup.journal_rows(archive.uow())[-1]["result"].startswith("отказ: папка для восстановления не пуста")
    (target / "мой файл.txt").unlink()
    assert restored_snapshot(archive, created["set_id"], KEY_CODE, target)["class"]["name"] == "5А"


def test_a_failed_restore_leaves_nothing_beside_the_target(archive, ingested, tmp_path):
    created = create(archive)
    with pytest.raises(StorageError, match="неверный код"):
        restored_snapshot(archive, created["set_id"], "не тот код", tmp_path / "out" / "r")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("where", ["home", "documents", "medium A", "medium B inside", "media", "database or keys"])
def test_a_restore_into_the_archive_or_its_own_state_is_refused(archive, ingested, where):
    created = create(archive)
    settings = archive.settings
    documents_dir = getattr(archive.store, "root", settings.home)  # an S3 store has no folder: the home stands in
    target = {"home": settings.home, "documents": documents_dir, "medium A": settings.medium_a,
              "medium B inside": settings.medium_b / "restored", "media": settings.home / "media",
              "database or keys": Path(make_url(settings.database_url).database)
              if settings.database_url.startswith("sqlite") else settings.home / "pki"}[where]
    before = sorted(str(p) for p in settings.home.rglob("*"))
    with pytest.raises(ArchiveError, match="нельзя восстанавливать резервную копию в папку архива"):
        restored_snapshot(archive, created["set_id"], KEY_CODE, target)
    assert sorted(str(p) for p in settings.home.rglob("*")) == before
    assert backup.journal_rows(archive.uow())[-1]["result"].startswith("отказ: нельзя восстанавливать")


def test_the_command_line_refuses_a_restore_into_archive_home(archive, runner, ingested, monkeypatch):
    created = create(archive)
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", KEY_CODE)
    refused = runner.invoke(args=["--as", "director",
                                  "backup", "restore", created["set_id"], "--to", str(archive.settings.home)])
    assert refused.exit_code == 1 and "нельзя восстанавливать резервную копию в папку архива" in refused.output
    assert not (archive.settings.home / "bag").exists()


@pytest.mark.parametrize("silent_for, taken_over", [(dt.timedelta(hours=2), True), (dt.timedelta(minutes=5), False)])
def test_a_set_being_written_on_another_host_is_taken_over_only_after_its_writer_fell_silent(
        archive, ingested, silent_for, taken_over):
    first = create(archive)
    with archive.uow() as uow:
        row = uow.backups.get(first["set_id"])
        row.state, row.complete, row.writer = "writing", False, "другой-сервер:4242:1"
        row.heartbeat_at = NOW - silent_for
        uow.commit()
    again = create(archive)
    assert (again["set_id"] == first["set_id"]) is taken_over and again["resumed"] is taken_over
    states = sorted(b.state for b in backup.list_backups(archive.uow()))
    assert states == (["complete"] if taken_over else ["complete", "writing"])
