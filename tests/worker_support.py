"""A real Celery worker for integration tests: another process on Redis, with the test's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import redis
from flask import Flask

from archive_service import Settings
from archive_service.app import create_app
from conftest import NOW, ticking_from
from store_support import store_env


def _redis_url() -> str:
    """A Redis database of this test process's own: two pytest-xdist processes running worker tests at
    once must not share a queue (a worker would take the other test's task, with other settings)."""
    base, _, db = os.environ.get("ARCHIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14").rpartition("/")
    process = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"{base}/{int(db) - int(process or 0)}"


REDIS_URL = _redis_url()
TESTS = Path(__file__).resolve().parent


def run_worker(tmp_path: Path, **settings: str) -> Iterator[Flask]:
    """An archive on SQLite in tmp_path and a Celery worker on the same settings (the tests folder on
    its path, so a test's own connector can be named in a setting); stopped and cleaned up after."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), "ARCHIVE_BROKER_URL": REDIS_URL,
           "ARCHIVE_SECRET_KEY": "test", **store_env(tmp_path / "home"), **settings,
           "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS), os.environ.get("PYTHONPATH", "")])}
    app = create_app(Settings.from_env(env), moment=ticking_from(NOW))  # what it closes has ended
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
