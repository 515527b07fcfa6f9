"""Attacks on a signed B-LTA file: nothing after the last document timestamp, no damaged container
passes, and every answer is an invalid report with Russian reasons — never a traceback.

The rule: anything the newest document timestamp does not cover (an incremental revision, a new
field, bytes after `%%EOF`, its own /Contents written otherwise) makes the file «изменён после
подписания». A renewal adds a document timestamp that covers everything before it, so a renewed
file stays valid and the same attacks on it fail the same way.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

import pytest
from asn1crypto import cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from archive_service.config import PROJECT_ROOT
from archive_service.rendering import DocumentRenderer
from archive_service.schema import canonical_bytes, content_hash, parse_snapshot
from builders import as_bytes, snapshot
from signing import words
from signing import PadesSigner, add_document_timestamp, load_pkcs12, local_timestamper, verify_pdf
from signing_support import pki, trust  # noqa: F401  (fixtures)

FONT = PROJECT_ROOT / "templates/fonts/PTS55F.ttf"
UNMODIFIED = "Документ не изменён после подписания"
# the abbreviations a Russian inspector reads as they are; any other Latin word is a leak
ABBREVIATIONS = {"PDF"}


@pytest.fixture(scope="module")
def signed(pki, trust) -> bytes:
    snap = parse_snapshot(as_bytes(snapshot()))
    canonical = canonical_bytes(snap)
    document = DocumentRenderer(PROJECT_ROOT / "templates").class_journal(snap, canonical, content_hash(canonical))
    signer = PadesSigner(load_pkcs12(pki.signer_p12, b"secret"), local_timestamper(pki.tsa_cert, pki.tsa_key),
                         trust, FONT)
    return signer.sign(document.pdf, page=document.pages - 1)


@pytest.fixture(scope="module")
def renewed(pki, trust, signed) -> bytes:
    time.sleep(1.1)  # a renewal comes later: its revision writes a new modification date
    return add_document_timestamp(signed, local_timestamper(pki.tsa_cert, pki.tsa_key), trust)


@pytest.fixture(params=["signed", "renewed"])
def original(request) -> bytes:
    """The file as signing leaves it, and after one renewal of its document timestamp."""
    return request.getfixturevalue(request.param)


# --- the attacks -------------------------------------------------------------------------------

def revision_changing_the_information(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    writer.set_info(generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("Подделка"),
                                              generic.NameObject("/Author"): generic.TextStringObject("Иванов")}))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def revision_with_an_empty_signature_field(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec("SecondSignature", on_page=0, box=(20, 20, 200, 80)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def revision_renaming_the_document(pdf: bytes) -> bytes:
    """The way pyHanko itself edits metadata: /Info and the XMP stream together."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    writer.document_meta.title = "Журнал другого класса"
    writer.document_meta.author = "Иванов Иван Иванович"
    writer.update_root()  # something must change for pyHanko to write a revision at all
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def revision_rewriting_the_xmp_metadata(pdf: bytes) -> bytes:
    """Only the XMP stream: the class in the description becomes another one."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    xmp = writer.root["/Metadata"].get_object().data.replace("5А".encode(), "5Б".encode())
    writer.root["/Metadata"] = writer.add_object(generic.StreamObject(
        {generic.NameObject("/Type"): generic.NameObject("/Metadata"),
         generic.NameObject("/Subtype"): generic.NameObject("/XML")}, stream_data=xmp))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def junk_after_the_end(pdf: bytes) -> bytes:
    return pdf + random.Random(11).randbytes(1000)


def test_an_untouched_file_is_valid_before_and_after_a_renewal(original, trust):
    report = verify_pdf(original, trust)
    assert report.valid, report.as_text()
    assert next(c for c in report.checks if c.name == UNMODIFIED).ok


def test_a_renewal_rewrites_the_document_information_unchanged_and_stays_valid(renewed, trust):
    """pyHanko writes /Info and the XMP stream again with every revision: the check compares what
    they say, not whether they were written."""
    reader = PdfFileReader(io.BytesIO(renewed), strict=False)
    info = reader.trailer_view.raw_get("/Info").reference
    assert reader.xrefs.get_last_change(info) == reader.xrefs.total_revisions - 1
    assert verify_pdf(renewed, trust).valid


@pytest.mark.parametrize("attack", [revision_changing_the_information, revision_renaming_the_document,
                                    revision_with_an_empty_signature_field, junk_after_the_end],
                         ids=lambda f: f.__name__)
def test_anything_after_the_last_document_timestamp_makes_the_file_changed_after_signing(original, trust, attack):
    report = verify_pdf(attack(original), trust)
    assert_invalid_in_russian(report)
    unmodified = next(c for c in report.checks if c.name == UNMODIFIED)
    assert not unmodified.ok and "изменён после подписания" in unmodified.detail
    assert "после последнего штампа времени" in unmodified.detail


def test_a_signature_field_added_after_signing_is_named_even_when_pyhanko_calls_it_form_filling(signed, trust):
    detail = next(c for c in verify_pdf(revision_with_an_empty_signature_field(signed), trust).checks
                  if c.name == UNMODIFIED).detail
    assert "добавлены редакции: 1" in detail


@pytest.mark.parametrize("attack", [revision_changing_the_information, revision_renaming_the_document,
                                    revision_rewriting_the_xmp_metadata, revision_with_an_empty_signature_field,
                                    junk_after_the_end], ids=lambda f: f.__name__)
def test_a_change_covered_by_a_fresh_trusted_document_timestamp_is_still_a_change(original, pki, trust, attack):
    """A document timestamp proves when, not who: whoever can renew could otherwise rewrite the
    document information, or slip bytes in after `%%EOF`, and stamp over it."""
    forged = add_document_timestamp(attack(original), local_timestamper(pki.tsa_cert, pki.tsa_key), trust)
    report = verify_pdf(forged, trust)
    assert_invalid_in_russian(report)
    unmodified = next(c for c in report.checks if c.name == UNMODIFIED)
    assert not unmodified.ok and "изменён после подписания" in unmodified.detail


@pytest.mark.parametrize("cut", [1, 300, 0.5], ids=["final newline", "300 bytes", "half"])
def test_a_truncated_file_is_invalid_with_a_russian_reason(original, trust, cut):
    keep = int(len(original) * cut) if isinstance(cut, float) else len(original) - cut
    assert_invalid_in_russian(verify_pdf(original[:keep], trust))


# --- damaged containers ------------------------------------------------------------------------

def container_spots(pdf: bytes, which: int) -> dict[str, int]:
    """Offsets in the file of the hex digits of meaningful places of one container (/Contents):
    the unsigned fields of the CMS structure as well as the signed ones."""
    sig = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[which]
    start = sig.byte_range[1] + 1  # after "<"
    raw = bytes(sig.pkcs7_content)
    info = cms.ContentInfo.load(raw)
    signed = info["content"]
    signer = signed["signer_infos"][0]
    signed_at = raw.index(signed.dump())
    signer_at = raw.index(signer.dump())
    first_name = signer["sid"].chosen["issuer"].chosen[0][0]["value"]
    certificate = signed["certificates"][0].chosen
    der = len(info.dump())
    spots = {
        "outer tag": 0,
        "signed data version": signed_at + len(signed._header) + 2,
        "digest algorithm list": raw.index(signed["digest_algorithms"].dump()) + 8,
        "encapsulated content": raw.index(signed["encap_content_info"].dump()) + 40,
        "embedded certificate": raw.index(certificate.dump()) + len(certificate.dump()) // 2,
        "signer version": signer_at + len(signer._header) + 2,
        "signer's issuer string type": raw.index(first_name.dump(), signer_at),
        "signature value": raw.index(signer["signature"].contents) + 10,
        "padding": der + 5,
    }
    return {name: start + 2 * offset for name, offset in spots.items()}


def next_hex_digit(pdf: bytes, position: int, nibble: int = 0) -> bytes:
    """The file with one hex digit of a container changed, in the case the container is written in:
    the change must be found by what the digit means, not by how it is spelt."""
    data = bytearray(pdf)
    written = pdf[pdf.rindex(b"<", 0, position):pdf.index(b">", position)]
    digits = "0123456789abcdef" if re.search(rb"[a-f]", written) else "0123456789ABCDEF"
    data[position + nibble] = ord(digits[(int(chr(data[position + nibble]), 16) + 1) % 16])
    return bytes(data)


SPOTS = ["outer tag", "signed data version", "digest algorithm list", "encapsulated content", "embedded certificate",
         "signer version", "signer's issuer string type", "signature value", "padding"]


@pytest.mark.parametrize("spot", SPOTS)
@pytest.mark.parametrize("nibble", [0, 1], ids=["high", "low"])
def test_a_changed_digit_in_the_last_document_timestamp_container_is_reported_not_crashed(original, trust, spot,
                                                                                          nibble):
    position = container_spots(original, -1)[spot]
    assert_invalid_in_russian(verify_pdf(next_hex_digit(original, position, nibble), trust))


@pytest.mark.parametrize("spot", SPOTS)
def test_a_changed_digit_in_the_signature_container_is_reported(signed, trust, spot):
    position = container_spots(signed, 0)[spot]
    assert_invalid_in_russian(verify_pdf(next_hex_digit(signed, position, 1), trust))


def test_a_hex_digit_of_the_timestamp_container_written_in_the_other_case_is_a_change(original, trust):
    sig = PdfFileReader(io.BytesIO(original), strict=False).embedded_signatures[-1]
    start, stop = sig.byte_range[1], sig.byte_range[2]
    position = start + re.search(rb"[A-Fa-f]", original[start:stop]).start()
    data = bytearray(original)
    data[position] ^= 0x20  # "A" <-> "a": the same byte once decoded
    report = verify_pdf(bytes(data), trust)
    assert_invalid_in_russian(report)
    containers = next(c for c in report.checks if c.name == words.CONTAINERS)
    assert not containers.ok and "штамп времени документа" in containers.detail


@pytest.mark.parametrize("which", [0, -1], ids=["signature", "document timestamp"])
@pytest.mark.parametrize("flip", [0x01, 0x20, 0x80])
def test_a_flipped_bit_anywhere_in_a_container_never_passes(signed, trust, which, flip):
    sig = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[which]
    start, stop = sig.byte_range[1], sig.byte_range[2]
    for position in range(start + 1, stop - 1, max(1, (stop - start) // 7)):
        data = bytearray(signed)
        data[position] ^= flip
        assert_invalid_in_russian(verify_pdf(bytes(data), trust))


# --- the command line ----------------------------------------------------------------------------

def test_the_cli_says_changed_after_signing_in_text_and_json_with_exit_code_1(signed, pki, archive, runner, tmp_path):
    shutil.copytree(pki.directory, archive.demo_pki.directory, dirs_exist_ok=True)
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    assert runner.invoke(args=["verify", str(good)]).exit_code == 0
    attacked = tmp_path / "attacked.pdf"
    attacked.write_bytes(revision_changing_the_information(signed))
    text = runner.invoke(args=["verify", str(attacked)])
    assert text.exit_code == 1 and "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА" in text.output
    assert "изменён после подписания" in text.output and "Traceback" not in text.output
    as_json = runner.invoke(args=["verify", str(attacked), "--json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert report["valid"] is False
    unmodified = next(c for c in report["checks"] if c["name"] == UNMODIFIED)
    assert unmodified["ok"] is False and "изменён после подписания" in unmodified["detail"]


def test_the_cli_on_a_damaged_timestamp_container_prints_only_the_russian_report(signed, pki, tmp_path):
    """A real process: pyHanko's own log lines (with tracebacks) would reach the terminal."""
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(next_hex_digit(signed, container_spots(signed, -1)["embedded certificate"], 1))
    command = [sys.executable, "-c", "from archive_service.cli import main; main()", "verify", str(damaged), "--json"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ARCHIVE_HOME": str(tmp_path / "home"),
           "ARCHIVE_TRUST_ROOTS": str(pki.root_cert), "ARCHIVE_TRUST_CRLS": str(pki.root_crl)}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout and not re.search(r"[A-Za-z]{4,} [a-z]{4,}", result.stderr)
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert any(not c["ok"] and re.search("[а-я]", c["detail"]) for c in report["checks"])


def assert_invalid_in_russian(report) -> None:
    assert not report.valid
    text = report.as_text()
    assert "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА" in text and "Traceback" not in text
    failed = [c for c in report.checks if not c.ok]
    assert failed
    for check in failed:
        assert re.search("[а-яё]", check.detail), check
        latin = set(re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", check.detail)) - ABBREVIATIONS
        assert not latin, f"{check.name}: {check.detail}"
    assert json.loads(json.dumps(report.as_dict(), ensure_ascii=False))["valid"] is False
