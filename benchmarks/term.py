"""Benchmark: the demo school's term end to end as a user runs it — import, close, sign, back up.

The term is the second quarter (grades 1–9) and the first half-year (grades 10–11): 37 classes.
Not timed: the snapshot files, written as `archive-service demo-data` writes them, a fresh
ARCHIVE_HOME (SQLite), and what an installation has before its first term: the demo PKI (the
director's PKCS#12 key, a local timestamp authority) and the director's archive key. Timed, one
stage after another, each through the service its command uses:

1. import — `archive-service snapshot import`: each file read, validated (schema and domain
   rules), stored with its audit entry, one transaction per file;
2. close — `archive-service period close`: every class's journal copy rendered in N local worker
   processes (started by the close, as the command starts them), stored and recorded;
3. sign — `archive-service sign --pkcs12`: the key checked once, then every copy signed at PAdES
   B-LTA (signature timestamp, validation data, document timestamp) in N worker processes, each
   opening the key once per share of classes;
4. back up — `archive-service backup create`: snapshots, signed copies, the document list and the
   audit log sealed for the archive key, written to media A and B and read back.

Each stage's outcome is checked — every snapshot stored, every copy rendered final (no drafts)
and signed, both copies of the set verified, then audited once more after the clock stops — so
a broken run fails instead of printing a figure. Reported: each stage's wall time with its
counts, and their sum; beside them the processor time each stage used (this process and its
worker processes) and the load average before and after — this machine is shared, and other
work lengthens the wall time much more than the processor time.

The installation runs on the benchmark's own clock, standing after the term ended (25.12.2026)
and its snapshots were exported, and ticking with the machine's: nothing is signed before its
period ends and a copy made earlier is a draft (domain/drafts.py). Only this composition root
sets it; the worker processes keep its time (`Archive.clock_offset`).

    .venv/bin/python benchmarks/term.py [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from archive_service import Archive, Settings, create_app
from archive_service.demo import write_demo_data
from archive_service.domain.actor import Actor
from archive_service.key_specs import Pkcs12File
from archive_service.services import archive_keys, backup, documents
from archive_service.services.backup_command import CreateBackup
from archive_service.services.period_close import ClosePeriod, ingest_paths
from archive_service.services.signing import SIGNING_ROLE, awaiting_signature, check_signer, refuse_dates
from signing import create_demo_pki

YEAR = "2026/2027"
TERM = ("Q2", "H1")
PASSWORD = b"bench"
ARCHIVE_CODE = "лиса-ручей-47-окно"
DIRECTOR = "Сергеева Ольга Викторовна"
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "benchmarks/term.py")
SIGNER = Actor(DIRECTOR, SIGNING_ROLE, "benchmarks/term.py")
AFTER_THE_TERM = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)
"""The benchmark's clock: after the term ends (25.12.2026) and its snapshots were exported."""


def on_own_clock(archive: Archive) -> Archive:
    """The same installation on a clock standing at `AFTER_THE_TERM` and ticking with the machine's."""
    started = time.monotonic()
    return replace(archive, moment=lambda: AFTER_THE_TERM + dt.timedelta(seconds=time.monotonic() - started))


def import_files(archive: Archive, folder: Path) -> int:
    """Stage 1, as `archive-service snapshot import FOLDER`: the snapshots stored."""
    files = sorted(p for p in folder.rglob("*.json") if p.is_file())
    outcomes = list(ingest_paths(archive.uow, files, reason=None, actor=DEPUTY, clock=archive.now))
    refused = [line for o in outcomes if o.status != "stored" for line in o.lines()]
    assert not refused, refused
    return len(outcomes)


def close_period(archive: Archive) -> tuple[int, int]:
    """Stage 2, as `archive-service period close`: (copies rendered, pages)."""
    command = ClosePeriod(archive.uow(), archive.runner, YEAR, TERM, actor=DEPUTY, clock=archive.clock)
    jobs = command.validate()
    assert jobs and not any(job.draft for job in jobs), "the clock stands before the term's end: drafts"
    made = command.run()
    assert made.failed == 0 and made.rendered == len(jobs) and made.reused == 0, made
    return made.rendered, made.pages


def sign_period(archive: Archive, key: Pkcs12File) -> int:
    """Stage 3, as `archive-service sign --pkcs12`: the documents signed."""
    with archive.signer(key):
        pass  # the command checks the password once, before any worker starts
    check_signer(SIGNER)
    pending = awaiting_signature(archive.uow(), YEAR, TERM)
    refuse_dates(archive.uow(), [p.pk for p in pending], archive.now(), zone=archive.settings.timezone)
    names = sorted({p.class_name for p in pending})
    outcomes = [o for share in archive.runner.sign(key, YEAR, TERM, names, SIGNER) for o in share]
    failed = [o for o in outcomes if not o["ok"]]
    assert not failed, failed
    assert sorted(o["document_id"] for o in outcomes) == sorted(p.document_id for p in pending)
    return len(outcomes)


def back_up(archive: Archive) -> backup.BackupMade:
    """Stage 4, as `archive-service backup create`: the set, written and read back on both media."""
    made = CreateBackup(
        archive.uow(), archive.store, archive.media(), YEAR, TERM, actor=DEPUTY, now=archive.now()
    ).run()
    assert made.complete and len(made.copies) == 2 and all(c.verified for c in made.copies), made
    return made


T = TypeVar("T")


def cpu_seconds() -> float:
    """User and system time of this process and of its worker processes ended so far (a stage's
    pool is shut down, its workers joined, before the stage returns)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def timed(stage: str, work: Callable[[], T], seconds: dict[str, float], cpu: dict[str, float]) -> T:
    """`work()`, its wall time put in `seconds[stage]` and the processor time it used in `cpu[stage]`."""
    cpu_at, started = cpu_seconds(), time.perf_counter()
    result = work()
    seconds[stage], cpu[stage] = time.perf_counter() - started, cpu_seconds() - cpu_at
    return result


def size_mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        files = write_demo_data(Path(tmp) / "snapshots", periods=TERM)
        settings = Settings(home=Path(tmp) / "home", secret_key="bench", render_processes=args.workers)
        archive = on_own_clock(create_app(settings).extensions["archive"])
        create_demo_pki(
            archive.demo_pki.directory,
            owner=DIRECTOR,
            organisation="МБОУ СОШ № 21",
            password=PASSWORD,
            now=dt.datetime.now(dt.timezone.utc),
        )  # real time: certificates
        archive_keys.init_key(
            archive.uow(),
            ARCHIVE_CODE,
            ARCHIVE_CODE,
            actor=replace(SIGNER, role="director"),
            now=archive.now(),
            params=archive.settings.key_sealing,
        )
        key = Pkcs12File(archive.demo_pki.signer_p12, PASSWORD)

        stored = timed("import", lambda: import_files(archive, Path(tmp) / "snapshots"), seconds, cpu)
        print(f"1. import: {stored} snapshots, {size_mb(files):.1f} MB of JSON in {seconds['import']:.2f} s")

        rendered, pages = timed("close", lambda: close_period(archive), seconds, cpu)
        rows = documents.list_documents(archive.uow(), YEAR, TERM)
        unsigned_mb = sum(r["size"] for r in rows) / 1e6
        print(
            f"2. close: {rendered} copies, {pages} pages, {unsigned_mb:.1f} MB in {seconds['close']:.1f} s "
            f"with {args.workers} workers = {pages / seconds['close']:.1f} pages/s"
        )

        signed = timed("sign", lambda: sign_period(archive, key), seconds, cpu)
        rows = documents.list_documents(archive.uow(), YEAR, TERM)
        assert len(rows) == rendered == signed == stored, (len(rows), rendered, signed, stored)
        assert all(r["signature"] and r["signature"]["level"] == "PAdES B-LTA" for r in rows)
        signed_mb = sum(len(archive.store.read(r["signature"]["sha256"])) for r in rows) / 1e6
        print(
            f"3. sign: {signed} documents at PAdES B-LTA, {signed_mb:.1f} MB in {seconds['sign']:.1f} s "
            f"with {args.workers} workers = {signed / seconds['sign']:.1f} docs/s"
        )

        made = timed("backup", lambda: back_up(archive), seconds, cpu)
        media = [p for root in archive.medium_dirs for p in root.rglob("*") if p.is_file()]
        findings = backup.audit_backups(archive.uow(), archive.media(), actor=DEPUTY, now=archive.now())
        assert findings and {f.outcome for f in findings} == {"ok"}, findings  # read once more, untimed
        print(
            f"4. back up: set of {made.files} files, {size_mb(media):.1f} MB on media A and B, "
            f"written and read back in {seconds['backup']:.1f} s"
        )
        archive.engine.dispose()

    total, cores, used = sum(seconds.values()), os.cpu_count() or 1, sum(cpu.values())
    shares = ", ".join(f"{k} {v / total:.0%}" for k, v in seconds.items())
    print(f"the term end to end: {total:.1f} s ({shares})")
    print(
        "processor time (this process and its workers): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items())
        + f"; {used:.1f} s in all — at best {used / cores:.1f} s of wall time on {cores} cores"
    )
    print(
        f"load average (1 min) when the run began {load_before:.2f}, when it ended {os.getloadavg()[0]:.2f} "
        "— other work on the machine lengthens every stage's wall time, hardly its processor time"
    )
    print(f"RESULT school_term_end_to_end_seconds {total:.1f} s")
    print(f"RESULT term_import_seconds {seconds['import']:.2f} s")
    print(f"RESULT term_close_seconds {seconds['close']:.1f} s")
    print(f"RESULT term_sign_seconds {seconds['sign']:.1f} s")
    print(f"RESULT term_backup_seconds {seconds['backup']:.1f} s")
    print(f"RESULT school_term_cpu_seconds {used:.1f} s")


if __name__ == "__main__":
    main()
