"""`archive-service sign` with a GOST key through CryptoPro's cryptcp (its stand-in: the OpenSSL GOST
engine behind cryptcp's own command line), timestamps from a GOST authority over HTTP
(ARCHIVE_TSA_URL), the accredited centres from ARCHIVE_TRUSTED_ROOTS; then `archive-service verify`
and the weekly re-check say valid and qualified, and the 25-year renewal keeps it so."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from archive_service.app import create_app
from archive_service.config import Settings
from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import soon_after_the_quarter
from gost_support import OWNER, SCHOOL
from signing.cryptopro import certificate_thumbprint
from signing.gost_pki import create_gost_pki
from signing.gost_tsa import GostTimestampAuthority
from standins.tsa import GostTsaStandIn
from store_support import store_settings
from web_support import make_staff

STANDIN = Path(__file__).resolve().parents[1] / "standins" / "cryptcp"
PIN = "12345678"
NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def setup(tmp_path, db_url, monkeypatch):
    pki = create_gost_pki(tmp_path / "uc", owner=OWNER, organisation=SCHOOL, now=NOW)
    store = tmp_path / "cryptopro-store"  # the token as the stand-in keeps it
    store.mkdir()
    shutil.copy(pki.director_cert, store / "director.cert.pem")
    shutil.copy(pki.director_key, store / "director.key.pem")
    (store / "director.pin").write_text(PIN)
    monkeypatch.setenv("CRYPTCP_STANDIN_STORE", str(store))
    monkeypatch.setenv("DIRECTOR_PIN", PIN)
    with GostTsaStandIn(GostTimestampAuthority.from_files(pki.tsa_cert, pki.tsa_key)) as tsa:
        settings = Settings(home=tmp_path / "home", database_url=db_url, secret_key="test", cryptcp=STANDIN,
                            tsa_url=tsa.url, trusted_roots=str(pki.root_cert), trust_crls=str(pki.root_crl),
                            **store_settings(tmp_path / "home"))
        app = create_app(settings, moment=soon_after_the_quarter())  # the quarter has ended
        app.config.update(TESTING=True)
        archive = app.extensions["archive"]
        stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
        documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                  "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
        make_staff(archive, NOW)  # the director signs by name: `--as director`
        yield app, archive, pki, tsa
        archive.engine.dispose()


def test_the_director_signs_with_cryptopro_and_verify_says_valid_and_qualified(setup, tmp_path):
    app, archive, pki, tsa = setup
    runner = app.test_cli_runner()
    result = runner.invoke(args=["--as", "director", "sign", "--year", "2026/2027", "--period", "Q2",
                                 "--cryptopro-thumbprint", certificate_thumbprint(pki.director_cert),
                                 "--cryptopro-pin-env", "DIRECTOR_PIN", "--external-cert", str(pki.director_cert)])
    assert result.exit_code == 0 and "Подписано документов: 1" in result.output, result.output
    assert PIN not in result.output
    assert len(tsa.requests) == 2  # the signature timestamp and the document timestamp, over HTTP
    assert {r["message_imprint"]["hash_algorithm"]["algorithm"].native for r in tsa.requests} == {"streebog256"}
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(archive.store.read(row["signature"]["sha256"]))
    verified = runner.invoke(args=["verify", str(signed)])
    assert verified.exit_code == 0, verified.output
    assert "ПОДПИСЬ ДЕЙСТВИТЕЛЬНА" in verified.output
    assert ("Квалифицированная электронная подпись: да — сертификат выдан аккредитованным удостоверяющим "
            "центром «Тестовый УЦ ГОСТ archive_service»") in verified.output
    checked = runner.invoke(args=["signatures", "check"])
    assert checked.exit_code == 0, checked.output
    renewed = runner.invoke(args=["--as", "admin",
                                  "signatures", "renew", "--days", "100000"])  # every document is «at risk»
    assert renewed.exit_code == 0, renewed.output
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    again = tmp_path / "renewed.pdf"
    again.write_bytes(archive.store.read(row["signature"]["sha256"]))
    verified = runner.invoke(args=["verify", str(again)])
    assert verified.exit_code == 0 and "штампов: 2" in verified.output, verified.output


def test_a_wrong_pin_signs_nothing_and_says_so_in_russian(setup, monkeypatch):
    app, archive, pki, _ = setup
    monkeypatch.setenv("DIRECTOR_PIN", "00000000")
    result = app.test_cli_runner().invoke(args=[
        "--as", "director", "sign", "--year", "2026/2027", "--period", "Q2", "--cryptopro-thumbprint",
        certificate_thumbprint(pki.director_cert), "--cryptopro-pin-env", "DIRECTOR_PIN",
        "--external-cert", str(pki.director_cert)])
    assert result.exit_code != 0
    assert "PIN" in result.output and "00000000" not in result.output
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    assert row["signature"] is None


def test_the_inspector_reads_a_gost_signature_report_in_plain_russian(setup):
    from web_support import sign_in

    app, archive, pki, _ = setup
    result = app.test_cli_runner().invoke(args=[
        "--as", "director", "sign", "--year", "2026/2027", "--period", "Q2", "--cryptopro-thumbprint",
        certificate_thumbprint(pki.director_cert), "--cryptopro-pin-env", "DIRECTOR_PIN",
        "--external-cert", str(pki.director_cert)])
    assert result.exit_code == 0, result.output
    inspector = app.test_client()
    sign_in(inspector, "inspector")
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    page = inspector.get(f"/inspect/documents/{row['document_id']}/report").get_data(as_text=True)
    assert "Подпись действительна" in page
    assert "усиленная квалифицированная электронная подпись со штампами времени" in page
    assert "статья&nbsp;11 Федерального закона от 06.04.2011 № 63-ФЗ" in page
    assert "Квалифицированная подпись" in page and "Тестовый УЦ ГОСТ archive_service" in page
    assert "КС1, КС2" in page and "подпись по ГОСТ Р 34.10-2012 соответствует содержимому" in page
    assert "UTC" not in page and "(МСК)" in page
