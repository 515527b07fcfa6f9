"""An S3 bucket as a write-once medium: every object under COMPLIANCE Object Lock.

The retain-until date is set on every object (so the server refuses early deletes), and kept in
the object's metadata so that this code refuses them too — whatever the server does.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from storage.errors import StorageError
from storage.media import RetentionRefused, _checked, meta_problem

if TYPE_CHECKING:  # the stubs package (a test dependency) exists for the type checker only
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import HeadObjectOutputTypeDef


@dataclass
class S3Medium:
    client: S3Client
    bucket: str
    label: str
    location: str
    prefix: str = ""
    object_lock: bool = True
    serial: str = ""
    """The bucket's identification as printed on the hand-over act (empty if not configured)."""

    def _key(self, name: str) -> str:
        return self.prefix + _checked(name).as_posix()

    def write(self, name: str, data: bytes, *, retain_until: dt.date) -> None:
        extra: dict[str, Any] = {}
        if self.object_lock:
            extra = {"ObjectLockMode": "COMPLIANCE",
                     "ObjectLockRetainUntilDate": dt.datetime.combine(retain_until, dt.time(), dt.timezone.utc)}
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data,
                                   Metadata={"sha256": hashlib.sha256(data).hexdigest(),
                                             "retain-until": retain_until.isoformat()}, **extra)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"не удалось записать {name} на носитель «{self.label}»: {exc}") from exc

    def read(self, name: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise StorageError(f"на носителе «{self.label}» нет объекта {name}") from None
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"не удалось прочитать {name} с носителя «{self.label}»: {exc}") from exc

    def _head(self, name: str) -> HeadObjectOutputTypeDef | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise StorageError(f"носитель «{self.label}» недоступен: {exc}") from exc

    def exists(self, name: str) -> bool:
        return self._head(name) is not None

    def list(self, prefix: str = "") -> builtins.list[str]:
        names: builtins.list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                          Prefix=self.prefix + prefix):
            names.extend(item["Key"][len(self.prefix):] for item in page.get("Contents", []))
        return sorted(names)

    def sha256(self, name: str) -> str | None:
        """The hash of the object's bytes as stored now (never the metadata's claim)."""
        if not self.exists(name):
            return None
        h = hashlib.sha256()
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
        for block in iter(lambda: body.read(1 << 20), b""):
            h.update(block)
        return h.hexdigest()

    def retain_until(self, name: str) -> dt.date | None:
        head = self._head(name)
        if head is None:
            return None
        dates = [dt.date.fromisoformat(v) for k, v in head.get("Metadata", {}).items() if k == "retain-until"]
        if head.get("ObjectLockRetainUntilDate"):
            dates.append(head["ObjectLockRetainUntilDate"].date())
        return max(dates) if dates else None

    def check_meta(self, name: str, *, sha256: str, retain_until: dt.date) -> str | None:
        """What is wrong with the object's metadata and its Object Lock, None when nothing."""
        head = self._head(name)
        if head is None:
            return "нет метаданных объекта"
        problem = meta_problem(head.get("Metadata") or None, sha256, retain_until, sidecar=False)
        if problem is None and self.object_lock:
            locked = head.get("ObjectLockRetainUntilDate")
            if head.get("ObjectLockMode") != "COMPLIANCE" or locked is None or locked.date() < retain_until:
                problem = "объект не защищён блокировкой до конца срока хранения"
        return problem

    def delete(self, name: str, *, today: dt.date) -> None:
        until = self.retain_until(name)
        if until is None or today < until:
            raise RetentionRefused(f"объект {name} на носителе «{self.label}» хранится до {until:%d.%m.%Y}"
                                   if until else f"у объекта {name} нет срока хранения")
        key = self._key(name)
        try:
            # Object Lock needs a versioned bucket, where a plain delete only stacks a delete marker
            # over the data: destruction removes every version of the key and every marker.
            versions = self._versions(key)
            for version in versions:
                self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=version)
            if not versions:
                self.client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"не удалось удалить {name} с носителя «{self.label}»: {exc}") from exc

    def _versions(self, key: str) -> builtins.list[str]:
        """Every stored version and delete marker of exactly `key`, newest first."""
        found: builtins.list[str] = []
        for page in self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=key):
            found += [item["VersionId"] for item in page.get("Versions", []) + page.get("DeleteMarkers", [])
                      if item["Key"] == key and item.get("VersionId") not in (None, "null")]
        return found

    def free_space(self) -> int:
        return sys.maxsize  # an object store has no fixed capacity


def s3_medium(endpoint: str, bucket: str, access_key: str, secret_key: str, *, label: str, location: str,
              region: str = "us-east-1", serial: str = "", prefix: str = "") -> S3Medium:
    """An S3 medium for a bucket with Object Lock (MinIO in the deployment); `prefix`: its part of the
    bucket (each school of a district keeps its sets under its own)."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint or None, region_name=region,
                          aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None)
    return S3Medium(client, bucket, label, location, serial=serial, prefix=prefix)
