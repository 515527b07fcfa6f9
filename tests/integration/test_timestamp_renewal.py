"""Keeping signed documents verifiable: the at-risk report and the renewal of document timestamps."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.renewal import documents_at_risk, renew_timestamps
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from signing import create_demo_pki, load_pkcs12, verify_pdf
from store_support import damage

YEARS_4 = dt.timedelta(days=4 * 365)


@pytest.fixture
def signed(archive):
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id, "class_journal",
                              archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    signer = archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin"))
    sign_documents(archive.uow(), archive.store, signer, "2026/2027", ["Q2"], actor=Actor("director", "director"),
                   now=archive.now)
    return archive


def test_the_expiry_of_the_newest_timestamp_is_recorded_and_reported(signed):
    (row,) = documents.list_documents(signed.uow())
    expires = dt.datetime.fromisoformat(row["signature"]["timestamp_expires_at"])
    assert dt.timedelta(days=2 * 365) < expires - signed.now() < YEARS_4  # the demo TSA certificate: 3 years
    assert documents_at_risk(signed.uow(), now=signed.now(), horizon=dt.timedelta(days=30)) == []
    (risk,) = documents_at_risk(signed.uow(), now=signed.now(), horizon=YEARS_4)
    assert risk.document_id == row["document_id"] and 2 * 365 < risk.days_left < 4 * 365


def test_a_renewal_adds_a_document_timestamp_and_keeps_the_old_file(signed):
    (before,) = documents.list_documents(signed.uow())
    results = renew_timestamps(signed.uow(), signed.store, signed.timestamper(), signed.trust(), now=signed.now(),
                               horizon=YEARS_4, actor=Actor("beat", "system"))
    assert [error for _, error in results] == [None]
    (after,) = documents.list_documents(signed.uow())
    assert after["signature"]["renewals"] == 1 and after["signature"]["sha256"] != before["signature"]["sha256"]
    assert signed.store.verify(before["signature"]["sha256"]), "nothing is changed in place"
    report = verify_pdf(signed.store.read(after["signature"]["sha256"]), signed.trust())
    assert report.valid and "штампов: 2" in report.as_text()
    with signed.uow() as uow:
        assert uow.audit.entries()[-1].action == "document.timestamp_renewed"


def test_the_cli_reports_and_renews(signed, runner):
    quiet = json.loads(runner.invoke(args=["signatures", "at-risk", "--days", "30", "--json"]).output)
    assert quiet == []
    risky = runner.invoke(args=["signatures", "at-risk", "--days", str(4 * 365)])
    assert "Под угрозой документов: 1" in risky.output
    renewed = runner.invoke(args=["--as", "admin", "signatures", "renew", "--days", str(4 * 365)])
    assert renewed.exit_code == 0 and "Продлено: 1" in renewed.output


def test_the_weekly_task_renews_through_celery(signed, app):
    from archive_service import tasks

    object.__setattr__(signed.settings, "timestamp_renewal_days", 4 * 365)  # frozen settings, this app only
    result = app.extensions["celery"].tasks["archive.renew_timestamps"].delay().get()
    assert result == {"checked": 1, "invalid": [], "renewed": 1, "failed": []}
    assert tasks.renew_timestamps.name == "archive.renew_timestamps"


def test_the_check_verifies_every_signed_document_and_finds_a_damaged_one(signed, runner):
    ok = runner.invoke(args=["signatures", "check"])
    assert ok.exit_code == 0 and "Проверено подписанных документов: 1, с ошибками: 0" in ok.output
    (row,) = documents.list_documents(signed.uow())
    damage(signed.store, row["signature"]["sha256"])
    bad = runner.invoke(args=["signatures", "check", "--json"])
    assert bad.exit_code == 1
    (failure,) = json.loads(bad.output)["failures"]
    assert failure["document_id"] == row["document_id"] and "повреждён" in failure["problems"][0]


def test_the_listing_shows_the_newest_of_several_renewals(signed):
    for _ in range(2):
        renew_timestamps(signed.uow(), signed.store, signed.timestamper(), signed.trust(), now=signed.now(),
                         horizon=YEARS_4, actor=Actor("beat", "system"))
    (row,) = documents.list_documents(signed.uow())
    with signed.uow() as uow:
        (signature,) = uow.documents.signatures([uow.documents.by_document_id(row["document_id"]).id]).values()
        newest = uow.documents.latest_renewals([signature.id, signature.id + 1000])  # one signature has none
        assert list(newest) == [signature.id]
        assert newest[signature.id].previous_sha256 != signature.sha256, "the second renewal, not the first"
        assert row["signature"]["sha256"] == newest[signature.id].sha256
