"""GOST R 34.10-2012 signatures through the external route (the OpenSSL GOST engine standing in for
CryptoPro's command-line signer), verified by the archive and independently by `openssl cms`."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from archive_service.config import PROJECT_ROOT
from archive_service.rendering import DocumentRenderer
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from gost_support import (FONT, OWNER, SCHOOL, covered_and_container, external_signer, gost_pki,  # noqa: F401
                          gost_timestamper, gost_trust, openssl_cms_verify, openssl_signer_command, openssl_ts_verify)
from signing import SigningError, gost, newest_timestamp_expiry, verify_pdf
from signing.external import ExternalCommandSigner
from signing.gost_pades import add_gost_document_timestamp
from signing.gost_pki import create_untrusted_pki, issue_director, load_certificate, revoke
from signing.renewal import add_document_timestamp
from signing import words

NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture(scope="module")
def document():
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    return DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical))


@pytest.fixture(scope="module", params=[256, 512])
def signed(request, gost_pki, document):
    """The document signed with a GOST 2012-256 key (the PKI's director) and a 2012-512 one."""
    if request.param == 256:
        cert, key = gost_pki.director_cert, gost_pki.director_key
    else:
        cert, key = issue_director(gost_pki, owner=OWNER, bits=512, stem="director-512",
                                   not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=400))
    return request.param, external_signer(gost_pki, cert, key).sign(document.pdf, page=document.pages - 1)


def test_a_gost_signature_verifies_valid_and_qualified_at_b_lta(signed, gost_pki):
    bits, pdf = signed
    report = verify_pdf(pdf, gost_trust(gost_pki))
    assert report.valid, report.as_text()
    assert report.level == "PAdES B-LTA"
    assert report.signer == OWNER and report.signed_at
    assert report.qualified is True, report.qualification
    assert report.certification_centre == "Тестовый УЦ ГОСТ archive_service"
    assert "Квалифицированная электронная подпись: да" in report.as_text()
    assert "КС1, КС2" in report.qualification
    signature = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[0]
    digest = signature.signer_info["digest_algorithm"]["algorithm"].dotted
    assert digest == {256: gost.DIGEST_256, 512: gost.DIGEST_512}[bits]  # Streebog of the right length


def test_openssl_independently_validates_each_gost_signature_over_the_byte_range(signed, gost_pki, tmp_path):
    _, pdf = signed
    signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    assert [s.sig_object_type for s in signatures] == ["/Sig", "/DocTimeStamp"]
    covered, container = covered_and_container(pdf, signatures[0])
    result = openssl_cms_verify(covered, container, gost_pki.root_cert, tmp_path)
    assert result.returncode == 0 and "Verification successful" in result.stderr, result.stderr
    damaged = bytearray(covered)
    damaged[len(damaged) // 2] ^= 1
    assert openssl_cms_verify(bytes(damaged), container, gost_pki.root_cert, tmp_path).returncode != 0
    covered, token = covered_and_container(pdf, signatures[1])  # the document timestamp
    result = openssl_ts_verify(covered, token, gost_pki.root_cert, tmp_path)
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stdout + result.stderr
    assert openssl_ts_verify(covered[:-1] + b"!", token, gost_pki.root_cert, tmp_path).returncode != 0


@pytest.mark.parametrize("where", [0.0, 0.1, 0.5, 0.7, 0.9, 0.999])
def test_a_one_byte_change_anywhere_is_refused_in_russian(signed, gost_pki, where):
    _, pdf = signed
    data = bytearray(pdf)
    position = min(int(len(data) * where), len(data) - 2)
    data[position] = (data[position] + 1) % 256
    report = verify_pdf(bytes(data), gost_trust(gost_pki))
    assert not report.valid
    assert "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА" in report.as_text()
    failed = [c for c in report.checks if not c.ok]
    assert failed and all(any("а" <= ch <= "я" for ch in c.detail.lower()) for c in failed)


def test_the_signed_file_is_still_pdfa_with_every_font_embedded(signed, tmp_path):
    _, pdf = signed
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row.split("  ", 1)[1] or row.split()[-5] == "yes" for row in rows), fonts


def test_a_certificate_not_from_the_trusted_list_is_refused(gost_pki, document, tmp_path):
    other = create_untrusted_pki(tmp_path / "other", owner=OWNER, organisation=SCHOOL, now=NOW)
    pdf = external_signer(gost_pki, other.director_cert, other.director_key, gost_trust(gost_pki)).sign(
        document.pdf, page=document.pages - 1)
    report = verify_pdf(pdf, gost_trust(gost_pki))
    assert not report.valid
    check = next(c for c in report.checks if c.name == words.CERTIFICATE)
    assert not check.ok and "нет в списке доверенных" in check.detail
    assert "Посторонний УЦ" in check.detail


def test_a_revoked_certificate_is_refused(gost_pki, document):
    cert, key = issue_director(gost_pki, owner=OWNER, stem="revoked", not_before=NOW - dt.timedelta(days=30),
                               not_after=NOW + dt.timedelta(days=300))
    revoke(gost_pki, load_certificate(cert).serial_number, NOW - dt.timedelta(hours=2), now=NOW - dt.timedelta(hours=1))
    trust = gost_trust(gost_pki)
    pdf = external_signer(gost_pki, cert, key, trust).sign(document.pdf, page=document.pages - 1)
    report = verify_pdf(pdf, trust)
    assert not report.valid
    check = next(c for c in report.checks if c.name == words.CERTIFICATE)
    assert not check.ok and "сертификат отозван" in check.detail


def test_an_expired_certificate_is_refused(gost_pki, document):
    cert, key = issue_director(gost_pki, owner=OWNER, stem="expired", not_before=NOW - dt.timedelta(days=800),
                               not_after=NOW - dt.timedelta(days=2))
    pdf = external_signer(gost_pki, cert, key).sign(document.pdf, page=document.pages - 1)
    report = verify_pdf(pdf, gost_trust(gost_pki))
    assert not report.valid
    check = next(c for c in report.checks if c.name == words.CERTIFICATE)
    assert not check.ok and "срок действия сертификата истёк" in check.detail


def test_a_certificate_outside_the_qualified_profile_is_valid_but_not_qualified(gost_pki, document):
    cert, key = issue_director(gost_pki, owner=OWNER, stem="plain", qualified=False,
                               not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=300))
    pdf = external_signer(gost_pki, cert, key).sign(document.pdf, page=document.pages - 1)
    report = verify_pdf(pdf, gost_trust(gost_pki))
    assert report.valid, report.as_text()
    assert report.qualified is False and "средстве электронной подписи" in report.qualification


def test_a_signer_command_returning_another_documents_signature_is_refused(gost_pki, document, tmp_path):
    other = tmp_path / "other.bin"
    other.write_bytes(b"another document")
    command = openssl_signer_command(gost_pki.director_cert, gost_pki.director_key)
    signer = ExternalCommandSigner(f"sh -c 'cat > /dev/null; {command} -in {other}'", gost_pki.director_cert,
                                   gost_timestamper(gost_pki), gost_trust(gost_pki), FONT)
    with pytest.raises(SigningError, match="не те данные"):
        signer.sign(document.pdf, page=document.pages - 1)


def test_re_timestamping_keeps_a_gost_document_valid(signed, gost_pki):
    _, pdf = signed
    trust = gost_trust(gost_pki)
    renewed = add_document_timestamp(pdf, gost_timestamper(gost_pki), trust)
    assert renewed.startswith(pdf)
    stamps = [s for s in PdfFileReader(io.BytesIO(renewed), strict=False).embedded_signatures
              if s.sig_object_type == "/DocTimeStamp"]
    assert len(stamps) == 2
    report = verify_pdf(renewed, trust)
    assert report.valid, report.as_text()
    assert "штампов: 2" in next(c.detail for c in report.checks if c.name == words.DOCUMENT_STAMPS)
    assert newest_timestamp_expiry(renewed) == load_certificate(gost_pki.tsa_cert)[
        "tbs_certificate"]["validity"]["not_after"].native
    years_later = NOW + dt.timedelta(days=365 * 7)  # after the director's certificate expired
    assert verify_pdf(renewed, trust, at=years_later).valid
    assert add_gost_document_timestamp(renewed, gost_timestamper(gost_pki), trust).startswith(renewed)
