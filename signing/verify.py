"""Verifying a signed archive document, offline, with a report people and machines can read.

The report answers what an inspector asks: is the document unmodified since it was signed,
who signed it, was the certificate valid and trusted when it was signed, when was it signed
(by a trusted timestamp), is the revocation data in the file, does the chain of document
timestamps (PAdES B-LTA) hold, and does the file still identify as PDF/A.

"Unmodified" is strict: the newest document timestamp must cover the file to its last byte
(a renewal adds one that does), the document information and metadata must say what was signed,
and every signature container must be exactly what its signer wrote (`signing.integrity`).
A damaged file gets an invalid report with the reasons in Russian, never an exception.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from datetime import tzinfo
import io
import logging
import re
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.ades.report import AdESStatus, AdESSubIndic
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer
from pyhanko_certvalidator import ValidationContext

from signing.integrity import bytes_between_revisions, container_damage, metadata_change, uncovered_part
from signing.pades import Trust
from signing.words import (ARCHIVAL_FORMAT, CERTIFICATE, CODES, COMPLETED, CONTAINERS, DOCUMENT_STAMPS,
                           LONG_TERM, LONG_TERM_RULES, PRESENT, READ, READABLE, SIGNATURE, SIGNATURE_TIME, TRUSTED,
                           REVOCATION, UNMODIFIED, level_in_words, revocation_detail)
from signing.zones import MOSCOW, moscow_relative

_log = logging.getLogger(__name__)

__all__ = ["UNMODIFIED", "Check", "VerificationReport", "verify_pdf"]
_SAFE_LEVELS = {"NONE", "LTA_UPDATES"}
_CHANGES = {
    "FORM_FILLING": "заполнены или добавлены поля формы (например, новое поле подписи)",
    "ANNOTATIONS": "добавлены примечания или пометки",
}
_INDICATIONS = {
    "NO_POE": "нет доказательства, что подпись существовала, пока действовали сертификаты "
              "(нужен новый штамп времени документа)",
    "REVOKED": "сертификат отозван",
    "REVOKED_NO_POE": "сертификат отозван",
    "REVOKED_CA_NO_POE": "сертификат удостоверяющего центра отозван",
    "EXPIRED": "срок действия сертификата истёк",
    "OUT_OF_BOUNDS_NO_POE": "срок действия сертификата истёк",
    "OUT_OF_BOUNDS_NOT_REVOKED": "срок действия сертификата истёк",
    "NOT_YET_VALID": "сертификат ещё не действовал",
    "NO_CERTIFICATE_CHAIN_FOUND": "цепочка до доверенного корневого сертификата не построена",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "цепочка до доверенного корневого сертификата не построена",
    "CHAIN_CONSTRAINTS_FAILURE": "цепочка сертификатов не отвечает требованиям",
    "TRY_LATER": "нет действующих данных об отзыве сертификата",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "нет действующих данных об отзыве сертификата",
    "HASH_FAILURE": "содержимое не совпадает с подписанным",
    "SIG_CRYPTO_FAILURE": "подпись не соответствует содержимому",
    "FORMAT_FAILURE": "структура подписи повреждена",
    "NO_SIGNING_CERTIFICATE_FOUND": "сертификат подписавшего не найден",
    "TIMESTAMP_ORDER_FAILURE": "штампы времени идут не по порядку",
    "CRYPTO_CONSTRAINTS_FAILURE": "алгоритм подписи больше не считается надёжным",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "алгоритм подписи больше не считается надёжным",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    @property
    def code(self) -> str:
        """The check for programs (the JSON report), whatever its Russian name."""
        return CODES.get(self.name, "other")


@dataclass
class VerificationReport:
    checks: list[Check] = field(default_factory=list)
    signer: str = ""
    certificate_serial: str = ""
    certificate_valid_from: str = ""
    certificate_valid_to: str = ""
    signed_at: str = ""
    level: str = ""  # the technical name («PAdES B-LTA»): for programs; people read `level_words`
    qualified: bool | None = None  # None: not assessed (the signature itself failed)
    certification_centre: str = ""
    qualification: str = ""

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))

    @property
    def level_words(self) -> str:
        """The kind of signature in words («усиленная квалифицированная электронная подпись …»)."""
        return level_in_words(self.level, self.qualified)

    def as_dict(self) -> dict[str, Any]:
        """For programs: the Russian words and, beside them, the codes and the technical level."""
        facts = asdict(self)
        facts["checks"] = [{"code": c.code, **asdict(c)} for c in self.checks]
        return {"valid": self.valid, **facts, "level_words": self.level_words}

    def as_text(self) -> str:
        head = "ПОДПИСЬ ДЕЙСТВИТЕЛЬНА" if self.valid else "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА"
        lines = [head]
        if self.signer:
            lines.append(f"Владелец сертификата: {self.signer}; сертификат {self.certificate_serial}, "
                         f"действителен с {self.certificate_valid_from} по {self.certificate_valid_to}")
        if self.signed_at:
            lines.append(f"Время подписи (по штампу времени): {self.signed_at}")
        if self.level:
            lines.append(f"Вид подписи: {self.level_words}")
        if self.qualified is not None:
            lines.append(f"Квалифицированная электронная подпись: {'да' if self.qualified else 'нет'} — "
                         f"{self.qualification}")
        lines += [f"  [{'да ' if c.ok else 'НЕТ'}] {c.name}: {c.detail}" for c in self.checks]
        return "\n".join(lines)


_ZONE: ContextVar[tzinfo] = ContextVar("report_zone", default=MOSCOW)  # the time zone of the report in progress


def _fmt(moment: dt.datetime | None) -> str:
    """A moment of the report in the school's time zone, named as Russians name zones (МСК, МСК+2)."""
    if not moment:
        return ""
    local = moment.astimezone(_ZONE.get())
    return f"{local:%d.%m.%Y %H:%M:%S} ({moscow_relative(local)})"


def verify_pdf(pdf: bytes, trust: Trust, at: dt.datetime | None = None, *, zone: tzinfo = MOSCOW) -> VerificationReport:
    """Check every signature of `pdf` offline against `trust` and the data embedded in the file.

    `at`: the moment of the AdES long-term validation (default now); years later the chain of
    document timestamps is what proves the signature was valid when it was made. A damaged file
    is an answer (an invalid report saying why), never an exception. Times are given in `zone`
    (the school's).
    """
    report = VerificationReport()
    token = _ZONE.set(zone)
    try:
        _verify(report, pdf, trust, at)
    except Exception:  # a structure pyHanko cannot take apart: the file proves nothing
        _log.info("signature verification stopped on a damaged structure", exc_info=True)
        report.add(COMPLETED, False, "подпись или штамп времени повреждены: проверку не удалось завершить")
    finally:
        _ZONE.reset(token)
    return report


def _verify(report: VerificationReport, pdf: bytes, trust: Trust, at: dt.datetime | None) -> None:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file: that is the answer, not a crash
        _log.info("the file cannot be read", exc_info=True)
        report.add(READABLE, False, "файл повреждён или не является PDF: структура документа или "
                                           "контейнер подписи не читается")
        return
    main = [s for s in signatures if s.sig_object_type == "/Sig"]
    doc_ts = [s for s in signatures if s.sig_object_type == "/DocTimeStamp"]
    if not main:
        report.add(PRESENT, False, "в документе нет электронной подписи")
        return
    # nothing may follow the newest document timestamp (or, without one, the newest signature)
    outside = (uncovered_part(pdf, doc_ts[-1] if doc_ts else signatures[-1], reader.xrefs.total_revisions)
               or bytes_between_revisions(pdf, reader.xrefs))
    from signing.gost_verify import check_gost_signature, is_gost_signature

    if is_gost_signature(main[0]):  # pyHanko's cryptography knows no GOST: checked in signing.gost_verify
        check_gost_signature(report, pdf, reader, main[0], doc_ts, trust, at, outside)
        _check_containers(report, pdf, signatures)
        _check_pdfa(report, reader)
        return
    context = _context(reader, trust)
    try:
        status = validate_pdf_signature(main[0], context)
    except Exception:
        _log.info("the signature cannot be validated", exc_info=True)
        if outside:
            report.add(UNMODIFIED, False, f"документ изменён после подписания: {outside}")
        report.add(READ, False, "контейнер подписи повреждён: подпись не удаётся прочитать")
        return
    _describe_signer(report, status)
    change = outside or _modification(status) or metadata_change(reader, main[0].signed_revision)
    report.add(UNMODIFIED, change is None,
               "содержимое совпадает с подписанным; после подписи добавлены только данные для "
               "долговременной проверки и штампы времени" if change is None else
               f"документ изменён после подписания: {change}")
    report.add(SIGNATURE, status.valid and status.intact, "подпись соответствует содержимому"
               if status.valid and status.intact else "подпись не соответствует содержимому")
    if status.trusted:
        trusted = TRUSTED
    elif not status.intact:
        trusted = "не проверялся: документ изменён"
    else:
        trusted = f"сертификат не подтверждён: {_indication(status.trust_problem_indic)}"
    report.add(CERTIFICATE, status.trusted, trusted)
    if status.trusted:
        from signing.gost_verify import assess_qualification

        assess_qualification(report, status.signing_cert, trust)
    ts = status.timestamp_validity
    report.add(SIGNATURE_TIME, bool(ts and ts.valid and ts.intact and ts.trusted),
               f"{_fmt(ts.timestamp)}, служба штампов времени: {ts.signing_cert.subject.native.get('common_name', '')}"
               if ts else "нет штампа времени")
    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    revinfo = (len(list(dss.crls)) + len(list(dss.ocsps))) if dss else 0
    report.add(REVOCATION, revinfo > 0, revocation_detail(revinfo))
    _check_doc_timestamps(report, doc_ts, context)
    _check_ades_lta(report, main[0], trust, at)
    _check_containers(report, pdf, signatures)
    _check_pdfa(report, reader)
    report.level = "PAdES B-LTA" if doc_ts and revinfo and ts else ("PAdES B-T" if ts else "PAdES B-B")


def _modification(status: PdfSignatureStatus) -> str | None:
    """What changed after the signature, as pyHanko's difference analysis sees it, if anything."""
    if not status.intact:
        return "содержимое не совпадает с подписанным"
    level = status.modification_level.name if status.modification_level else "OTHER"
    if level not in _SAFE_LEVELS:
        return _CHANGES.get(level, "изменено содержимое или сведения о документе")
    if status.docmdp_ok is False:
        return "нарушен запрет изменений, установленный подписавшим"
    return None


def _indication(indication: AdESSubIndic | None) -> str:
    """An AdES indication (ETSI EN 319 102-1, the rules of long-term validation) in words an inspector reads."""
    name = getattr(indication, "name", "")
    return _INDICATIONS.get(name, "подпись не подтверждена")


def _context(reader: PdfFileReader, trust: Trust) -> ValidationContext:
    crls = list(trust.crls)
    ocsps = []
    if "/DSS" in reader.root:
        dss = DocumentSecurityStore.read_dss(reader)
        crls += [_der(c) for c in dss.crls]
        ocsps = [_der(o) for o in dss.ocsps]
    return ValidationContext(trust_roots=list(trust.roots), crls=crls, ocsps=ocsps, allow_fetching=False,
                             revocation_mode="hard-fail")


def _der(stream: generic.PdfObject) -> bytes:
    """The bytes of a CRL or OCSP response kept in the document security store."""
    data: bytes = stream.get_object().data
    return data


def _describe_signer(report: VerificationReport, status: PdfSignatureStatus) -> None:
    cert = status.signing_cert
    validity = cert["tbs_certificate"]["validity"]
    report.signer = cert.subject.native.get("common_name", "")
    report.certificate_serial = f"{cert.serial_number:X}"
    report.certificate_valid_from = f"{validity['not_before'].native:%d.%m.%Y}"
    report.certificate_valid_to = f"{validity['not_after'].native:%d.%m.%Y}"
    if status.timestamp_validity:
        report.signed_at = _fmt(status.timestamp_validity.timestamp)


def _check_doc_timestamps(report: VerificationReport, doc_ts: list[EmbeddedPdfSignature],
                          context: ValidationContext) -> None:
    if not doc_ts:
        report.add(DOCUMENT_STAMPS, False, "нет штампа времени на весь документ")
        return
    moments, problems = [], []
    for number, ts in enumerate(doc_ts, 1):
        try:
            status = validate_pdf_timestamp(ts, context)
        except Exception:
            _log.info("document timestamp %d cannot be validated", number, exc_info=True)
            problems.append(f"контейнер штампа № {number} повреждён")
            continue
        if not (status.intact and status.valid):
            problems.append(f"штамп № {number} не соответствует содержимому")
        elif not status.trusted:
            problems.append(f"служба штампа № {number} не подтверждена")
        moments.append(status.timestamp)
    summary = f"штампов: {len(doc_ts)}" + (f", последний {_fmt(max(moments))}" if moments else "")
    report.add(DOCUMENT_STAMPS, not problems, "; ".join([summary, *problems]))


def _ades_spec(trust: Trust) -> PdfSignatureValidationSpec:
    rule = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    return PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=list(trust.roots)),
            revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(rule, rule))),
        revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY),
        local_knowledge=LocalKnowledge(known_crls=[CRLContainer(c) for c in trust.crls])))


def _check_ades_lta(report: VerificationReport, signature: EmbeddedPdfSignature, trust: Trust,
                    at: dt.datetime | None) -> None:
    """ETSI EN 319 102-1 long-term validation (pyHanko's AdES), offline, at `at`."""
    timing = None
    if at is not None:
        timing = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=False)
    try:
        result = asyncio.run(ades_lta_validation(signature, _ades_spec(trust), timing_info=timing))
        indication = result.ades_subindic
    except Exception:  # an unreadable or broken structure is a failed validation
        _log.info("AdES validation impossible", exc_info=True)
        report.add(LONG_TERM, False, "проверка невозможна: структура подписи повреждена")
        return
    ok = indication.status is AdESStatus.PASSED
    moment = _fmt(at) if at else "сейчас"
    report.add(LONG_TERM, ok,
               f"{LONG_TERM_RULES} на момент {moment}: "
               + ("пройдена" if ok else f"не пройдена: {_indication(indication)}"))


def _check_containers(report: VerificationReport, pdf: bytes, signatures: list[EmbeddedPdfSignature]) -> None:
    """/Contents lies outside every signed byte range; only the container its signer wrote (one
    form of it) and zero padding may be there, so that no byte of the file can change unnoticed."""
    problems, stamps = [], 0
    for sig in signatures:
        if sig.sig_object_type == "/DocTimeStamp":
            stamps += 1
            who = f"штамп времени документа № {stamps}"
        else:
            who = "подпись"
        damage = container_damage(pdf, sig)
        if damage:
            problems.append(f"{who}: {damage}")
    report.add(CONTAINERS, not problems,
               "в местах, отведённых под подписи, нет ничего, кроме самих подписей" if not problems
               else "контейнер повреждён — " + "; ".join(problems))


def _check_pdfa(report: VerificationReport, reader: PdfFileReader) -> None:
    try:
        xmp = reader.root["/Metadata"].get_object().data.decode("utf-8", "replace")
    except (KeyError, AttributeError):
        xmp = ""
    part = re.search(r'pdfaid:part(?:="|>)(\d)', xmp)
    conformance = re.search(r'pdfaid:conformance(?:="|>)([ABU])', xmp)
    ok = part is not None and conformance is not None
    report.add(ARCHIVAL_FORMAT, ok,
               f"архивный формат PDF/A-{part.group(1)}{conformance.group(1).lower()} (ГОСТ Р ИСО 19005)"
               if part and conformance else "документ не помечен как архивный PDF/A")
