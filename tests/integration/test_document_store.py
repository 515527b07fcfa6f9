"""The working document store, both ways: a local directory and an S3 bucket on moto's standalone
server over HTTP — content-addressed, verified on read, written once, chosen by a setting."""

from __future__ import annotations

import hashlib
import json
import socket

import boto3
import pytest

from storage import DirectoryStore, StorageError, open_store
from storage.s3_store import S3Store
from store_support import start_moto


@pytest.fixture(scope="module")
def endpoint():
    process, url = start_moto()
    yield url
    process.terminate()
    process.wait(timeout=10)


def _client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


@pytest.fixture(params=["directory", "s3"])
def store(request, tmp_path):
    if request.param == "directory":
        return DirectoryStore(tmp_path / "documents")
    endpoint = request.getfixturevalue("endpoint")
    bucket = f"documents-{request.node.name.rsplit('[', 1)[0][-20:].replace('_', '-')}"
    _client(endpoint).create_bucket(Bucket=bucket)
    return open_store(f"s3://{bucket}/school-21", tmp_path, s3_endpoint=endpoint, s3_access_key="test",
                      s3_secret_key="test")


def damage(store, digest: str, data: bytes) -> None:
    """Replace the stored bytes behind the store's back (a disk error, a hand in the bucket)."""
    if isinstance(store, DirectoryStore):
        store.path(digest).write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.key(digest), Body=data)


def test_a_document_is_stored_by_its_hash_once_and_read_back_checked(store):
    data = b"%PDF-1.7 " + bytes(range(256)) * 100
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.put(data) == digest and list(store.digests()) == [digest]
    assert store.read(digest) == data and store.exists(digest) and store.verify(digest)
    other = store.put(b"another")
    assert sorted(store.digests()) == sorted([digest, other])


def test_damaged_bytes_are_refused_on_read_and_a_put_of_the_good_bytes_repairs_them(store):
    digest = store.put(b"the signed original")
    damage(store, digest, b"the signed origina1")
    assert not store.verify(digest)
    with pytest.raises(StorageError, match="повреждён"):
        store.read(digest)
    assert store.put(b"the signed original") == digest and store.read(digest) == b"the signed original"


def test_a_missing_file_is_named_in_russian_and_a_delete_says_whether_it_was_there(store):
    missing = "0" * 64
    with pytest.raises(StorageError, match="отсутствует в хранилище"):
        store.read(missing)
    assert not store.exists(missing) and not store.verify(missing) and store.delete(missing) is False
    digest = store.put(b"kept five years")
    assert store.delete(digest) is True and not store.exists(digest) and list(store.digests()) == []
    with pytest.raises(StorageError, match="не похоже на SHA-256"):
        store.read("../../etc/passwd")


def test_the_s3_store_keeps_its_objects_under_the_prefix_with_their_hash(endpoint, tmp_path):
    client = _client(endpoint)
    client.create_bucket(Bucket="district-documents")
    store = open_store("s3://district-documents/school-21/", tmp_path, s3_endpoint=endpoint, s3_access_key="test",
                       s3_secret_key="test")
    assert isinstance(store, S3Store) and store.where == "хранилище S3, бакет «district-documents», папка «school-21»"
    digest = store.put(b"x")
    head = client.head_object(Bucket="district-documents", Key=f"school-21/{digest[:2]}/{digest}")
    assert head["Metadata"] == {"sha256": digest}
    neighbour = open_store("s3://district-documents/school-22", tmp_path, s3_endpoint=endpoint,
                           s3_access_key="test", s3_secret_key="test")
    assert list(neighbour.digests()) == [] and not neighbour.exists(digest)


def test_an_unreachable_bucket_is_a_storage_error_not_a_crash(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here any more
    store = open_store("s3://nowhere", tmp_path, s3_endpoint=f"http://127.0.0.1:{port}", s3_access_key="test",
                       s3_secret_key="test")
    with pytest.raises(StorageError, match="недоступно"):
        store.read("0" * 64)


@pytest.mark.parametrize(("spec", "message"), [("s3://", "нет бакета"), ("ftp://host/x", "задаётся папкой")])
def test_a_setting_that_names_no_store_is_refused(tmp_path, spec, message):
    with pytest.raises(StorageError, match=message):
        open_store(spec, tmp_path)


def test_an_empty_setting_is_the_home_directory_and_a_path_is_a_directory(tmp_path):
    assert open_store("", tmp_path / "documents").root == tmp_path / "documents"
    assert open_store(str(tmp_path / "elsewhere"), tmp_path).root == tmp_path / "elsewhere"


@pytest.fixture
def moved(tmp_path, endpoint):
    """An installation whose documents were in its home folder and now go to a bucket."""
    from archive_service import Settings
    from archive_service.app import create_app
    from conftest import NOW, ticking_from
    from web_support import make_staff

    _client(endpoint).create_bucket(Bucket="moved-documents")
    settings = Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'a.sqlite3'}",
                        secret_key="s", document_store="s3://moved-documents/school-21",
                        document_s3_endpoint=endpoint, document_s3_access_key="test", document_s3_secret_key="test")
    app = create_app(settings, moment=ticking_from(NOW))
    make_staff(app.extensions["archive"], NOW)
    yield app
    app.extensions["archive"].engine.dispose()


def test_documents_are_moved_from_the_old_folder_into_the_bucket_once_verified_and_audited(moved, tmp_path):
    archive = moved.extensions["archive"]
    old = DirectoryStore(tmp_path / "home" / "documents")
    kept = [old.put(b"%PDF journal 5A"), old.put(b"%PDF journal 5B"), old.put(b"%PDF summary 9A")]
    damaged = old.put(b"%PDF torn")
    old.path(damaged).write_bytes(b"%PDF tore")
    runner = moved.test_cli_runner()
    refused = runner.invoke(args=["--as", "deputy", "store", "copy", "--from", str(old.root)])
    assert refused.exit_code != 0 and list(archive.store.digests()) == []
    first = runner.invoke(args=["--as", "admin", "store", "copy", "--from", str(old.root)])
    assert first.exit_code == 1 and "Скопировано файлов: 3, уже были в хранилище: 0" in first.output
    assert f"повреждены и не скопированы файлов: 1 — {damaged[:16]}" in first.output
    assert sorted(archive.store.digests()) == sorted(kept) and archive.store.read(kept[0]) == b"%PDF journal 5A"
    again = runner.invoke(args=["--as", "admin", "store", "copy", "--from", str(old.root), "--json"])
    assert json.loads(again.output.split("\n", 1)[0] if False else again.output[:again.output.rindex("}") + 1])[
        "present"] == 3
    with archive.uow() as uow:
        events = [e for e in uow.audit.entries() if e.action == "store.copied"]
        assert len(events) == 2 and events[0].details["copied"] == 3 and events[0].details["damaged"] == [damaged]
        assert events[0].actor != "admin" and events[0].object_id.startswith("хранилище S3, бакет «moved-documents»")
