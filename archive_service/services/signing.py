"""The director's batch signature: every document awaiting it for a period, key opened once.

Only the director signs. Each document is signed on its certification sheet at PAdES B-LTA,
the signed file stored content-addressed beside the unsigned one (nothing is changed in
place), and a signature record and an audit event are committed together. A failure on one
document leaves the others signed and says which failed and why.

A signature cannot be made twice alike (its time differs), so before the signed file is stored
its hash and facts are committed as a `document.signing` audit event: a run killed between
storing the file and recording it leaves a file the next run finds by that event and adopts,
rather than signing again and leaving a file no row speaks of.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass
from typing import Any, Callable, Mapping, Protocol, Sequence

from archive_service.adapters.orm import DocumentRecord, DocumentSignature
from archive_service.domain.actor import Actor
from archive_service.domain.drafts import DEFAULT_ZONE, CopyFacts, date_problem, draft_problem
from archive_service.domain.periods import period_title, periods_title
from archive_service.domain.permissions import may, sole_role
from archive_service.domain.sheets import certification_page
from archive_service.errors import DraftRefused, NotFoundError, PermissionDenied, TooEarly, found
from archive_service.services import corrections
from archive_service.services.unit_of_work import UnitOfWork
from signing.errors import SigningError
from storage import ContentStore, StorageError
from storage.crash_points import crash_point

SIGNING_ROLE = sole_role("sign_documents")


class DocumentSigner(Protocol):
    """A local key (`PadesSigner`) or an external program (`ExternalCommandSigner`)."""

    @property
    def certificate(self) -> Any: ...  # read-only: PadesSigner and ExternalCommandSigner expose a property

    def sign(self, pdf: bytes, page: int, *, now: dt.datetime | None = None) -> bytes: ...


@dataclass(frozen=True)
class SigningOutcome:
    document_id: str
    class_name: str
    period_code: str
    ok: bool
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Pending:
    """A document of the selection awaiting the director's signature."""

    pk: int
    document_id: str
    class_name: str
    period_code: str
    sha256: str
    pages: int
    duplex: bool

    @property
    def certification_page(self) -> int:
        """The last page: the certification note (two-sided, the back of the last sheet)."""
        return certification_page(self.pages, duplex=self.duplex)


class AllSigned(NotFoundError):
    """Nothing awaits a signature because every document of the selection is signed already
    (a repeated run, say after a crash): not a failure of the run."""


def awaiting_signature(uow: UnitOfWork, academic_year: str, period_codes: Sequence[str],
                       class_names: Sequence[str] = ()) -> list[Pending]:
    """The documents of the selection the director is to sign: not signed, not replaced by a
    corrected copy, not drafts (a draft is never signed: the close after the period's end makes
    the copy that is)."""
    with uow:
        records = uow.documents.listing(academic_year, period_codes, class_names)
        signed = uow.documents.signatures([r.id for r in records])
        replaced = corrections.superseded_pks(uow)  # a replaced copy is evidence, not work to do
        return [Pending(r.id, r.document_id, r.class_name, r.period_code, r.sha256, r.pages, r.duplex)
                for r in records if r.id not in signed and r.id not in replaced and not r.draft]


def nothing_to_sign(uow: UnitOfWork, academic_year: str, period_codes: Sequence[str],
                    class_names: Sequence[str] = ()) -> NotFoundError | DraftRefused:
    """Why a selection has nothing awaiting a signature: all signed already, only drafts, or no documents."""
    where = f"{academic_year}, {periods_title(period_codes)}"
    with uow:
        records = uow.documents.listing(academic_year, period_codes, class_names)
        documents = sum(not r.draft for r in records)
        drafts = [r for r in records if r.draft]
        facts = copy_facts(uow, drafts[0]) if drafts and not documents else None
    if facts is not None:
        return DraftRefused(f"{draft_problem('sign', facts)} (черновиков: {len(drafts)})")
    if documents:
        return AllSigned(f"нет документов, ожидающих подписи: {where} — все {documents} уже подписаны")
    return NotFoundError(f"нет документов, ожидающих подписи: {where}")


def copy_facts(uow: UnitOfWork, record: DocumentRecord) -> CopyFacts:
    """What `domain.drafts` needs of a document (inside the caller's transaction)."""
    snapshot = found(uow.snapshots.get(record.snapshot_id), f"снимок документа {record.document_id} не найден")
    label = f"{record.class_name}, {period_title(record.period_code)} {record.academic_year}"
    return CopyFacts(label, snapshot.period_end, snapshot.exported_at, record.draft)


def refuse_dates(uow: UnitOfWork, document_pks: Sequence[int], now: dt.datetime, *, zone: str = DEFAULT_ZONE) -> None:
    """`DraftRefused` or `TooEarly` (Russian, saying why) when any of the documents may not be signed
    at `now` — the clock of the composition root: a draft, a period not ended, a snapshot not yet
    exported. Nothing is signed then: a batch is refused whole, before the key is used."""
    with uow:
        records = [found(uow.documents.get(pk), f"документ №{pk} не найден") for pk in document_pks]
        problems = [(r.draft, date_problem("sign", copy_facts(uow, r), now, zone=zone)) for r in records]
    refused = [(draft, text) for draft, text in problems if text]
    if refused:
        more = f" (и ещё документов: {len(refused) - 1})" if len(refused) > 1 else ""
        raise (DraftRefused if refused[0][0] else TooEarly)(f"{refused[0][1]}{more}")


def check_signer(actor: Actor) -> None:
    """Only the director signs."""
    if not may(actor.role, "sign_documents"):
        raise PermissionDenied("подписывать документы может только директор")


def sign_documents(uow: UnitOfWork, store: ContentStore, signer: DocumentSigner, academic_year: str,
                   period_codes: Sequence[str], class_names: Sequence[str] = (), *, actor: Actor,
                   now: Callable[[], dt.datetime],
                   on_done: Callable[[SigningOutcome], None] | None = None,
                   zone: str = DEFAULT_ZONE) -> list[SigningOutcome]:
    """Sign every document of the selection that is not signed yet (copies replaced by corrected
    ones are not signed: the corrected copy is; drafts are not signed). Refused whole, before the
    key is used, when a document's period has not ended or its snapshot was not exported yet at
    `now()` (`domain.drafts`; `zone` is the school's)."""
    check_signer(actor)
    pending = awaiting_signature(uow, academic_year, period_codes, class_names)
    if not pending:
        raise nothing_to_sign(uow, academic_year, period_codes, class_names)
    refuse_dates(uow, [doc.pk for doc in pending], now(), zone=zone)
    outcomes = []
    for doc in pending:
        outcome = _sign_one(uow, store, signer, doc, actor=actor, now=now())
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    return outcomes


def _sign_one(uow: UnitOfWork, store: ContentStore, signer: DocumentSigner, doc: Pending, *, actor: Actor,
              now: dt.datetime) -> SigningOutcome:
    adopted = adopt_signed_before_a_crash(uow, store, doc)
    if adopted is not None:
        return adopted
    try:
        signed = signer.sign(store.read(doc.sha256), doc.certification_page, now=now)
    except (SigningError, StorageError) as err:
        return record_failure(uow, doc, err, actor=actor, now=now)
    return store_signed(uow, store, doc, signed, signer.certificate, actor=actor, now=now)


def adopt_signed_before_a_crash(uow: UnitOfWork, store: ContentStore, doc: Pending) -> SigningOutcome | None:
    """The outcome of recording a signed file a killed run stored but did not record, if there is one."""
    started = _signed_before_a_crash(uow, store, doc)
    if started is None:
        return None
    return _record(uow, doc, started["details"], at=started["at"], actor=started["actor"], adopted=True)


def store_signed(uow: UnitOfWork, store: ContentStore, doc: Pending, signed: bytes, cert: Any, *, actor: Actor,
                 now: dt.datetime) -> SigningOutcome:
    """A signed file made by any route (a key here, an external program, the director's browser)
    stored and recorded: its facts first as a `document.signing` event (a crash after storing is
    adopted by the next run), then the file, then the signature record with its audit event."""
    from signing import newest_timestamp_expiry  # pyHanko: loaded where a signature is made

    try:
        expires = newest_timestamp_expiry(signed)
        facts = {"sha256": hashlib.sha256(signed).hexdigest(), "size": len(signed), "level": "PAdES B-LTA",
                 "signer": cert.subject.native.get("common_name", ""),
                 "certificate_serial": f"{cert.serial_number:X}",
                 "timestamp_expires_at": expires.isoformat() if expires else None}
        with uow:
            uow.audit.append(at=now, actor=actor.person, action="document.signing", object_type="document",
                             object_id=doc.document_id, origin=actor.origin, details=facts)
            uow.commit()
        store.put(signed)
    except (SigningError, StorageError) as err:
        return record_failure(uow, doc, err, actor=actor, now=now)
    return _record(uow, doc, facts, at=now, actor=actor, adopted=False)


def record_failure(uow: UnitOfWork, doc: Pending, err: Exception, *, actor: Actor, now: dt.datetime,
                   **details: str) -> SigningOutcome:
    """A document this run could not sign: audited with the reason, the others go on."""
    with uow:
        uow.audit.append(at=now, actor=actor.person, action="document.sign_failed", object_type="document",
                         object_id=doc.document_id, origin=actor.origin, details={"reason": str(err), **details})
        uow.commit()
    return SigningOutcome(doc.document_id, doc.class_name, doc.period_code, False, str(err))


def _signed_before_a_crash(uow: UnitOfWork, store: ContentStore, doc: Pending) -> dict | None:
    """The newest `document.signing` event of the document whose signed file is in the store, intact."""
    with uow:
        started = uow.audit.latest("document.signing", doc.document_id)
        if started is None or not store.verify(started.details["sha256"]):
            return None
        # the director who signed then (only the director signs), from where they signed
        return {"details": started.details, "at": started.at,
                "actor": Actor(started.actor, SIGNING_ROLE, started.origin)}


def _record(uow: UnitOfWork, doc: Pending, facts: dict, *, at: dt.datetime, actor: Actor,
            adopted: bool) -> SigningOutcome:
    """The signature record and its audit event, committed together."""
    expires = facts["timestamp_expires_at"]
    with uow:
        uow.documents.add_signature(DocumentSignature(
            document_id=doc.pk, sha256=facts["sha256"], size=facts["size"], level=facts["level"],
            signer=facts["signer"], certificate_serial=facts["certificate_serial"], signed_at=at,
            signed_by=actor.person, timestamp_expires_at=dt.datetime.fromisoformat(expires) if expires else None))
        uow.audit.append(at=at, actor=actor.person, action="document.signed", object_type="document",
                         object_id=doc.document_id, origin=actor.origin,
                         details={"sha256": facts["sha256"], "unsigned_sha256": doc.sha256, "level": facts["level"],
                                  "certificate_serial": facts["certificate_serial"]}
                         | ({"adopted_after_crash": True} if adopted else {}))
        crash_point("sign.uncommitted")
        uow.commit()
    crash_point("sign.committed")
    word = "подписан ранее, подпись учтена после сбоя" if adopted else "подписан"
    return SigningOutcome(doc.document_id, doc.class_name, doc.period_code, True, f"{word}, {facts['sha256'][:16]}")


Selection = Mapping[str, Sequence[str]]
"""School year → the period codes chosen in it."""


def where(selection: Selection) -> str:
    """«2026/2027: Q2, H1» — a selection as the audit log names it."""
    return "; ".join(f"{year}: {', '.join(codes)}" for year, codes in selection.items())


class SignDocuments:
    """The command «sign»: every document of the selection awaiting the director's signature, with
    a key the entry point opened (`Archive.signer`). `validate()` refuses — having written nothing —
    anyone but the director, an empty selection, and a selection where nothing awaits a signature
    (`AllSigned` when all of it is signed already); `run(signer)` validates, then signs year after
    year (a year signed meanwhile by another batch is skipped) and, with `audit_as`, records the
    batch as one event (counts and the key's public facts, never its secret)."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, selection: Selection, *, actor: Actor,
                 now: Callable[[], dt.datetime], class_names: Sequence[str] = (),
                 on_done: Callable[[SigningOutcome], None] | None = None, audit_as: str | None = None,
                 key_facts: Mapping[str, str] | None = None, zone: str = DEFAULT_ZONE) -> None:
        self.uow, self.store, self.selection, self.actor, self.now = uow, store, dict(selection), actor, now
        self.class_names, self.on_done, self.audit_as = tuple(class_names), on_done, audit_as
        self.key_facts, self.zone = dict(key_facts or {}), zone

    def validate(self) -> None:
        """Refuses, having written nothing, what `sign_documents` would (drafts and dates included)."""
        check_signer(self.actor)
        if not any(self.selection.values()):
            raise NotFoundError("не выбран ни один период с документами, ожидающими подписи")
        pending = [doc for year, codes in self.selection.items()
                   for doc in awaiting_signature(self.uow, year, codes, self.class_names)]
        if not pending:
            year, codes = next(iter(self.selection.items()))
            raise nothing_to_sign(self.uow, year, codes, self.class_names)
        refuse_dates(self.uow, [doc.pk for doc in pending], self.now(), zone=self.zone)

    def run(self, signer: DocumentSigner) -> list[SigningOutcome]:
        self.validate()
        outcomes: list[SigningOutcome] = []
        try:
            for year, codes in self.selection.items():
                try:
                    outcomes += sign_documents(self.uow, self.store, signer, year, codes, self.class_names,
                                               actor=self.actor, now=self.now, on_done=self.on_done, zone=self.zone)
                except (NotFoundError, DraftRefused):
                    continue  # signed meanwhile by another batch, or a year of drafts only
        finally:
            if self.audit_as:
                self._record_batch(outcomes)
        return outcomes

    def _record_batch(self, outcomes: list[SigningOutcome]) -> None:
        ok = sum(o.ok for o in outcomes)
        with self.uow:
            self.uow.audit.append(at=self.now(), actor=self.actor.person, action=self.audit_as or "",
                                  object_type="period", object_id=where(self.selection), origin=self.actor.origin,
                                  details={"signed": ok, "failed": len(outcomes) - ok, **self.key_facts})
            self.uow.commit()


def record_refusal(uow: UnitOfWork, object_type: str, object_id: str, reason: str, *, actor: Actor,
                   now: dt.datetime, **details: Any) -> None:
    """A signature refused before anything was signed (a wrong password, an unusable certificate, a
    signature the browser made over something else): `web.sign_refused` with who and from where."""
    with uow:
        uow.audit.append(at=now, actor=actor.person, action="web.sign_refused", object_type=object_type,
                         object_id=object_id, origin=actor.origin, details={"reason": reason, **details})
        uow.commit()
