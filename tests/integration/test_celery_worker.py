"""Celery wired the Flask way: a real worker process on Redis runs the tasks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis

from archive_service import Settings, create_app
from builders import as_bytes, snapshot

REDIS_URL = os.environ.get("ARCHIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def worker_app(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), "ARCHIVE_BROKER_URL": REDIS_URL,
           "ARCHIVE_SECRET_KEY": "test"}
    app = create_app(Settings.from_env(env))
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "archive_service.celery_app", "worker", "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    yield app
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    log.close()
    app.extensions["archive"].engine.dispose()


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
