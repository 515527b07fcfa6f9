"""Benchmark: the year's volume of a class against rendering its parts one by one.

The demo school's class (5А by default; --classes for more) through its whole school year: the
journal copies of its periods (Q1–Q4, or H1–H2 for grades 10–11) and the summary sheet of the
year, each rendered as the period close renders it, set against the volume made of the same
snapshots (`DocumentRenderer.volume`: one title sheet, the parts laid out in one pass, one
certification note). Both in this process, fonts and stylesheets loaded before the clock, the best
of --runs. The goal: a volume renders within 10 % of rendering its parts (ratio ≤ 1.10).

    .venv/bin/python benchmarks/volume.py [--classes 5А 10Б] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Callable, TypeVar

from archive_service.config import PROJECT_ROOT
from archive_service.demo import generate
from archive_service.rendering import DocumentRenderer
from archive_service.rendering.volume import VolumeSource
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot

T = TypeVar("T")
ORDER = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year")


def class_year(names: list[str]) -> dict[str, list[VolumeSource]]:
    """class → its snapshots of the year as the archive keeps them, in binding order (the year last)."""
    found: dict[str, list[VolumeSource]] = {name: [] for name in names}
    for data in generate():
        if data["class"]["name"] in found:
            snap = parse_snapshot(json.dumps(data, ensure_ascii=False).encode())
            canonical = canonical_bytes(snap)
            found[snap.class_.name].append(VolumeSource(snap, canonical, content_hash(canonical)))
    return {name: sorted(sources, key=lambda s: ORDER.index(s.code)) for name, sources in found.items()}


def best_of(runs: int, work: Callable[[list[VolumeSource]], T], sources: list[VolumeSource]) -> tuple[float, T]:
    """The shortest of `runs` timings of `work(sources)`, and its result."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work(sources)
        timings.append(time.perf_counter() - started)
    return min(timings), result


def render_parts(renderer: DocumentRenderer, sources: list[VolumeSource]) -> int:
    """Each part as its own document (as the period close makes it); the sheets in all."""
    sheets = 0
    for s in sources:
        render = renderer.summary_sheet if s.code == "year" else renderer.class_journal
        sheets += render(s.snapshot, s.canonical, s.content_hash).sheets
    return sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", nargs="+", default=["5А"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    years = class_year(args.classes)
    renderer = DocumentRenderer(PROJECT_ROOT / "templates")
    render_parts(renderer, years[args.classes[0]][:1])  # fonts and stylesheets loaded before the clock
    volume_total = parts_total = 0.0
    for name, sources in years.items():
        parts_seconds, parts_sheets = best_of(args.runs, lambda parts: render_parts(renderer, parts), sources)
        volume_seconds, volume = best_of(args.runs, renderer.volume, sources)
        print(f"{name}: {len(sources)} parts ({', '.join(s.code for s in sources)}): {parts_sheets} sheets "
              f"in {parts_seconds:.2f} s; the volume: {volume.sheets} sheets, {volume.pages} pages "
              f"in {volume_seconds:.2f} s")
        volume_total += volume_seconds
        parts_total += parts_seconds
    print(f"RESULT volume_render_seconds {volume_total:.2f} s")
    print(f"RESULT parts_render_seconds {parts_total:.2f} s")
    print(f"RESULT volume_vs_parts {volume_total / parts_total:.2f} x")


if __name__ == "__main__":
    main()
