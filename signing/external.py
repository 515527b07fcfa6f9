"""Signing with keys pyHanko cannot use: an external command returns the CMS (pyHanko's
interrupted signing).

Russian qualified certificates use GOST R 34.10-2012 through CryptoPro; such a key signs only
inside its own software. The document is prepared here (signature field, visible stamp,
reserved space), the bytes the signature covers are handed to the configured command on
standard input, and the detached CMS it prints (DER) is embedded. Hashing stays with the
external signer. A signature timestamp is then added to the CMS, and the document gets its DSS
and a document timestamp (B-LTA) as with a local key. A GOST certificate takes the GOST route
(`signing.gost_pades`): Streebog digests, the container checked against the prepared document,
GOST timestamps.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
from datetime import tzinfo
from pathlib import Path

from asn1crypto import cms, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing import gost
from signing.commands import SignerCommand, run_signer
from signing.gost_pades import GostCompleter, prepare_signature
from signing.pades import FIELD, STAMP_BOX, StampStyle, Trust, load_cert
from signing.zones import MOSCOW
from signing.renewal import add_document_timestamp

RESERVED = 32 * 1024  # bytes for the CMS: certificates, GOST signatures and a timestamp fit


class ExternalCommandSigner:
    """Signs PDFs through `command` (a shell-style string): document bytes in, DER CMS out."""

    def __init__(self, command: str | SignerCommand, certificate: Path, timestamper: timestamps.TimeStamper,
                 trust: Trust, font: Path, *, timeout: float = 60, zone: tzinfo = MOSCOW):
        # a command line ({in}/{out} for programs that work on files), or a ready adapter (signing.cryptopro)
        self.command = command if isinstance(command, SignerCommand) else SignerCommand.parse(command, timeout=timeout)
        self.cert = load_cert(certificate)
        self.timestamper = timestamper
        self.trust = trust
        self.timeout = timeout
        self.stamp = StampStyle(font, zone)
        self.gost = gost.certificate_is_gost(self.cert)

    @property
    def certificate(self) -> x509.Certificate:
        return self.cert

    def sign(self, pdf: bytes, page: int, *, now: dt.datetime | None = None) -> bytes:
        if self.gost:  # GOST: Streebog digests and a GOST timestamp authority (signing.gost_pades)
            prepared = prepare_signature(pdf, page, self.cert, self.stamp, now=now or dt.datetime.now(dt.timezone.utc))
            return GostCompleter(self.timestamper, self.trust).finish(prepared, self._run(prepared.covered))
        signed = asyncio.run(self._sign(pdf, page, now))
        return add_document_timestamp(signed, self.timestamper, self.trust)  # DSS, then the B-LTA timestamp

    async def _sign(self, pdf: bytes, page: int, now: dt.datetime | None) -> bytes:
        now = now or dt.datetime.now(dt.timezone.utc)
        # pyHanko lays the document out with this signer; the real CMS comes from the program
        layout_signer = signers.ExternalSigner(signing_cert=self.cert, cert_registry=SimpleCertificateStore.from_certs(
            [self.cert]), signature_value=bytes(256))
        meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        style = self.stamp.for_certificate(self.cert, now)
        pdf_signer = signers.PdfSigner(meta, signer=layout_signer, stamp_style=style,
                                       new_field_spec=fields.SigFieldSpec(FIELD, on_page=page, box=STAMP_BOX))
        output = io.BytesIO()
        prepared, _, _ = await pdf_signer.async_digest_doc_for_signing(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), bytes_reserved=RESERVED, output=output)
        prepared_bytes = output.getvalue()
        covered = prepared_bytes[:prepared.reserved_region_start] + prepared_bytes[prepared.reserved_region_end:]
        signature = await self._with_timestamp(self._run(covered))
        await PdfTBSDocument.async_finish_signing(output, prepared, signature)
        return output.getvalue()

    def _run(self, covered: bytes) -> cms.ContentInfo:
        return run_signer(self.command, covered)

    async def _with_timestamp(self, info: cms.ContentInfo) -> cms.ContentInfo:
        """Add an RFC 3161 signature timestamp (B-T) over the signature value."""
        signer_info = info["content"]["signer_infos"][0]
        digest = hashlib.sha256(signer_info["signature"].native).digest()
        token = await self.timestamper.async_timestamp(digest, "sha256")
        signer_info["unsigned_attrs"] = cms.CMSAttributes(
            [simple_cms_attribute("signature_time_stamp_token", token)])
        return cms.ContentInfo.load(info.dump(force=True))
