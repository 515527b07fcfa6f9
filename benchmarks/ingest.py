"""Benchmark: ingest the whole demo school's term into a fresh ARCHIVE_HOME.

The term is the second quarter (grades 1–9) and the first half-year (grades 10–11): every
class of the school, validation included. Snapshot files are generated first (not timed);
the timed part reads each file, validates it (schema and domain rules), stores it and writes
its audit entry, one transaction per snapshot — what `archive-service snapshot import` does.

    .venv/bin/python benchmarks/ingest.py [--database-url URL] [--periods Q2 H1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from archive_service import Settings, create_app
from archive_service.demo import write_demo_data
from archive_service.domain.actor import Actor
from archive_service.services.ingest import ingest_snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: SQLite in the fresh ARCHIVE_HOME")
    parser.add_argument("--periods", nargs="+", default=["Q2", "H1"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        files = write_demo_data(Path(tmp) / "snapshots", periods=args.periods)
        app = create_app(Settings(home=Path(tmp) / "home", database_url=args.database_url, secret_key="bench"))
        archive = app.extensions["archive"]
        payloads = [path.read_bytes() for path in files]
        started = time.perf_counter()
        marks = students = 0
        for raw in payloads:
            result = ingest_snapshot(archive.uow(), raw, actor=Actor("benchmark", "deputy"), now=archive.now())
            assert result.status == "stored", result
            marks += result.marks
        elapsed = time.perf_counter() - started
        with archive.uow() as uow:
            students = sum(r.student_count for r in uow.snapshots.listing())
        archive.engine.dispose()
    size = sum(len(p) for p in payloads) / 1e6
    print(f"periods {' '.join(args.periods)}: {len(payloads)} snapshots, {students} students, "
          f"{marks} marks, {size:.1f} MB of JSON", file=sys.stderr)
    print(f"ingested in {elapsed:.2f} s: {len(payloads) / elapsed:.1f} snapshots/s, {marks / elapsed:,.0f} marks/s")
    print(f"RESULT ingest_snapshots_per_second {len(payloads) / elapsed:.1f} snapshots/s")
    print(f"RESULT ingest_marks_per_second {marks / elapsed:.0f} marks/s")
    print(f"RESULT ingest_school_seconds {elapsed:.2f} s")


if __name__ == "__main__":
    main()
