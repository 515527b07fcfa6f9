"""The working document store in an S3-compatible bucket (MinIO in docker-compose.yml): a worker
on any host writes where the web and every other worker read, with no shared disk.

Objects are named `<prefix>/<first two hex digits>/<sha256>` and carry their SHA-256 in the
metadata; a read hashes the bytes it got and refuses any that do not match their name. A put of
bytes already stored intact writes nothing (content-addressed: same name, same bytes); a damaged
object under the name is overwritten by the good bytes. This is not the write-once backup medium
(`storage.s3.S3Medium`, Object Lock): disposal deletes a document here when its retention ended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from storage.content_store import checked_digest
from storage.crash_points import crash_point
from storage.errors import StorageError

if TYPE_CHECKING:  # the stubs package (a test dependency) exists for the type checker only
    from mypy_boto3_s3 import S3Client

_MISSING = {"404", "NoSuchKey", "NotFound"}
T = TypeVar("T")


class S3Store:
    def __init__(self, client: S3Client, bucket: str, prefix: str = ""):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.where = f"хранилище S3, бакет «{bucket}»" + (f", папка «{self.prefix.rstrip('/')}»" if self.prefix else "")

    def key(self, digest: str) -> str:
        return f"{self.prefix}{checked_digest(digest)[:2]}/{digest}"

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if self.verify(digest):
            return digest
        # the same crash points as a directory's atomic write: killed before the upload completes
        # (an unfinished upload leaves no object), or with the object stored and nothing else done
        crash_point("write.unrenamed")
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.key(digest), Body=data, Metadata={"sha256": digest})
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"не удалось записать файл {digest} ({self.where}): {exc}") from exc
        crash_point("write.done")
        return digest

    def _asked(self, ask: Callable[[], T]) -> T | None:
        """`ask()`'s answer; None when the object is not there; StorageError when the store cannot answer."""
        try:
            return ask()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise StorageError(f"хранилище документов недоступно ({self.where}): {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"хранилище документов недоступно ({self.where}): {exc}") from exc

    def _body(self, digest: str) -> bytes | None:
        key = self.key(digest)
        return self._asked(lambda: self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def read(self, digest: str) -> bytes:
        data = self._body(digest)
        if data is None:
            raise StorageError(f"файл {digest} отсутствует в хранилище ({self.where})")
        if hashlib.sha256(data).hexdigest() != digest:
            raise StorageError(f"файл {digest} в хранилище ({self.where}) повреждён")
        return data

    def delete(self, digest: str) -> bool:
        if not self.exists(digest):
            return False
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(digest))
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"не удалось удалить файл {digest} ({self.where}): {exc}") from exc
        return True

    def exists(self, digest: str) -> bool:
        key = self.key(digest)
        return self._asked(lambda: self.client.head_object(Bucket=self.bucket, Key=key)) is not None

    def verify(self, digest: str) -> bool:
        data = self._body(digest)
        return data is not None and hashlib.sha256(data).hexdigest() == digest

    def digests(self) -> Iterator[str]:
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    yield item["Key"].rsplit("/", 1)[-1]
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"хранилище документов недоступно ({self.where}): {exc}") from exc


def s3_store(endpoint: str, bucket: str, prefix: str, access_key: str, secret_key: str, *,
             region: str = "us-east-1") -> S3Store:
    """The store in `bucket` under `prefix`, over `endpoint` (empty: AWS itself)."""
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=endpoint or None, region_name=region,
                          aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
                          config=Config(retries={"max_attempts": 5, "mode": "standard"},
                                        max_pool_connections=32))
    return S3Store(client, bucket, prefix)
