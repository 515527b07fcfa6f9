"""Celery wired the Flask way: a real worker process on Redis runs the tasks."""

from __future__ import annotations

import pytest

from archive_service.domain.actor import Actor
from builders import as_bytes, snapshot
from worker_support import run_worker


@pytest.fixture
def worker_app(tmp_path):
    yield from run_worker(tmp_path)


@pytest.mark.redis
def test_a_worker_ingests_a_snapshot_and_reports_a_rejection(worker_app):
    celery = worker_app.extensions["celery"]
    assert not celery.conf.task_always_eager
    result = celery.send_task("archive.ingest_snapshot", args=[as_bytes(snapshot()).decode(), "worker-test"])
    stored = result.get(timeout=60)
    assert stored["status"] == "stored" and stored["class_name"] == "5А"
    bad = snapshot()
    bad["students"][0]["id"] = "s2"
    rejected = celery.send_task("archive.ingest_snapshot", args=[as_bytes(bad).decode(), "worker-test"]).get(timeout=30)
    assert rejected["status"] == "rejected" and rejected["problems"][0]["code"] == "duplicate_id"
    report = celery.send_task("archive.preflight_period", args=["2026/2027", ["Q2"]]).get(timeout=30)
    assert report["classes"][0]["class"] == "5А"
    rendered = celery.send_task("archive.render_document",
                                args=[stored["snapshot_id"], "class_journal", "worker-test"]).get(timeout=120)
    assert rendered["status"] == "rendered" and rendered["class_name"] == "5А"
    assert worker_app.extensions["archive"].store.verify(rendered["sha256"])
    verified = celery.send_task("archive.verify_audit_log").get(timeout=30)
    assert verified == {"entries": 2, "breaks": []}


@pytest.mark.redis
def test_a_worker_takes_the_actor_as_plain_data(worker_app):
    """(The tests above send a name alone, as a message an older version queued.)"""
    celery = worker_app.extensions["celery"]
    deputy = Actor("Иванова Татьяна Петровна", "deputy", "web 10.0.0.7", "zavuch")
    stored = celery.send_task("archive.ingest_snapshot", args=[as_bytes(snapshot()).decode(), deputy.as_dict()])
    snapshot_id = stored.get(timeout=60)["snapshot_id"]
    rendered = celery.send_task("archive.render_document", args=[snapshot_id, "class_journal", deputy.as_dict()])
    assert rendered.get(timeout=120)["status"] == "rendered"
    with worker_app.extensions["archive"].uow() as uow:
        events = [(e.action, e.actor, e.origin) for e in uow.audit.entries()]
    assert events == [("snapshot.ingested", deputy.person, deputy.origin),
                      ("document.rendered", deputy.person, deputy.origin)]
