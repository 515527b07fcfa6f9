"""Reading and verifying the hash-chained audit log."""

from __future__ import annotations

from archive_service.adapters.repository import audit_payload
from archive_service.domain.chain import ChainBreak, verify_chain
from archive_service.services.unit_of_work import UnitOfWork


def verify_audit_log(uow: UnitOfWork) -> tuple[int, list[ChainBreak]]:
    """(number of entries, breaks); no breaks means no entry was edited or removed."""
    with uow:
        entries = uow.audit.entries()
        return len(entries), verify_chain((e.seq, e.prev_hash, e.hash, audit_payload(e)) for e in entries)
