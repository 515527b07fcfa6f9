"""Keeping signatures verifiable for decades: a new document timestamp before the old expires.

A B-LTA document is provable as long as its newest document timestamp can be validated; that
ends when the timestamp authority's certificate expires (or its algorithm weakens). Adding a
new document timestamp — with the validation data of everything before it embedded first —
extends the proof by another certificate lifetime. This is done well before the expiry.
"""

from __future__ import annotations

import datetime as dt
import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings

from signing.errors import SigningError, VerificationError
from signing.pades import Trust


def newest_timestamp_expiry(pdf: bytes) -> dt.datetime:
    """When the certificate of the newest document timestamp's authority expires."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:
        raise VerificationError(f"файл повреждён или не является PDF: {exc}") from exc
    stamps = [s for s in signatures if s.sig_object_type == "/DocTimeStamp"]
    if not stamps:
        raise VerificationError("в документе нет штампа времени документа")
    from signing.gost_verify import signer_certificate

    authority = signer_certificate(stamps[-1])  # by identifier: a GOST authority's ESS hash is Streebog
    if authority is None:
        raise VerificationError("в штампе времени документа нет сертификата службы штампов времени")
    expiry: dt.datetime = authority["tbs_certificate"]["validity"]["not_after"].native
    return expiry


def add_document_timestamp(pdf: bytes, timestamper: timestamps.TimeStamper, trust: Trust) -> bytes:
    """The document with a new document timestamp covering it to its last byte (a GOST-signed one
    with Streebog, `signing.gost_pades`: pyHanko's own route hashes with pyca/cryptography)."""
    from signing.gost_pades import add_gost_document_timestamp
    from signing.gost_verify import is_gost_signature

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:
        raise SigningError(f"файл повреждён или не является PDF: {exc}") from exc
    if signatures and is_gost_signature(signatures[0]):
        return add_gost_document_timestamp(pdf, timestamper, trust)
    try:
        out = signers.PdfTimeStamper(timestamper).timestamp_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), "sha256",
            validation_context=trust.context(),
            dss_settings=TimestampDSSContentSettings(include_vri=False, update_before_ts=True))
    except Exception as exc:
        raise SigningError(f"не удалось добавить штамп времени документа: {exc}") from exc
    stamped: bytes = out.getvalue()
    return stamped
