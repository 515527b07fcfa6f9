"""The nightly pull as beat schedules it, run by a real Celery worker on Redis.

The worker is another process: it learns the test's connector (tests/fake_journal.py, a
file-based journal system over HTTP) from ARCHIVE_SOURCE_CONNECTORS, i.e. through the same
registry the built-in connectors are found by.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from sqlalchemy import select

from archive_service import Settings, create_app
from archive_service.adapters.orm import SnapshotRecord, SourcePull
from archive_service.services import sources
from fake_journal import CONNECTOR, LOGIN, PASSWORD, FileJournalServer
from sources_support import make_school

REDIS_URL = os.environ.get("ARCHIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def worker_app(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), "ARCHIVE_BROKER_URL": REDIS_URL,
           "ARCHIVE_SECRET_KEY": "test", "ARCHIVE_SOURCE_CONNECTORS": f"netschool={CONNECTOR}",
           "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS), os.environ.get("PYTHONPATH", "")])}
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
def test_the_beat_scheduled_pull_runs_on_a_worker_and_stores_every_class(worker_app, tmp_path):
    archive = worker_app.extensions["archive"]
    celery = worker_app.extensions["celery"]
    assert not celery.conf.task_always_eager
    today = dt.datetime.now(ZoneInfo(archive.settings.timezone)).date()
    folder = make_school(tmp_path / "journal", q2_end=today + dt.timedelta(days=2))  # the last week of Q2
    with FileJournalServer(folder) as server:
        sources.add_source(archive.uow(), archive.source_box, name="school", system="netschool", url=server.url,
                           login=LOGIN, secret=PASSWORD, systems=archive.connectors.systems,
                           actor="Админов Артём Андреевич", now=archive.now())
        entry = celery.conf.beat_schedule["pull-journal-sources-nightly"]
        dispatched = celery.send_task(entry["task"], args=entry.get("args", ()),
                                      kwargs=entry.get("kwargs", {})).get(timeout=60)
        assert dispatched["due"] == [["school", "2026/2027", "Q2"]]
        report = celery.AsyncResult(dispatched["tasks"][0]).get(timeout=60)
    assert report["ok"] and [c["status"] for c in report["classes"]] == ["new", "new"]
    with archive.session_factory() as session:
        stored = session.scalars(select(SnapshotRecord).order_by(SnapshotRecord.class_name)).all()
        pull = session.scalars(select(SourcePull)).one()
    assert [(s.class_name, s.version, s.ingested_by) for s in stored] == [("5А", 1, "расписание"),
                                                                          ("6Б", 1, "расписание")]
    assert pull.triggered_by == "расписание" and pull.state == "ok"


def test_a_scheduled_pull_retries_with_back_off_when_the_system_is_unreachable():
    from archive_service.adapters.sources import SourceUnreachableError
    from archive_service.tasks import pull_source

    assert pull_source.name == "archive.pull_source"
    assert pull_source.autoretry_for == (SourceUnreachableError,)
    assert pull_source.retry_backoff == 60 and pull_source.retry_backoff_max == 3600 and pull_source.max_retries == 6
