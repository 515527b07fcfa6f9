"""The pre-flight pages read the findings kept with each stored snapshot version (migration 0021):
after a restart nothing is checked again; a version stored before findings were kept is checked on
the first reading and kept; on the demo school each view's first visit is timed (written to
`test-artifacts/preflight/`, not asserted: the machine is shared)."""

from __future__ import annotations

import io
import json
import time
from urllib.parse import quote

from sqlalchemy import delete, select

from archive_service.adapters.orm import PreflightReportRecord
from archive_service.demo import generate
from archive_service.domain.actor import Actor
from archive_service.domain.preflight_groups import by_teacher
from archive_service.services import snapshots
from archive_service.services.ingest import ingest_snapshot, load_snapshot, preflight_report
from browser_support import ARTIFACTS
from builders import LATE_ARRIVAL, as_bytes, snapshot, snapshot_with_late_arrival
from conftest import NOW, create_app_on_clock, ticking_from
from web_support import client_factory, csrf_token

PERIOD = "/period/2026-2027/Q2"
VIEWS = {"по учителям": f"{PERIOD}/preflight", "по ученикам": f"{PERIOD}/preflight?view=pupil",
         "по классам": f"{PERIOD}/preflight?view=class"}
PROBE = "строка, которой нет в снимке"


def kept(archive) -> list[tuple[int, int, list]]:
    """(row id, snapshot id, findings) of every kept report."""
    with archive.uow() as uow:
        return [(r.id, r.snapshot_id, r.findings)
                for r in uow.session.scalars(select(PreflightReportRecord).order_by(PreflightReportRecord.id))]


def restarted(settings):
    """A new application object on the same database and files: a restart (nothing kept in memory
    by the application: a cache of its own would start empty here)."""
    return create_app_on_clock(settings, moment=ticking_from(NOW))


def upload(client, *datasets: dict) -> str:
    files = [(io.BytesIO(as_bytes(d)), f"{d['class']['name']}.json") for d in datasets]
    response = client.post("/period/upload", data={"csrf_token": csrf_token(client, "/account"), "files": files,
                                                   "reason": ""}, content_type="multipart/form-data")
    return response.get_data(as_text=True)


def late_7b() -> dict:
    late = snapshot_with_late_arrival()
    late["class"] = {**late["class"], "id": "c-7b", "name": "7Б", "grade": 7}
    return late


def test_after_a_restart_every_view_reads_the_kept_findings(archive, settings, login_as):
    assert upload(login_as("deputy"), snapshot(), late_7b()).count("сохранён</span>") == 2
    rows = kept(archive)
    assert len(rows) == 2 and rows[0][2] == [] and rows[1][2], "5А as built has nothing to fix, 7Б has"
    # a kept finding says something the snapshot does not: a page showing it read the kept row
    (row_id, _, findings) = rows[1]
    math = next(i for i, f in enumerate(findings) if f["code"] == "lesson_without_homework")
    findings[math] = {**findings[math], "detail": PROBE, "message": f"«Математика»: {PROBE}"}
    with archive.uow() as uow:
        uow.session.get(PreflightReportRecord, row_id).findings = list(findings)
        uow.commit()
    app = restarted(settings)
    try:
        deputy = client_factory(app)("deputy")
        pages = {name: deputy.get(url) for name, url in VIEWS.items()}
        teacher = findings[math]["teacher"]
        note = deputy.get(f"{PERIOD}/preflight/notes?teacher={quote(teacher)}")
        assert all(p.status_code == 200 for p in [*pages.values(), note])
        assert PROBE in pages["по учителям"].get_data(as_text=True) and PROBE in note.get_data(as_text=True)
        assert PROBE in pages["по классам"].get_data(as_text=True)
        assert LATE_ARRIVAL.split()[0] in pages["по ученикам"].get_data(as_text=True)
        assert deputy.get(f"{PERIOD}/preflight/note.pdf?teacher={quote(teacher)}").data.startswith(b"%PDF")
    finally:
        app.extensions["archive"].engine.dispose()
    assert kept(archive) == [rows[0], (row_id, rows[1][1], findings)], "nothing checked again, nothing added"


def test_a_version_stored_before_findings_were_kept_is_checked_on_its_first_reading_and_kept(archive, settings,
                                                                                            staff):
    for data in (snapshot(), late_7b()):
        ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    with archive.uow() as uow:  # as a database migrated from 0020 holds them: versions, no findings
        uow.session.execute(delete(PreflightReportRecord))
        uow.commit()
    readings = []
    for url in (VIEWS["по ученикам"], VIEWS["по учителям"]):  # two restarts
        app = restarted(settings)
        try:
            assert client_factory(app)("deputy").get(url).status_code == 200
        finally:
            app.extensions["archive"].engine.dispose()
        readings.append(kept(archive))
    assert len(readings[0]) == 2 and readings[1] == readings[0], "kept on the first reading, read from then on"
    with archive.uow() as uow:
        records = uow.snapshots.listing("2026/2027", "Q2", latest_only=True)
        uow.snapshots.load_contents(records)
        on_demand = [preflight_report(load_snapshot(r), archive.thresholds) for r in records]
    assert snapshots.preflight_period(archive.uow(), "2026/2027", ["Q2"], (), archive.thresholds) == on_demand


def test_the_demo_school_first_visits_after_a_restart(archive, settings, staff, request):
    """The demo school's second quarter (every class of grades 1–9): the findings kept at import are
    the ones the report finds on demand; each view's first visit in a new application is timed."""
    started = time.perf_counter()
    for data in generate(2026, ["Q2"]):
        ingest_snapshot(archive.uow(), json.dumps(data, ensure_ascii=False), actor=Actor("test", "deputy"), now=NOW)
    imported = time.perf_counter() - started
    with archive.uow() as uow:
        records = uow.snapshots.listing("2026/2027", "Q2", latest_only=True)
        started = time.perf_counter()
        uow.snapshots.load_contents(records)
        on_demand = [preflight_report(load_snapshot(r), archive.thresholds) for r in records]
        checking = time.perf_counter() - started
    stored = snapshots.preflight_period(archive.uow(), "2026/2027", ["Q2"], (), archive.thresholds)
    assert stored == on_demand and len(stored) == len(records) > 20
    rows = kept(archive)
    teacher = by_teacher(stored)[0].teacher
    views = {**VIEWS, "справка учителю": f"{PERIOD}/preflight/notes?teacher={quote(teacher)}"}
    times = {}
    for name, url in views.items():  # each view the first page a new application serves
        app = restarted(settings)
        try:
            deputy = client_factory(app)("deputy")
            started = time.perf_counter()
            assert deputy.get(url).status_code == 200
            times[name] = time.perf_counter() - started
        finally:
            app.extensions["archive"].engine.dispose()
    assert kept(archive) == rows
    lines = [f"{request.node.name}: {len(records)} классов, импорт {imported:.1f} с",
             f"проверка всех снимков по требованию (как при первом заходе до 0021): {checking:.2f} с",
             *(f"первый заход после перезапуска, {name}: {t:.2f} с" for name, t in times.items())]
    folder = ARTIFACTS / "preflight"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"first-visits-{request.node.callspec.id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
