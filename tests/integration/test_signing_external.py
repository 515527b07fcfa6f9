"""The external-signer route (as for GOST keys in CryptoPro), with `openssl cms` standing in."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from archive_service.config import PROJECT_ROOT
from archive_service.domain.actor import Actor
from archive_service.rendering import DocumentRenderer
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from signing import SigningError, Trust, create_demo_pki, local_timestamper, verify_pdf
from signing.external import ExternalCommandSigner

FONT = PROJECT_ROOT / "templates/fonts/PTS55F.ttf"


def external_key(pki, directory):
    """The director's key and certificate as PEM files for the stand-in external program."""
    key, cert, _ = pkcs12.load_key_and_certificates(pki.signer_p12.read_bytes(), b"pw")
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    command = f"openssl cms -sign -binary -signer {cert_path} -inkey {key_path} -md sha256 -outform DER"
    return command, cert_path


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    home = tmp_path_factory.mktemp("external")
    pki = create_demo_pki(home / "pki", owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                          password=b"pw", now=dt.datetime.now(dt.timezone.utc))
    command, cert = external_key(pki, home)
    return pki, command, cert


def test_the_cms_returned_by_an_external_program_is_embedded_at_b_lta(setup, tmp_path):
    pki, command, cert = setup
    trust = Trust.from_files([pki.root_cert], [pki.root_crl])
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    doc = DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical))
    signer = ExternalCommandSigner(command, cert, local_timestamper(pki.tsa_cert, pki.tsa_key), trust, FONT)
    signed = signer.sign(doc.pdf, doc.pages - 1)
    report = verify_pdf(signed, trust)
    assert report.valid and report.level == "PAdES B-LTA", report.as_text()
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in out.split("Signature #2")[0]


def test_a_failing_external_program_is_a_clear_error(setup):
    pki, _, cert = setup
    trust = Trust.from_files([pki.root_cert], [pki.root_crl])
    signer = ExternalCommandSigner("openssl cms -sign -inkey /nonexistent.pem", cert,
                                   local_timestamper(pki.tsa_cert, pki.tsa_key), trust, FONT)
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    doc = DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical))
    with pytest.raises(SigningError, match="внешняя программа подписи"):
        signer.sign(doc.pdf, doc.pages - 1)


def test_the_cli_signs_through_the_external_program(archive, runner):

    from archive_service.services import documents
    from archive_service.services.ingest import ingest_snapshot
    from conftest import NOW

    pki = create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна",
                          organisation="МБОУ СОШ № 21", password=b"pw", now=dt.datetime.now(dt.timezone.utc))
    command, cert = external_key(pki, archive.settings.home)
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id, "class_journal",
                              archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    both = runner.invoke(args=["--as", "director",
                               "sign", "--year", "2026/2027", "--period", "Q2", "--external-command", command,
                               "--pkcs12", str(pki.signer_p12), "--external-cert", str(cert)])
    assert both.exit_code == 2 and "ровно один ключ" in both.output
    result = runner.invoke(args=["--as", "director",
                                 "sign", "--year", "2026/2027", "--period", "Q2", "--external-command", command,
                                 "--external-cert", str(cert)])
    assert result.exit_code == 0 and "Подписано документов: 1" in result.output, result.output
    (row,) = documents.list_documents(archive.uow(), "2026/2027", ["Q2"])
    assert verify_pdf(archive.store.read(row["signature"]["sha256"]), archive.trust()).valid
