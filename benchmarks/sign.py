"""Benchmark: batch-sign the demo school's term at PAdES B-LTA with a PKCS#12 key and a local TSA.

The term's journal copies (37 classes) are rendered first (not timed). The timed part is what
`archive-service sign` does per document: read the unsigned PDF, sign it (CAdES signature,
signature timestamp, DSS with revocation data, document timestamp), store the signed file,
record the signature with its audit event — in N worker processes, each opening the key once.

    .venv/bin/python benchmarks/sign.py [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from archive_service import Archive, Settings, create_app
from archive_service.adapters.local_jobs import render_locally
from archive_service.demo import generate
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.signing import sign_documents
from signing import create_demo_pki, load_pkcs12

PASSWORD = b"bench"
_archive: Archive | None = None


def _start(settings: Settings) -> None:
    global _archive
    _archive = Archive(settings)


def _sign_classes(classes: list[str]) -> tuple[int, float]:
    assert _archive is not None
    signer = _archive.pades_signer(load_pkcs12(_archive.demo_pki.signer_p12, PASSWORD))  # key opened once
    started = time.perf_counter()
    outcomes = sign_documents(_archive.uow(), _archive.store, signer, "2026/2027", ["Q2", "H1"], classes,
                              actor="benchmark", role="director", now=_archive.now)
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    return len(outcomes), time.perf_counter() - started


def _warm(_: int) -> int:
    time.sleep(0.3)
    return multiprocessing.current_process().pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        settings = Settings(home=Path(tmp) / "home", secret_key="bench")
        archive = create_app(settings).extensions["archive"]
        for data in generate(periods=["Q2", "H1"]):
            ingest_snapshot(archive.uow(), json.dumps(data, ensure_ascii=False), actor="benchmark", now=archive.now())
        jobs = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2", "H1"])
        for _, future in render_locally(settings, jobs, "benchmark", args.workers):
            future.result()
        create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                        password=PASSWORD, now=dt.datetime.now(dt.timezone.utc))
        classes = [job.class_name for job in jobs]
        shares = [classes[i::args.workers] for i in range(args.workers)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(args.workers, mp_context=context, initializer=_start, initargs=(settings,)) as pool:
            list(pool.map(_warm, range(args.workers)))  # processes up (as long-lived workers are) before timing
            started = time.perf_counter()
            results = list(pool.map(_sign_classes, shares))
            wall = time.perf_counter() - started
    signed = sum(n for n, _ in results)
    for i, (n, busy) in enumerate(results):
        print(f"worker {i}: {n} documents in {busy:.1f} s = {n / busy:.1f} docs/s")
    print(f"{signed} documents signed at PAdES B-LTA in {wall:.1f} s with {args.workers} workers "
          f"(each opening the key once, inside the timed part)")
    print(f"RESULT sign_documents_per_second {signed / wall:.1f} docs/s")


if __name__ == "__main__":
    main()
