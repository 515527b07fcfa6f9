"""Crash test of disposal: a real `archive-service retention dispose --execute` killed by SIGKILL.

The command runs as a child process against a SQLite file and a PostgreSQL database. The
test-only hook `storage.crash_points` (armed by `ARCHIVE_TEST_KILL_AT=point:N` in the child's
environment only) makes the process kill itself at a named moment: while composing the act,
after a file's destruction is marked, after k files are deleted, after an item is recorded,
before and after a backup set leaves the media, before the act is recorded executed. After
each kill the test proves: the audit log and the backup journal verify; every register row has
its files, or is marked destroyed by an act whose item records the destruction begun; a backup
set is whole on both media or is one the unfinished act still deletes; act numbers have no
gaps or doubles. A plain re-run then finishes the act, and everything is gone everywhere.

The documents are of 2019/2020 (kept 5 years, until 01.01.2026): destruction runs on the
machine's real clock only, so the data must be due by today's date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from archive_service.domain.actor import Actor
from archive_service import Settings, create_app
from archive_service.adapters.orm import BackupSet, DisposalAct, DisposalActItem, DocumentRecord, RegisterEntry
from archive_service.errors import ArchiveError
from archive_service.services import accounts, backup, disposal, documents, register
from archive_service.services.audit import verify_audit_log
from archive_service.services.ingest import ingest_snapshot
from builders import snapshot
from keys_support import with_archive_key
from storage.crash_points import ENV as KILL_AT
from store_support import store_env, store_settings

CLERK = Actor("secretary", "secretary")
CLERK_T = Actor("t", "secretary")

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "пароль-директора-42"
MOMENT = dt.datetime(2020, 1, 10, 9, 0, tzinfo=dt.timezone.utc)
PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2019/2020»")
CLASSES = "АБВГ"


def _of_2019(letter: str) -> bytes:
    """5<letter>'s second quarter moved seven years back: a 2019/2020 journal, due since 2026."""
    data = snapshot()
    data["class"] = {**data["class"], "id": f"c-5{letter}", "name": f"5{letter}"}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("2026", "2019").replace("2027", "2020").encode()


@pytest.fixture
def installation(db_url, tmp_path):
    """Four registered 2019/2020 class journal copies, a backup set of them on A and B, a director."""
    settings = Settings(home=tmp_path / "home", database_url=db_url, secret_key="crash-test-secret",
                        **store_settings(tmp_path / "home"))
    app = create_app(settings)
    archive = app.extensions["archive"]
    for letter in CLASSES:
        stored = ingest_snapshot(archive.uow(), _of_2019(letter), actor=Actor("test", "deputy"), now=MOMENT)
        doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                        "class_journal", archive.render_options, actor=Actor("deputy", "deputy"),
                                        now=MOMENT)
        register.register_document(archive.uow(), doc.document_id, handed_over_by="Иванова Т. П.",
                                   accepted_by="Петрова А. С.", placement=PLACE, on=dt.date(2020, 1, 15),
                                   paper_only=True, actor=CLERK, now=MOMENT)
    with_archive_key(archive)
    backup.create_backup(archive.uow(), archive.store, archive.media(), "2019/2020", ["Q2"],
                         actor=Actor("Иванова Т. П.", "deputy"), now=MOMENT)
    accounts.create_user(archive.uow(), "director", "Смирнов Виктор Васильевич", "director", PASSWORD,
                         actor=Actor("test", "admin"), now=MOMENT)
    accounts.create_user(archive.uow(), "secretary", "Петрова Анна Сергеевна", "secretary", PASSWORD,
                         actor=Actor("test", "admin"), now=MOMENT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    env.update(PYTHONPATH=str(ROOT), ARCHIVE_HOME=str(settings.home), ARCHIVE_DATABASE_URL=db_url,
               ARCHIVE_SECRET_KEY="crash-test-secret", ARCHIVE_OPERATOR="secretary",  # the act is the secretary's
               **store_env(settings.home))
    yield archive, env, tmp_path
    archive.engine.dispose()


def _cli(env: dict, cwd: Path, *args: str, kill_at: str | None = None, password: bool = False):
    """Run the command in a session of its own (the hook kills its process group, nothing else)."""
    child = dict(env)
    if kill_at:
        child[KILL_AT] = kill_at
    if password:
        child["ARCHIVE_PASSWORD"] = PASSWORD
    return subprocess.run([sys.executable, "-c", "from archive_service.cli import main; main()", *args],
                          env=child, cwd=cwd, capture_output=True, text=True, timeout=300, start_new_session=True)


def _killed(result) -> None:
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stdout, result.stderr)


def _state(archive) -> dict:
    with archive.uow() as uow:
        s = uow.session
        rows = [(e.year, e.number, e.status, d.sha256, d.destroyed_by_act)
                for e, d in s.execute(select(RegisterEntry, DocumentRecord)
                                      .join(DocumentRecord, DocumentRecord.id == RegisterEntry.document_id)
                                      .order_by(RegisterEntry.number))]
        items = {e: (started, done) for e, started, done in s.execute(
            select(DisposalActItem.entry_id, DisposalActItem.destruction_started_at, DisposalActItem.destroyed_at)
            .join(RegisterEntry, RegisterEntry.id == DisposalActItem.entry_id))}
        entry_ids = {(e.year, e.number): e.id for e in s.scalars(select(RegisterEntry))}
        acts = [(a.year, a.number, a.status) for a in s.scalars(select(DisposalAct).order_by(DisposalAct.id))]
        sets = [(b.set_id, b.destroyed_by_act) for b in s.scalars(select(BackupSet))]
    return {"rows": rows, "items": {k: items.get(v) for k, v in entry_ids.items()}, "acts": acts, "sets": sets}


def _assert_consistent(archive) -> dict:
    """What must hold after any kill, before any re-run."""
    with archive.uow() as uow:
        assert verify_audit_log(uow)[1] == []
    assert backup.verify_journal(archive.uow())[1] == []
    state = _state(archive)
    for year, number, status, sha256, destroyed_by in state["rows"]:
        item = state["items"][(year, number)]
        if status == "destroyed":  # marked before its first byte was deleted; gone once the item is done
            assert destroyed_by and item and item[0] is not None, (year, number)
            if item[1] is not None:
                assert not archive.store.exists(sha256), (year, number)
        else:  # «в архиве»: the file is there, whole
            assert destroyed_by is None and archive.store.verify(sha256), (year, number)
    per_year: dict[int, list[int]] = {}
    for year, number, _ in state["acts"]:
        per_year.setdefault(year, []).append(number)
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in per_year.values()), state["acts"]
    unfinished = any(status != "executed" for _, _, status in state["acts"])
    for set_id, destroyed_by in state["sets"]:
        left = [m.list(f"{set_id}/") for m in archive.media()]
        if destroyed_by:
            assert left == [[], []], set_id
        else:  # whole on both media, or half-deleted by the act a re-run finishes
            whole = all(m.exists(f"{set_id}/COMPLETE") for m in archive.media())
            assert whole or unfinished, set_id
    return state


def test_a_disposal_killed_at_any_moment_is_finished_by_a_re_run(installation):
    archive, env, cwd = installation
    year = archive.clock.today().year
    act = f"1/{year}"
    out = ["--out", str(cwd / "act.pdf")]

    _killed(_cli(env, cwd, "retention", "dispose", "--execute", *out, kill_at="disposal.compose_uncommitted:1"))
    assert _assert_consistent(archive)["acts"] == []  # the act was never half-composed
    composed = _cli(env, cwd, "retention", "dispose", "--execute", *out)
    assert composed.returncode == 0 and f"Акт № {act}" in composed.stdout, composed.stderr
    approved = _cli(env, cwd, "retention", "approve", act, "--login", "director", password=True)
    assert approved.returncode == 0 and "Смирнов Виктор Васильевич" in approved.stdout, approved.stderr

    moments = ["disposal.item_started:1",   # the first file marked destroyed, nothing deleted
               "disposal.file_deleted:2",   # the 1st file finished, the 2nd file deleted, its item not recorded
               "disposal.item_destroyed:2",  # the 2nd finished, the 3rd destroyed and recorded
               "disposal.set_deleting:1",   # every file destroyed; the backup set still whole
               "disposal.set_deleted:1",    # the set gone from both media, its row not yet marked
               "disposal.act_uncommitted:1"]  # all done but the act's own record
    seen = []
    for moment in moments:
        _killed(_cli(env, cwd, "retention", "dispose", "--execute", *out, kill_at=moment))
        state = _assert_consistent(archive)
        assert state["acts"] == [(year, 1, "approved")], moment
        seen.append(tuple(status for *_, status, _, _ in state["rows"]))
        # a hold is refused on every file whose destruction has begun
        for y, n, status, *_ in state["rows"]:
            if status == "destroyed":
                with pytest.raises(ArchiveError, match=f"по акту № {act} уже начато"):
                    register.place_hold(archive.uow(), y, n, reason="проверка", on=MOMENT.date(), actor=CLERK_T,
                                        now=MOMENT)
    assert seen[0] == ("destroyed", "in_archive", "in_archive", "in_archive")
    assert seen[1] == ("destroyed", "destroyed", "in_archive", "in_archive")
    assert seen[2] == ("destroyed", "destroyed", "destroyed", "in_archive")
    assert all(s == ("destroyed",) * 4 for s in seen[3:])
    assert [m.list() for m in archive.media()] == [[], []]  # the set went before the last two kills

    finished = _cli(env, cwd, "retention", "dispose", "--execute", *out)
    assert finished.returncode == 0 and "исполнен" in finished.stdout, (finished.stdout, finished.stderr)
    state = _assert_consistent(archive)
    assert state["acts"] == [(year, 1, "executed")]
    assert all(status == "destroyed" and not archive.store.exists(sha256)
               for _, _, status, sha256, _ in state["rows"])
    assert all(item[1] is not None for item in state["items"].values())
    assert [destroyed_by for _, destroyed_by in state["sets"]] == [act]
    with archive.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("disposal.destroyed") == 4 and actions.count("disposal.destruction_started") == 4
    assert actions.count("disposal.backup_deleted") == 1 and actions.count("disposal.act_executed") == 1
    summary = disposal.act_summary(archive.uow(), act)
    assert summary["status"] == "executed" and len(summary["items"]) == 4
    again = _cli(env, cwd, "retention", "dispose", "--execute", *out)  # nothing left: no second act
    assert again.returncode != 0 and "нет документов" in again.stderr
    assert _state(archive)["acts"] == [(year, 1, "executed")]
