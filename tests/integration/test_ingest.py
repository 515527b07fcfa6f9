"""Ingest on a real database (SQLite and PostgreSQL): all or nothing, idempotent, versioned."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from archive_service.adapters.orm import AuditEvent, School, SnapshotRecord, SnapshotStudent
from archive_service.domain.actor import Actor
from archive_service.errors import ReasonRequired, SnapshotRejected
from archive_service.services import audit, snapshots
from archive_service.services.ingest import ingest_snapshot, load_snapshot
from builders import as_bytes, snapshot, subject
from conftest import NOW


def counts(archive) -> tuple[int, ...]:
    with archive.uow() as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(model))
                     for model in (School, SnapshotRecord, SnapshotStudent, AuditEvent))


def ingest(archive, data: dict, reason: str | None = None):
    return ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy", "127.0.0.1"), reason=reason,
                           now=NOW)


def test_a_snapshot_is_stored_with_its_content_hash_and_counts(archive):
    result = ingest(archive, snapshot())
    assert (result.status, result.version, result.class_name, result.period_code) == ("stored", 1, "5А", "Q2")
    assert len(result.content_hash) == 64 and result.marks == 37
    with archive.uow() as uow:
        record = uow.snapshots.get(result.snapshot_id, with_content=True)
        assert load_snapshot(record).students[0].full_name == "Алексеев Иван Петрович"
        assert record.exported_at.isoformat() == "2026-12-26T11:30:00+00:00"
    assert counts(archive) == (1, 1, 4, 1)


def test_importing_the_same_content_again_is_a_no_op_that_says_so(archive):
    first = ingest(archive, snapshot())
    # the same content with keys in another order and other white space is the same snapshot
    reordered = json.dumps(dict(reversed(list(snapshot().items()))), indent=3, ensure_ascii=True)
    again = ingest_snapshot(archive.uow(), reordered, actor=Actor("test", "deputy"), now=NOW)
    assert again.status == "duplicate" and again.content_hash == first.content_hash
    assert "уже сохранён" in again.message
    assert counts(archive) == (1, 1, 4, 1)


def test_a_changed_snapshot_needs_a_reason_and_becomes_version_2(archive):
    ingest(archive, snapshot())
    changed = snapshot()
    subject(changed, "math")["lessons"][0]["marks"][1]["value"] = 5
    with pytest.raises(ReasonRequired, match="причины"):
        ingest(archive, changed)
    assert counts(archive) == (1, 1, 4, 1)
    result = ingest(archive, changed, reason="Исправлена ошибка учителя")
    assert (result.status, result.version) == ("new_version", 2)
    rows = snapshots.list_snapshots(archive.uow(), "2026/2027", ["Q2"])
    assert [(r["version"], r["reason"]) for r in rows] == [(1, None), (2, "Исправлена ошибка учителя")]


def test_the_diff_between_versions_flags_retroactive_changes(archive):
    ingest(archive, snapshot())
    changed = snapshot(source={"system": "Сетевой город. Образование", "exported_at": "2026-12-28T10:00:00+07:00"})
    subject(changed, "math")["lessons"][0]["marks"][1]["value"] = 5
    ingest(archive, changed, reason="Исправление")
    diff = snapshots.diff_versions(archive.uow(), "2026/2027", "Q2", "5А")
    assert (diff.old_version, diff.new_version) == (1, 2)
    assert [(c.old, c.new, c.retroactive) for c in diff.changes] == [(4, 5, True)]


def test_a_rejected_snapshot_stores_nothing(archive):
    data = snapshot()
    data["students"][1]["id"] = "s1"
    with pytest.raises(SnapshotRejected):
        ingest(archive, data)
    assert counts(archive) == (0, 0, 0, 0)


def test_an_import_interrupted_half_way_stores_nothing(archive, monkeypatch):
    def power_cut(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(type(archive.uow().__enter__().audit), "append", power_cut)
    with pytest.raises(RuntimeError):
        ingest(archive, snapshot())
    monkeypatch.undo()
    assert counts(archive) == (0, 0, 0, 0)
    assert ingest(archive, snapshot()).status == "stored"


def test_every_ingest_is_in_the_hash_chained_audit_log(archive):
    ingest(archive, snapshot())
    changed = snapshot()
    subject(changed, "music")["lessons"][0]["topic"] = "Новая тема"
    ingest(archive, changed, reason="Уточнена тема")
    entries, breaks = audit.verify_audit_log(archive.uow())
    assert (entries, breaks) == (2, [])
    with archive.uow() as uow:
        event = uow.audit.entries()[1]
        assert (event.action, event.actor, event.details["version"]) == ("snapshot.ingested", "test", 2)
        event.details = {**event.details, "reason": "подделка"}
        uow.commit()
    assert [b.seq for b in audit.verify_audit_log(archive.uow())[1]] == [2]


def test_the_preflight_report_reads_the_newest_version(archive):
    ingest(archive, snapshot())
    changed = snapshot()
    subject(changed, "math")["lessons"][0]["homework"] = ""
    ingest(archive, changed, reason="Удалено задание")
    (report,) = snapshots.preflight_period(archive.uow(), "2026/2027", ["Q2"])
    assert report.counts == {"lesson_without_homework": 1}


def test_concurrent_new_versions_get_distinct_numbers_and_an_intact_audit_chain(archive):
    import threading

    ingest(archive, snapshot())
    results, errors = [], []

    def push(n: int) -> None:
        changed = snapshot()
        subject(changed, "music")["lessons"][0]["topic"] = f"Уточнённая тема {n}"
        try:
            results.append(ingest(archive, changed, reason=f"Правка {n}").version)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(results) == [2, 3, 4, 5]
    assert audit.verify_audit_log(archive.uow()) == (5, [])
