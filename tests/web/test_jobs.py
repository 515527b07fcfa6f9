"""Long jobs: progress visible while running, failures told, a killed job shown as interrupted."""

from __future__ import annotations

import datetime as dt
import threading
import time

from archive_service.app import create_app as create_app_on_clock
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import jobs as job_rows
from archive_service.web import jobs

X = Actor("x", "deputy")


def _wait(client, job_id: str, until: set[str], timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/jobs/{job_id}").get_json()
        if state["status"] in until:
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {state}")


def test_a_job_reports_progress_and_its_result(app, login_as):
    gate = threading.Event()

    def work(report):
        report(done=1, total=2, message="первый класс готов")
        gate.wait(10)
        report(done=2)
        return {"classes": 2}

    job_id = jobs.start(app, "test", "Проверка", {}, work, actor=Actor("Иванова Т. П.", "deputy"))
    client = login_as("deputy")
    running = _wait(client, job_id, {"running"})
    while running["done"] < 1:
        running = client.get(f"/jobs/{job_id}").get_json()
    assert running["percent"] == 50 and running["message"] == "первый класс готов"
    gate.set()
    done = _wait(client, job_id, {"done"})
    assert done["result"] == {"classes": 2} and done["percent"] == 100 and done["status_text"] == "готово"


def test_a_failed_job_says_why(app, login_as):
    def work(report):
        raise ArchiveError("нет снимков журнала за период")

    job_id = jobs.start(app, "test", "Проверка", {}, work, actor=X)
    failed = _wait(login_as("deputy"), job_id, {"failed"})
    assert failed["message"] == "нет снимков журнала за период"


def test_a_job_whose_process_died_is_shown_as_interrupted(archive, login_as):
    started = archive.now() - dt.timedelta(minutes=10)
    job_id = job_rows.create(archive.uow(), "period_close", "Изготовление копий", {}, total=5, actor=X, now=started)
    job_rows.progress(archive.uow(), job_id, done=2, status="running", now=started)
    state = login_as("deputy").get(f"/jobs/{job_id}").get_json()
    assert state["status"] == "interrupted" and "запустить снова" in state["status_text"]


def test_a_job_left_running_by_a_dead_web_process_is_marked_interrupted_when_the_web_starts_again(archive,
                                                                                                   staff):
    from web_support import client_factory

    heard = archive.now() - dt.timedelta(minutes=10)
    left = job_rows.create(archive.uow(), "period_copies", "Копии журнала", {}, total=5, actor=X, now=heard)
    job_rows.progress(archive.uow(), left, done=2, status="running", message="5А: готово, 40 л.", now=heard)
    alive = job_rows.create(archive.uow(), "period_backup", "Резервная копия", {}, total=1, actor=X,
                            now=archive.now())
    job_rows.progress(archive.uow(), alive, status="running", now=archive.now())
    # the web process started again over the same database, on the same clock as the test's app
    restarted = create_app_on_clock(archive.settings, moment=archive.now)
    restarted.config.update(TESTING=True)
    try:
        state = client_factory(restarted)("deputy").get(f"/jobs/{left}").get_json()
    finally:
        restarted.extensions["archive"].engine.dispose()
    assert state["status"] == "interrupted" and "запустить снова" in state["status_text"]
    assert state["message"].startswith("прервано: процесс веб-сервера, выполнявший задание, остановлен")
    assert state["done"] == 2
    with archive.uow() as uow:
        assert (uow.jobs.get(left).status, uow.jobs.get(alive).status) == ("interrupted", "running")


def test_a_running_job_keeps_its_heartbeat_while_it_works_without_reporting(app, archive, login_as, monkeypatch):
    monkeypatch.setattr(job_rows, "BEAT_EVERY", dt.timedelta(seconds=0.05))
    gate = threading.Event()
    job_id = jobs.start(app, "test", "Проверка", {}, lambda report: {"ok": gate.wait(10)}, actor=X)
    client = login_as("deputy")
    first = _wait(client, job_id, {"running"})
    with archive.uow() as uow:
        started = uow.jobs.get(job_id).heartbeat_at
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with archive.uow() as uow:
            if uow.jobs.get(job_id).heartbeat_at > started:
                break
        time.sleep(0.05)
    else:
        raise AssertionError("the heartbeat was not renewed")
    gate.set()
    assert first["status"] == "running" and _wait(client, job_id, {"done"})["result"] == {"ok": True}


def test_jobs_are_not_for_inspectors(app, login_as):
    job_id = jobs.start(app, "test", "Проверка", {}, lambda report: {}, actor=X)
    assert login_as("inspector").get(f"/jobs/{job_id}").status_code == 403


def test_a_restore_job_is_followed_by_the_director_alone_and_no_job_by_the_administrator(app, login_as):
    params = {"set_id": "2027-01-10T090000-Q2", "purpose": "проверка", "target": "/srv/archive/restored/x"}
    restore = jobs.start(app, "director.restore", "Восстановление резервной копии", params,
                         lambda report: {"path": params["target"]},
                         actor=Actor("Смирнов Виктор Васильевич", "director"))
    copies = jobs.start(app, "period_copies", "Копии журнала", {}, lambda report: {},
                        actor=Actor("Иванова Т. П.", "deputy"))
    assert _wait(login_as("director"), restore, {"done"})["params"] == params
    assert _wait(login_as("deputy"), copies, {"done"})["status"] == "done"
    for role in ("deputy", "secretary"):
        refused = login_as(role).get(f"/jobs/{restore}")
        assert refused.status_code == 404 and params["target"] not in refused.get_data(as_text=True), role
    admin = login_as("admin")
    assert admin.get(f"/jobs/{restore}").status_code == 403 and admin.get(f"/jobs/{copies}").status_code == 403
