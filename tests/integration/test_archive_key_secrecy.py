"""The director's access code never leaves the moment it is typed: after a full run with a known
code — the key set on the director's page, a backup by the deputy's page, a restore on the page, a
code change and a restore at the command line, a monthly set written by a real Celery worker and
restored — the code is nowhere: not in the database file, a log, the audit log, the backup-usage
journal, a job row, a Celery message or result, or any file the archive wrote."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import redis

from archive_service.domain.actor import Actor
from archive_service.services import audit, backup
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from web_support import client_factory, csrf_token, make_staff, wait_for_job
from worker_support import REDIS_URL, run_worker

CODE = "лиса-ручей-47-окно"
NEW_CODE = "кедр-ветер-93-гора"
SECRETS = [CODE, NEW_CODE]


@pytest.fixture
def worker_app(tmp_path):
    yield from run_worker(tmp_path, ARCHIVE_KEY_KDF_LOG2_N="10")


def _post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client, "/account"), **data})


_wait = wait_for_job


def _web_run(app, archive) -> list[str]:
    """The director sets the key, the deputy backs up, the director restores: what the pages said."""
    login_as = client_factory(app)
    director, deputy = login_as("director"), login_as("deputy")
    said = [_post(director, "/director/key/init", {"code": CODE, "code2": CODE}).get_data(as_text=True)]
    said.append(director.get("/director/key").get_data(as_text=True))
    made = _post(deputy, "/period/2026-2027/Q2/backup", {})
    job = _wait(deputy, re.search(r"job=([0-9a-f]+)", made.headers["Location"])[1])
    assert job["status"] == "done" and job["result"]["complete"], job
    restored = _post(director, "/director/backups/restore", {"set_id": job["result"]["set_id"], "code": CODE,
                                                             "purpose": "проверка"})
    done = _wait(director, restored.headers["Location"].rsplit("/", 1)[1])
    assert done["status"] == "done", done
    said += [str(job), str(done), director.get("/director/backups").get_data(as_text=True)]
    return said


def _cli_run(app, monkeypatch, tmp_path: Path) -> list[str]:
    runner = app.test_cli_runner()
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", CODE)
    monkeypatch.setenv("ARCHIVE_BACKUP_NEW_CODE", NEW_CODE)
    changed = runner.invoke(args=["--as", "director", "backup", "key", "change"])
    assert changed.exit_code == 0, changed.output
    monkeypatch.delenv("ARCHIVE_BACKUP_NEW_CODE")
    monkeypatch.setenv("ARCHIVE_BACKUP_CODE", NEW_CODE)
    outputs = [changed.output, runner.invoke(args=["backup", "key", "show"]).output,
               runner.invoke(args=["backup", "list"]).output]
    for row in backup.list_backups(app.extensions["archive"].uow()):
        restored = runner.invoke(args=["--as", "director",
                                       "backup", "restore", row.set_id, "--to", str(tmp_path / "cli" / row.set_id)])
        assert restored.exit_code == 0, restored.output
        outputs.append(restored.output)
    wrong = runner.invoke(args=["--as", "director",
                                "backup", "restore", row.set_id, "--to", str(tmp_path / "cli" / "wrong")],
                          env={"ARCHIVE_BACKUP_CODE": CODE})  # the old code no longer opens the key
    assert wrong.exit_code == 1 and "неверный код доступа" in wrong.output
    return [*outputs, wrong.output]


def _value(client: redis.Redis, key: bytes) -> bytes:
    kind = client.type(key)
    if kind == b"string":
        return client.get(key) or b""
    if kind == b"list":
        return b"".join(client.lrange(key, 0, -1))
    if kind == b"hash":
        return b"".join(k + v for k, v in client.hgetall(key).items())
    if kind == b"set":
        return b"".join(client.smembers(key))
    if kind == b"zset":
        return b"".join(client.zrange(key, 0, -1))
    return b""


def _redis_dump() -> bytes:
    """Every key and value left in the Celery broker and result backend."""
    client = redis.Redis.from_url(REDIS_URL)
    return b"\n".join(key + b"=" + _value(client, key) for key in client.keys("*"))


@pytest.mark.redis
def test_the_access_code_appears_nowhere_after_a_full_run(worker_app, tmp_path, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    archive = worker_app.extensions["archive"]
    make_staff(archive, NOW)
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    said = _web_run(worker_app, archive)
    celery = worker_app.extensions["celery"]
    monthly = celery.send_task("archive.monthly_backup", args=["2026-12"]).get(timeout=180)
    assert monthly["ok"] and len(monthly["sets"]) == 1, monthly
    said += [str(monthly), *_cli_run(worker_app, monkeypatch, tmp_path)]
    assert len(backup.list_backups(archive.uow())) == 2
    archive.engine.dispose()

    with archive.uow() as uow:
        said += [repr((e.action, e.actor, e.object_id, e.details)) for e in uow.audit.entries()]
    said += [repr(r) for r in backup.journal_rows(archive.uow())]
    assert audit.verify_audit_log(archive.uow())[1] == []
    out, err = capfd.readouterr()
    said += [caplog.text, out, err, *(r.getMessage() for r in caplog.records)]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".sqlite3") for p in files) and any(p.name == "worker.log" for p in files)
    broker = _redis_dump()
    (month_set,) = monthly["sets"]
    assert month_set.encode() in broker  # the grep sees what is there: the task's result is kept in Redis…
    assert any(".sqlite3" in p.name and month_set.encode() in p.read_bytes() for p in files)  # …and the DB
    assert any(month_set in text for text in said)
    for secret in SECRETS:
        raw = secret.encode("utf-8")
        assert not [text for text in said if secret in text]
        assert raw not in broker and secret.encode("utf-16-le") not in broker
        leaked = [p for p in files if raw in p.read_bytes() or secret.encode("utf-16-le") in p.read_bytes()]
        assert leaked == [], leaked
