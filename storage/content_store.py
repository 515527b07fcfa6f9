"""A content-addressed file store: a file's name is the SHA-256 of its bytes.

Writes are atomic (temporary file, fsync, rename, fsync of the directory), so a crash leaves
either the whole file or nothing under its name; writing the same bytes twice is a no-op.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from storage.errors import StorageError
from storage.files import atomic_write


class ContentStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise StorageError(f"не похоже на SHA-256: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store `data`; returns its SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists() and self.verify(digest):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
        return digest

    def read(self, digest: str) -> bytes:
        try:
            data = self.path(digest).read_bytes()
        except FileNotFoundError:
            raise StorageError(f"файл {digest} отсутствует в хранилище {self.root}") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise StorageError(f"файл {digest} в хранилище {self.root} повреждён")
        return data

    def delete(self, digest: str) -> bool:
        """Remove a file (disposal after its retention ended); True if it was there."""
        path = self.path(digest)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def verify(self, digest: str) -> bool:
        """The stored bytes still hash to their name."""
        h = hashlib.sha256()
        try:
            with open(self.path(digest), "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        except FileNotFoundError:
            return False
        return h.hexdigest() == digest
