"""Verifying GOST R 34.10-2012 signatures in archive PDFs, offline.

pyHanko validates PAdES signatures with pyca/cryptography, which knows neither GOST R 34.10-2012
nor Streebog; so for a document signed with a GOST key the cryptographic checks are made here,
and the rest is pyHanko's and pyhanko_certvalidator's own:

* the signature: the Streebog digest of the signed byte range equals the signed «message digest»,
  the ESS signing-certificate attribute names the signer's certificate, and the GOST signature over
  the signed attributes verifies (`signing.gost`, the system OpenSSL's GOST engine);
* timestamps (the signature's and every document timestamp): the imprint is the digest of what
  they stamp, the token is a valid signature of the authority, and the authority's certificate has
  the timestamping purpose;
* certificates: RFC 5280 path validation by pyhanko_certvalidator to the configured trusted roots,
  with revocation from the CRLs in the document (hard fail), at the time the signature timestamp
  proves — GOST signatures of certificates and CRLs are checked through `GostSignatureValidator`;
* long-term proof: each document timestamp's authority certificate is valid when the next
  timestamp was made, the newest one at the moment of the check;
* modifications: pyHanko's difference analysis and the checks of `signing.integrity`, as for every
  signature.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from typing import TYPE_CHECKING

from asn1crypto import algos, cms, core, keys, tsp, x509
from cryptography.exceptions import InvalidSignature
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko_certvalidator.sig_validate import (DEFAULT_VALIDATION_CONTEXT, DefaultSignatureValidator,
                                                SignatureValidationContext)

from signing import gost
from signing.pades import Trust
from signing.words import (CERTIFICATE, DOCUMENT_STAMPS, LONG_TERM, LONG_TERM_RULES, REVOCATION, SIGNATURE,
                           SIGNATURE_TIME, TRUSTED, UNMODIFIED, revocation_detail)

if TYPE_CHECKING:
    from signing.verify import VerificationReport

#: when a timestamp was made, and by which authority (None where it is missing)
StampedBy = tuple[dt.datetime | None, x509.Certificate | None]

_log = logging.getLogger(__name__)


class GostSignatureValidator(DefaultSignatureValidator):
    """pyhanko_certvalidator's signature check, taught GOST R 34.10-2012 (certificates, CRLs)."""

    def validate_signature(self, signature: bytes, signed_data: bytes, public_key_info: keys.PublicKeyInfo,
                           signature_algorithm: algos.SignedDigestAlgorithm,
                           context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT) -> None:
        if gost.is_gost_key(public_key_info):
            digest_name = (gost.digest_algorithm_of_signature(signature_algorithm["algorithm"].dotted)
                           or context.contextual_md_algorithm)
            if digest_name not in ("streebog256", "streebog512") or not gost.verify(
                    public_key_info, signed_data, signature, digest_name):
                raise InvalidSignature()
            return
        super().validate_signature(signature, signed_data, public_key_info, signature_algorithm, context)


VALIDATOR = GostSignatureValidator()


def digest(algorithm: cms.DigestAlgorithm | str, data: bytes) -> bytes:
    """The digest of `data` by a CMS digest algorithm: Streebog here, the SHA family by hashlib."""
    dotted = algorithm if isinstance(algorithm, str) else algorithm["algorithm"].dotted
    if dotted in gost.DIGEST_NAMES:
        return gost.digest(gost.DIGEST_NAMES[dotted], data)
    name = {"1.3.14.3.2.26": "sha1", "2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384",
            "2.16.840.1.101.3.4.2.3": "sha512"}.get(dotted)
    if name is None:
        raise ValueError(f"unsupported digest {dotted}")
    return hashlib.new(name, data).digest()


def signer_certificate(signature: EmbeddedPdfSignature) -> x509.Certificate | None:
    """The signer's certificate of an embedded signature or document timestamp, found by its
    identifier without hashing (pyHanko's `signer_cert` checks the ESS attribute with
    pyca/cryptography, which cannot compute a Streebog hash)."""
    try:
        return _signer_certificate(signature.signed_data, signature.signer_info)
    except (KeyError, ValueError, TypeError, IndexError):
        return None


def is_gost_signature(signature: EmbeddedPdfSignature) -> bool:
    certificate = signer_certificate(signature)
    return certificate is not None and gost.certificate_is_gost(certificate)


def _certificates(signed: cms.SignedData) -> list[x509.Certificate]:
    return [c.chosen for c in signed["certificates"] if c.name == "certificate"] if signed["certificates"] else []


def _signer_certificate(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate | None:
    sid = signer["sid"]
    for certificate in _certificates(signed):
        if sid.name == "issuer_and_serial_number":
            if (certificate.serial_number == sid.chosen["serial_number"].native
                    and certificate.issuer == sid.chosen["issuer"]):
                return certificate
        elif certificate.key_identifier == sid.chosen.native:
            return certificate
    return None


def cms_problem(signed: cms.SignedData, content: bytes) -> tuple[str | None, x509.Certificate | None]:
    """Why `signed` is not a valid signature of `content` (None if it is), and its signer's certificate."""
    if len(signed["signer_infos"]) != 1:
        return "в контейнере должен быть ровно один подписавший", None
    signer = signed["signer_infos"][0]
    certificate = _signer_certificate(signed, signer)
    if certificate is None:
        return "сертификат подписавшего не найден в контейнере", None
    if not signer["signed_attrs"]:
        return "нет подписанных атрибутов", certificate
    attrs = {a["type"].native: a["values"] for a in signer["signed_attrs"]}
    try:
        actual = digest(signer["digest_algorithm"], content)
    except ValueError:
        return "неизвестный алгоритм хеширования", certificate
    if "message_digest" not in attrs or attrs["message_digest"][0].native != actual:
        return "содержимое не совпадает с подписанным", certificate
    if "content_type" not in attrs or (attrs["content_type"][0].native
                                       != signed["encap_content_info"]["content_type"].native):
        return "тип подписанного содержимого не совпадает", certificate
    ess = _ess_problem(attrs, certificate)
    if ess:
        return ess, certificate
    public_key = certificate["tbs_certificate"]["subject_public_key_info"]
    try:
        VALIDATOR.validate_signature(signer["signature"].native, gost.signed_attributes_bytes(signer), public_key,
                                     signer["signature_algorithm"])
    except Exception:
        return "подпись не соответствует содержимому", certificate
    return None, certificate


def _ess_problem(attrs: dict[str, core.SetOf], certificate: x509.Certificate) -> str | None:
    """The ESS signing-certificate attribute, when present, must name the signer's certificate."""
    for name in ("signing_certificate_v2", "signing_certificate"):
        if name in attrs:
            first = attrs[name][0]["certs"][0]
            algorithm = first["hash_algorithm"] if name == "signing_certificate_v2" else "1.3.14.3.2.26"
            try:
                if first["cert_hash"].native != digest(algorithm, certificate.dump()):
                    return "атрибут сертификата подписавшего указывает на другой сертификат"
            except ValueError:
                return "неизвестный алгоритм хеширования в атрибуте сертификата подписавшего"
    return None


def token_problem(token: cms.ContentInfo,
                  stamped: bytes) -> tuple[str | None, tsp.TSTInfo | None, x509.Certificate | None]:
    """Why an RFC 3161 token is not a valid timestamp of `stamped`, its TSTInfo and authority."""
    try:
        signed = token["content"]
        if signed["encap_content_info"]["content_type"].native != "tst_info":
            return "это не штамп времени", None, None
        content = signed["encap_content_info"]["content"].contents
        info = tsp.TSTInfo.load(content)
        imprint = info["message_imprint"]
        if imprint["hashed_message"].native != digest(imprint["hash_algorithm"], stamped):
            return "штамп времени поставлен на другие данные", info, None
    except (ValueError, KeyError, TypeError):
        return "штамп времени не читается", None, None
    problem, authority = cms_problem(signed, content)
    return problem, info, authority


def certificate_problem(certificate: x509.Certificate, moment: dt.datetime, trust: Trust,
                        known: list[x509.Certificate], crls: list[bytes], *, timestamping: bool = False) -> str | None:
    """RFC 5280 validation of `certificate` at `moment` to a trusted root, revocation by `crls`."""
    context = ValidationContext(trust_roots=list(trust.roots), other_certs=known, crls=[*trust.crls, *crls],
                                moment=moment, allow_fetching=False, revocation_mode="hard-fail",
                                signature_validator=VALIDATOR)
    validator = CertificateValidator(certificate, intermediate_certs=known, validation_context=context)
    try:
        if timestamping:
            asyncio.run(validator.async_validate_usage(set(), extended_key_usage={"time_stamping"}))
        else:
            asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except cv_errors.RevokedError as exc:
        when = f" {exc.revocation_dt:%d.%m.%Y}" if getattr(exc, "revocation_dt", None) else ""
        return f"сертификат отозван{when}"
    except cv_errors.ExpiredError as exc:
        return f"срок действия сертификата истёк {exc.expired_dt:%d.%m.%Y}"
    except cv_errors.NotYetValidError as exc:
        return f"сертификат ещё не действовал (действует с {exc.valid_from:%d.%m.%Y})"
    except cv_errors.InsufficientRevinfoError:
        return "нет действующих данных об отзыве сертификата"
    except cv_errors.PathBuildingError:
        issuer = certificate.issuer.native.get("common_name") or certificate.issuer.human_friendly
        return (f"сертификат выдан удостоверяющим центром «{issuer}», которого нет в списке доверенных: "
                "цепочка до доверенного корневого сертификата не построена")
    except cv_errors.InvalidCertificateError as exc:
        _log.info("certificate refused: %s", exc)
        if "self-signed" in str(exc).lower():
            return "сертификат самоподписанный: его не выдавал удостоверяющий центр"
        if "usage" in str(exc).lower() or "purpose" in str(exc).lower():
            return ("сертификат не предназначен для штампов времени" if timestamping
                    else "сертификат не предназначен для электронной подписи")
        return "сертификат недействителен"
    except cv_errors.PathValidationError as exc:
        _log.info("certificate path invalid: %s", exc)
        return "цепочка сертификатов не прошла проверку"
    return None


def modification_problem(signature: EmbeddedPdfSignature) -> str | None:
    """pyHanko's difference analysis of what was added after the signature (no cryptography needed)."""
    from signing.verify import _CHANGES, _SAFE_LEVELS

    from pyhanko.sign.validation.status import SignatureCoverageLevel

    coverage = signature.evaluate_signature_coverage()
    if coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return "подпись охватывает не весь документ своей редакции"
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    result = DEFAULT_DIFF_POLICY.review_file(signature.reader, signature.signed_revision,
                                             field_mdp_spec=signature.fieldmdp, doc_mdp=signature.docmdp_level)
    level = getattr(result, "modification_level", None)
    if level is None:
        return "изменено содержимое или сведения о документе"
    if level.name not in _SAFE_LEVELS:
        return _CHANGES.get(level.name, "изменено содержимое или сведения о документе")
    return None


def covered_bytes(pdf: bytes, signature: EmbeddedPdfSignature) -> bytes:
    start, first, second, length = (int(x) for x in signature.byte_range)
    return pdf[start:start + first] + pdf[second:second + length]


def embedded_crls(reader: PdfFileReader) -> list[bytes]:
    if "/DSS" not in reader.root:
        return []
    return [c.get_object().data for c in DocumentSecurityStore.read_dss(reader).crls]


def embedded_certificates(reader: PdfFileReader) -> list[x509.Certificate]:
    if "/DSS" not in reader.root:
        return []
    return [x509.Certificate.load(stream.get_object().data)
            for stream in DocumentSecurityStore.read_dss(reader).certs.values()]


def signature_timestamp(signer: cms.SignerInfo) -> cms.ContentInfo | None:
    for attribute in signer["unsigned_attrs"] or []:
        if attribute["type"].native == "signature_time_stamp_token":
            return attribute["values"][0]
    return None


def _fmt(moment: dt.datetime | None) -> str:
    from signing.verify import _fmt as fmt

    return fmt(moment)


def check_gost_signature(report: VerificationReport, pdf: bytes, reader: PdfFileReader, signature: EmbeddedPdfSignature,
                         doc_ts: list[EmbeddedPdfSignature],
                         trust: Trust, at: dt.datetime | None, outside: str | None) -> None:
    """Fill `report` (a `signing.verify.VerificationReport`) for a GOST-signed document, with the same
    checks, in the same order and words, as a pyHanko-verified one."""
    from signing.integrity import metadata_change

    signer = signature.signer_info
    covered = covered_bytes(pdf, signature)
    problem, certificate = cms_problem(signature.signed_data, covered)
    if certificate is not None:
        _describe(report, certificate)
    token = signature_timestamp(signer)
    ts_problem, ts_info, authority = (token_problem(token, signer["signature"].native) if token is not None
                                      else ("нет штампа времени", None, None))
    signed_at = ts_info["gen_time"].native if ts_info is not None and not ts_problem else None
    report.signed_at = _fmt(signed_at)
    change = outside or ("содержимое не совпадает с подписанным" if problem else modification_problem(signature)) \
        or metadata_change(reader, signature.signed_revision)
    report.add(UNMODIFIED, change is None,
               "содержимое совпадает с подписанным; после подписи добавлены только данные для "
               "долговременной проверки и штампы времени" if change is None else
               f"документ изменён после подписания: {change}")
    report.add(SIGNATURE, problem is None,
               "подпись по ГОСТ Р 34.10-2012 соответствует содержимому" if problem is None else problem)
    known = [*_certificates(signature.signed_data), *embedded_certificates(reader)]
    if token is not None:
        known += _certificates(token["content"])
    crls = embedded_crls(reader)
    moment = signed_at or at or dt.datetime.now(dt.timezone.utc)
    trusted: str | None
    if certificate is None or problem:
        trusted = "не проверялся: подпись не соответствует содержимому"
    else:
        trusted = certificate_problem(certificate, moment, trust, known, crls)
    report.add(CERTIFICATE, trusted is None,
               TRUSTED if trusted is None
               else f"сертификат не подтверждён: {trusted}")
    if not ts_problem and authority is not None:
        ts_problem = certificate_problem(authority, moment, trust, known, crls, timestamping=True)
    report.add(SIGNATURE_TIME, ts_problem is None, ts_problem if ts_problem is not None
               else f"{_fmt(signed_at)}, служба штампов времени: {_common_name(authority)}")
    report.add(REVOCATION, bool(crls), revocation_detail(len(crls)))
    if certificate is not None and not problem and trusted is None:
        assess_qualification(report, certificate, trust)
    stamps = _check_document_timestamps(report, pdf, doc_ts, trust, known, crls)
    _check_long_term(report, [(signed_at, authority)] + stamps, trust, known, crls, at)
    report.level = "PAdES B-LTA" if doc_ts and crls and token is not None else (
        "PAdES B-T" if token is not None else "PAdES B-B")


def assess_qualification(report: VerificationReport, certificate: x509.Certificate, trust: Trust) -> None:
    """Whether the signature is a qualified one (63-ФЗ art. 5 p. 4): a GOST key, a certificate in the
    qualified profile (ФСБ order 795) issued by an accredited certification centre."""
    from signing.qualified import qualification_problems, read_profile

    if not gost.certificate_is_gost(certificate):
        report.qualified = False
        report.qualification = "ключ не ГОСТ Р 34.10-2012: квалифицированной бывает только подпись по ГОСТ"
        return
    problems = qualification_problems(certificate)
    centre = trust.centre_for(certificate)
    report.certification_centre = centre or ""
    if centre is None:
        issuer = certificate.issuer.native.get("common_name") or certificate.issuer.native.get("organization_name", "")
        problems.append(f"удостоверяющий центр «{issuer}» не входит в список аккредитованных")
    report.qualified = not problems
    if problems:
        report.qualification = "; ".join(problems)
        return
    classes = ", ".join(read_profile(certificate).tool_classes)
    report.qualification = (f"сертификат выдан аккредитованным удостоверяющим центром «{centre}»"
                            + (f", средство электронной подписи класса {classes}" if classes else ""))


def _describe(report: VerificationReport, certificate: x509.Certificate) -> None:
    validity = certificate["tbs_certificate"]["validity"]
    report.signer = _common_name(certificate)
    report.certificate_serial = f"{certificate.serial_number:X}"
    report.certificate_valid_from = f"{validity['not_before'].native:%d.%m.%Y}"
    report.certificate_valid_to = f"{validity['not_after'].native:%d.%m.%Y}"


def _common_name(certificate: x509.Certificate | None) -> str:
    return certificate.subject.native.get("common_name", "") if certificate is not None else ""


def _check_document_timestamps(report: VerificationReport, pdf: bytes, doc_ts: list[EmbeddedPdfSignature], trust: Trust,
                               known: list[x509.Certificate], crls: list[bytes]) -> list[StampedBy]:
    """Each document timestamp stamps its byte range, by a valid authority; their (time, authority)."""
    if not doc_ts:
        report.add(DOCUMENT_STAMPS, False, "нет штампа времени на весь документ")
        return []
    stamps, problems = [], []
    for number, stamp in enumerate(doc_ts, 1):
        token = cms.ContentInfo({"content_type": "signed_data", "content": stamp.signed_data})
        problem, info, authority = token_problem(token, covered_bytes(pdf, stamp))
        if problem:
            problems.append(f"штамп № {number}: {problem}")
            continue
        assert info is not None and authority is not None  # token_problem gives both when it finds no problem
        moment = info["gen_time"].native
        extra = [*known, *_certificates(stamp.signed_data)]
        problem = certificate_problem(authority, moment, trust, extra, crls, timestamping=True)
        if problem:
            problems.append(f"служба штампа № {number} не подтверждена: {problem}")
        stamps.append((moment, authority))
    summary = f"штампов: {len(doc_ts)}" + (f", последний {_fmt(max(m for m, _ in stamps))}" if stamps else "")
    report.add(DOCUMENT_STAMPS, not problems, "; ".join([summary, *problems]))
    return stamps


def _check_long_term(report: VerificationReport, chain: list[StampedBy], trust: Trust, known: list[x509.Certificate],
                     crls: list[bytes], at: dt.datetime | None) -> None:
    """Each timestamp is proven by the next one to exist while its authority's certificate was
    valid; the newest authority's certificate must still be valid at the moment of the check."""
    moment = at or dt.datetime.now(dt.timezone.utc)
    words = f"на момент {_fmt(at)}" if at else "на сегодня"
    problem = None
    complete = [(when, authority) for when, authority in chain if when is not None and authority is not None]
    if len(complete) < len(chain):
        problem = "цепочка штампов времени неполная"
    else:
        for (when, authority), following in zip(complete, [*(w for w, _ in complete[1:]), moment]):
            if following < when:
                problem = "штампы времени идут не по порядку"
                break
            expiry = authority["tbs_certificate"]["validity"]["not_after"].native
            if expiry < following:
                problem = ("нет доказательства, что подпись существовала, пока действовали сертификаты "
                           "(нужен новый штамп времени документа)")
                break
    report.add(LONG_TERM, problem is None, f"{LONG_TERM_RULES} (ГОСТ Р 34.10-2012) {words}: "
               + ("пройдена" if problem is None else f"не пройдена: {problem}"))
