"""Ingest on a real database (SQLite and PostgreSQL): all or nothing, idempotent, versioned."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from archive_service.adapters.orm import AuditEvent, PreflightReportRecord, School, SnapshotRecord, SnapshotStudent
from archive_service.domain.actor import Actor
from archive_service.domain.preflight import RULES, PreflightThresholds, preflight
from archive_service.errors import ReasonRequired, SnapshotRejected
from archive_service.rendering.names import RUSSIAN_NAMES
from archive_service.services import audit, snapshots
from archive_service.services.ingest import ingest_snapshot, load_snapshot
from archive_service.services.unit_of_work import UnitOfWork
from builders import as_bytes, snapshot, snapshot_with_late_arrival, subject
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


# --- the pre-flight findings are stored with the version (migration 0021) ----------------------


def kept_reports(archive) -> list[tuple[int, int, int, int, int]]:
    """(snapshot id, rules, norms of marks for one hour and for more, findings) of every kept report."""
    with archive.uow() as uow:
        return [(r.snapshot_id, r.rules, r.min_marks_one_hour, r.min_marks, r.finding_count)
                for r in uow.session.scalars(select(PreflightReportRecord).order_by(PreflightReportRecord.id))]


def test_a_version_is_stored_with_the_findings_the_report_would_find_on_demand(archive):
    result = ingest(archive, snapshot_with_late_arrival())
    with archive.uow() as uow:
        record = uow.snapshots.get(result.snapshot_id, with_content=True)
        kept = uow.preflight.of([record], archive.thresholds)[record.id]
        on_demand = preflight(load_snapshot(record), archive.thresholds, RUSSIAN_NAMES)
    # every finding with what it says, whom and which lesson, the subject teacher, and who arrived late
    assert kept == on_demand and len(kept.findings) > 10 and "Петров Иван Сергеевич" in kept.arrived
    assert "Ким Виктор Алексеевич" in {f.teacher for f in kept.findings}
    assert kept_reports(archive) == [(result.snapshot_id, RULES, 3, 5, len(on_demand.findings))]


def test_a_duplicate_or_a_rejected_snapshot_keeps_no_findings_and_a_new_version_its_own(archive):
    first = ingest(archive, snapshot())
    ingest(archive, snapshot())
    broken = snapshot()
    subject(broken, "math")["lessons"][0]["marks"][0]["student_id"] = "s-nobody"
    with pytest.raises(SnapshotRejected):
        ingest(archive, broken, reason="ошибка")
    changed = snapshot()
    subject(changed, "math")["lessons"][0]["topic"] = ""
    second = ingest(archive, changed, reason="тема")
    (one, two) = kept_reports(archive)
    assert (one[0], two[0]) == (first.snapshot_id, second.snapshot_id) and two[4] == one[4] + 1


def test_findings_are_kept_under_the_norms_the_archive_is_set_to(archive):
    norms = PreflightThresholds(min_marks_one_hour=1, min_marks=2)
    result = ingest_snapshot(UnitOfWork(archive.session_factory, norms), as_bytes(snapshot()),
                             actor=Actor("test", "deputy"), now=NOW)
    assert kept_reports(archive) == [(result.snapshot_id, RULES, 1, 2, kept_reports(archive)[0][4])]
    # the report under other norms is found on its first reading and kept beside it
    (report,) = snapshots.preflight_period(archive.uow(), "2026/2027", ["Q2"], (), PreflightThresholds())
    assert [r[1:4] for r in kept_reports(archive)] == [(RULES, 1, 2), (RULES, 3, 5)]
    assert kept_reports(archive)[1][4] == len(report.findings)


def test_every_way_in_keeps_the_findings(archive, runner, client, auth, tmp_path):
    """The command line's import and the API's push (the upload page: tests/web/test_preflight_stored.py;
    a journal system's pull goes through the same `ingest_snapshot`)."""
    path = tmp_path / "5А.json"
    path.write_bytes(as_bytes(snapshot()))
    assert runner.invoke(args=["--as", "deputy", "snapshot", "import", str(path)]).exit_code == 0
    changed = snapshot()
    subject(changed, "math")["lessons"][0]["topic"] = ""
    assert client.post("/api/v1/snapshots?reason=тема", data=as_bytes(changed), headers=auth).status_code == 201
    with archive.uow() as uow:
        ids = [r.id for r in uow.snapshots.listing("2026/2027", "Q2")]
    assert [r[0] for r in kept_reports(archive)] == ids and len(ids) == 2
