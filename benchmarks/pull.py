"""Benchmark: pull the whole demo school (37 classes) from the NetSchool stand-in over HTTP.

The stand-in (tests/standins/netschool.py) serves the demo school's second quarter (grades 1–9)
and first half-year (grades 10–11) and answers every request after `--delay` seconds (50 ms by
default, a remote server's latency). The timed part signs in and fetches every class's period
as `journal-snapshot/1` — one `grade/journal` per subject group and term, pulled by the
connector's bounded thread pool — and checks each snapshot with the strict parser (not
timed separately: parsing is a few milliseconds per class). Goal: under 60 s.

    .venv/bin/python benchmarks/pull.py [--delay 0.05] [--workers 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from archive_service.adapters.sources.base import Credentials  # noqa: E402
from archive_service.adapters.sources.netschool import NetSchoolSource  # noqa: E402
from archive_service.adapters.sources.transport import Transport  # noqa: E402
from archive_service.demo.generator import generate  # noqa: E402
from archive_service.schema import parse_snapshot  # noqa: E402
from standins.netschool import NetSchoolStandIn  # noqa: E402

PASSWORD = "Журнал-2026"
EXPORTED = dt.datetime(2026, 12, 26, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.05, help="seconds the stand-in waits before each answer")
    parser.add_argument("--workers", type=int, default=5, help="subject groups pulled at once")
    args = parser.parse_args()
    snapshots = list(generate(periods=["Q2", "H1"]))
    with NetSchoolStandIn(snapshots, password=PASSWORD) as server:
        server.delay = args.delay
        source = NetSchoolSource(Credentials(server.url, "zavuch", PASSWORD, "21"), Transport(server.url),
                                 workers=args.workers, now=lambda: EXPORTED)
        started = time.perf_counter()
        info = source.sign_in()
        marks = 0
        for cls in info.classes:
            code = "H1" if (cls.grade or 0) >= 10 else "Q2"
            snap = source.fetch(cls, next(p for p in info.periods if p.code == code))
            parsed = parse_snapshot(json.dumps(snap, ensure_ascii=False))
            marks += sum(len(lesson.marks) for s in parsed.subjects for lesson in s.lessons)
        source.sign_out()
        elapsed = time.perf_counter() - started
    print(f"classes {len(info.classes)}, requests {server.requests}, marks {marks}, "
          f"delay {args.delay * 1000:.0f} ms, workers {args.workers}")
    print(f"RESULT pull_school_seconds {elapsed:.1f} s")


if __name__ == "__main__":
    main()
