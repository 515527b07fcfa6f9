"""BagIt bags (RFC 8493, SHA-256) built in memory, and a deterministic tar of one.

`bagit.make_bag` changes the process-wide working directory while it works, so two backups in
one web worker would write into each other's directories; these bags are made from bytes, touch
no file system and are read back by `bagit.Bag(...).validate()` like any other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import tarfile
from pathlib import Path

BAGIT_TXT = b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
AGENT = "archive_service storage.bags"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest_name(name: str) -> str:
    # the only escaping BagIt manifests know (as bagit.py writes them)
    return name.replace("\r", "%0D").replace("\n", "%0A")


def read_manifest(bag: Path) -> dict[str, str]:
    """The checksums a bag on disk lists: its path inside the bag («data/…») → SHA-256 (empty when the
    bag has no SHA-256 manifest). A restored bag's files were checked against these on restore."""
    manifest = bag / "manifest-sha256.txt"
    if not manifest.exists():
        return {}
    listed = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            listed[name.replace("%0A", "\n").replace("%0D", "\r")] = digest
    return listed


def _manifest(files: dict[str, bytes]) -> bytes:
    return "".join(f"{_sha(data)}  {_manifest_name(name)}\n" for name, data in sorted(files.items())).encode()


def _bag_info(info: dict[str, str], payload: dict[str, bytes]) -> bytes:
    values = {"Bagging-Date": dt.date.today().isoformat(), "Bag-Software-Agent": AGENT, **info,
              "Payload-Oxum": f"{sum(len(d) for d in payload.values())}.{len(payload)}"}
    return "".join(f"{key}: {_one_line(values[key])}\n" for key in sorted(values)).encode()


def _one_line(value: object) -> str:
    return re.sub(r"[\r\n]", "", str(value))


def make_bag(payload: dict[str, bytes], info: dict[str, str]) -> dict[str, bytes]:
    """The files of a bag (relative path → bytes) holding `payload` under data/."""
    data = {f"data/{name}": content for name, content in payload.items()}
    tags = {"bagit.txt": BAGIT_TXT, "bag-info.txt": _bag_info(info, payload), "manifest-sha256.txt": _manifest(data)}
    return {**data, **tags, "tagmanifest-sha256.txt": _manifest(tags)}


def tar(files: dict[str, bytes], root: str) -> bytes:
    """A deterministic tar of the files under `root`/ (sorted names, no times or owners)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(files.items()):
            entry = tarfile.TarInfo(f"{root}/{name}")
            entry.size, entry.mtime, entry.mode = len(data), 0, 0o644
            archive.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()
