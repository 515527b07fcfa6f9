"""The nightly pull as beat schedules it, run by a real Celery worker on Redis.

The worker is another process: it learns the test's connector (tests/fake_journal.py, a
file-based journal system over HTTP) from ARCHIVE_SOURCE_CONNECTORS, i.e. through the same
registry the built-in connectors are found by. A second worker has only the built-in connectors
and pulls from the NetSchool stand-in (tests/standins/netschool.py) running in the test's process.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from archive_service.adapters.orm import SnapshotRecord, SourcePull
from archive_service.domain.actor import Actor
from archive_service.services import sources
from archive_service.services.ingest import load_snapshot
from builders import snapshot
from fake_journal import CONNECTOR, LOGIN, PASSWORD, FileJournalServer
from sources_support import make_school
from standins.netschool import NetSchoolStandIn
from worker_support import run_worker

NETSCHOOL_PASSWORD = "Журнал-2026"


@pytest.fixture
def worker_app(tmp_path):
    """The worker knows `netschool` as the file-based fake (ARCHIVE_SOURCE_CONNECTORS)."""
    yield from run_worker(tmp_path, ARCHIVE_SOURCE_CONNECTORS=f"netschool={CONNECTOR}")


@pytest.fixture
def netschool_worker_app(tmp_path):
    """The worker with the built-in connectors only; the pull window is a century wide either side
    of a period's end and the stand-in offers only its II четверть of 2026/2027, so that period is
    due on whatever day the test runs (the window's arithmetic: tests/unit/test_pull_calendar.py)."""
    yield from run_worker(tmp_path, ARCHIVE_SOURCE_CONNECTORS="", ARCHIVE_SOURCE_PULL_DAYS_BEFORE="36500",
                       ARCHIVE_SOURCE_PULL_DAYS_AFTER="36500")


def _beat(celery) -> dict:
    """Run the nightly entry of the beat schedule as beat would send it; wait for it on the worker."""
    entry = celery.conf.beat_schedule["pull-journal-sources-nightly"]
    return celery.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get(timeout=60)


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
                           actor=Actor("Админов Артём Андреевич", "admin"), now=archive.now())
        dispatched = _beat(celery)
        assert dispatched["due"] == [["school", "2026/2027", "Q2"]]
        report = celery.AsyncResult(dispatched["tasks"][0]).get(timeout=60)
    assert report["ok"] and [c["status"] for c in report["classes"]] == ["new", "new"]
    with archive.session_factory() as session:
        stored = session.scalars(select(SnapshotRecord).order_by(SnapshotRecord.class_name)).all()
        pull = session.scalars(select(SourcePull)).one()
    assert [(s.class_name, s.version, s.ingested_by) for s in stored] == [("5А", 1, "расписание"),
                                                                          ("6Б", 1, "расписание")]
    assert pull.triggered_by == "расписание" and pull.state == "ok"


@pytest.mark.redis
def test_the_beat_scheduled_pull_runs_the_real_netschool_connector_on_a_worker_against_its_stand_in(
        netschool_worker_app):
    archive = netschool_worker_app.extensions["archive"]
    celery = netschool_worker_app.extensions["celery"]
    with NetSchoolStandIn([snapshot()], password=NETSCHOOL_PASSWORD, security_warning=True,
                          choose_role=True) as server:
        server.listed_terms = {"Q2"}
        sources.add_source(archive.uow(), archive.source_box, name="sgo", system="netschool", url=server.url,
                           login="zavuch", secret=NETSCHOOL_PASSWORD, school="21", systems=archive.connectors.systems,
                           actor=Actor("Админов Артём Андреевич", "admin"), now=archive.now())
        dispatched = _beat(celery)
        assert dispatched["due"] == [["sgo", "2026/2027", "Q2"]]
        period = dispatched["due"][0][2]
        report = celery.AsyncResult(dispatched["tasks"][0]).get(timeout=120)
        logins = server.logins
    assert report["ok"], report
    assert [(c["class_name"], c["status"]) for c in report["classes"]] == [("5А", "new")]
    assert logins >= 2  # the worker signed in itself: once to learn the calendar, once to pull
    with archive.session_factory() as session:
        stored = session.scalars(select(SnapshotRecord)).all()
        pull = session.scalars(select(SourcePull)).one()
        data = json.loads(load_snapshot(stored[0]).model_dump_json(by_alias=True))
    assert [(s.class_name, s.period_code, s.version, s.ingested_by) for s in stored] == [
        ("5А", period, 1, "расписание")]
    assert data["source"]["system"] == "Сетевой город. Образование"
    assert len(data["students"]) == len(snapshot()["students"])
    assert pull.triggered_by == "расписание" and pull.state == "ok" and pull.system == "netschool"


def test_a_scheduled_pull_retries_with_back_off_when_the_system_is_unreachable():
    from archive_service.adapters.sources import SourceUnreachableError
    from archive_service.tasks import pull_source

    assert pull_source.name == "archive.pull_source"
    assert pull_source.autoretry_for == (SourceUnreachableError,)
    assert pull_source.retry_backoff == 60 and pull_source.retry_backoff_max == 3600 and pull_source.max_retries == 6
