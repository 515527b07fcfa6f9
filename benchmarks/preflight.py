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
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared set-up beside this file
from _demo_school import deputy_signed_in, timed_get  # noqa: E402

PAGES = {"by_teacher": "/period/2026-2027/Q2/preflight", "by_pupil": "/period/2026-2027/Q2/preflight?view=pupil",
         "by_class": "/period/2026-2027/Q2/preflight?view=class", "notes": "/period/2026-2027/Q2/preflight/notes"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        app, client, files = deputy_signed_in(Path(tmp))
        archive = app.extensions["archive"]
        first = timed_get(client, PAGES["by_teacher"])
        best = {name: min(timed_get(client, url) for _ in range(5)) for name, url in PAGES.items()}
        archive.engine.dispose()
    print(f"demo school, II четверть: {len(files)} classes", file=sys.stderr)
    print(f"RESULT preflight_first_visit_seconds {first:.3f} s")
    for name, seconds in best.items():
        print(f"RESULT preflight_{name}_seconds {seconds:.3f} s")


if __name__ == "__main__":
    main()
