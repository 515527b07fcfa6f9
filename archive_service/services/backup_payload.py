"""What goes into a backup set, and how long the set is kept.

A set holds the newest snapshot of every class of the period, its documents (the signed
originals where signed; copies replaced by corrected ones apart, under «заменённые»; never
drafts), the document list and the audit log. It is kept as long as the longest-kept file in it, by the
retention schedule the secretary edits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from pathlib import Path
from typing import Sequence

from archive_service.adapters.repository import audit_payload
from archive_service.domain.periods import periods_title
from archive_service.errors import NotFoundError
from archive_service.services import documents as documents_service
from archive_service.services import register
from archive_service.services.unit_of_work import UnitOfWork
from retention import file_closes_on, retention_end
from storage import ContentStore


def retain_until(uow: UnitOfWork, academic_year: str, periods: Sequence[str]) -> dt.date:
    """Kept as long as the longest-kept file in it, by the school's retention schedule: a set with
    the year's summary sheets as long as summary sheets, a period's set as long as journals."""
    schedule = register.rules(uow)
    kinds = {"summary_sheet" if code == "year" else "class_journal" for code in periods} or {"class_journal"}
    years = max(schedule[kind].years for kind in kinds)
    return retention_end(file_closes_on(academic_year), years)


def payload(uow: UnitOfWork, store: ContentStore, academic_year: str, periods: Sequence[str],
             month: str | None = None) -> dict[str, bytes]:
    """Snapshots (newest versions), documents, the document list and the audit log; with `month`
    ("2026-12"), only the snapshots exported in that month (the monthly copy of reference 004)."""
    payload: dict[str, bytes] = {}
    classes: set[str] = set()
    with uow:
        for code in periods:
            for record in uow.snapshots.listing(academic_year, code, latest_only=True, with_content=True):
                if month and record.exported_at.strftime("%Y-%m") != month:
                    continue
                classes.add(record.class_name)
                _add_unique(payload, f"snapshots/{code}/{_file_stem(record.class_name)}", ".json",
                            zlib.decompress(record.content))
        audit = [audit_payload(e) | {"hash": e.hash} for e in uow.audit.entries()]
    # a draft (made before its period ended) is no archive copy: the snapshot it was made from is in
    # the set, and the copy that counts is the final one the close after the period's end makes
    rows = [r for r in documents_service.list_documents(uow, academic_year, periods)
            if (not month or r["class"] in classes) and not r["draft"]]
    current = [r for r in rows if not r["superseded"]]
    plan, _ = documents_service.export_plan(Path("documents"), current)  # one file per document
    for path, digest in plan:
        payload[path.as_posix()] = store.read(digest)
    for row in rows:  # a copy replaced by a corrected one is kept too (evidence), apart, by its document number
        if row["superseded"]:
            signed = row["signature"]
            name = documents_service.export_name(row).removesuffix(".pdf")
            payload[f"documents/заменённые/{name}_{row['document_id']}.pdf"] = \
                store.read(signed["sha256"] if signed else row["sha256"])
    payload["documents.json"] = json.dumps(rows, ensure_ascii=False, indent=1).encode()
    payload["audit-log.jsonl"] = "\n".join(json.dumps(e, ensure_ascii=False) for e in audit).encode()
    if not any(name.startswith("snapshots/") for name in payload):
        raise NotFoundError(f"нет снимков журнала для резервной копии: {academic_year}, {periods_title(periods)}")
    return payload


def _file_stem(class_name: str) -> str:
    """A class name as one path element (a name stored before `/` was refused must not climb)."""
    return re.sub(r"[^\w-]+", "_", class_name)


def _add_unique(payload: dict[str, bytes], stem: str, suffix: str, data: bytes) -> None:
    """Add a member under a name no other member has: nothing in a set replaces anything."""
    taken = {other.casefold() for other in payload}  # as on a file system that ignores case
    name, n = stem + suffix, 1
    while name.casefold() in taken:
        n += 1
        name = f"{stem}_{n}{suffix}"
    payload[name] = data
