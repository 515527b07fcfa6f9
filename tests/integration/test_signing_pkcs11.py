"""Signing with a key generated on a PKCS#11 token (SoftHSM2), as qualified keys are held."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from archive_service.config import PROJECT_ROOT
from archive_service.domain.actor import Actor
from archive_service.rendering import DocumentRenderer
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from signing import (
    KeyAccessError,
    PadesSigner,
    Trust,
    certify_public_key,
    create_demo_pki,
    local_timestamper,
    pkcs11_key,
    verify_pdf,
)

LIBRARY = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "2468"


def tool(*args: str, pin: bool = True) -> subprocess.CompletedProcess:
    login = ["--login", "--pin", PIN] if pin else []
    return subprocess.run(["pkcs11-tool", "--module", str(LIBRARY), "--token-label", "archive", *login, *args],
                          capture_output=True, check=True)


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM2 token with an EC key generated on it and the demo CA's certificate for it."""
    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read when the library initialises, before any session
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "archive", "--pin", PIN,
                    "--so-pin", "13579"], capture_output=True, check=True)
    tool("--keypairgen", "--key-type", "EC:prime256v1", "--label", "director", "--id", "01")
    public = home / "public.der"
    tool("--read-object", "--type", "pubkey", "--label", "director", "--output-file", str(public), pin=False)
    pki = create_demo_pki(home / "pki", owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                          password=b"unused", now=dt.datetime.now(dt.timezone.utc))
    cert = home / "director.der"
    cert.write_bytes(certify_public_key(pki, public.read_bytes(), owner="Сергеева Ольга Викторовна",
                                        organisation="МБОУ СОШ № 21", now=dt.datetime.now(dt.timezone.utc)))
    tool("--write-object", str(cert), "--type", "cert", "--label", "director", "--id", "01")
    return pki


def test_a_key_generated_on_the_token_signs_at_b_lta(token):
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    document = DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical))
    trust = Trust.from_files([token.root_cert], [token.root_crl])
    with pkcs11_key(LIBRARY, "archive", "director", PIN) as key:
        signer = PadesSigner(key, local_timestamper(token.tsa_cert, token.tsa_key), trust,
                             PROJECT_ROOT / "templates/fonts/PTS55F.ttf")
        signed = [signer.sign(document.pdf, document.pages - 1) for _ in range(2)]  # one session, two documents
    for data in signed:
        report = verify_pdf(data, trust)
        assert report.valid, report.as_text()
        assert report.level == "PAdES B-LTA" and report.signer == "Сергеева Ольга Викторовна"


def test_a_wrong_pin_is_a_clear_error(token):
    with pytest.raises(KeyAccessError, match="неверный PIN"):
        with pkcs11_key(LIBRARY, "archive", "director", "0000"):
            pass


def test_a_missing_key_is_a_clear_error(token):
    with pytest.raises(KeyAccessError, match="не найден ключ|нет сертификата"):
        with pkcs11_key(LIBRARY, "archive", "nobody", PIN):
            pass


def test_the_cli_signs_a_period_with_the_token(token, archive, runner, monkeypatch):
    import shutil

    from archive_service.services import documents
    from archive_service.services.ingest import ingest_snapshot
    from conftest import NOW

    shutil.copytree(token.directory, archive.demo_pki.directory)  # the token's CA is this installation's trust
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id, "class_journal",
                              archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    usage = runner.invoke(args=["--as", "director",
                                "sign", "--year", "2026/2027", "--period", "Q2", "--pkcs11-lib", str(LIBRARY)])
    assert usage.exit_code == 2 and "--pkcs11-token" in usage.output
    monkeypatch.setenv("ARCHIVE_SIGN_PIN", PIN)
    result = runner.invoke(args=["--as", "director",
                                 "sign", "--year", "2026/2027", "--period", "Q2", "--pkcs11-lib", str(LIBRARY),
                                 "--pkcs11-token", "archive", "--pkcs11-key", "director"])
    assert result.exit_code == 0 and "Подписано документов: 1" in result.output, result.output
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    assert verify_pdf(archive.store.read(row["signature"]["sha256"]), archive.trust()).valid
