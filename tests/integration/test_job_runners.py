"""The one `JobRunner` interface: chosen by the composition root, and each implementation keeps
its promise (outcomes as documents finish, a failed class reported, not raised)."""

from __future__ import annotations

import dataclasses

import pytest

from archive_service.adapters.job_runners import CeleryRunner, InProcessRunner
from archive_service.adapters.local_jobs import LocalProcessRunner
from archive_service.bootstrap import Archive
from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.documents import RenderJob
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from worker_support import run_worker


def test_the_composition_root_picks_local_processes_celery_or_this_process(settings):
    assert isinstance(Archive(settings).runner, LocalProcessRunner)
    assert isinstance(Archive(settings, in_worker=True).runner, InProcessRunner)
    with_broker = Archive(dataclasses.replace(settings, broker_url="redis://127.0.0.1:6379/14"), celery=object())
    assert isinstance(with_broker.runner, CeleryRunner)
    assert isinstance(with_broker.runner.local, LocalProcessRunner)


def _jobs(archive) -> list[RenderJob]:
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    (job,) = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2"])
    missing = RenderJob(snapshot_id=job.snapshot_id + 1000, kind=job.kind, class_name="9Я", period_code="Q2")
    return [job, missing]


CLERK = Actor("Иванова Татьяна Петровна", "deputy", "командная строка на test, учётная запись zavuch", "zavuch")


def _outcomes(runner, jobs) -> dict[str, dict]:
    """Each class's outcome; every runner says once, before the first outcome, that it has started."""
    heard: list[str] = []
    outcomes = {}
    for job, outcome in runner.render(jobs, CLERK, ready=lambda: heard.append("ready")):
        heard.append(job.class_name)
        outcomes[job.class_name] = outcome
    assert heard[0] == "ready" and heard.count("ready") == 1 and sorted(heard[1:]) == sorted(outcomes)
    return outcomes


def test_in_process_and_local_processes_render_the_same_document_and_report_a_failed_class(archive):
    jobs = _jobs(archive)
    here = _outcomes(InProcessRunner(archive), jobs)
    assert here["5А"]["status"] == "rendered" and archive.store.verify(here["5А"]["sha256"])
    assert set(here["9Я"]) == {"error"} and here["9Я"]["error"]
    there = _outcomes(LocalProcessRunner(archive.settings, 1), jobs)
    assert there["5А"]["status"] == "reused" and there["5А"]["sha256"] == here["5А"]["sha256"]
    assert set(there["9Я"]) == {"error"}


@pytest.fixture
def worker_app(tmp_path):
    yield from run_worker(tmp_path)


@pytest.mark.redis
def test_the_celery_runner_renders_on_a_real_worker(worker_app):
    archive = worker_app.extensions["archive"]
    assert isinstance(archive.runner, CeleryRunner)
    jobs = _jobs(archive)
    outcomes = _outcomes(archive.runner, jobs)
    assert outcomes["5А"]["status"] == "rendered" and archive.store.verify(outcomes["5А"]["sha256"])
    assert set(outcomes["9Я"]) == {"error"}
    with archive.uow() as uow:  # the actor crossed the broker as plain data and was rebuilt whole
        (event,) = [e for e in uow.audit.entries() if e.action == "document.rendered"]
        assert (event.actor, event.origin) == (CLERK.person, CLERK.origin)
