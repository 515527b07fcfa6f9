"""The document store the tests run on, and what tests do to stored files behind its back.

`ARCHIVE_TEST_DOCUMENT_STORE=s3` runs every test that makes an archive with its documents in an
S3 bucket on moto's standalone server over HTTP (one server per test process, started on first
use); unset or `directory`, the embedded default (`ARCHIVE_HOME/documents`). Each installation
(each ARCHIVE_HOME) gets its own prefix, derived from the home's path, so a command run in a
subprocess on that home and the test that checks it see the same store.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from storage import DirectoryStore

MODE = os.environ.get("ARCHIVE_TEST_DOCUMENT_STORE", "directory")
if MODE not in ("directory", "s3"):
    raise RuntimeError(f"ARCHIVE_TEST_DOCUMENT_STORE: directory or s3, not {MODE!r}")
BUCKET = "archive-documents"
_server: dict[str, str] = {}


def start_moto() -> tuple[subprocess.Popen, str]:
    """moto's standalone S3 server on a free port, once it answers HTTP (importing moto takes seconds,
    more on a loaded machine); a server that does not come up within a minute fails loudly."""
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto's S3 server stopped at start (exit code {process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return process, url
        except urllib.error.HTTPError:
            return process, url  # it answers
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("moto's S3 server did not answer within 60 s")


def moto_server() -> str:
    """The endpoint of a moto S3 server for this process (started once, stopped at exit)."""
    if "url" not in _server:
        process, url = start_moto()
        atexit.register(process.terminate)
        _server["url"] = url
        _client(url).create_bucket(Bucket=BUCKET)
    return _server["url"]


def _client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


def store_settings(home: Path) -> dict[str, str]:
    """The `Settings` fields that put an installation's documents where this test run keeps them."""
    if MODE == "directory":
        return {}
    prefix = hashlib.sha256(str(Path(home).resolve()).encode()).hexdigest()[:20]
    return {"document_store": f"s3://{BUCKET}/{prefix}", "document_s3_endpoint": moto_server(),
            "document_s3_access_key": "test", "document_s3_secret_key": "test"}


def store_env(home: Path) -> dict[str, str]:
    """The same as environment variables, for a command run in a subprocess."""
    return {f"ARCHIVE_{name.upper()}": value for name, value in store_settings(home).items()}


def stored_files(store) -> list[str]:
    """The SHA-256 names of the files in a store (an unfinished write is no file of it)."""
    return sorted(store.digests())


def damage(store, digest: str, change=lambda data: data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1])
           + data[len(data) // 2 + 1:]) -> None:
    """Change a stored file's bytes in place (by default one bit in its middle), as a disk error would."""
    if isinstance(store, DirectoryStore):
        path = store.path(digest)
        path.chmod(0o644)
        path.write_bytes(change(path.read_bytes()))
    else:
        data = store.client.get_object(Bucket=store.bucket, Key=store.key(digest))["Body"].read()
        store.client.put_object(Bucket=store.bucket, Key=store.key(digest), Body=change(data))


def lose(store, digest: str) -> None:
    """A stored file is gone (deleted by hand, a lost disk) — not a disposal."""
    assert store.delete(digest), f"{digest} was not in the store"


class Wrapped:
    """A store that behaves as `inner` except where a subclass says otherwise (a crash, a failing delete)."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def put(self, data: bytes) -> str:
        return self.inner.put(data)

    def delete(self, digest: str) -> bool:
        return self.inner.delete(digest)
