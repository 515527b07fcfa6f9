"""The director's archive key: sets written with no code, opened only with the director's code (or
the escrow copy's own), across a code change and a key rotation; old code-sealed sets and `reseal`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import PermissionDenied
from archive_service.services import archive_keys, backup
from archive_service.services.backup import NewSet, write_new
from archive_service.services.backup_payload import payload
from archive_service.services.backup_reseal import reseal_backup
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from keys_support import DIRECTOR, FAST, KEY_CODE, with_archive_key
from storage import WrongAccessCode, build_set
from web_support import NAMES

DEPUTY = Actor("Иванова Т. П.", "deputy")
NEW_CODE = "кедр-ветер-93-гора"
ESCROW_CODE = "барсук-луна-16-ведро"


class UntouchableMedium:
    """A medium that fails the test if anything is read from it."""

    def __init__(self, medium):
        self.label, self.location = medium.label, medium.location

    def __getattr__(self, name):
        raise AssertionError(f"the medium was touched: {name}")


@pytest.fixture
def ingested(archive):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    return with_archive_key(archive)


def make_set(archive) -> str:
    return backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"], actor=DEPUTY,
                                now=NOW).set_id


def restore(archive, set_id: str, code: str, target: Path, media=None) -> Path:
    return backup.restore_backup(archive.uow(), media or archive.media(), set_id, code, target, actor=DIRECTOR,
                                 purpose="проверка", now=NOW, own_state=archive.own_state())


def test_a_wrong_code_is_refused_before_any_medium_is_read_and_journaled(archive, ingested, tmp_path):
    set_id = make_set(archive)
    untouchable = [UntouchableMedium(m) for m in archive.media()]
    with pytest.raises(WrongAccessCode, match="неверный код доступа"):
        restore(archive, set_id, "не-тот-код-12", tmp_path / "r", media=untouchable)
    last = backup.journal_rows(archive.uow())[-1]
    assert last["action"] == "восстановление" and last["result"] == "отказ: неверный код доступа"
    assert not (tmp_path / "r").exists()


def test_the_right_code_restores_the_payload_byte_for_byte(archive, ingested, tmp_path):
    expected = payload(archive.uow(), archive.store, "2026/2027", ["Q2"])  # what the set is made of, now
    set_id = make_set(archive)
    with archive.uow() as uow:
        assert uow.backups.get(set_id).key_fingerprint == ingested.fingerprint
    bag = restore(archive, set_id, KEY_CODE, tmp_path / "r")
    restored = {p.relative_to(bag / "data").as_posix(): p.read_bytes()
                for p in (bag / "data").rglob("*") if p.is_file()}
    assert restored == expected
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert f"Archive-Key-Fingerprint: {ingested.fingerprint}" in info
    assert "ключ архива открыт кодом директора" in backup.journal_rows(archive.uow())[-1]["result"]


def test_after_a_code_change_old_and_new_sets_open_with_the_new_code_only(archive, ingested, tmp_path):
    before = make_set(archive)
    changed = archive_keys.change_code(archive.uow(), KEY_CODE, NEW_CODE, NEW_CODE, actor=DIRECTOR, now=NOW,
                                       params=FAST)
    assert changed.fingerprint == ingested.fingerprint  # the same key pair: no set is rewritten
    after = make_set(archive)
    for set_id in (before, after):
        with pytest.raises(WrongAccessCode):
            restore(archive, set_id, KEY_CODE, tmp_path / f"old-{set_id}")
        assert restore(archive, set_id, NEW_CODE, tmp_path / set_id).exists()
    assert "смена кода доступа" in [r["action"] for r in backup.journal_rows(archive.uow())]


def test_after_a_rotation_both_generations_restore_with_the_new_code(archive, ingested, tmp_path):
    first = make_set(archive)
    rotated = archive_keys.rotate_key(archive.uow(), KEY_CODE, NEW_CODE, NEW_CODE, actor=DIRECTOR, now=NOW,
                                      params=FAST)
    assert rotated.generation == 2 and rotated.fingerprint != ingested.fingerprint
    second = make_set(archive)
    with archive.uow() as uow:
        assert [uow.backups.get(s).key_fingerprint for s in (first, second)] == [ingested.fingerprint,
                                                                                rotated.fingerprint]
    for set_id in (first, second):
        assert restore(archive, set_id, NEW_CODE, tmp_path / set_id).exists()
    status = archive_keys.key_status(archive.uow())
    assert [(k.generation, k.current) for k in status] == [(2, True), (1, False)]
    assert "замена ключа архива" in [r["action"] for r in backup.journal_rows(archive.uow())]


def test_the_escrow_copy_opens_only_with_its_own_code_and_every_use_is_journaled(archive, ingested, tmp_path):
    set_id = make_set(archive)
    archive_keys.set_escrow(archive.uow(), KEY_CODE, ESCROW_CODE, ESCROW_CODE, "Управление образования",
                            actor=DIRECTOR, now=NOW, params=FAST)
    assert archive_keys.key_status(archive.uow())[0].escrow_holder == "Управление образования"
    bag = restore(archive, set_id, ESCROW_CODE, tmp_path / "escrow")
    assert bag.exists()
    assert "кодом копии ключа (Управление образования)" in backup.journal_rows(archive.uow())[-1]["result"]
    with pytest.raises(WrongAccessCode):
        restore(archive, set_id, "чужой-код-копии-77", tmp_path / "wrong")
    archive_keys.drop_escrow(archive.uow(), actor=DIRECTOR, now=NOW)
    with pytest.raises(WrongAccessCode):
        restore(archive, set_id, ESCROW_CODE, tmp_path / "dropped")
    assert restore(archive, set_id, KEY_CODE, tmp_path / "director").exists()


def test_only_the_director_manages_the_key_and_a_weak_or_mistyped_code_is_refused(archive):
    with pytest.raises(PermissionDenied, match="только директор"):
        archive_keys.init_key(archive.uow(), KEY_CODE, KEY_CODE, actor=DEPUTY, now=NOW, params=FAST)
    with pytest.raises(Exception, match="не совпадают"):
        archive_keys.init_key(archive.uow(), KEY_CODE, KEY_CODE + "x", actor=DIRECTOR, now=NOW, params=FAST)
    with pytest.raises(Exception, match="слишком"):
        archive_keys.init_key(archive.uow(), "1234567890", "1234567890", actor=DIRECTOR, now=NOW, params=FAST)
    assert archive_keys.key_status(archive.uow()) == []


def test_without_a_key_no_set_is_made_and_the_director_is_asked_for_the_code(archive):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    with pytest.raises(Exception, match="директор задаёт код доступа"):
        make_set(archive)
    assert backup.list_backups(archive.uow()) == []


def test_a_set_written_by_the_monthly_schedule_restores(archive, app, ingested, tmp_path):
    result = app.extensions["celery"].tasks["archive.monthly_backup"].delay("2026-12").get()
    assert result["ok"] and len(result["sets"]) == 1, result
    (set_id,) = result["sets"]
    row = next(r for r in backup.list_backups(archive.uow()) if r.set_id == set_id)
    assert row.periods == "месяц 2026-12" and row.created_by == "Архив (автоматически)"
    bag = restore(archive, set_id, KEY_CODE, tmp_path / "monthly")
    stored = json.loads((bag / "data/snapshots/Q2/5А.json").read_bytes())
    assert stored["class"]["name"] == "5А"
    schedule = app.extensions["celery"].conf.beat_schedule["monthly-backup"]
    assert schedule["task"] == "archive.monthly_backup"
    assert app.extensions["celery"].tasks["archive.monthly_backup"].delay("2026-10").get()["sets"] == []


def _old_set(archive, code: str) -> str:
    """A set as written before the archive key: sealed with a code, no fingerprint recorded."""
    members = payload(archive.uow(), archive.store, "2026/2027", ["Q2"])
    files = build_set(members, {"External-Identifier": "2026-2027-Q2-old"}, code)
    write_new(archive.uow(), "2026-2027-Q2-old", files, archive.media(),
              NewSet("2026/2027", "Q2", len(members), dt.date(2033, 1, 1), None), actor=DEPUTY, now=NOW)
    return "2026-2027-Q2-old"


def test_an_old_code_sealed_set_restores_with_its_code_and_reseal_moves_it_to_the_key(archive, ingested, tmp_path):
    old = _old_set(archive, "старый код 1234")
    first = restore(archive, old, "старый код 1234", tmp_path / "old")
    made = reseal_backup(archive.uow(), archive.media(), old, "старый код 1234", actor=DEPUTY, now=NOW)
    assert made.complete and made.set_id != old
    rows = {r.set_id: r for r in backup.list_backups(archive.uow())}
    assert rows[old].resealed_as == made.set_id and rows[made.set_id].key_fingerprint == ingested.fingerprint
    second = restore(archive, made.set_id, KEY_CODE, tmp_path / "new")
    for path in (first / "data").rglob("*"):
        if path.is_file():
            assert (second / "data" / path.relative_to(first / "data")).read_bytes() == path.read_bytes()
    with pytest.raises(Exception, match="уже перезапечатан"):
        reseal_backup(archive.uow(), archive.media(), old, "старый код 1234", actor=DEPUTY, now=NOW)


def test_the_key_commands_at_the_terminal(archive, runner, monkeypatch, tmp_path):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    assert "ключ архива ещё не создан" in runner.invoke(args=["backup", "key", "show"]).output
    refused = runner.invoke(args=["--as", "deputy", "backup", "create", "--year", "2026/2027", "--period", "Q2"])
    assert refused.exit_code == 1 and "директор задаёт код доступа" in refused.output
    mistyped = runner.invoke(args=["--as", "director", "backup", "key", "init"], input=f"{KEY_CODE}\n{KEY_CODE}x\n")
    assert mistyped.exit_code == 1 and "не совпадают" in mistyped.output
    made = runner.invoke(args=["--as", "director", "backup", "key", "init"], input=f"{KEY_CODE}\n{KEY_CODE}\n")
    assert made.exit_code == 0 and KEY_CODE not in made.output, made.output
    (key,) = archive_keys.key_status(archive.uow())
    assert key.fingerprint in made.output and key.created_by == NAMES["director"]  # --as director
    created = runner.invoke(args=["--as", "deputy",
                                  "backup", "create", "--year", "2026/2027", "--period", "Q2"])  # no code asked
    assert created.exit_code == 0, created.output
    listed = runner.invoke(args=["backup", "list"]).output
    assert f"ключ {key.fingerprint}" in listed
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", KEY_CODE)
    monkeypatch.setenv("ARCHIVE_BACKUP_NEW_CODE", NEW_CODE)
    rotated = runner.invoke(args=["--as", "director", "backup", "key", "rotate"])
    assert rotated.exit_code == 0 and "поколение 2" in rotated.output, rotated.output
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", NEW_CODE)
    monkeypatch.setenv("ARCHIVE_ESCROW_CODE", ESCROW_CODE)
    escrow = runner.invoke(args=["--as", "director", "backup", "key", "escrow", "--holder", "Учредитель"])
    assert escrow.exit_code == 0, escrow.output
    shown = runner.invoke(args=["backup", "key", "show"]).output
    assert "Поколение 2 (действующий)" in shown and "копия ключа: Учредитель" in shown
    assert runner.invoke(args=["--as", "director", "backup", "key", "escrow", "--drop"]).exit_code == 0
    busy = tmp_path / "занято"
    busy.mkdir()
    (busy / "файл").write_text("x")
    set_id = backup.list_backups(archive.uow())[0].set_id
    monkeypatch.delenv("ARCHIVE_BACKUP_CODE")
    not_empty = runner.invoke(args=["--as", "director",
                                    "backup", "restore", set_id, "--to", str(busy)])  # refused before the code
    assert not_empty.exit_code == 1 and "не пуста" in not_empty.output and "Код доступа" not in not_empty.output
    restored = runner.invoke(args=["--as", "director",
                                   "backup", "restore", set_id, "--to", str(tmp_path / "r")], input=f"{NEW_CODE}\n")
    assert restored.exit_code == 0 and "восстановлен и проверен" in restored.output, restored.output


def test_reseal_at_the_terminal_and_the_act_shows_the_key(archive, runner, ingested, monkeypatch, tmp_path):
    import subprocess

    old = _old_set(archive, "старый код 1234")
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", "старый код 1234")
    moved = runner.invoke(args=["--as", "director", "backup", "reseal", old])
    assert moved.exit_code == 0 and "перезапечатан ключом архива" in moved.output, moved.output
    new = backup.list_backups(archive.uow())[-1].set_id
    assert f"перезапечатан в {new}" in runner.invoke(args=["backup", "list"]).output
    act = tmp_path / "act.pdf"
    assert runner.invoke(args=["backup", "act", new, "--out", str(act)]).exit_code == 0
    text = subprocess.run(["pdftotext", str(act), "-"], capture_output=True, text=True, check=True).stdout
    assert "АКТ № 2/2027" in text and ingested.fingerprint in text and "жёсткий диск (каталог)" in text  # after the old
    assert "II четверть" in text and "Q2)" not in text
    old_act = tmp_path / "old.pdf"
    assert runner.invoke(args=["backup", "act", old, "--out", str(old_act)]).exit_code == 0
    text = subprocess.run(["pdftotext", str(old_act), "-"], capture_output=True, text=True, check=True).stdout
    assert "АКТ № 1/2027" in text and "запечатаны кодом доступа директора" in text  # the first set of 2027


def test_hand_over_acts_are_numbered_within_the_year_and_copies_record_the_medium(archive, ingested):
    first, second = make_set(archive), make_set(archive)
    rows = {r.set_id: r for r in backup.list_backups(archive.uow())}
    assert (rows[first].act_number, rows[second].act_number) == (1, 2)
    assert {c["kind"] for c in rows[first].copies.values()} == {"жёсткий диск (каталог)"}


def test_the_act_is_dated_in_the_schools_time_zone(archive, runner, ingested, tmp_path):
    import subprocess

    late = dt.datetime(2026, 12, 28, 22, 30, tzinfo=dt.timezone.utc)  # 29.12 at 01:30 in Moscow
    made = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"], actor=DEPUTY,
                                now=late)
    act = tmp_path / "act.pdf"
    assert runner.invoke(args=["backup", "act", made.set_id, "--out", str(act)]).exit_code == 0
    text = subprocess.run(["pdftotext", str(act), "-"], capture_output=True, text=True, check=True).stdout
    assert "от 29.12.2026" in text
