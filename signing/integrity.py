"""What no signature covers: bytes after the last document timestamp and the signature containers.

A document timestamp hashes the file from its first byte to the end of its ByteRange, except its
own /Contents. So a signed archive file is unchanged only if
(1) the newest document timestamp's ByteRange ends at the last byte of the file — no revision,
    field, metadata change or junk after it — and no bytes lie between revisions, where a later
    renewal would cover them as if they had been signed;
(2) the document information and XMP metadata still say what the signature saw (only the date
    and producer every save writes may differ); and
(3) every container (/Contents) is a well-formed CMS structure written in exactly one form: the
    fields CMS leaves unsigned (versions, the digest algorithm list, the signer's identifier, the
    hex spelling) must say exactly what the signed parts say, so that no byte of the container
    can change without the check noticing.

Each check answers with a Russian sentence naming the problem, or None.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from asn1crypto import algos, cms, core
from pyhanko.pdf_utils import generic

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.rw_common import PdfHandler
    from pyhanko.pdf_utils.xref import XRefCache
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

_HEX = re.compile(rb"<(?:[0-9a-f]*|[0-9A-F]*)>")


def uncovered_part(pdf: bytes, last: EmbeddedPdfSignature, total_revisions: int) -> str | None:
    """What of `pdf` lies outside `last`, the newest signature or document timestamp, if anything."""
    try:
        ranges = [int(x) for x in last.byte_range]
    except (TypeError, ValueError):
        return "границы подписанной части файла не читаются"
    if len(ranges) != 4 or ranges[0] != 0 or min(ranges) < 0 or ranges[2] < ranges[1]:
        return "последний штамп времени охватывает не весь файл"
    end = ranges[2] + ranges[3]
    if end > len(pdf):
        return f"файл обрезан: не хватает байт: {end - len(pdf)}"
    later = total_revisions - 1 - last.signed_revision
    if later > 0:
        return f"после последнего штампа времени в документ добавлены редакции: {later}"
    if end < len(pdf):
        return f"после последнего штампа времени в файл дописаны байты: {len(pdf) - end}"
    return None


def bytes_between_revisions(pdf: bytes, xrefs: XRefCache) -> str | None:
    """Bytes no revision owns: junk after a revision's `%%EOF` that a later revision (a renewal,
    say) was appended behind, so that a later document timestamp covers it as if it were signed.
    Each revision must begin, after white space, with its first object or its cross-reference."""
    for revision in range(1, xrefs.total_revisions):
        previous_end = pdf.find(b"%%EOF", xrefs.get_xref_container_info(revision - 1).end_location)
        if previous_end < 0:
            return "редакции документа не разделены"
        section = xrefs.get_xref_data(revision)
        first = min([offset for _, offset in section.standard_xrefs.values()]
                    + [xrefs.get_xref_container_info(revision).start_location])
        foreign = pdf[previous_end + len(b"%%EOF"):first].strip(b" \t\r\n\f\x00")
        if foreign:
            return f"между редакциями документа дописаны посторонние байты: {len(foreign)}"
    return None


def metadata_change(reader: PdfFileReader, signed_revision: int) -> str | None:
    """Whether the document information (/Info) or the XMP metadata differs from what was signed.

    pyHanko's difference analysis accepts any change to both as a long-term validation update,
    because every incremental write (the document security store, a document timestamp) sets the
    modification date and the producer again; a forged title or author stamped over by a fresh
    document timestamp would pass. Only those written-on-every-save values may differ here."""
    then = reader.get_historical_resolver(signed_revision)
    if _information(then) != _information(reader):
        return "изменены сведения о документе (название, автор, тема)"
    if _xmp(then) != _xmp(reader):
        return "изменены описательные метаданные документа"
    return None


_SAVE_STAMPS_INFO = {"/ModDate", "/Producer"}
_SAVE_STAMPS_XMP = re.compile(rb"<(xmp:ModifyDate|xmp:MetadataDate|pdf:Producer)\b[^>]*>.*?</\1>"
                              rb"|\b(?:xmp:ModifyDate|xmp:MetadataDate|pdf:Producer)=\"[^\"]*\"", re.S)


def _information(revision: PdfHandler) -> dict[str, Any]:
    info = _resolve(revision, revision.trailer_view, "/Info")
    if info is None:
        return {}
    return {str(k): v for k, v in info.items() if k not in _SAVE_STAMPS_INFO}


def _xmp(revision: PdfHandler) -> bytes:
    metadata = _resolve(revision, _resolve(revision, revision.trailer_view, "/Root"), "/Metadata")
    return b"" if metadata is None else _SAVE_STAMPS_XMP.sub(b"", metadata.data)


def _resolve(revision: PdfHandler, container: Any, key: str) -> Any:
    """`container[key]` as `revision` had it: a plain lookup would read the newest revision's object.

    Any: a PDF object of whatever type the file holds there; the callers use it as what the PDF
    specification says it must be (a dictionary, a stream), and a file that breaks that fails."""
    if container is None or key not in container:
        return None
    value = container.raw_get(key)
    return revision.get_object(value.reference) if isinstance(value, generic.IndirectObject) else value


def container_damage(pdf: bytes, signature: EmbeddedPdfSignature) -> str | None:
    """Why the /Contents of `signature` is not exactly the container its signer wrote, if so."""
    try:
        start, stop = int(signature.byte_range[1]), int(signature.byte_range[2])
    except (TypeError, ValueError, IndexError):
        return "границы контейнера не читаются"
    if not _HEX.fullmatch(pdf[start:stop]):
        return "контейнер записан с посторонними знаками"
    raw = bytes(signature.pkcs7_content)
    try:
        info = cms.ContentInfo.load(raw, strict=False)
        der = info.dump()
    except ValueError:
        return "структура контейнера не читается"
    if raw[len(der):].strip(b"\x00"):
        return "после подписи в контейнере посторонние байты"
    return _cms_damage(der)


def _cms_damage(der: bytes) -> str | None:
    try:
        info = cms.ContentInfo.load(der, strict=True)
        _ = info.native  # parses every field: a damaged tag or length anywhere fails here
        canonical = info.dump(force=True) == der
    except (ValueError, TypeError, KeyError):
        return "структура контейнера повреждена"
    if not canonical:
        return "структура контейнера повреждена (не в единственной допустимой записи)"
    if info["content_type"].native != "signed_data":
        return "в контейнере нет подписанных данных"
    signed = info["content"]
    for signer in signed["signer_infos"]:
        problem = _signer_damage(signed, signer)
        if problem:
            return problem
    if signed["version"].native != _expected_version(signed):
        return "номер версии подписанных данных не соответствует содержимому"
    declared = sorted(_algorithm(a) for a in signed["digest_algorithms"])
    used = sorted({_algorithm(s["digest_algorithm"]) for s in signed["signer_infos"]})
    if declared != used:
        return "список алгоритмов хеширования не соответствует подписи"
    return None


def _signer_damage(signed: cms.SignedData, signer: cms.SignerInfo) -> str | None:
    sid = signer["sid"]
    if signer["version"].native != ("v3" if sid.name == "subject_key_identifier" else "v1"):
        return "номер версии подписи не соответствует содержимому"
    certificates = [c.chosen for c in _present(signed["certificates"]) if c.name == "certificate"]
    if sid.name == "subject_key_identifier":
        found = any(c.key_identifier == sid.chosen.native for c in certificates)
    else:
        issuer = sid.chosen["issuer"].dump()
        serial = sid.chosen["serial_number"].native
        found = any(c.serial_number == serial and c["tbs_certificate"]["issuer"].dump() == issuer
                    for c in certificates)
    if not found:
        return "указание на сертификат подписавшего не совпадает с сертификатом"
    for attribute in _present(signer["unsigned_attrs"]):
        if attribute["type"].native == "signature_time_stamp_token":
            for token in attribute["values"]:
                problem = _cms_damage(token.dump())
                if problem:
                    return f"штамп времени подписи: {problem}"
    return None


def _expected_version(signed: cms.SignedData) -> str:
    """The SignedData version RFC 5652 § 5.1 prescribes for what the structure holds."""
    kinds = {c.name for c in _present(signed["certificates"])}
    crl_kinds = {c.name for c in _present(signed["crls"])}
    if "other" in kinds or "other" in crl_kinds:
        return "v5"
    if "v2_attr_cert" in kinds:
        return "v4"
    if ("v1_attr_cert" in kinds or signed["encap_content_info"]["content_type"].native != "data"
            or any(s["version"].native == "v3" for s in signed["signer_infos"])):
        return "v3"
    return "v1"


def _present(value: core.Asn1Value) -> list[core.Asn1Value]:
    """The elements of an optional SET, none when it is absent."""
    return [] if isinstance(value, core.Void) else list(value)


def _algorithm(algorithm: algos.DigestAlgorithm) -> tuple[str, object]:
    return algorithm["algorithm"].dotted, algorithm["parameters"].native
