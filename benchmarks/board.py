"""Benchmark: the period board and the deputy's overview of the demo school's second quarter.

Not timed: the demo snapshots (33 classes, grades 1–9), a fresh ARCHIVE_HOME (SQLite) with them
imported and a deputy head's account signed in. Timed: the best of five visits of the board
(every class × every step of the year's procedure, with its deadlines by the production calendar
and the facts the archive knows) and of the overview of periods (one board per period).

    .venv/bin/python benchmarks/board.py
"""

from __future__ import annotations

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

PAGES = {"board": "/period/2026-2027/Q2", "overview": "/period"}


def _timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
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
        best = {name: min(_timed(client, url) for _ in range(5)) for name, url in PAGES.items()}
        archive.engine.dispose()
    print(f"demo school, II четверть: {len(files)} classes", file=sys.stderr)
    for name, seconds in best.items():
        print(f"RESULT {name}_page_seconds {seconds:.3f} s")


if __name__ == "__main__":
    main()
