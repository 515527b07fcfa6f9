"""Benchmark: batch-sign the demo school's term at PAdES B-LTA with a PKCS#12 key and a local TSA.

The term's journal copies (37 classes) are rendered first (not timed). The timed part is what
`archive-service sign` does per document: read the unsigned PDF, sign it (CAdES signature,
signature timestamp, DSS with revocation data, document timestamp), store the signed file,
record the signature with its audit event — in N worker processes, each opening the key once.

    .venv/bin/python benchmarks/sign.py [--workers 2] [--gost]

With --gost the same documents are signed a second time (from their unsigned versions, in a fresh
archive) with a GOST R 34.10-2012 key through the external route — the OpenSSL GOST engine as the
command CryptoPro's cryptcp would be, Streebog digests, a GOST timestamp authority — and both
figures are printed.

The yardstick, in the same run: the same unsigned documents are signed in this one process with
the least pyHanko code there is — the PKCS#12 key opened once, `signers.sign_pdf` into an
`IncrementalPdfFileWriter`, PAdES B-B: no timestamp, no validation data, no visible stamp, nothing
stored. Both are measured three times, alternately (plain pass, our pass, …; each of our passes
from a copy of the archive as it stood before signing, with fresh worker processes), and the best
pass of each is taken: our two-worker B-LTA rate over plain pyHanko's is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import multiprocessing
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from archive_service import Archive, Settings, create_app
from archive_service.adapters.local_jobs import LocalProcessRunner
from archive_service.demo import generate
from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.signing import awaiting_signature, sign_documents
from signing import create_demo_pki, create_gost_pki, load_pkcs12
from signing.cryptopro import openssl_gost_command

PASSWORD = b"bench"
RUNS = 3
AFTER_THE_TERM = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone.utc)
"""The benchmark's own clock for signing: after the term ends (25.12.2026) and its snapshots were exported —
nothing is signed before its period ends (domain/drafts.py). Only this composition root sets it."""
_archive: Archive | None = None


def _after_the_term() -> dt.datetime:
    return AFTER_THE_TERM + (dt.datetime.now(dt.timezone.utc) - _STARTED)


_STARTED = dt.datetime.now(dt.timezone.utc)


def _start(settings: Settings) -> None:
    global _archive
    _archive = Archive(settings, moment=_after_the_term)


def _signer(gost_key: bool):
    assert _archive is not None
    if gost_key:
        pki = _archive.gost_demo_pki
        return _archive.external_signer(openssl_gost_command(pki.director_cert, pki.director_key), pki.director_cert)
    return _archive.pades_signer(load_pkcs12(_archive.demo_pki.signer_p12, PASSWORD))  # key opened once


def _sign_classes(task: tuple[list[str], bool]) -> tuple[int, float]:
    classes, gost_key = task
    assert _archive is not None
    signer = _signer(gost_key)
    started = time.perf_counter()
    outcomes = sign_documents(_archive.uow(), _archive.store, signer, "2026/2027", ["Q2", "H1"], classes,
                              actor=Actor("benchmark", "director"), now=_archive.now)
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    return len(outcomes), time.perf_counter() - started


def _warm(_: int) -> int:
    time.sleep(0.3)
    return multiprocessing.current_process().pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gost", action="store_true", help="also sign with a GOST key through the external route")
    args = parser.parse_args()
    signed, wall, plain = measure(args.workers, gost_key=False)
    print(f"RESULT sign_documents_per_second {signed / wall:.1f} docs/s")
    assert plain is not None
    print(f"RESULT sign_plain_pyhanko_documents_per_second {plain:.1f} docs/s")
    print(f"RESULT sign_speed_vs_plain_pyhanko {signed / wall / plain:.2f} x")
    if args.gost:
        signed, wall, _ = measure(args.workers, gost_key=True)
        print(f"RESULT sign_gost_documents_per_second {signed / wall:.1f} docs/s")


def measure(workers: int, *, gost_key: bool) -> tuple[int, float, float | None]:
    """Documents signed and the wall time, in a fresh archive of the demo school's term, and (with the
    PKCS#12 key) plain pyHanko's documents per second on the same unsigned documents."""
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        settings = Settings(home=Path(tmp) / "home", secret_key="bench")
        archive = create_app(settings).extensions["archive"]
        for data in generate(periods=["Q2", "H1"]):
            ingest_snapshot(archive.uow(), json.dumps(data, ensure_ascii=False), actor=Actor("benchmark", "deputy"),
                            now=archive.now())
        jobs = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2", "H1"])
        for _, outcome in LocalProcessRunner(settings, workers).render(jobs, Actor("benchmark", "deputy")):
            assert "error" not in outcome, outcome
        now = dt.datetime.now(dt.timezone.utc)
        if gost_key:
            create_gost_pki(archive.gost_demo_pki.directory, owner="Сергеева Ольга Викторовна",
                            organisation="МБОУ СОШ № 21", now=now)
        else:
            create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна",
                            organisation="МБОУ СОШ № 21", password=PASSWORD, now=now)
        unsigned = [archive.store.read(doc.sha256)
                    for doc in awaiting_signature(archive.uow(), "2026/2027", ["Q2", "H1"])]
        plain_key = None if gost_key else signers.SimpleSigner.load_pkcs12(str(archive.demo_pki.signer_p12),
                                                                           passphrase=PASSWORD)
        classes = [job.class_name for job in jobs]
        shares = [(classes[i::workers], gost_key) for i in range(workers)]
        before = Path(tmp) / "before-signing"
        shutil.copytree(settings.home, before)
        plain_timings, passes = [], []
        for run in range(RUNS):  # the passes alternate, so both meet the machine in the same state
            if run:
                shutil.rmtree(settings.home)
                shutil.copytree(before, settings.home)
            if plain_key is not None:
                plain_timings.append(plain_pyhanko_pass(unsigned, plain_key))
            passes.append(sign_pass(settings, workers, shares))
    kind = "GOST R 34.10-2012 (external route, OpenSSL GOST engine)" if gost_key else "PKCS#12 ECDSA"
    for run, (wall, results) in enumerate(passes):
        workers_text = ", ".join(f"{n} in {busy:.1f} s" for n, busy in results)
        print(f"pass {run + 1}: {sum(n for n, _ in results)} documents signed at PAdES B-LTA with {kind} in "
              f"{wall:.1f} s with {workers} workers (each opening the key once, inside the timed part: {workers_text})")
    wall, results = min(passes, key=lambda p: p[0])
    signed = sum(n for n, _ in results)
    plain = None
    if plain_timings:
        print(f"plain pyHanko B-B, one process: {len(unsigned)} documents in "
              + ", ".join(f"{t:.2f}" for t in plain_timings) + " s")
        plain = len(unsigned) / min(plain_timings)
    print(f"best passes taken: ours {wall:.2f} s" + (f", plain {min(plain_timings):.2f} s" if plain_timings else ""))
    return signed, wall, plain


def sign_pass(settings: Settings, workers: int, shares: list[tuple[list[str], bool]]) -> tuple[float, list]:
    """One pass: every document signed by `workers` fresh worker processes; (wall seconds, per worker
    (documents, busy seconds))."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(settings,)) as pool:
        list(pool.map(_warm, range(workers)))  # processes up (as long-lived workers are) before timing
        started = time.perf_counter()
        results = list(pool.map(_sign_classes, shares))
        wall = time.perf_counter() - started
    return wall, results


def plain_pyhanko_pass(documents: list[bytes], signer: signers.SimpleSigner) -> float:
    """Seconds plain pyHanko B-B takes over `documents` in this process (the key opened before)."""
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    started = time.perf_counter()
    for pdf in documents:
        out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), meta, signer=signer)
        assert len(out.getvalue()) > len(pdf)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
