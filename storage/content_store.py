"""The working document store: content-addressed (a file's name is the SHA-256 of its bytes),
verified on every read, written once (the same bytes again are a no-op).

`ContentStore` is the interface every service reads and writes documents through; two
implementations: `DirectoryStore` (a local directory, the embedded default) and
`storage.s3_store.S3Store` (an S3-compatible bucket, so that workers on several hosts need no
shared disk). `open_store` picks one from a setting. The write-once backup media are another
thing (`storage.media`, `storage.s3`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from storage.errors import StorageError
from storage.files import atomic_write


def checked_digest(digest: str) -> str:
    """`digest` if it is a lower-case hex SHA-256, else StorageError."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise StorageError(f"не похоже на SHA-256: {digest!r}")
    return digest


class ContentStore(Protocol):
    """Documents by their SHA-256."""

    where: str
    """Where the store is, for messages to the people who run the archive («папка …», «хранилище S3 …»)."""

    def put(self, data: bytes) -> str:
        """Store `data` (a no-op when the same bytes are there, intact); returns its SHA-256."""

    def read(self, digest: str) -> bytes:
        """The bytes named `digest`, checked against it; StorageError when missing or damaged."""

    def delete(self, digest: str) -> bool:
        """Remove a file (disposal after its retention ended); True if it was there."""

    def exists(self, digest: str) -> bool: ...

    def verify(self, digest: str) -> bool:
        """The stored bytes are there and still hash to their name."""

    def digests(self) -> Iterator[str]:
        """Every stored file's SHA-256 (an unfinished write is no file)."""


class DirectoryStore:
    """A local directory: `<root>/<first two hex digits>/<sha256>`. Writes are atomic (temporary file,
    fsync, rename, fsync of the directory), so a crash leaves either the whole file or nothing."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.where = f"папка {self.root}"

    def path(self, digest: str) -> Path:
        return self.root / checked_digest(digest)[:2] / digest

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
            raise StorageError(f"файл {digest} отсутствует в хранилище ({self.where})") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise StorageError(f"файл {digest} в хранилище ({self.where}) повреждён")
        return data

    def delete(self, digest: str) -> bool:
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

    def digests(self) -> Iterator[str]:
        if self.root.exists():
            for path in sorted(self.root.glob("*/*")):
                if path.is_file() and not path.name.startswith(".tmp-"):
                    yield path.name


def open_store(spec: str, default: Path, *, s3_endpoint: str = "", s3_access_key: str = "", s3_secret_key: str = "",
               s3_region: str = "us-east-1") -> ContentStore:
    """The store a setting names: empty → the directory `default`; `s3://bucket[/prefix]` → that
    bucket (over `s3_endpoint`, or AWS when empty); anything else → a directory path."""
    if not spec:
        return DirectoryStore(default)
    if spec.startswith("s3://"):
        from storage.s3_store import s3_store

        bucket, _, prefix = spec[len("s3://"):].partition("/")
        if not bucket:
            raise StorageError(f"в адресе хранилища документов нет бакета: {spec!r} (нужно s3://бакет/префикс)")
        return s3_store(s3_endpoint, bucket, prefix, s3_access_key, s3_secret_key, region=s3_region)
    if "://" in spec:
        raise StorageError(f"хранилище документов задаётся папкой или адресом s3://бакет/префикс, а не {spec!r}")
    return DirectoryStore(Path(spec))
