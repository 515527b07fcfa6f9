"""Who signed a PDF, as its visible stamp says it: the signer's certificate read from the file,
without validating anything (`verify_pdf` validates). For prints of an electronic original."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from pyhanko.pdf_utils.reader import PdfFileReader


@dataclass(frozen=True)
class SignerCertificate:
    """The certificate of a document's (first) signature, as the stamp prints it."""

    owner: str
    serial: str
    """hexadecimal, upper case, as the stamp and the verification report print it"""
    valid_from: dt.date
    valid_to: dt.date


def signer_certificate(pdf: bytes) -> SignerCertificate | None:
    """The certificate of the first signature of `pdf` (document timestamps are not signatures);
    None when the file holds none or cannot be read."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"]
        if not signatures:
            return None
        cert = signatures[0].signer_cert
    except Exception:  # a damaged file names no signer: the caller says so in its own words
        return None
    validity = cert["tbs_certificate"]["validity"]
    return SignerCertificate(str(cert.subject.native.get("common_name", "")), f"{cert.serial_number:X}",
                             validity["not_before"].native.date(), validity["not_after"].native.date())
