"""The director's signature made in the browser, where the key lives (a token behind CryptoPro).

Two phases. `prepare` lays out every document of the selection awaiting the signature for the
certificate the director picked (signature field, visible stamp naming it, space reserved for the
signature) and keeps it server-side, for an hour, for that person only; the browser gets, per
document, an opaque id and the Streebog hash of the byte range to sign. `complete` takes the
CMS the browser's plug-in made over one hash, has it checked and the document finished (signature
timestamp, validation data, document timestamp: B-LTA), then stores and records it exactly as
the batch signature does (`signing.store_signed`: crash-safe, signature record and audit event
committed together). A refusal — an unknown, expired or someone else's id, a CMS over another
hash or by another certificate — writes nothing; the prepared document stays until it expires,
so the same hash can be signed again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol, Sequence

from asn1crypto import x509

from archive_service.adapters.orm import DocumentRecord
from archive_service.adapters.orm import PreparedSignature as PreparedRow
from archive_service.domain.actor import Actor
from archive_service.domain.periods import period_title
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import corrections
from archive_service.services.signing import (
    Pending,
    Selection,
    SigningOutcome,
    adopt_signed_before_a_crash,
    awaiting_signature,
    check_signer,
    nothing_to_sign,
    record_failure,
    refuse_dates,
    store_signed,
    where,
)
from archive_service.services.unit_of_work import UnitOfWork
from signing import SigningError
from signing import gost
from storage import ContentStore, StorageError

if TYPE_CHECKING:
    from signing.gost_pades import PreparedSignature

LIFETIME = dt.timedelta(hours=1)
"""How long a prepared document waits for its signature (a batch of a period takes minutes)."""


class SignatureRefused(ArchiveError):
    """The browser's signature is not accepted; nothing was written."""

    code = "signature_refused"
    http_status = 409


class Preparer(Protocol):
    """Lays a document out for a signature made elsewhere (`signing.gost_pades.prepare_signature`
    with the archive's stamp style bound)."""

    def __call__(self, pdf: bytes, page: int, certificate: x509.Certificate, *,
                 now: dt.datetime) -> PreparedSignature: ...


class CertificateCheck(Protocol):
    """Why a certificate may not sign now (untrusted issuer, revoked, not for signatures), or None
    (`signing.gost_verify.certificate_problem` against the archive's trust)."""

    def __call__(self, certificate: x509.Certificate, moment: dt.datetime) -> str | None: ...


class Completer(Protocol):
    """Checks the CMS against the prepared hash and finishes the document (`GostCompleter`)."""

    def finish(self, prepared: PreparedSignature, signature_cms: bytes) -> bytes: ...


@dataclass(frozen=True)
class PreparedItem:
    """What the browser needs to sign one document: never the document itself."""

    id: str
    document_id: str
    class_name: str
    period_code: str
    digest_algorithm: str  # streebog256 | streebog512
    digest: str  # hex, in the byte order of the CMS messageDigest (as OpenSSL and CryptoPro print it)
    expires_at: dt.datetime

    def as_dict(self) -> dict:
        return asdict(self) | {"expires_at": self.expires_at.isoformat()}


@dataclass(frozen=True)
class Preparation:
    items: list[PreparedItem]
    done: list[SigningOutcome]
    """Documents finished without the browser: a signed file a killed run left (adopted), or a
    document that could not be prepared (failed, with the reason)."""


def signing_certificate(der: bytes, *, now: dt.datetime) -> x509.Certificate:
    """The certificate the director picked in the browser, if a GOST one valid now."""
    try:
        cert = x509.Certificate.load(der)
        _ = cert.native  # parse it all now: a broken certificate is refused here, not half-way
    except (ValueError, TypeError):
        raise SignatureRefused("сертификат из браузера не читается: выберите сертификат из списка ещё раз") from None
    if not gost.certificate_is_gost(cert):
        raise SignatureRefused("это не сертификат ГОСТ Р 34.10-2012: выберите квалифицированный сертификат "
                               "с ключом на токене")
    validity = cert["tbs_certificate"]["validity"]
    if now > validity["not_after"].native:
        raise SignatureRefused(f"срок действия сертификата закончился {validity['not_after'].native:%d.%m.%Y}: "
                               "выберите действующий")
    if now < validity["not_before"].native:
        raise SignatureRefused(f"сертификат начнёт действовать только {validity['not_before'].native:%d.%m.%Y}")
    return cert


def prepare(uow: UnitOfWork, store: ContentStore, preparer: Preparer, academic_year: str,
            period_codes: Sequence[str], certificate_der: bytes, *, owner_id: int, actor: Actor,
            now: dt.datetime, check: CertificateCheck | None = None, lifetime: dt.timedelta = LIFETIME) -> Preparation:
    """Prepare every document of the selection awaiting the signature, for this certificate (checked
    by `check` first: a certificate the archive would not trust is refused before any work)."""
    check_signer(actor)
    cert = signing_certificate(certificate_der, now=now)
    problem = check(cert, now) if check is not None else None
    if problem:
        raise SignatureRefused(f"этим сертификатом подписывать нельзя: {problem}")
    pending = awaiting_signature(uow, academic_year, period_codes)
    if not pending:
        raise nothing_to_sign(uow, academic_year, period_codes)
    refuse_dates(uow, [doc.pk for doc in pending], now)  # drafts, periods not ended, snapshots not exported
    with uow:
        uow.prepared.remove_expired(now)
        uow.prepared.remove_for_documents([doc.pk for doc in pending])
        uow.commit()
    items: list[PreparedItem] = []
    done: list[SigningOutcome] = []
    for doc in pending:
        adopted = adopt_signed_before_a_crash(uow, store, doc)
        if adopted is not None:
            done.append(adopted)
            continue
        try:
            items.append(_prepare_one(uow, store, preparer, doc, cert, owner_id=owner_id, actor=actor,
                                      now=now, lifetime=lifetime))
        except (SigningError, StorageError) as err:
            done.append(record_failure(uow, doc, err, actor=actor, now=now, route="browser"))
    return Preparation(items, done)


def prepare_selection(uow: UnitOfWork, store: ContentStore, preparer: Preparer, selection: Selection,
                      certificate_der: bytes, *, owner_id: int, actor: Actor, now: dt.datetime,
                      check: CertificateCheck | None = None) -> Preparation:
    """`prepare` for every school year of the selection (a year signed meanwhile by another batch is
    skipped), recorded as one `web.sign_prepared` event with who and from where."""
    items: list[PreparedItem] = []
    done: list[SigningOutcome] = []
    for year, codes in selection.items():
        try:
            preparation = prepare(uow, store, preparer, year, codes, certificate_der, owner_id=owner_id, actor=actor,
                                  now=now, check=check)
        except NotFoundError:
            continue
        items += preparation.items
        done += preparation.done
    if not items and not done:
        raise ArchiveError("нет документов, ожидающих подписи: их уже подписали. Обновите страницу")
    with uow:
        uow.audit.append(at=now, actor=actor.person, action="web.sign_prepared", object_type="period",
                         object_id=where(selection), origin=actor.origin,
                         details={"documents": len(items), "route": "browser"})
        uow.commit()
    return Preparation(items, done)


def _prepare_one(uow: UnitOfWork, store: ContentStore, preparer: Preparer, doc: Pending, cert: x509.Certificate,
                 *, owner_id: int, actor: Actor, now: dt.datetime, lifetime: dt.timedelta) -> PreparedItem:
    prepared = preparer(store.read(doc.sha256), doc.certification_page, cert, now=now)
    row = PreparedRow(id=secrets.token_hex(16), document_id=doc.pk, user_id=owner_id, created_at=now,
                      expires_at=now + lifetime, pdf=prepared.document, reserved_start=prepared.reserved_start,
                      reserved_end=prepared.reserved_end, digest_algorithm=prepared.digest_algorithm,
                      digest=prepared.digest.hex(), certificate=prepared.certificate)
    with uow:
        uow.prepared.add(row)
        uow.audit.append(at=now, actor=actor.person, action="document.signature_prepared", object_type="document",
                         object_id=doc.document_id, origin=actor.origin,
                         details={"digest_algorithm": row.digest_algorithm, "digest": row.digest,
                                  "certificate_serial": f"{cert.serial_number:X}", "route": "browser"})
        uow.commit()
    return PreparedItem(row.id, doc.document_id, doc.class_name, doc.period_code, row.digest_algorithm, row.digest,
                        row.expires_at)


def complete(uow: UnitOfWork, store: ContentStore, completer: Completer, prepared_id: str, signature_cms: bytes,
             *, owner_id: int, actor: Actor, now: dt.datetime, audit_as: str | None = None) -> SigningOutcome:
    """Finish, store and record one prepared document with the CMS the browser made over its hash
    (with `audit_as`, the outcome is also an event of that name with who and from where)."""
    check_signer(actor)
    prepared, doc = _claim(uow, prepared_id, owner_id=owner_id, now=now)
    refuse_dates(uow, [doc.pk], now)
    try:
        signed = completer.finish(prepared, signature_cms)
    except SigningError as err:
        raise SignatureRefused(f"подпись не принята: {err}") from None
    outcome = store_signed(uow, store, doc, signed, x509.Certificate.load(prepared.certificate), actor=actor,
                           now=now)
    with uow:
        row = uow.prepared.get(prepared_id) if outcome.ok else None
        if row is not None:
            uow.prepared.remove(row)
        if audit_as:
            uow.audit.append(at=now, actor=actor.person, action=audit_as, object_type="document",
                             object_id=outcome.document_id, origin=actor.origin,
                             details={"ok": outcome.ok, "route": "browser"})
        uow.commit()
    return outcome


def _awaiting(uow: UnitOfWork, row: PreparedRow) -> DocumentRecord:
    record = uow.documents.get(row.document_id)
    if record is None:  # destroyed meanwhile: the prepared row went with it
        uow.prepared.remove(row)
        uow.commit()
        raise SignatureRefused("документ больше не хранится в архиве и подписи не ждёт")
    return record


def _claim(uow: UnitOfWork, prepared_id: str, *, owner_id: int, now: dt.datetime) -> tuple[PreparedSignature, Pending]:
    """The prepared document of this id, if it is this person's, not expired and still awaiting the signature."""
    from signing.gost_pades import PreparedSignature  # pyHanko: loaded where a signature is made

    with uow:
        uow.prepared.remove_expired(now)
        uow.commit()
        row = uow.prepared.get(prepared_id) if prepared_id else None
        if row is None:
            raise SignatureRefused("подготовленный документ не найден: подпись ждут не больше часа, или документ "
                                   "подготовили заново. Начните подписание ещё раз")
        if row.user_id != owner_id:
            raise SignatureRefused("этот документ подготовлен к подписи другим пользователем")
        record = _awaiting(uow, row)
        if (uow.documents.signature_of(record.id) is not None or record.destroyed_by_act
                or record.id in corrections.superseded_pks(uow)):
            uow.prepared.remove(row)
            uow.commit()
            raise SignatureRefused(f"документ {record.class_name}, {period_title(record.period_code)} уже подписан "
                                   "или больше не ожидает подписи")
        prepared = PreparedSignature(document=row.pdf, reserved_start=row.reserved_start,
                                     reserved_end=row.reserved_end, digest_algorithm=row.digest_algorithm,
                                     digest=bytes.fromhex(row.digest), certificate=row.certificate)
        doc = Pending(record.id, record.document_id, record.class_name, record.period_code, record.sha256,
                      record.pages, record.duplex)
    return prepared, doc
