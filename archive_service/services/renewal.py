"""Keeping the signed archive verifiable: documents at risk, and their timestamp renewal.

A signed document stays provable while its newest document timestamp can be validated; when
the timestamp authority's certificate nears its end, a new document timestamp is added (a new
signed file, stored beside the old, recorded with an audit event). Safe to run repeatedly:
a document is renewed only while it is within the horizon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from archive_service.adapters.orm import TimestampRenewal
from archive_service.domain.actor import Actor
from archive_service.services.audit_trail import record
from archive_service.services.unit_of_work import UnitOfWork
from signing.errors import SigningError
from storage import ContentStore, StorageError

if TYPE_CHECKING:
    from signing import Trust


@dataclass(frozen=True)
class AtRisk:
    document_id: str
    class_name: str
    period_code: str
    sha256: str
    expires_at: str
    days_left: int
    signature_pk: int

    def as_dict(self) -> dict:
        out = asdict(self)
        del out["signature_pk"]
        return out


def documents_at_risk(uow: UnitOfWork, *, now: dt.datetime, horizon: dt.timedelta) -> list[AtRisk]:
    """Signed documents whose newest timestamp expires within `horizon` of `now`."""
    out = []
    with uow:
        for record, signature, renewal in uow.documents.signed_with_expiry():
            expires = renewal.timestamp_expires_at if renewal else signature.timestamp_expires_at
            if expires is None or expires - now <= horizon:
                current = renewal.sha256 if renewal else signature.sha256
                days = (expires - now).days if expires else 0
                out.append(AtRisk(record.document_id, record.class_name, record.period_code, current,
                                  expires.isoformat() if expires else "", days, signature.id))
    return out


def renew_timestamps(uow: UnitOfWork, store: ContentStore, timestamper, trust: Trust, *, now: dt.datetime,
                     horizon: dt.timedelta, actor: Actor) -> list[tuple[AtRisk, str | None]]:
    """Add a new document timestamp to every document at risk; (document, error or None)."""
    from signing import add_document_timestamp, newest_timestamp_expiry  # pyHanko: loaded where it works

    results: list[tuple[AtRisk, str | None]] = []
    for doc in documents_at_risk(uow, now=now, horizon=horizon):
        try:
            renewed = add_document_timestamp(store.read(doc.sha256), timestamper, trust)
            digest = store.put(renewed)
            expires = newest_timestamp_expiry(renewed)
        except (SigningError, StorageError) as err:
            results.append((doc, str(err)))
            continue
        with uow:
            uow.documents.add_renewal(TimestampRenewal(signature_id=doc.signature_pk, sha256=digest,
                                                       previous_sha256=doc.sha256, timestamp_expires_at=expires,
                                                       renewed_at=now, renewed_by=actor.person))
            record(uow.audit, actor, at=now, action="document.timestamp_renewed", object_type="document",
                   object_id=doc.document_id,
                   details={"sha256": digest, "previous_sha256": doc.sha256, "expires_at": expires.isoformat()})
            uow.commit()
        results.append((doc, None))
    return results


@dataclass(frozen=True)
class CheckFailure:
    document_id: str
    class_name: str
    period_code: str
    problems: list[str]

    def as_dict(self) -> dict:
        return asdict(self)


def check_signed_documents(uow: UnitOfWork, store: ContentStore, trust: Trust, now: dt.datetime,
                           zone: dt.tzinfo = dt.timezone.utc) -> tuple[int, list[CheckFailure]]:
    """Verify the current signed file of every signed document (signature, timestamps, AdES LTA)."""
    from signing import verify_pdf  # pyHanko: loaded where it works

    failures = []
    with uow:
        rows = [(r.document_id, r.class_name, r.period_code, (n.sha256 if n else s.sha256))
                for r, s, n in uow.documents.signed_with_expiry()]
    for document_id, class_name, period_code, digest in rows:
        try:
            report = verify_pdf(store.read(digest), trust, at=now, zone=zone)
            problems = [f"{c.name}: {c.detail}" for c in report.checks if not c.ok]
        except StorageError as err:
            problems = [str(err)]
        if problems:
            failures.append(CheckFailure(document_id, class_name, period_code, problems))
    return len(rows), failures
