"""The director's signature at PAdES B-LTA, checked offline by pyHanko and independently by poppler."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from archive_service.config import PROJECT_ROOT
from archive_service.rendering import DocumentRenderer
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from signing import KeyAccessError, PadesSigner, Trust, create_demo_pki, load_pkcs12, local_timestamper, verify_pdf
from signing_support import pki, trust  # noqa: F401  (fixtures)
from signing import words
from browser_support import jargon_in

FONT = PROJECT_ROOT / "templates/fonts/PTS55F.ttf"
NOW = dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def document():
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    return DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical))


@pytest.fixture(scope="module")
def signed(pki, trust, document, tmp_path_factory):
    signer = PadesSigner(load_pkcs12(pki.signer_p12, b"secret"), local_timestamper(pki.tsa_cert, pki.tsa_key),
                         trust, FONT)
    data = signer.sign(document.pdf, page=document.pages - 1)
    path = tmp_path_factory.mktemp("signed") / "signed.pdf"
    path.write_bytes(data)
    return path


def test_a_pkcs12_signature_verifies_at_b_lta_offline(signed, trust):
    report = verify_pdf(signed.read_bytes(), trust)
    assert report.valid, report.as_text()
    assert report.level == "PAdES B-LTA"
    assert report.signer == "Сергеева Ольга Викторовна" and report.signed_at
    assert [c.name for c in report.checks] == [
        words.UNMODIFIED, words.SIGNATURE, words.CERTIFICATE, words.SIGNATURE_TIME, words.REVOCATION,
        words.DOCUMENT_STAMPS, words.LONG_TERM, words.CONTAINERS, words.ARCHIVAL_FORMAT]
    assert [c["code"] for c in report.as_dict()["checks"]] == [
        "unmodified", "signature_intact", "certificate_trusted", "signature_timestamp", "revocation_info_embedded",
        "document_timestamps", "ades_long_term_validation", "signature_containers", "pdfa_identification"]
    assert report.level_words == ("усиленная неквалифицированная электронная подпись со штампами времени, "
                                  "пригодная для долговременного хранения")
    assert report.as_dict()["valid"] is True and "ПОДПИСЬ ДЕЙСТВИТЕЛЬНА" in report.as_text()


def test_poppler_independently_finds_the_signature_valid_and_trusted(signed, pki, tmp_path):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "test-root", "-t", "CT,C,C",
                    "-i", str(pki.root_cert)], check=True)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(signed)], capture_output=True, text=True).stdout
    first = out.split("Signature #2")[0]
    assert "Signature Validation: Signature is Valid." in first
    assert "Certificate Validation: Certificate is Trusted." in first
    assert "Signature Type: ETSI.CAdES.detached" in first


@pytest.mark.parametrize("where", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_a_one_byte_change_anywhere_makes_verification_fail_and_say_so(signed, trust, where):
    data = bytearray(signed.read_bytes())
    position = min(int(len(data) * where), len(data) - 2)
    data[position] = (data[position] + 1) % 256
    report = verify_pdf(bytes(data), trust)
    assert not report.valid
    assert "НЕДЕЙСТВИТЕЛЬНА" in report.as_text()
    assert any(not c.ok for c in report.checks)


def test_the_signed_file_is_still_pdfa_with_every_font_embedded(signed):
    meta = subprocess.run(["pdfinfo", "-meta", str(signed)], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    fonts = subprocess.run(["pdffonts", str(signed)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("PTSans" in r for r in rows), "the stamp's font is in the file"
    assert all(r.split()[-5] == "yes" for r in rows)


def test_the_visible_stamp_has_the_form_of_the_regulations(signed):
    text = subprocess.run(["pdftotext", str(signed), "-"], capture_output=True, text=True, check=True).stdout
    for line in ("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", "Сведения о сертификате ЭП", "Сертификат ",
                 "Владелец Сергеева Ольга Викторовна", "Действителен с "):
        assert line in text


def test_a_wrong_password_is_a_clear_error(pki):
    with pytest.raises(KeyAccessError, match="неверный пароль"):
        load_pkcs12(pki.signer_p12, b"wrong")


def test_an_unsigned_document_is_reported_as_such(document, trust):
    report = verify_pdf(document.pdf, trust)
    assert not report.valid and "нет электронной подписи" in report.as_text()


def test_an_untrusted_root_is_not_accepted(signed, tmp_path):
    other = create_demo_pki(tmp_path / "other", owner="Иванов Иван Иванович", organisation="Чужая школа",
                            password=b"x", now=dt.datetime.now(dt.timezone.utc))
    report = verify_pdf(signed.read_bytes(), Trust.from_files([other.root_cert]))
    assert not report.valid
    assert not next(c for c in report.checks if c.name == words.CERTIFICATE).ok


def test_ades_lta_validation_passes_a_year_later_and_needs_a_new_timestamp_after_the_tsa_expires(signed, trust):
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)
    assert verify_pdf(signed.read_bytes(), trust, at=later).valid
    expired = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=4 * 365)  # the demo TSA certificate: 3 years
    ades = next(c for c in verify_pdf(signed.read_bytes(), trust, at=expired).checks if c.name == words.LONG_TERM)
    assert not ades.ok and "нужен новый штамп времени документа" in ades.detail


def test_a_batch_keeps_the_first_signatures_room_and_outgrows_it_safely(pki, trust, document):
    """The room for the CMS container is estimated by the first signature and kept for the batch;
    a signature that does not fit is made again with a fresh estimate, and both verify."""
    signer = PadesSigner(load_pkcs12(pki.signer_p12, b"secret"), local_timestamper(pki.tsa_cert, pki.tsa_key),
                         trust, FONT)
    first = signer.sign(document.pdf, page=document.pages - 1, now=NOW)
    room = signer.reserved
    assert room is not None and room > 0
    second = signer.sign(document.pdf, page=document.pages - 1, now=NOW)
    assert signer.reserved == room
    signer.reserved = 1000  # hex digits: far too small for a chain and a timestamp
    third = signer.sign(document.pdf, page=document.pages - 1, now=NOW)
    assert signer.reserved is not None and abs(signer.reserved - room) < room // 10  # estimated anew (an ECDSA
    # signature's DER length varies by a byte or two)
    for data in (first, second, third):
        report = verify_pdf(data, trust)
        assert report.valid and report.level == "PAdES B-LTA", report.as_text()


def test_what_people_read_of_a_report_names_no_formats_or_standards(signed, trust):
    """The check names, details and the kind of signature are for a director or an inspector:
    «PAdES B-LTA», «ETSI EN 319 102-1», «CRL/OCSP» stay in the JSON for programs."""
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=4 * 365)  # a failing report too
    for report in (verify_pdf(signed.read_bytes(), trust), verify_pdf(signed.read_bytes(), trust, at=later)):
        assert not jargon_in(report.as_text()), report.as_text()
        assert not jargon_in(report.level_words) and report.level == "PAdES B-LTA"
