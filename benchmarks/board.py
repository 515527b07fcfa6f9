"""Benchmark: the period board and the deputy's overview of the demo school's second quarter.

Not timed: the demo snapshots (33 classes, grades 1–9), a fresh ARCHIVE_HOME (SQLite) with them
imported and a deputy head's account signed in. Timed: the best of five visits of the board
(every class × every step of the year's procedure, with its deadlines by the production calendar
and the facts the archive knows) and of the overview of periods (one board per period).

    .venv/bin/python benchmarks/board.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared set-up beside this file
from _demo_school import deputy_signed_in, timed_get  # noqa: E402

PAGES = {"board": "/period/2026-2027/Q2", "overview": "/period"}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        app, client, files = deputy_signed_in(Path(tmp))
        archive = app.extensions["archive"]
        best = {name: min(timed_get(client, url) for _ in range(5)) for name, url in PAGES.items()}
        archive.engine.dispose()
    print(f"demo school, II четверть: {len(files)} classes", file=sys.stderr)
    for name, seconds in best.items():
        print(f"RESULT {name}_page_seconds {seconds:.3f} s")


if __name__ == "__main__":
    main()
