"""Benchmark: the pre-flight report pages of the demo school's second quarter, as the deputy opens them.

Not timed: the demo snapshots (33 classes, grades 1–9), a fresh ARCHIVE_HOME (SQLite) with them
imported and a deputy head's account signed in. Timed: each page of the report through the web
app — the table with the findings by teacher, by pupil and by class, and the printable notes
for every teacher — first the first visit after start (every stored snapshot read once), then
the best of five further visits (what a deputy waits for while working through the report).

    .venv/bin/python benchmarks/preflight.py
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from archive_service import Settings, create_app
from archive_service.demo import write_demo_data
from archive_service.domain.actor import Actor
from archive_service.services import accounts
from archive_service.services.ingest import ingest_snapshot

PAGES = {"by_teacher": "/period/2026-2027/Q2/preflight", "by_pupil": "/period/2026-2027/Q2/preflight?view=pupil",
         "by_class": "/period/2026-2027/Q2/preflight?view=class", "notes": "/period/2026-2027/Q2/preflight/notes"}


def _timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        files = write_demo_data(Path(tmp) / "snapshots", periods=["Q2"])
        app = create_app(Settings(home=Path(tmp) / "home", secret_key="bench"))
        archive = app.extensions["archive"]
        for path in files:
            ingest_snapshot(archive.uow(), path.read_bytes(), actor=Actor("benchmark", "deputy"), now=archive.now())
        accounts.create_user(archive.uow(), "deputy", "Иванова Татьяна Петровна", "deputy", "bench-Pa55word!",
                             actor=Actor("benchmark", "admin"), now=archive.now(), temporary=False)
        client = app.test_client()
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
        signed_in = client.post("/login", data={"login": "deputy", "password": "bench-Pa55word!", "csrf_token": token})
        assert signed_in.status_code == 302, signed_in.get_data(as_text=True)
        first = _timed(client, PAGES["by_teacher"])
        best = {name: min(_timed(client, url) for _ in range(5)) for name, url in PAGES.items()}
        archive.engine.dispose()
    print(f"demo school, II четверть: {len(files)} classes", file=sys.stderr)
    print(f"RESULT preflight_first_visit_seconds {first:.3f} s")
    for name, seconds in best.items():
        print(f"RESULT preflight_{name}_seconds {seconds:.3f} s")


if __name__ == "__main__":
    main()
