"""Crash tests' tools: run the real `archive-service` command, kill it with SIGKILL at a named
moment, and check what must hold after any crash.

A command runs in a subprocess of its own session (its worker processes with it) against an
installation in a temporary ARCHIVE_HOME. `kill_at(...)` sets ARCHIVE_TEST_KILL_AT so that the
N-th time the command reaches a named point (`storage.crash_points`) the whole process group
gets SIGKILL — like pulling the plug; `kill_when(...)` does the same from outside when what it
watches (files in the store, on a medium) appears. `archive_problems(...)` then lists every broken promise:

* the audit log and the backup-usage journal verify (hash chains, numbers 1, 2, 3 … in order);
* every document, signature, renewal, act and certificate row has its file in the content
  store, intact (a destroyed document's files are gone);
* every committed document and signature has exactly one audit event, and no event speaks of
  a row that is not there;
* every backup set recorded as complete is whole on both media, every set on a medium has its
  row, and every complete set has its «создание» line in the journal;
* register, disposal-act and certificate numbers run 1, 2, 3 … per year without gaps or doubles.

With `settled=True` (after a re-run completed) nothing may be left half-done either: every
file in the content store has its row (a file is written before its row, so a crash may leave
one, which the re-run must adopt), no set incomplete or with stray files, no remains of a
destroyed set on a medium.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import select

from archive_service.adapters.orm import (
    ArchivalCertificate,
    DisposalAct,
    DocumentRecord,
    DocumentSignature,
    RegisterEntry,
    TimestampRenewal,
)
from archive_service.bootstrap import Archive
from archive_service.config import Settings
from archive_service.services import audit, backup
from storage.backup_sets import MARKER, expected_hashes
from storage.crash_points import ENV as KILL_AT
from storage.errors import StorageError
from storage.media import DirectoryMedium
from store_support import store_env, store_settings, stored_files  # noqa: F401 - stored_files: for the crash tests

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-c", "from archive_service.cli import main; main()"]
TIMEOUT = 180


def cli_env(home: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a command on this installation: this checkout's code, one render process
    (so a point's N-th hit is counted in one process), no ARCHIVE_* setting from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    env.update(PYTHONPATH=str(ROOT), ARCHIVE_HOME=str(home), ARCHIVE_DATABASE_URL=database_url,
               ARCHIVE_SECRET_KEY="crash-test", ARCHIVE_RENDER_PROCESSES="1",
               ARCHIVE_KEY_KDF_LOG2_N="10", **store_env(home), **extra)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run a command to its end in a session of its own."""
    process = subprocess.Popen([*COMMAND, *args], env=env, cwd=env["ARCHIVE_HOME"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def kill_at(env: dict[str, str], point: str, *args: str) -> subprocess.CompletedProcess:
    """Run a command that is to die by SIGKILL at `point` ("name:N"); fail if it was not killed."""
    result = run({**env, KILL_AT: point}, *args)
    assert result.returncode == -signal.SIGKILL, (
        f"{' '.join(args)} was not killed at {point} (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def kill_when(env: dict[str, str], moment: Callable[[], bool], *args: str) -> None:
    """Run a command and SIGKILL its process group from outside as soon as `moment()` is true
    (polled every few milliseconds, so the command may have gone a little further)."""
    process = subprocess.Popen([*COMMAND, *args], env=env, cwd=env["ARCHIVE_HOME"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + TIMEOUT
    while process.poll() is None and not moment() and time.monotonic() < deadline:
        time.sleep(0.005)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    out, err = process.communicate()
    assert process.returncode == -signal.SIGKILL, (
        f"{' '.join(args)} ended before the moment (exit {process.returncode}):\n{out}\n{err}")


def rerun(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """The same command again, without a kill point: it must complete."""
    result = run(env, *args)
    assert result.returncode == 0, f"re-run of {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def open_archive(home: Path, database_url: str) -> Archive:
    """The installation as the command sees it, for setting up and checking in this process."""
    return Archive(Settings(home=home, database_url=database_url, secret_key="crash-test", **store_settings(home)))


def archive_problems(archive: Archive, *, settled: bool) -> list[str]:
    """Every broken promise (see the module's docstring); empty when the archive is whole."""
    return [*_chain_problems(archive), *_store_problems(archive, settled=settled), *_audit_event_problems(archive),
            *_media_problems(archive, settled=settled), *_numbering_problems(archive)]


def _chain_problems(archive: Archive) -> Iterable[str]:
    for name, (count, breaks) in (("audit log", audit.verify_audit_log(archive.uow())),
                                  ("backup journal", backup.verify_journal(archive.uow()))):
        for b in breaks:
            yield f"{name} ({count} entries), entry {b.seq}: {b.reason}"


def _store_problems(archive: Archive, *, settled: bool) -> Iterable[str]:
    store = archive.store
    with archive.uow() as uow:
        s = uow.session
        documents = s.scalars(select(DocumentRecord)).all()
        live = {d.id for d in documents if d.destroyed_by_act is None}
        needed: dict[str, str] = {}
        gone: dict[str, str] = {}
        for d in documents:
            (needed if d.id in live else gone)[d.sha256] = f"document {d.document_id}"
        for sig in s.scalars(select(DocumentSignature)):
            (needed if sig.document_id in live else gone)[sig.sha256] = f"signature of document #{sig.document_id}"
        for renewal in s.scalars(select(TimestampRenewal)):
            sig = s.get(DocumentSignature, renewal.signature_id)
            target = needed if sig.document_id in live else gone
            target[renewal.sha256] = target[renewal.previous_sha256] = f"timestamp renewal #{renewal.id}"
        for act in s.scalars(select(DisposalAct).where(DisposalAct.sha256.is_not(None))):
            needed[act.sha256] = f"disposal act {act.number}/{act.year}"
        for cert in s.scalars(select(ArchivalCertificate)):
            needed[cert.sha256] = f"archival certificate {cert.number}/{cert.year}"
    for digest, owner in sorted(needed.items()):
        if not store.verify(digest):
            yield f"{owner}: its file {digest[:16]} is missing or damaged in the content store"
    for digest, owner in sorted(gone.items()):
        if digest not in needed and store.exists(digest):
            yield f"{owner} was destroyed but its file {digest[:16]} is still in the content store"
    for digest in stored_files(store) if settled else ():  # a file is written before its row
        if digest not in needed and digest not in gone:
            yield f"file {digest[:16]} in the content store has no row"


def _audit_event_problems(archive: Archive) -> Iterable[str]:
    with archive.uow() as uow:
        s = uow.session
        events = Counter((e.action, e.object_id) for e in uow.audit.entries()
                         if e.action in ("document.rendered", "document.signed"))
        rendered = {d.document_id for d in s.scalars(select(DocumentRecord))}
        signed = set(s.scalars(select(DocumentRecord.document_id).join(
            DocumentSignature, DocumentSignature.document_id == DocumentRecord.id)))
    for action, rows in (("document.rendered", rendered), ("document.signed", signed)):
        for document_id in sorted(rows):
            if events[action, document_id] != 1:
                yield f"{document_id}: {events[action, document_id]} «{action}» audit events, expected 1"
        for (kind, document_id), n in sorted(events.items()):
            if kind == action and document_id not in rows:
                yield f"{n} «{action}» audit events for {document_id}, which has no row"


def _media_problems(archive: Archive, *, settled: bool) -> Iterable[str]:
    media = archive.media()
    with archive.uow() as uow:
        sets = {b.set_id: (b.destroyed_by_act, b.complete) for b in uow.backups.all()}
        created = {e.set_id for e in uow.backups.journal() if e.action == "создание"}
    for medium in media:
        for set_id in sorted(sets_on(medium) - set(sets)):
            yield f"{medium.label}: set {set_id} has no row in the database"
    for set_id, (destroyed_by_act, complete) in sets.items():
        if destroyed_by_act:
            if settled:
                for medium in media:
                    if medium.list(f"{set_id}/"):
                        yield f"{medium.label}: set {set_id} was destroyed by act {destroyed_by_act} but remains"
            continue
        if not complete:
            if settled:
                yield f"set {set_id} is recorded but still not complete after the re-run"
            continue
        if set_id not in created:
            yield f"set {set_id} is complete but the backup journal has no «создание» line for it"
        try:
            expected = expected_hashes(set_id, media)
        except StorageError as err:
            yield f"set {set_id} is recorded complete, yet: {err}"
            continue
        for medium in media:
            if medium.sha256(f"{set_id}/{MARKER}") is None:
                yield f"{medium.label}: set {set_id} has no {MARKER} marker"
            for name, digest in sorted(expected.items()):
                if medium.sha256(f"{set_id}/{name}") != digest:
                    yield f"{medium.label}: {set_id}/{name} is missing or differs from the set's marker"
            if settled:
                stray = set(medium.list(f"{set_id}/")) - {f"{set_id}/{n}" for n in (*expected, MARKER)}
                for name in sorted(stray):
                    yield f"{medium.label}: {name} belongs to no set's marker"


def sets_on(medium) -> set[str]:
    """The sets a medium holds anything of: its objects' first path parts, and on a directory
    medium every folder at its root (one holding only a sidecar or a temporary file, too)."""
    names = {name.split("/")[0] for name in medium.list()}
    if isinstance(medium, DirectoryMedium) and medium.root.exists():
        names |= {p.name for p in medium.root.iterdir() if p.is_dir()}
    return names


def _numbering_problems(archive: Archive) -> Iterable[str]:
    with archive.uow() as uow:
        s = uow.session
        numbered = {"register": s.execute(select(RegisterEntry.year, RegisterEntry.number)).all(),
                    "disposal act": s.execute(select(DisposalAct.year, DisposalAct.number)).all(),
                    "archival certificate": s.execute(select(ArchivalCertificate.year,
                                                             ArchivalCertificate.number)).all()}
    for what, rows in numbered.items():
        by_year: dict[int, list[int]] = defaultdict(list)
        for year, number in rows:
            by_year[year].append(number)
        for year, numbers in sorted(by_year.items()):
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                yield f"{what} numbers of {year} are not 1…{len(numbers)} without gaps or doubles: {sorted(numbers)}"
