"""The S3 medium against moto's standalone server over HTTP, with an Object-Lock bucket."""

from __future__ import annotations

import datetime as dt
import hashlib

import boto3
import pytest

from storage import DirectoryMedium, RetentionRefused, audit_set, build_set, restore_set, write_set
from storage.s3 import S3Medium
from store_support import start_moto

KEEP = dt.date(2033, 1, 1)


@pytest.fixture(scope="module")
def endpoint():
    server, url = start_moto()  # the one way tests start moto's server (tests/store_support.py)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


def locked_bucket(client, name: str) -> str:
    client.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    return name


def test_a_set_is_written_audited_repaired_and_restored_on_s3_and_a_directory(client, tmp_path):
    s3 = S3Medium(client, locked_bucket(client, "medium-a-1"), "Носитель A (S3)", "серверная, ЦОД района")
    disk = DirectoryMedium(tmp_path / "b", "Носитель B", "кабинет 3")
    files = build_set({"a.json": b"{}", "b.pdf": b"%PDF" * 1000}, {"Source-Organization": "школа"}, "код")
    assert [s.verified for s in write_set("s1", files, [s3, disk], retain_until=KEEP)] == [True, True]
    head = client.head_object(Bucket="medium-a-1", Key="s1/data/payload.tar.sealed")
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"].date() == KEEP
    (disk.root / "s1/data/payload.tar.sealed").write_bytes(b"damaged")
    findings = audit_set("s1", [s3, disk], retain_until=KEEP)
    assert [f.outcome for f in findings if f.outcome != "ok"] == ["repaired"]
    bag = restore_set("s1", [s3, disk], "код", tmp_path / "restored")
    assert (bag / "data/b.pdf").read_bytes() == b"%PDF" * 1000


def test_a_damaged_s3_object_is_repaired_from_the_disk(client, tmp_path):
    s3 = S3Medium(client, locked_bucket(client, "medium-a-2"), "Носитель A (S3)", "ЦОД")
    disk = DirectoryMedium(tmp_path / "b", "Носитель B", "кабинет 3")
    files = build_set({"a.json": b"{}"}, {}, "код")
    write_set("s2", files, [s3, disk], retain_until=KEEP)
    client.put_object(Bucket="medium-a-2", Key="s2/manifest-sha256.txt", Body=b"truncated")  # a new version
    findings = audit_set("s2", [s3, disk], retain_until=KEEP)
    assert [(f.name, f.outcome) for f in findings if f.outcome != "ok"] == [("manifest-sha256.txt", "repaired")]
    assert s3.sha256("s2/manifest-sha256.txt") == disk.sha256("s2/manifest-sha256.txt")


def test_the_code_refuses_an_early_delete_even_where_the_server_would_allow_it(client):
    client.create_bucket(Bucket="plain-bucket")  # no Object Lock: the server itself would delete
    s3 = S3Medium(client, "plain-bucket", "Носитель без блокировки", "ЦОД", object_lock=False)
    s3.write("x/obj", b"data", retain_until=KEEP)
    with pytest.raises(RetentionRefused, match="хранится до 01.01.2033"):
        s3.delete("x/obj", today=dt.date(2032, 12, 31))
    assert s3.exists("x/obj")
    s3.delete("x/obj", today=KEEP)
    assert not s3.exists("x/obj")


def test_destruction_on_a_locked_bucket_removes_every_version_not_just_the_current_one(client):
    bucket = locked_bucket(client, "medium-a-versions")
    s3 = S3Medium(client, bucket, "Носитель A (S3)", "ЦОД")
    s3.write("kept/obj", b"data", retain_until=KEEP)
    version = client.list_object_versions(Bucket=bucket, Prefix="kept/obj")["Versions"][0]["VersionId"]
    with pytest.raises(client.exceptions.ClientError):  # the server itself keeps a locked version
        client.delete_object(Bucket=bucket, Key="kept/obj", VersionId=version)
    with pytest.raises(RetentionRefused):
        s3.delete("kept/obj", today=dt.date(2032, 12, 31))

    # the server's clock is the real one: an object whose lock ended today may really go
    ended = dt.datetime.now(dt.timezone.utc).date()
    s3.write("x/obj", b"first", retain_until=ended)
    s3.write("x/obj", b"second", retain_until=ended)  # a repair writes a new version over the old one
    assert len(client.list_object_versions(Bucket=bucket, Prefix="x/obj")["Versions"]) == 2

    s3.delete("x/obj", today=ended)

    left = client.list_object_versions(Bucket=bucket, Prefix="x/obj")
    assert left.get("Versions", []) == [] and left.get("DeleteMarkers", []) == []
    assert not s3.exists("x/obj") and s3.list("x/") == []
    assert s3.exists("kept/obj")


def flipped(data: bytes) -> bytes:
    return data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0x01]) + data[len(data) // 2 + 1:]


@pytest.mark.parametrize("fault", ["marker deleted", "marker flipped", "metadata replaced", "lock missing"])
def test_a_damaged_marker_or_object_record_on_s3_is_detected_and_repaired_from_the_disk(client, tmp_path, fault):
    bucket = locked_bucket(client, f"medium-a-{fault.replace(' ', '-')}")
    s3 = S3Medium(client, bucket, "Носитель A (S3)", "ЦОД")
    disk = DirectoryMedium(tmp_path / "b", "Носитель B", "кабинет 3")
    files = build_set({"a.json": b"{}"}, {}, "код")
    write_set("s3", files, [s3, disk], retain_until=KEEP)
    marker = client.get_object(Bucket=bucket, Key="s3/COMPLETE")["Body"].read()
    payload = client.get_object(Bucket=bucket, Key="s3/data/payload.tar.sealed")["Body"].read()
    if fault == "marker deleted":
        client.delete_object(Bucket=bucket, Key="s3/COMPLETE")  # a delete marker over the locked version
    elif fault == "marker flipped":
        client.put_object(Bucket=bucket, Key="s3/COMPLETE", Body=flipped(marker))
    elif fault == "metadata replaced":
        client.put_object(Bucket=bucket, Key="s3/data/payload.tar.sealed", Body=payload,
                          Metadata={"sha256": "0" * 64, "retain-until": "2027-01-01"})
    else:
        client.put_object(Bucket=bucket, Key="s3/data/payload.tar.sealed", Body=payload,
                          Metadata={"sha256": hashlib.sha256(payload).hexdigest(), "retain-until": KEEP.isoformat()})
    findings = audit_set("s3", [s3, disk], retain_until=KEEP)
    name = "COMPLETE" if fault.startswith("marker") else "data/payload.tar.sealed"
    aspect = "data" if fault.startswith("marker") else "meta"
    assert [(f.name, f.aspect, f.medium, f.outcome) for f in findings if f.outcome != "ok"] == [
        (name, aspect, "Носитель A (S3)", "repaired")]
    assert {f.outcome for f in audit_set("s3", [s3, disk], retain_until=KEEP)} == {"ok"}
    assert restore_set("s3", [s3], "код", tmp_path / "r").joinpath("data/a.json").read_bytes() == b"{}"
