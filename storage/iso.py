"""An optical-disc medium: an ISO 9660 image (Rock Ridge + Joliet) ready to burn.

Writes go to a staging directory and the image is rebuilt with xorriso after each one (a
backup set is a handful of files), so the image on disk is always complete. Everything read —
listings, bytes, hashes — comes from the image itself (pycdlib), which is what gets burnt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pycdlib

from storage.errors import StorageError
from storage.media import _META, DirectoryMedium, _checked


@dataclass
class IsoImageMedium:
    image: Path
    staging: Path
    label: str
    location: str
    volume: str = "ARCHIVE"
    serial: str = ""
    """The disc's serial number as printed on the hand-over act (empty if not configured)."""

    def __post_init__(self) -> None:
        self._staged = DirectoryMedium(self.staging, self.label, self.location)

    def _build(self) -> None:
        self.image.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.image.with_suffix(".tmp.iso")
        result = subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-r", "-J", "-joliet-long", "-V", self.volume,
                                 "-o", str(tmp), str(self.staging)], capture_output=True, text=True)
        if result.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"не удалось собрать образ диска «{self.label}»: {result.stderr.strip()[:300]}")
        os.replace(tmp, self.image)

    def _open(self) -> pycdlib.PyCdlib | None:
        if not self.image.exists():
            return None
        iso = pycdlib.PyCdlib()
        iso.open(str(self.image))
        return iso

    def write(self, name: str, data: bytes, *, retain_until: dt.date) -> None:
        self._staged.write(name, data, retain_until=retain_until)
        self._build()

    def read(self, name: str) -> bytes:
        iso = self._open()
        if iso is None:
            raise StorageError(f"образ диска «{self.label}» ещё не записан")
        try:
            out = io.BytesIO()
            iso.get_file_from_iso_fp(out, rr_path="/" + _checked(name).as_posix())
            return out.getvalue()
        except pycdlib.pycdlibexception.PyCdlibInvalidInput:
            raise StorageError(f"на диске «{self.label}» нет объекта {name}") from None
        finally:
            iso.close()

    def exists(self, name: str) -> bool:
        return name in self.list()

    def list(self, prefix: str = "") -> list[str]:
        iso = self._open()
        if iso is None:
            return []
        try:
            names = [f"{root}/{f}".lstrip("/") for root, _, files in iso.walk(rr_path="/") for f in files]
        finally:
            iso.close()
        return sorted(n for n in names if n.startswith(prefix) and not n.endswith(_META))

    def sha256(self, name: str) -> str | None:
        try:
            return hashlib.sha256(self.read(name)).hexdigest()
        except StorageError:
            return None

    def retain_until(self, name: str) -> dt.date | None:
        return self._staged.retain_until(name)

    def check_meta(self, name: str, *, sha256: str, retain_until: dt.date) -> str | None:
        return self._staged.check_meta(name, sha256=sha256, retain_until=retain_until)

    def delete(self, name: str, *, today: dt.date) -> None:
        """A disc cannot lose a file: after the retention end the image is rebuilt without it
        (and burnt again); before it, the code refuses."""
        self._staged.delete(name, today=today)
        self._build()

    def free_space(self) -> int:
        capacity = 4_700_000_000  # a single-layer DVD
        return max(0, capacity - (self.image.stat().st_size if self.image.exists() else 0))
