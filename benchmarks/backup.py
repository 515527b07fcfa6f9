"""Benchmark: back up a term's worth of archive files to two media and audit their fixity.

The payload is the demo school's term as it is archived — snapshots of every class and their
rendered journal copies — sealed into one backup set (the code's KDF and AES-GCM included),
written to medium A and medium B with read-back verification, then audited (every file on both
media re-hashed). The audit's MB/s is set against `openssl dgst -sha256` over the same files.

Sealing for the director's archive key (X25519 + HKDF + AES-256-GCM in authenticated 4 MiB chunks,
what every new set is sealed with) is timed over the tarred inner bag and set against `openssl
enc` over the same bytes, reading the payload file and writing the sealed file. `openssl enc`
refuses AEAD ciphers («enc: AEAD ciphers not supported», OpenSSL 3.0), so the yardstick is the
same AES-256 core in counter mode (`-aes-256-ctr`), i.e. GCM without its GHASH; both are the best
of three runs.

    .venv/bin/python benchmarks/backup.py
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import tempfile
import time
from pathlib import Path

from archive_service import Settings, create_app
from archive_service.adapters.local_jobs import LocalProcessRunner
from archive_service.demo import generate
from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from storage import DirectoryMedium, audit_set, build_set, write_set
from storage.archive_key import PublicSeal, new_archive_key
from storage.bags import make_bag, tar
from storage.sealing import KdfParams

KEEP = dt.date(2033, 1, 1)


def best_of(runs: int, work) -> float:
    """The shortest of `runs` timings of `work()`, in seconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def sealing(payload: dict[str, bytes], tmp: Path) -> tuple[float, float]:
    """(our sealing MB/s, openssl enc MB/s) over the same tarred inner bag."""
    inner = tar(make_bag(payload, {"Source-Organization": "МБОУ СОШ № 21"}), "bag")
    key = new_archive_key("лиса-ручей-47-окно", KdfParams(log2_n=10))  # only the public key seals
    ours = best_of(3, lambda: PublicSeal(key.public).seal(inner))
    (tmp / "inner.tar").write_bytes(inner)
    command = ["openssl", "enc", "-aes-256-ctr", "-K", "11" * 32, "-iv", "22" * 16,
               "-in", str(tmp / "inner.tar"), "-out", str(tmp / "inner.tar.enc")]
    theirs = best_of(3, lambda: subprocess.run(command, check=True, capture_output=True))
    mb = len(inner) / 1e6
    return mb / ours, mb / theirs


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        settings = Settings(home=Path(tmp) / "home", secret_key="bench")
        archive = create_app(settings).extensions["archive"]
        payload: dict[str, bytes] = {}
        for data in generate(periods=["Q2", "H1"]):
            raw = json.dumps(data, ensure_ascii=False).encode()
            ingest_snapshot(archive.uow(), raw, actor=Actor("benchmark", "deputy"), now=archive.now())
            payload[f"snapshots/{data['class']['name']}.json"] = raw
        jobs = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2", "H1"])
        for _, outcome in LocalProcessRunner(settings).render(jobs, Actor("benchmark", "deputy")):
            assert "error" not in outcome, outcome
        for row in documents.list_documents(archive.uow(), "2026/2027", ["Q2", "H1"]):
            payload[f"documents/{documents.export_name(row)}"] = archive.store.read(row["sha256"])
        media = [DirectoryMedium(Path(tmp) / "a", "A", "кабинет 12"),
                 DirectoryMedium(Path(tmp) / "b", "B", "кабинет 3")]
        size = sum(len(v) for v in payload.values()) / 1e6

        started = time.perf_counter()
        files = build_set(payload, {"Source-Organization": "МБОУ СОШ № 21"}, "код-директора")
        sealed_at = time.perf_counter()
        write_set("bench", files, media, retain_until=KEEP)
        written_at = time.perf_counter()
        findings = audit_set("bench", media, retain_until=KEEP)
        audited_at = time.perf_counter()
        assert {f.outcome for f in findings} == {"ok"}
        # after the timed write and audit: its files written to disk must not compete with them
        seal_mbs, openssl_enc_mbs = sealing(payload, Path(tmp))

        stored = [p for m in media for p in m.root.rglob("*") if p.is_file() and not p.name.endswith(".meta.json")]
        stored_mb = sum(p.stat().st_size for p in stored) / 1e6
        started_ssl = time.perf_counter()
        subprocess.run(["openssl", "dgst", "-sha256", *map(str, stored)], check=True, capture_output=True)
        openssl_s = time.perf_counter() - started_ssl

    audit_mbs = stored_mb / (audited_at - written_at)
    openssl_mbs = stored_mb / openssl_s
    print(f"payload {size:.1f} MB ({len(payload)} files); sealing {sealed_at - started:.2f} s")
    print(f"writing both media with read-back: {stored_mb:.1f} MB in {written_at - sealed_at:.2f} s = "
          f"{stored_mb / (written_at - sealed_at):.0f} MB/s")
    print(f"fixity audit of both media: {audit_mbs:.0f} MB/s; openssl dgst -sha256 on the same files: "
          f"{openssl_mbs:.0f} MB/s")
    print(f"sealing for the archive key: {seal_mbs:.0f} MB/s; openssl enc -aes-256-ctr on the same bytes "
          f"(file to file; enc refuses GCM): {openssl_enc_mbs:.0f} MB/s")
    print(f"RESULT seal_mb_per_second {seal_mbs:.0f} MB/s")
    print(f"RESULT seal_speed_vs_openssl_aes_gcm {seal_mbs / openssl_enc_mbs:.2f} x")
    print(f"RESULT backup_write_both_media_mb_per_second {stored_mb / (written_at - sealed_at):.0f} MB/s")
    print(f"RESULT audit_mb_per_second {audit_mbs:.0f} MB/s")
    print(f"RESULT audit_speed_vs_openssl {audit_mbs / openssl_mbs:.2f} x")


if __name__ == "__main__":
    main()
