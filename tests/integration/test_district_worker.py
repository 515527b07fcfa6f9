"""One pool of Celery workers for every school of a district: a task sent on a school's behalf is done
on that school's archive (its database, its part of the document store); a task with no school
(beat's nightly work) is done for every school in turn."""

from __future__ import annotations

import pytest

from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.tenancy import school_context
from builders import as_bytes, snapshot
from district_support import DISTRICT, school_b_journal
from worker_support import run_worker

DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "test", "zavuch")


@pytest.fixture
def worker_app(tmp_path):
    district_file = tmp_path / "district.toml"
    district_file.write_text(DISTRICT, encoding="utf-8")
    yield from run_worker(tmp_path, ARCHIVE_DISTRICT=str(district_file))


@pytest.mark.redis
def test_one_worker_pool_renders_each_schools_copies_into_that_schools_archive(worker_app):
    district = worker_app.extensions["district"]
    a, b = district.archive("sch-a"), district.archive("sch-b")
    stored = {code: ingest_snapshot(archive.uow(), as_bytes(data), actor=DEPUTY, now=archive.now())
              for code, archive, data in (("sch-a", a, snapshot()), ("sch-b", b, school_b_journal()))}
    outcomes = {}
    for code, archive in (("sch-a", a), ("sch-b", b)):
        job = documents.RenderJob(stored[code].snapshot_id, "class_journal", "5А", "Q2")
        with worker_app.app_context(), school_context(code):
            [(_, outcomes[code])] = list(archive.runner.render([job], DEPUTY))
    assert {o["status"] for o in outcomes.values()} == {"rendered"}
    assert a.store.exists(outcomes["sch-a"]["sha256"]) and not b.store.exists(outcomes["sch-a"]["sha256"])
    assert b.store.exists(outcomes["sch-b"]["sha256"]) and not a.store.exists(outcomes["sch-b"]["sha256"])
    for archive, code in ((a, "sch-a"), (b, "sch-b")):
        with archive.uow() as uow:
            actions = [e.action for e in uow.audit.entries()]
        assert actions == ["snapshot.ingested", "document.rendered"], code
    nightly = worker_app.extensions["celery"].send_task("archive.verify_audit_log").get(timeout=60)
    assert nightly == {"sch-a": {"entries": 2, "breaks": []}, "sch-b": {"entries": 2, "breaks": []}}
