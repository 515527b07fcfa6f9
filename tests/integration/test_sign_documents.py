"""Batch signing on a real database: only the director, one audit event each, failures isolated."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError, PermissionDenied
from archive_service.services import audit, documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from store_support import Wrapped, lose, stored_files
from signing import create_demo_pki, load_pkcs12, verify_pdf


@pytest.fixture
def closed(archive):
    """Two classes of Q2 rendered, and the demo PKI in the installation."""
    second = snapshot()
    second["class"] = {**second["class"], "id": "c-5b", "name": "5Б"}
    for data in (snapshot(), second):
        result = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
        documents.render_document(archive.uow(), archive.store, archive.renderer, result.snapshot_id,
                                  "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    return archive


def signer(archive):
    return archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin"))


def test_the_director_signs_every_document_awaiting_signature(closed):
    outcomes = sign_documents(closed.uow(), closed.store, signer(closed), "2026/2027", ["Q2"],
                              actor=Actor("director", "director"), now=closed.now)
    assert [(o.class_name, o.ok) for o in outcomes] == [("5А", True), ("5Б", True)]
    for row in documents.list_documents(closed.uow(), "2026/2027", ["Q2"]):
        assert row["signature"]["level"] == "PAdES B-LTA"
        assert verify_pdf(closed.store.read(row["signature"]["sha256"]), closed.trust()).valid
        assert closed.store.verify(row["sha256"]), "the unsigned file is kept unchanged"
    entries, breaks = audit.verify_audit_log(closed.uow())
    assert breaks == []
    with closed.uow() as uow:
        assert [e.action for e in uow.audit.entries()].count("document.signed") == 2
    with pytest.raises(NotFoundError, match="ожидающих подписи"):
        sign_documents(closed.uow(), closed.store, signer(closed), "2026/2027", ["Q2"],
                       actor=Actor("director", "director"), now=closed.now)


def test_only_the_director_may_sign(closed):
    with pytest.raises(PermissionDenied, match="только директор"):
        sign_documents(closed.uow(), closed.store, signer(closed), "2026/2027", ["Q2"],
                       actor=Actor("deputy", "deputy"), now=closed.now)


def test_a_failure_on_one_document_leaves_the_others_signed_and_says_why(closed):
    first = documents.list_documents(closed.uow(), "2026/2027", ["Q2"])[0]
    lose(closed.store, first["sha256"])
    outcomes = sign_documents(closed.uow(), closed.store, signer(closed), "2026/2027", ["Q2"],
                              actor=Actor("director", "director"), now=closed.now)
    assert [o.ok for o in outcomes] == [False, True]
    assert "отсутствует в хранилище" in outcomes[0].message
    with closed.uow() as uow:
        failed = [e for e in uow.audit.entries() if e.action == "document.sign_failed"]
        assert failed and failed[0].object_id == first["document_id"]


def test_the_cli_signs_with_the_pin_from_the_environment_and_verifies(closed, runner, monkeypatch, tmp_path):
    monkeypatch.setenv("ARCHIVE_SIGN_PIN", "wrong")
    refused = runner.invoke(args=["--as", "director", "sign", "--year", "2026/2027", "--period", "Q2",
                                  "--pkcs12", str(closed.demo_pki.signer_p12)])
    assert refused.exit_code == 1 and "неверный пароль" in refused.output
    monkeypatch.setenv("ARCHIVE_SIGN_PIN", "pin")
    result = runner.invoke(args=["--as", "director", "sign", "--year", "2026/2027", "--period", "Q2",
                                 "--pkcs12", str(closed.demo_pki.signer_p12)])
    assert result.exit_code == 0 and "Подписано документов: 2" in result.output
    runner.invoke(args=["--as", "deputy", "documents", "export", "--year", "2026/2027", "--to", str(tmp_path)])
    verified = runner.invoke(args=["verify", str(tmp_path / "5А_2_четверть_журнал.pdf"), "--json"])
    assert verified.exit_code == 0 and json.loads(verified.output)["level"] == "PAdES B-LTA"
    tampered = tmp_path / "tampered.pdf"
    data = bytearray((tmp_path / "5А_2_четверть_журнал.pdf").read_bytes())
    data[len(data) // 2] ^= 0x20
    tampered.write_bytes(bytes(data))
    failed = runner.invoke(args=["verify", str(tampered)])
    assert failed.exit_code == 1 and "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА" in failed.output


class Killed(BaseException):
    """The process dies (nothing in the service may catch it)."""


class DyingAfterStoring(Wrapped):
    """A content store whose process is killed right after a file is written, before its record."""

    def put(self, data: bytes) -> str:
        self.stored = self.inner.put(data)
        raise Killed


def test_a_signed_file_stored_before_a_crash_is_adopted_not_signed_again(closed):
    dying = DyingAfterStoring(closed.store)
    with pytest.raises(Killed):
        sign_documents(closed.uow(), dying, signer(closed), "2026/2027", ["Q2"],
                       actor=Actor("director", "director"), now=closed.now)
    outcomes = sign_documents(closed.uow(), closed.store, signer(closed), "2026/2027", ["Q2"],
                              actor=Actor("director", "director"), now=closed.now)
    assert [o.ok for o in outcomes] == [True, True] and "после сбоя" in outcomes[0].message
    first, second = documents.list_documents(closed.uow(), "2026/2027", ["Q2"])
    assert first["signature"]["sha256"] == dying.stored, "the file of the killed run is the signature"
    assert verify_pdf(closed.store.read(dying.stored), closed.trust()).valid
    referenced = {r["sha256"] for r in (first, second)} | {r["signature"]["sha256"] for r in (first, second)}
    assert set(stored_files(closed.store)) == referenced, "no signed file is left without its record"
    assert audit.verify_audit_log(closed.uow())[1] == []


def test_signing_again_when_everything_is_signed_says_so_and_succeeds(closed, runner, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SIGN_PIN", "pin")
    args = ["--as", "director",
            "sign", "--year", "2026/2027", "--period", "Q2", "--pkcs12", str(closed.demo_pki.signer_p12)]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 0 and "все 2 уже подписаны" in again.output, again.output
    nothing = runner.invoke(args=["--as", "director", "sign", "--year", "2026/2027", "--period", "Q3", "--pkcs12",
                                  str(closed.demo_pki.signer_p12)])
    assert nothing.exit_code == 1 and "нет документов, ожидающих подписи" in nothing.output
