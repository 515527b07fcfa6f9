"""Benchmark: a district closes a term — every class of N schools — on K Celery worker processes.

One installation with ARCHIVE_DISTRICT listing N demo schools of different names (benchmarks/
_district.py: МБОУ СОШ № 21, 22, …, each generated from a seed of its own), each school an archive
of its own (its SQLite database in its home, its documents under s3://district-documents/<run>/<code>
on moto's standalone S3 server), jobs through Redis (--redis, a database of this benchmark's own,
emptied first). Not timed: the snapshot files, each school's administrator and deputy head created
and the snapshots imported by the deputy through the command line (`archive-service --school CODE
…`), the K workers started and answering.

Timed: the second quarter (grades 1–9, every class) closed for every school at once, as
`archive-service --school CODE period close` does it — the command `ClosePeriod` on the school's
archive with the Celery runner, one thread per school, so every school's classes are handed to the
broker together and the workers are never idle while a school waits for its last class. Each
render task carries its school (`archive_school`); each worker serves every school. Measured with
K = 1 and K = 2 (each on a fresh installation and S3 prefix, the same snapshot files): wall time,
pages rendered, pages per second, and how much faster two workers are than one. Before them, untimed,
the first school closes once on the most workers asked for (a warm-up), so that neither K pays for what a
first run pays once (on 1 December 2026 whichever K ran first took 20–30 s more processor time). It does not
remove the machine's own spread: with it, the same pages still took 177–230 s of processor from run to run
there (docs/scaling.md) — run it several times and compare the ratios, not one.

A worker here is a Celery worker process with --concurrency 1 (one prefork child that renders;
`worker_max_tasks_per_child` recycles it as in production): adding one is what adding a worker
host or `docker compose --scale worker=…` does — an independent process taking the same queue.

    .venv/bin/python benchmarks/district.py [--schools 2] [--workers 1 2] [--period Q2]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sys
import tempfile
import threading
import time
from typing import NamedTuple
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared set-up beside this file

from _district import (DEPUTY_LOGIN, DemoSchool, S3Server, Workers, demo_schools, district_env,  # noqa: E402
                       on_own_clock, prepare_school, write_district_file)

YEAR = "2026/2027"


class Closed(NamedTuple):
    """One K's measurement."""

    workers: int
    seconds: float
    documents: int
    pages: int
    worker_cpu: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds


def close_every_school(app, schools: list[DemoSchool], period: str) -> tuple[int, int]:
    """Close `period` for every school at once, one thread per school; (documents, pages)."""
    from archive_service import tenancy
    from archive_service.services import operators
    from archive_service.services.period_close import ClosePeriod

    made: dict[str, object] = {}

    def close(code: str) -> None:
        with app.app_context(), tenancy.school_context(code):
            archive = on_own_clock(tenancy.current_archive(app))
            actor = operators.operator(archive.uow(), DEPUTY_LOGIN, "close_period", origin="benchmarks/district.py")
            command = ClosePeriod(archive.uow(), archive.runner, YEAR, (period,), actor=actor, clock=archive.clock,
                                  options=archive.render_options)
            jobs = command.validate()
            assert jobs and not any(j.draft for j in jobs), "the clock stands before the term's end: drafts"
            made[code] = result = command.run()
            assert result.failed == 0 and result.rendered == len(jobs) and result.reused == 0, result

    threads = [threading.Thread(target=close, args=(s.code,), name=f"close-{s.code}") for s in schools]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    missing = [s.code for s in schools if s.code not in made]
    assert not missing, f"closing failed for {missing} (see the traceback above)"
    return sum(m.rendered for m in made.values()), sum(m.pages for m in made.values())  # type: ignore[attr-defined]


def measure(workers: int, schools: list[DemoSchool], root: Path, s3: S3Server, redis_url: str,
            period: str, label: str = "") -> Closed:
    """A fresh installation of the schools, K workers on it, the term closed for all: the figures."""
    from archive_service import Settings, create_app

    label = label or f"k{workers}"
    run = root / label
    run.mkdir()
    redis.Redis.from_url(redis_url).flushdb()
    env = district_env(run / "home", write_district_file(run / "district.toml", schools), redis_url,
                       s3.env(label))
    for school in schools:
        prepare_school(env, school)
    app = create_app(Settings.from_env(env))
    cpu_before = _children_cpu()
    with Workers(env, workers, run) as pool:
        pool.wait_ready(app.extensions["celery"])
        started = time.perf_counter()
        documents, pages = close_every_school(app, schools, period)
        seconds = time.perf_counter() - started
    return Closed(workers, seconds, documents, pages, _children_cpu() - cpu_before)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2, help="how many schools the district has")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker processes, one run each")
    parser.add_argument("--period", default="Q2", help="the term closed (Q1–Q4: grades 1–9; H1–H2: 10–11)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11", help="broker and result backend")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the workers and moto's server too
    load_before = os.getloadavg()[0]
    runs: dict[int, Closed] = {}
    with tempfile.TemporaryDirectory(prefix="archive-district-") as tmp, S3Server() as s3:
        schools = demo_schools(Path(tmp) / "snapshots", args.schools, (args.period,))
        print(f"{len(schools)} schools: " + ", ".join(f"{s.code} ({s.identity.short_name}, директор "
                                                       f"{s.identity.director})" for s in schools))
        warm = measure(max(args.workers), schools[:1], Path(tmp), s3, args.redis, args.period, label="warm-up")
        print(f"warm-up, not counted: the first school on {warm.workers} worker(s), {warm.pages} pages in "
              f"{warm.seconds:.1f} s")
        for k in args.workers:
            runs[k] = closed = measure(k, schools, Path(tmp), s3, args.redis, args.period)
            print(f"{k} worker(s): {closed.documents} copies, {closed.pages} pages in {closed.seconds:.1f} s = "
                  f"{closed.pages_per_second:.2f} pages/s; workers' processor time {closed.worker_cpu:.1f} s "
                  f"(with their start)")
    print(f"load average (1 min) when the run began {load_before:.2f}, when it ended {os.getloadavg()[0]:.2f} "
          f"— {os.cpu_count()} cores shared with other work")
    _report(runs)


def _report(runs: dict[int, Closed]) -> None:
    if 2 in runs:
        print(f"RESULT district_pages_per_second {runs[2].pages_per_second:.2f} pages/s")
    if 1 in runs:
        print(f"RESULT district_pages_per_second_1_worker {runs[1].pages_per_second:.2f} pages/s")
        print(f"RESULT district_close_seconds_1_worker {runs[1].seconds:.1f} s")
    if 1 in runs and 2 in runs:
        print(f"RESULT district_scaling_2_workers {runs[2].pages_per_second / runs[1].pages_per_second:.2f} x")
    for k, closed in sorted(runs.items()):
        if k not in (1, 2):
            print(f"RESULT district_pages_per_second_{k}_workers {closed.pages_per_second:.2f} pages/s")


if __name__ == "__main__":
    main()
