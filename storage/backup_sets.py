"""Backup sets on two media: build, write and verify, audit and repair, restore.

A set is an outer BagIt bag (SHA-256 manifests) whose one payload file is the inner bag — the
originals with their own manifests and bag-info — tarred and sealed with the director's access
code. Fixity can therefore be checked without the code; opening needs it. Each medium gets the
outer bag's files and, only after every file was read back and matched, a `COMPLETE` marker
listing their hashes: a writer killed half-way leaves no marker, and a re-run completes the set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from storage.errors import StorageError
from storage.media import Medium
from storage.sealing import seal, unseal

MARKER = "COMPLETE"
SEALED = "payload.tar.sealed"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bag_files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _tar(directory: Path) -> bytes:
    """A deterministic tar of a directory (sorted names, no times or owners)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in _bag_files(directory).items():
            entry = tarfile.TarInfo(f"bag/{name}")
            entry.size, entry.mtime, entry.mode = len(data), 0, 0o644
            tar.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()


def build_set(payload: dict[str, bytes], info: dict[str, str], code: str) -> dict[str, bytes]:
    """The files of a new set (relative path → bytes): the outer bag with the sealed inner bag."""
    with tempfile.TemporaryDirectory(prefix="backup-") as tmp:
        inner, outer = Path(tmp) / "inner", Path(tmp) / "outer"
        for name, data in payload.items():
            target = inner / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        inner.mkdir(exist_ok=True)
        bagit.make_bag(str(inner), bag_info=info, checksums=["sha256"])
        outer.mkdir()
        (outer / SEALED).write_bytes(seal(_tar(inner), code))
        bagit.make_bag(str(outer), bag_info={**info, "Payload-Sealing": "scrypt (n=2^15, r=8) + AES-256-GCM"},
                       checksums=["sha256"])
        return _bag_files(outer)


@dataclass
class CopyStatus:
    medium: str
    location: str
    verified: bool
    problems: list[str] = field(default_factory=list)


def write_set(set_id: str, files: dict[str, bytes], media: list[Medium], *, retain_until: dt.date) -> list[CopyStatus]:
    """Write the set to every medium, read each file back, and mark the medium's copy complete."""
    expected = {name: _sha(data) for name, data in files.items()}
    statuses = []
    for medium in media:
        problems = []
        for name, data in files.items():
            key = f"{set_id}/{name}"
            if medium.sha256(key) != expected[name]:  # a re-run skips what is already there
                medium.write(key, data, retain_until=retain_until)
            if medium.sha256(key) != expected[name]:
                problems.append(f"{name}: прочитанное не совпадает с записанным")
        if not problems:
            medium.write(f"{set_id}/{MARKER}", json.dumps(expected, sort_keys=True).encode(), retain_until=retain_until)
        statuses.append(CopyStatus(medium.label, medium.location, not problems, problems))
    return statuses


def expected_hashes(set_id: str, media: list[Medium]) -> dict[str, str]:
    """The set's file hashes from its completion markers (a damaged marker is outvoted)."""
    markers = []
    for medium in media:
        try:
            markers.append(json.loads(medium.read(f"{set_id}/{MARKER}")))
        except (StorageError, ValueError):
            continue
    if not markers:
        raise StorageError(f"набор {set_id} не завершён ни на одном носителе")
    if any(m != markers[0] for m in markers[1:]):
        raise StorageError(f"отметки о завершении набора {set_id} на носителях расходятся")
    return markers[0]


@dataclass
class AuditFinding:
    set_id: str
    name: str
    outcome: str  # ok | repaired | alarm
    detail: str = ""


def audit_set(set_id: str, media: list[Medium], *, retain_until: dt.date) -> list[AuditFinding]:
    """Re-hash every file on every medium; repair a bad copy from a good one; alarm if none is good."""
    expected = expected_hashes(set_id, media)
    findings = []
    for name, digest in sorted({**expected, MARKER: ""}.items()):
        if name == MARKER:
            continue
        key = f"{set_id}/{name}"
        good = [m for m in media if m.sha256(key) == digest]
        bad = [m for m in media if m not in good]
        if not good:
            findings.append(AuditFinding(set_id, name, "alarm", "повреждён или отсутствует на всех носителях"))
            continue
        source = good[0].read(key)
        for medium in bad:
            state = "отсутствовал" if not medium.exists(key) else "был изменён"
            medium.write(key, source, retain_until=retain_until)
            ok = medium.sha256(key) == digest
            findings.append(AuditFinding(set_id, name, "repaired" if ok else "alarm",
                                         f"на носителе «{medium.label}» {state}; восстановлен с «{good[0].label}»"
                                         if ok else f"не удалось восстановить на «{medium.label}»"))
        if not bad:
            findings.append(AuditFinding(set_id, name, "ok"))
    return findings


def delete_set(set_id: str, media: list[Medium], *, today: dt.date) -> dict[str, list[str]]:
    """Delete a set from every medium once its retention has ended (each medium refuses earlier).

    The completion marker goes first, so a set half-deleted by a crash is never taken for a
    complete one; a re-run deletes what is left. Returns medium label → objects deleted.
    """
    deleted: dict[str, list[str]] = {}
    for medium in media:
        names = medium.list(f"{set_id}/")
        marker = f"{set_id}/{MARKER}"
        ordered = ([marker] if marker in names else []) + [n for n in names if n != marker]
        for name in ordered:
            medium.delete(name, today=today)
        deleted[medium.label] = ordered
    return deleted


def restore_set(set_id: str, media: list[Medium], code: str, target: Path) -> Path:
    """Unseal the set into `target`/bag: the original inner bag, byte for byte, validated."""
    expected = expected_hashes(set_id, media)
    name = f"data/{SEALED}"
    key = f"{set_id}/{name}"
    sealed = next((m.read(key) for m in media if name in expected and m.sha256(key) == expected[name]), None)
    if sealed is None:
        raise StorageError(f"ни на одном носителе нет целой копии набора {set_id}")
    archive = unseal(sealed, code)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    bag = bagit.Bag(str(target / "bag"))
    try:
        bag.validate()
    except bagit.BagValidationError as exc:
        raise StorageError(f"восстановленный набор не проходит проверку BagIt: {exc}") from exc
    return target / "bag"
