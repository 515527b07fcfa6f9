"""Backup media behind one small interface; a directory (a mounted removable disk) first.

Every object is written atomically (temporary file, fsync, rename, fsync of the directory) with
a retain-until date kept beside it; the code itself refuses to delete an object before that
date, whatever the medium or server would allow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator, Mapping, Protocol

from storage.errors import StorageError
from storage.files import atomic_write

_META = ".meta.json"


class RetentionRefused(StorageError):
    """A delete before the object's retain-until date."""


class Medium(Protocol):
    label: str
    location: str

    def write(self, name: str, data: bytes, *, retain_until: dt.date) -> None: ...
    def read(self, name: str) -> bytes: ...
    def exists(self, name: str) -> bool: ...
    def list(self, prefix: str = "") -> list[str]: ...
    def sha256(self, name: str) -> str | None: ...
    def retain_until(self, name: str) -> dt.date | None: ...
    def check_meta(self, name: str, *, sha256: str, retain_until: dt.date) -> str | None: ...
    def delete(self, name: str, *, today: dt.date) -> None: ...
    def free_space(self) -> int: ...


def _checked(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or name.endswith(_META):
        raise StorageError(f"недопустимое имя объекта: {name!r}")
    return path


def meta_problem(meta: Mapping[str, object] | None, sha256: str, retain_until: dt.date, *, sidecar: bool) -> str | None:
    """Compare an object's recorded hash and retain-until date with what they must be."""
    if meta is None:
        return "нет сведений о сроке хранения" if sidecar else "нет метаданных объекта"
    recorded = meta.get("retain_until") or meta.get("retain-until")
    try:
        if not isinstance(recorded, str):
            raise TypeError(recorded)
        until = dt.date.fromisoformat(recorded)
    except (TypeError, ValueError):
        return "сведения о сроке хранения повреждены"
    if meta.get("sha256") != sha256:
        return "записанная контрольная сумма не совпадает с объектом"
    if until != retain_until:
        return f"записан срок хранения {until:%d.%m.%Y} вместо {retain_until:%d.%m.%Y}"
    return None


@dataclass
class DirectoryMedium:
    """A directory standing for a medium: a removable disk, or a folder in the embedded default."""

    root: Path
    label: str
    location: str
    serial: str = ""
    """The disk's serial number as printed on the hand-over act (empty if not configured)."""

    def _path(self, name: str) -> Path:
        return self.root.joinpath(*_checked(name).parts)

    def write(self, name: str, data: bytes, *, retain_until: dt.date) -> None:
        target = self._path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = {"sha256": hashlib.sha256(data).hexdigest(), "retain_until": retain_until.isoformat()}
        atomic_write(Path(str(target) + _META), json.dumps(meta).encode())
        atomic_write(target, data)

    def read(self, name: str) -> bytes:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            raise StorageError(f"на носителе «{self.label}» нет объекта {name}") from None

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def list(self, prefix: str = "") -> list[str]:
        if not self.root.exists():
            return []
        names = (p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
        return sorted(n for n in names if not n.endswith(_META) and n.startswith(prefix)
                      and not PurePosixPath(n).name.startswith(".tmp-"))

    def sha256(self, name: str) -> str | None:
        """The SHA-256 of the object as it is now on the medium (None when it is missing)."""
        h = hashlib.sha256()
        try:
            with open(self._path(name), "rb") as fh:
                while block := fh.read(1 << 20):
                    h.update(block)
        except FileNotFoundError:
            return None
        return h.hexdigest()

    def _meta(self, name: str) -> dict[str, object] | None:
        try:
            meta = json.loads(Path(str(self._path(name)) + _META).read_bytes())
        except (FileNotFoundError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def retain_until(self, name: str) -> dt.date | None:
        """The retain-until date of the object's sidecar (None when missing or unreadable)."""
        recorded = (self._meta(name) or {}).get("retain_until")
        try:
            return dt.date.fromisoformat(recorded) if isinstance(recorded, str) else None
        except ValueError:
            return None

    def check_meta(self, name: str, *, sha256: str, retain_until: dt.date) -> str | None:
        """What is wrong with the object's sidecar (hash and retain-until date), None when nothing."""
        return meta_problem(self._meta(name), sha256, retain_until, sidecar=True)

    def delete(self, name: str, *, today: dt.date) -> None:
        until = self.retain_until(name)
        if until is None or today < until:
            raise RetentionRefused(f"объект {name} на носителе «{self.label}» хранится до "
                                   f"{until:%d.%m.%Y}" if until else f"у объекта {name} нет срока хранения")
        self._path(name).unlink(missing_ok=True)
        Path(str(self._path(name)) + _META).unlink(missing_ok=True)

    def free_space(self) -> int:
        self.root.mkdir(parents=True, exist_ok=True)
        return shutil.disk_usage(self.root).free

    def walk(self) -> Iterator[str]:
        yield from self.list()
