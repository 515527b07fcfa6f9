"""Backup sets on two media: build, write and verify, finish, audit and repair, delete, restore.

A set is an outer BagIt bag (SHA-256 manifests) whose one payload file is the inner bag — the
originals with their own manifests and bag-info — tarred and sealed with the director's access
code. Fixity can therefore be checked without the code; opening needs it. Each medium gets the
outer bag's files and, only after every file was read back and matched, a `COMPLETE` marker
listing their hashes: a writer killed half-way leaves no marker, and a re-run completes the set.

The caller may keep the set's file hashes elsewhere (the application keeps them in its
database before the first byte is written) and pass them as `expected`: they then decide what
is right. Without them the markers decide, a damaged marker being outvoted by the files.
Everything of a set on a medium is audited — its files, its marker, and each object's recorded
hash and retain-until date (a directory medium's `.meta.json` sidecars) — and a bad copy is
repaired from a good one on another medium; what is bad everywhere is an alarm and is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Protocol

import bagit

from storage.bags import make_bag, tar
from storage.errors import SetDeletionIncomplete, StorageError
from storage.media import Medium, RetentionRefused
from storage.sealing import CodeSeal

MARKER = "COMPLETE"
SEALED = "payload.tar.sealed"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Sealer(Protocol):
    """What seals a new set: the archive key's public key (`archive_key.PublicSeal`) or, for the
    old format, an access code (`sealing.CodeSeal`)."""

    def seal(self, data: bytes) -> bytes: ...
    def describe(self) -> str: ...


class Opener(Protocol):
    """What opens a set: the opened archive key (`archive_key.OpenedKey`) or an old set's code."""

    def unseal(self, blob: bytes) -> bytes: ...


def build_set(payload: dict[str, bytes], info: dict[str, str], sealer: Sealer | str) -> dict[str, bytes]:
    """The files of a new set (relative path → bytes): the outer bag with the sealed inner bag.
    A plain string seals with that access code (the format before the archive key)."""
    sealing = CodeSeal(sealer) if isinstance(sealer, str) else sealer
    sealed = sealing.seal(tar(make_bag(payload, info), "bag"))
    return make_bag({SEALED: sealed}, {**info, "Payload-Sealing": sealing.describe()})


def set_hashes(files: Mapping[str, bytes]) -> dict[str, str]:
    """The SHA-256 of each file of a set: what its completion markers will list."""
    return {name: _sha(data) for name, data in files.items()}


def marker_bytes(expected: Mapping[str, str]) -> bytes:
    return json.dumps(dict(expected), sort_keys=True).encode()


@dataclass
class CopyStatus:
    medium: str
    location: str
    verified: bool
    problems: list[str] = field(default_factory=list)


def write_set(set_id: str, files: dict[str, bytes], media: list[Medium], *, retain_until: dt.date) -> list[CopyStatus]:
    """Write the set to every medium, read each file back, and mark the medium's copy complete."""
    expected = set_hashes(files)
    statuses = []
    for medium in media:
        problems = []
        for name, data in files.items():
            key = f"{set_id}/{name}"
            if (medium.sha256(key) != expected[name]  # a re-run skips what is already there
                    or medium.check_meta(key, sha256=expected[name], retain_until=retain_until)):
                medium.write(key, data, retain_until=retain_until)
            if medium.sha256(key) != expected[name]:
                problems.append(f"{name}: прочитанное не совпадает с записанным")
            elif problem := medium.check_meta(key, sha256=expected[name], retain_until=retain_until):
                problems.append(f"{name}: {problem}")
        if not problems:
            medium.write(f"{set_id}/{MARKER}", marker_bytes(expected), retain_until=retain_until)
        statuses.append(CopyStatus(medium.label, medium.location, not problems, problems))
    return statuses


def finish_set(set_id: str, expected: Mapping[str, str], media: list[Medium], *,
               retain_until: dt.date) -> list[CopyStatus] | None:
    """Complete an interrupted write from what is already on the media: every file is taken from
    a medium that holds it with its recorded hash. None when some file is on none of them (the
    writer was killed before it was written anywhere): the set cannot be finished as recorded."""
    files = {}
    for name, digest in expected.items():
        key = f"{set_id}/{name}"
        source = next((m for m in media if m.sha256(key) == digest), None)
        data = source.read(key) if source is not None else b""
        if source is None or _sha(data) != digest:
            return None
        files[name] = data
    return write_set(set_id, files, media, retain_until=retain_until)


class _Hashes:
    """The hash of each object on each medium, computed once per audit."""

    def __init__(self, set_id: str, media: list[Medium]):
        self.set_id, self.media = set_id, media
        self._known: dict[tuple[int, str], str | None] = {}

    def of(self, medium: Medium, name: str) -> str | None:
        key = (id(medium), name)
        if key not in self._known:
            self._known[key] = medium.sha256(f"{self.set_id}/{name}")
        return self._known[key]

    def forget(self, medium: Medium, name: str) -> None:
        self._known.pop((id(medium), name), None)


def _marker(medium: Medium, set_id: str) -> dict[str, str] | None:
    try:
        parsed = json.loads(medium.read(f"{set_id}/{MARKER}"))
    except (StorageError, ValueError):
        return None
    if (not isinstance(parsed, dict) or not parsed or MARKER in parsed
            or not all(isinstance(k, str) and isinstance(v, str) and _HEX64.fullmatch(v) for k, v in parsed.items())):
        return None
    return parsed


def _reference(set_id: str, media: list[Medium], hashes: _Hashes) -> dict[str, str]:
    """The set's file hashes from its markers; markers that differ are outvoted by the files."""
    candidates: list[dict[str, str]] = []
    for medium in media:
        found = _marker(medium, set_id)
        if found is not None and found not in candidates:
            candidates.append(found)
    if not candidates:
        raise StorageError(f"набор {set_id} не завершён ни на одном носителе")
    if len(candidates) == 1:
        return candidates[0]
    support = [sum(hashes.of(m, name) == digest for name, digest in c.items() for m in media) for c in candidates]
    best = max(support)
    if support.count(best) > 1:
        raise StorageError(f"отметки о завершении набора {set_id} на носителях расходятся")
    return candidates[support.index(best)]


def expected_hashes(set_id: str, media: list[Medium], expected: Mapping[str, str] | None = None) -> dict[str, str]:
    """The set's file hashes: `expected` when the caller keeps them, else from the markers."""
    return dict(expected) if expected else _reference(set_id, media, _Hashes(set_id, media))


@dataclass
class AuditFinding:
    set_id: str
    name: str
    outcome: str  # ok | repaired | alarm
    detail: str = ""
    aspect: str = "data"  # data: the object's bytes; meta: its recorded hash and retain-until date
    medium: str = ""


def audit_set(set_id: str, media: list[Medium], *, retain_until: dt.date,
              expected: Mapping[str, str] | None = None) -> list[AuditFinding]:
    """Re-hash every object of the set on every medium and check its recorded hash and retain-until
    date; repair a bad copy from a good one on another medium; alarm where no copy is good."""
    hashes = _Hashes(set_id, media)
    reference = dict(expected) if expected else _reference(set_id, media, hashes)
    findings: list[AuditFinding] = []
    broken: set[int] = set()  # media whose copy still has a bad file: no marker is written there
    for name, digest in sorted(reference.items()):
        findings += _audit_object(set_id, name, digest, media, hashes, retain_until, broken)
    marker = marker_bytes(reference)
    findings += _audit_object(set_id, MARKER, _sha(marker), media, hashes, retain_until, broken)
    known = {f"{set_id}/{n}" for n in [*reference, MARKER]}
    for medium in media:
        for extra in sorted(set(medium.list(f"{set_id}/")) - known):
            findings.append(AuditFinding(set_id, extra.removeprefix(f"{set_id}/"), "alarm",
                                         f"на носителе «{medium.label}» посторонний объект в наборе",
                                         medium=medium.label))
    return findings


def _audit_object(set_id: str, name: str, digest: str, media: list[Medium], hashes: _Hashes,
                  retain_until: dt.date, broken: set[int]) -> list[AuditFinding]:
    key = f"{set_id}/{name}"
    good = [m for m in media if hashes.of(m, name) == digest]
    meta = {id(m): m.check_meta(key, sha256=digest, retain_until=retain_until) for m in good}
    meta_good = [m for m in good if meta[id(m)] is None]
    if not good:
        broken.update(id(m) for m in media)
        return [AuditFinding(set_id, name, "alarm", "повреждён или отсутствует на всех носителях")]
    findings = []
    for medium in media:
        if medium in good and meta[id(medium)] is None:
            continue
        if name == MARKER and id(medium) in broken:
            findings.append(AuditFinding(set_id, name, "alarm", f"копия на носителе «{medium.label}» неполна: "
                                         "отметка о завершении не восстановлена", medium=medium.label))
            continue
        if medium in good and not meta_good:
            findings.append(AuditFinding(set_id, name, "alarm", "сведения о сроке хранения повреждены на всех "
                                         f"носителях ({meta[id(medium)]})", "meta", medium.label))
            continue
        findings.append(_repair(set_id, name, digest, medium, (meta_good or good)[0], hashes, retain_until,
                                problem=meta[id(medium)] if medium in good else None))
        if findings[-1].outcome == "alarm":
            broken.add(id(medium))
    return findings or [AuditFinding(set_id, name, "ok")]


def _repair(set_id: str, name: str, digest: str, medium: Medium, source: Medium, hashes: _Hashes,
            retain_until: dt.date, *, problem: str | None) -> AuditFinding:
    """Rewrite one object on `medium` (bytes and recorded hash and date) from the good copy on `source`."""
    key = f"{set_id}/{name}"
    aspect = "meta" if problem else "data"
    state = (f"сведения о хранении неверны ({problem})" if problem
             else "отсутствовал" if not medium.exists(key) else "был изменён")
    data = source.read(key)
    if _sha(data) == digest:
        medium.write(key, data, retain_until=retain_until)
    hashes.forget(medium, name)
    if hashes.of(medium, name) == digest and medium.check_meta(key, sha256=digest, retain_until=retain_until) is None:
        return AuditFinding(set_id, name, "repaired", f"на носителе «{medium.label}» {state}; "
                            f"восстановлен с «{source.label}»", aspect, medium.label)
    return AuditFinding(set_id, name, "alarm", f"не удалось восстановить на «{medium.label}»", aspect, medium.label)


def delete_set(set_id: str, media: list[Medium], *, today: dt.date) -> dict[str, list[str]]:
    """Delete a set from every medium once its retention has ended; returns medium label → objects.

    Nothing is deleted unless every object on every medium may go today (a missing or damaged
    retain-until record refuses the whole set: the audit repairs it first). The completion
    marker goes first, so a set half-deleted by a crash is never taken for a complete one, and a
    re-run deletes what is left. Raises `SetDeletionIncomplete` when anything is left behind.
    """
    plan = {}
    for medium in media:
        names = medium.list(f"{set_id}/")
        marker = f"{set_id}/{MARKER}"
        plan[medium.label] = ([marker] if marker in names else []) + [n for n in names if n != marker]
        for name in plan[medium.label]:
            until = medium.retain_until(name)
            if until is None or today < until:
                raise RetentionRefused(f"набор {set_id} не удалён ни с одного носителя: объект {name} на носителе "
                                       f"«{medium.label}» " + (f"хранится до {until:%d.%m.%Y}" if until
                                                               else "не имеет сведений о сроке хранения"))
    deleted: dict[str, list[str]] = {label: [] for label in plan}
    for medium in media:
        try:
            for name in plan[medium.label]:
                medium.delete(name, today=today)
                deleted[medium.label].append(name)
        except StorageError as err:  # an OSError is a crash: it propagates, and a re-run deletes the rest
            left = {m.label: m.list(f"{set_id}/") for m in media}
            raise SetDeletionIncomplete(f"удаление набора {set_id} прервано на носителе «{medium.label}»: {err}",
                                        deleted=deleted, left=left) from err
    left = {m.label: rest for m in media if (rest := m.list(f"{set_id}/"))}
    if left:
        raise SetDeletionIncomplete(f"после удаления набора {set_id} на носителях остались объекты",
                                    deleted=deleted, left=left)
    return deleted


def restore_set(set_id: str, media: list[Medium], opener: Opener | str, target: Path, *,
                expected: Mapping[str, str] | None = None) -> Path:
    """Unseal the set into `target`/bag: the original inner bag, byte for byte, validated.
    `opener` is the opened archive key, or a code for a set sealed with one.

    `target` must be a new or an empty directory. The bag is unpacked and validated in a fresh
    directory beside it and then renamed into place, so `target` ends up either untouched or
    holding the whole validated bag — never a mix.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StorageError("папка для восстановления не пуста: укажите новую или пустую папку")
    reference = expected_hashes(set_id, media, expected)
    name = f"data/{SEALED}"
    key = f"{set_id}/{name}"
    sealed = next((data for m in media if name in reference and m.sha256(key) == reference[name]
                   for data in [m.read(key)] if _sha(data) == reference[name]), None)
    if sealed is None:
        raise StorageError(f"ни на одном носителе нет целой копии набора {set_id}")
    archive = (CodeSeal(opener) if isinstance(opener, str) else opener).unseal(sealed)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=target.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as bundle:
            bundle.extractall(work, filter="data")
        try:
            bagit.Bag(str(work / "bag")).validate()
        except bagit.BagError as exc:
            # which file and which checksum: in the exception chain (`from exc`), for whoever reads the log
            raise StorageError("восстановленная копия не прошла сверку: файлы не совпадают с контрольными суммами, "
                               "записанными при её создании") from exc
        try:
            os.rename(work, target)  # atomic; replaces an empty directory, refuses a non-empty one
        except OSError:
            raise StorageError("папка для восстановления не пуста: укажите новую или пустую папку") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target / "bag"
