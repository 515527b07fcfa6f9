"""Shared set-up of the web benchmarks (not timed): the demo school's second quarter imported into a
fresh ARCHIVE_HOME (SQLite) and a deputy head signed in through the login form."""

from __future__ import annotations

import re
import time
from pathlib import Path

from archive_service import Settings, create_app
from archive_service.demo import write_demo_data
from archive_service.domain.actor import Actor
from archive_service.services import accounts
from archive_service.services.ingest import ingest_snapshot

PASSWORD = "bench-Pa55word!"


def deputy_signed_in(tmp: Path):
    """(app, a test client signed in as the deputy head, the snapshot files imported)."""
    files = write_demo_data(tmp / "snapshots", periods=["Q2"])
    app = create_app(Settings(home=tmp / "home", secret_key="bench"))
    archive = app.extensions["archive"]
    for path in files:
        ingest_snapshot(archive.uow(), path.read_bytes(), actor=Actor("benchmark", "deputy"), now=archive.now())
    accounts.create_user(archive.uow(), "deputy", "Иванова Татьяна Петровна", "deputy", PASSWORD,
                         actor=Actor("benchmark", "admin"), now=archive.now(), temporary=False)
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    signed_in = client.post("/login", data={"login": "deputy", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)
    return app, client, files


def timed_get(client, url: str) -> float:
    """Seconds one GET of `url` takes (it must answer 200)."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed
