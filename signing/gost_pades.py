"""PAdES B-LTA with GOST R 34.10-2012: the document is prepared here, the key signs elsewhere.

A director's GOST key never leaves CryptoPro (on the server: `cryptcp`; in the browser: the
CryptoPro plug-in). So signing is interrupted (pyHanko's interrupted signing): `prepare_signature`
lays out the signature field and the visible stamp, reserves the /Contents and computes the
Streebog digest of the byte range; whoever holds the key returns a CMS SignedData (CAdES-BES)
whose message digest is that digest; `GostCompleter.finish` checks that container against the
prepared document (right digest, right certificate, a GOST signature that verifies), adds the
signature timestamp from a GOST timestamp authority (B-T), embeds the container, then the
validation data (certificates and CRLs) in the document security store and a GOST document
timestamp over the whole file (B-LTA).

pyHanko computes digests with pyca/cryptography, which has no Streebog; every GOST digest is
computed here (`signing.gost`), pyHanko only writes the PDF structures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from typing import Sequence

from asn1crypto import cms, crl as asn1_crl, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
from pyhanko.sign.signers.pdf_byterange import DocumentTimestamp, PreparedByteRangeDigest
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing import gost
from signing.errors import SigningError
from signing.pades import FIELD, STAMP_BOX, StampStyle, Trust

RESERVED = 32 * 1024            # hex digits for the signature's CMS: certificate, signature, timestamp
TIMESTAMP_RESERVED = 16 * 1024  # hex digits for a document timestamp's token


@dataclass(frozen=True)
class PreparedSignature:
    """A document ready for a GOST signature: what to sign and where the signature goes."""

    document: bytes        # the PDF with the field, the visible stamp and a zeroed /Contents
    reserved_start: int    # the /Contents hex string: document[reserved_start:reserved_end]
    reserved_end: int
    digest_algorithm: str  # «streebog256» or «streebog512», by the certificate's key
    digest: bytes          # of document[:reserved_start] + document[reserved_end:]
    certificate: bytes     # DER of the certificate the stamp names and the signature must carry

    @property
    def covered(self) -> bytes:
        return self.document[:self.reserved_start] + self.document[self.reserved_end:]


def prepare_signature(pdf: bytes, page: int, certificate: x509.Certificate, stamp: StampStyle, *,
                      now: dt.datetime, reason: str = "Заверение электронной копии",
                      location: str = "") -> PreparedSignature:
    """The document laid out for `certificate`'s signature on page `page` (the certification sheet)."""
    if not gost.certificate_is_gost(certificate):
        raise SigningError("сертификат не ГОСТ Р 34.10-2012: подпись через КриптоПро здесь не применяется")
    digest_algorithm = gost.digest_for_key(certificate["tbs_certificate"]["subject_public_key_info"])
    return asyncio.run(_prepare(pdf, page, certificate, stamp, now, digest_algorithm, reason, location))


async def _prepare(pdf: bytes, page: int, certificate: x509.Certificate, stamp: StampStyle, now: dt.datetime,
                   digest_algorithm: str, reason: str, location: str) -> PreparedSignature:
    # pyHanko lays the document out with a layout-only signer (no key); its own SHA-256 digest is unused
    layout = signers.ExternalSigner(signing_cert=certificate, signature_value=bytes(128),
                                    cert_registry=SimpleCertificateStore.from_certs([certificate]),
                                    signature_mechanism=None, prefer_pss=False)
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256", reason=reason,
                                        location=location or None, subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer=layout, stamp_style=stamp.for_certificate(certificate, now),
                                   new_field_spec=fields.SigFieldSpec(FIELD, on_page=page, box=STAMP_BOX))
    try:
        output = io.BytesIO()
        prepared, _, _ = await pdf_signer.async_digest_doc_for_signing(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), bytes_reserved=RESERVED, output=output)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(f"не удалось подготовить документ к подписи: {exc}") from exc
    document = output.getvalue()
    start, end = prepared.reserved_region_start, prepared.reserved_region_end
    return PreparedSignature(document, start, end, digest_algorithm,
                             gost.digest(digest_algorithm, document[:start] + document[end:]), certificate.dump())


def signature_problem(info: cms.ContentInfo, prepared: PreparedSignature) -> str | None:
    """Why `info` is not a GOST signature of the prepared document by its certificate, if it is not."""
    if info["content_type"].native != "signed_data":
        return "вернулась не подпись (нет подписанных данных CMS)"
    signed = info["content"]
    if len(signed["signer_infos"]) != 1:
        return "в подписи должен быть ровно один подписавший"
    if signed["encap_content_info"]["content"].native is not None:
        return "подпись должна быть откреплённой (без содержимого документа)"
    signer = signed["signer_infos"][0]
    certificate = x509.Certificate.load(prepared.certificate)
    sid = signer["sid"]
    if sid.name == "issuer_and_serial_number":
        same = (sid.chosen["serial_number"].native == certificate.serial_number
                and sid.chosen["issuer"] == certificate.issuer)
    else:
        same = sid.chosen.native == certificate.key_identifier
    if not same:
        return "документ подписан не тем сертификатом, который выбран для подписи"
    if signer["digest_algorithm"]["algorithm"].dotted != {"streebog256": gost.DIGEST_256,
                                                          "streebog512": gost.DIGEST_512}[prepared.digest_algorithm]:
        return "подпись вычислена не по ГОСТ Р 34.11-2012 нужной длины"
    attrs = {a["type"].native: a["values"] for a in signer["signed_attrs"]} if signer["signed_attrs"] else {}
    if "message_digest" not in attrs or attrs["message_digest"][0].native != prepared.digest:
        return "подпись относится к другому документу (хеш не совпадает с подготовленным)"
    if attrs.get("content_type") is None or attrs["content_type"][0].native != "data":
        return "в подписи нет обязательного атрибута типа содержимого"
    public_key = certificate["tbs_certificate"]["subject_public_key_info"]
    if not gost.verify(public_key, gost.signed_attributes_bytes(signer), signer["signature"].native,
                       prepared.digest_algorithm):
        return "подпись не соответствует ключу сертификата"
    return None


def load_container(data: bytes) -> cms.ContentInfo:
    """A CMS given as DER, PEM or base64 (the plug-in returns base64)."""
    import base64
    import binascii

    raw = bytes(data)
    if raw[:1] == b"\x30":
        pass  # DER
    elif raw.lstrip().startswith(b"-----BEGIN"):
        from asn1crypto import pem

        _, _, raw = pem.unarmor(raw.strip())
    else:
        try:
            raw = base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            raise SigningError("вернулась не подпись: данные не читаются") from None
    try:
        info = cms.ContentInfo.load(raw)
        _ = info.native
    except (ValueError, TypeError, KeyError):
        raise SigningError("вернулась не подпись: структура CMS не читается") from None
    return info


class GostCompleter:
    """Finishes prepared documents: checks the container, timestamps, validation data, B-LTA."""

    def __init__(self, timestamper: timestamps.TimeStamper, trust: Trust):
        self.timestamper = timestamper
        self.trust = trust

    def finish(self, prepared: PreparedSignature, signature: bytes | cms.ContentInfo) -> bytes:
        info = signature if isinstance(signature, cms.ContentInfo) else load_container(signature)
        problem = signature_problem(info, prepared)
        if problem:
            raise SigningError(problem)
        info = self._complete_container(info, prepared)
        hex_length = 2 * len(info.dump())
        if hex_length > prepared.reserved_end - prepared.reserved_start - 2:
            raise SigningError("подпись не помещается в место, отведённое в документе")
        output = io.BytesIO(prepared.document)
        try:
            PreparedByteRangeDigest(prepared.digest, prepared.reserved_start, prepared.reserved_end) \
                .fill_with_cms(output, info)
        except Exception as exc:
            raise SigningError(f"не удалось вложить подпись в документ: {exc}") from exc
        signer = info["content"]["signer_infos"][0]
        known = _token_certificates(info) + [c for a in signer["unsigned_attrs"]
                                             if a["type"].native == "signature_time_stamp_token"
                                             for token in a["values"] for c in _token_certificates(token)]
        return add_gost_document_timestamp(output.getvalue(), self.timestamper, self.trust, known)

    def _complete_container(self, info: cms.ContentInfo, prepared: PreparedSignature) -> cms.ContentInfo:
        """The signer's certificate inside, and an RFC 3161 signature timestamp (B-T)."""
        info = cms.ContentInfo.load(info.dump())
        signed = info["content"]
        certificate = x509.Certificate.load(prepared.certificate)
        present = [c.chosen for c in signed["certificates"]] if signed["certificates"] else []
        if not any(c.dump() == certificate.dump() for c in present):
            signed["certificates"] = [*present, certificate]
        signer = signed["signer_infos"][0]
        imprint = gost.digest(prepared.digest_algorithm, signer["signature"].native)
        token = asyncio.run(self.timestamper.async_timestamp(imprint, prepared.digest_algorithm))
        kept = [a for a in signer["unsigned_attrs"]] if signer["unsigned_attrs"] else []
        kept = [a for a in kept if a["type"].native != "signature_time_stamp_token"]
        signer["unsigned_attrs"] = cms.CMSAttributes(
            [*kept, simple_cms_attribute("signature_time_stamp_token", token)])
        return cms.ContentInfo.load(info.dump(force=True))


def chain_of(certificate: x509.Certificate, trust: Trust,
             known: Sequence[x509.Certificate] = ()) -> list[x509.Certificate]:
    """`certificate` and its issuers up to a trusted root, as far as they are known."""
    pool = [*known, *trust.roots]
    chain = [certificate]
    while chain[-1].issuer != chain[-1].subject and len(chain) < 8:
        issuer = next((c for c in pool if c.subject == chain[-1].issuer and c not in chain), None)
        if issuer is None:
            break
        chain.append(issuer)
    return chain


def _token_certificates(token: cms.ContentInfo) -> list[x509.Certificate]:
    signed = token["content"]
    return [c.chosen for c in signed["certificates"] if c.name == "certificate"] if signed["certificates"] else []


def _issuers_crls(certificates: list[x509.Certificate], trust: Trust) -> list[asn1_crl.CertificateList]:
    issuers = {c.issuer.dump() for c in certificates}
    return [c for c in trust.crls if c.issuer.dump() in issuers]


def add_gost_document_timestamp(pdf: bytes, timestamper: timestamps.TimeStamper, trust: Trust,
                                certificates: list[x509.Certificate] | None = None) -> bytes:
    """`pdf` with the validation data of everything before (chains, CRLs) and then a GOST document
    timestamp covering the file to its last byte (B-LTA; also each 25-year renewal). The signers and
    authorities are `certificates`, or (None) read from every signature in the file."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    known = list(certificates) if certificates is not None else _signers_and_authorities(writer.prev)
    chains = []
    for certificate in known:
        chains += [c for c in chain_of(certificate, trust, known) if c not in chains]
    DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=chains, crls=_issuers_crls(chains, trust))
    return asyncio.run(_document_timestamp(writer, timestamper))


def _signers_and_authorities(reader: PdfFileReader) -> list[x509.Certificate]:
    """Every certificate of every signature and timestamp in the file (a renewal's input)."""
    known = []
    for signature in reader.embedded_signatures:
        known += _token_certificates(cms.ContentInfo({"content_type": "signed_data",
                                                      "content": signature.signed_data}))
        for attr in signature.signer_info["unsigned_attrs"] or []:
            if attr["type"].native == "signature_time_stamp_token":
                known += [c for token in attr["values"] for c in _token_certificates(token)]
    return known


async def _document_timestamp(writer: IncrementalPdfFileWriter, timestamper: timestamps.TimeStamper) -> bytes:
    name = f"Timestamp-{uuid.uuid4()}"
    embedder = PdfCMSEmbedder(new_field_spec=fields.SigFieldSpec(sig_field_name=name,
                                                                 readable_field_name="Timestamp"))
    writing = embedder.write_cms(field_name=name, writer=writer, existing_fields_only=False)
    next(writing)
    writing.send(SigObjSetup(sig_placeholder=DocumentTimestamp(bytes_reserved=TIMESTAMP_RESERVED)))
    prepared, output = writing.send(SigIOSetup(md_algorithm="sha256", output=io.BytesIO()))
    document = output.getvalue()
    covered = document[:prepared.reserved_region_start] + document[prepared.reserved_region_end:]
    try:
        token = await timestamper.async_timestamp(gost.digest("streebog256", covered), "streebog256")
    except Exception as exc:
        raise SigningError(f"служба штампов времени не выдала штамп: {exc}") from exc
    if 2 * len(token.dump()) > prepared.reserved_region_end - prepared.reserved_region_start - 2:
        raise SigningError("штамп времени не помещается в место, отведённое в документе")
    writing.send(token)
    stamped: bytes = output.getvalue()
    return stamped
