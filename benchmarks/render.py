"""Benchmark: close the demo school's term — every class's journal copy — with N worker processes.

The term is the second quarter (grades 1–9) and the first half-year (grades 10–11): 37 classes.
Snapshots are generated and ingested first (not timed). The timed part is what `archive-service
period close` does: each worker process renders documents through the real service (render,
store content-addressed, record, audit). Reported: pages per second per worker process (pages
over the worker's busy time), classes per minute, peak memory per worker, wall time.

The yardstick, in the same run: after the pool has stopped, one class (--naive-class, 5А of the
second quarter by default) is laid out again in this process as a naive WeasyPrint document — the
same data in plain HTML tables, one box per cell (benchmarks/naive_journal.py) — three times; its
best pages per second and our per-worker rate over it are printed too.

    .venv/bin/python benchmarks/render.py [--workers 2] [--periods Q2 H1] [--naive-class 5А]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from archive_service import Archive, Settings, create_app
from archive_service.demo import generate
from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the yardstick beside this file, however it is loaded
from naive_journal import NaiveRenderer  # noqa: E402

NAIVE_RUNS = 3

_archive: Archive | None = None


def _start(settings: Settings) -> None:
    global _archive
    _archive = Archive(settings)
    _ = _archive.renderer  # load fonts and stylesheets before the clock starts for the first job


def _render(snapshot_id: int, kind: str) -> tuple[int, int, float, int]:
    assert _archive is not None
    started = time.perf_counter()
    result = documents.render_document(_archive.uow(), _archive.store, _archive.renderer, snapshot_id, kind,
                                       _archive.render_options, actor=Actor("benchmark", "deputy"), now=_archive.now())
    busy = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return multiprocessing.current_process().pid, result.pages, busy, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--periods", nargs="+", default=["Q2", "H1"])
    parser.add_argument("--naive-class", default="5А", help="the class laid out the naive way as the yardstick")
    args = parser.parse_args()
    snapshots = list(generate(periods=args.periods))
    naive_snapshot = next(s for s in snapshots if s["class"]["name"] == args.naive_class)
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        settings = Settings(home=Path(tmp) / "home", secret_key="bench")
        archive = create_app(settings).extensions["archive"]
        for data in snapshots:
            ingest_snapshot(archive.uow(), json.dumps(data, ensure_ascii=False), actor=Actor("benchmark", "deputy"),
                            now=archive.now())
        jobs = documents.plan_period_close(archive.uow(), "2026/2027", args.periods)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(args.workers, mp_context=context, initializer=_start, initargs=(settings,)) as pool:
            list(pool.map(_start_probe, range(args.workers)))  # workers up before timing
            started = time.perf_counter()
            results = list(pool.map(_render, [j.snapshot_id for j in jobs], [j.kind for j in jobs]))
            wall = time.perf_counter() - started
    per_worker: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0])
    for pid, pages, busy, peak in results:
        entry = per_worker[pid]
        entry[0] += pages
        entry[1] += busy
        entry[2] = max(entry[2], peak)
    pages_total = sum(r[1] for r in results)
    rates = []
    for pid, (pages, busy, peak) in sorted(per_worker.items()):
        rates.append(pages / busy)
        print(f"worker {pid}: {pages} pages in {busy:.1f} s busy = {pages / busy:.1f} pages/s, "
              f"peak memory {peak / 1024:.0f} MiB")
    print(f"{len(jobs)} classes, {pages_total} pages in {wall:.1f} s with {args.workers} workers: "
          f"{len(jobs) / wall * 60:.1f} classes/min, {pages_total / wall:.1f} pages/s in all")
    ours = sum(rates) / len(rates)
    print(f"RESULT render_pages_per_second_per_worker {ours:.1f} pages/s")
    print(f"RESULT render_peak_memory_per_worker {max(p[2] for p in per_worker.values()) / 1024:.0f} MiB")
    print(f"RESULT school_quarter_close_classes_per_minute {len(jobs) / wall * 60:.1f} classes/min")
    print(f"RESULT school_quarter_close_seconds {wall:.1f} s")
    for job, (_, pages, busy, _) in zip(jobs, results):
        if job.class_name == args.naive_class:
            print(f"{job.class_name} ({job.kind}) here: {pages} pages in {busy:.2f} s = {pages / busy:.1f} pages/s")
    naive = naive_pages_per_second(naive_snapshot)
    print(f"RESULT render_naive_weasyprint_pages_per_second {naive:.2f} pages/s")
    print(f"RESULT render_speedup_vs_naive_weasyprint {ours / naive:.1f} x")


def naive_pages_per_second(snapshot: dict) -> float:
    """The best of NAIVE_RUNS naive layouts of one class, in this process, with the pool stopped."""
    renderer = NaiveRenderer()  # stylesheet and fonts loaded once, before the clock
    timings = []
    for _ in range(NAIVE_RUNS):
        started = time.perf_counter()
        pdf, pages = renderer.pdf(snapshot)
        timings.append(time.perf_counter() - started)
    print(f"naive WeasyPrint, {snapshot['class']['name']}: {pages} pages, {len(pdf)} bytes in "
          + ", ".join(f"{t:.2f}" for t in timings) + " s (best taken)")
    return pages / min(timings)


def _start_probe(_: int) -> int:
    time.sleep(0.5)
    return multiprocessing.current_process().pid


if __name__ == "__main__":
    main()
