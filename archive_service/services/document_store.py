"""Moving an installation's documents from one store to another (`archive-service store copy`):
a school that had its documents in ARCHIVE_HOME/documents and now keeps them in a bucket (a
district, worker hosts without a shared disk) copies every file over once, each read back
verified from the old store and written to the new one, the copy audited with the person's name.
The old store is left as it was: deleting it is the administrator's decision, after a backup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from archive_service.domain.actor import Actor
from archive_service.services.audit_trail import record
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, StorageError


def copy_store(uow: UnitOfWork, source: ContentStore, target: ContentStore, *, actor: Actor, now: dt.datetime,
               report: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Every file of `source` into `target` (a file already there intact is left); a damaged file in
    `source` is not copied but named. Returns the counts; the copy is one audit event."""
    if source.where == target.where:
        raise StorageError(f"хранилище уже это: {target.where}")
    copied, present, damaged = 0, 0, []
    for n, digest in enumerate(source.digests(), start=1):
        if target.verify(digest):
            present += 1
        else:
            try:
                target.put(source.read(digest))
                copied += 1
            except StorageError:
                damaged.append(digest)
        if report:
            report(n)
    result = {"from": source.where, "to": target.where, "copied": copied, "present": present, "damaged": damaged}
    with uow:
        record(uow.audit, actor, at=now, action="store.copied", object_type="document_store", object_id=target.where,
               details=result)
        uow.commit()
    return result
