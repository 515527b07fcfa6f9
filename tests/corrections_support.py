"""A corrected class journal: copy of version 1 signed and registered, then version 2 with a reason, closed again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive_service.domain.actor import Actor
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.register import Placement, register_document
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot, subject
from signing import create_demo_pki, load_pkcs12

CLERK = Actor("Петрова Анна Сергеевна", "secretary")

FIRST_CLOSE = dt.datetime(2026, 12, 27, 9, 0, tzinfo=dt.timezone.utc)
CORRECTED_AT = dt.datetime(2027, 1, 8, 11, 0, tzinfo=dt.timezone.utc)
SECOND_CLOSE = dt.datetime(2027, 1, 9, 10, 0, tzinfo=dt.timezone.utc)
REASON = "Исправлена четвертная отметка Борисовой М. А. по математике (приказ № 12)"
CORRECTOR = "Иванова Татьяна Петровна"
PLACE = Placement("каб. 12", "шкаф 3", "папка 5А")


@dataclass(frozen=True)
class Corrected:
    old: documents.DocumentResult
    new: documents.DocumentResult
    old_signed_sha256: str


def close(archive, deputy: str, now: dt.datetime) -> documents.DocumentResult:
    """The period close of 5А, Q2 by the deputy named: the copy of the newest snapshot version."""
    (job,) = documents.plan_period_close(archive.uow(), "2026/2027", ["Q2"])
    return documents.render_document(archive.uow(), archive.store, archive.renderer, job.snapshot_id, job.kind,
                                     archive.render_options, actor=Actor(deputy, "deputy"), now=now)


def sign(archive) -> None:
    if not archive.demo_pki.signer_p12.exists():
        create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                        password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    sign_documents(archive.uow(), archive.store, archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin")),
                   "2026/2027", ["Q2"], actor=Actor("Сергеева Ольга Викторовна", "director"), now=archive.now)


def register(archive, document_id: str, on: dt.date) -> dict:
    return register_document(archive.uow(), document_id, handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                             placement=PLACE, on=on, paper_only=False, actor=CLERK,
                             now=dt.datetime.combine(on, dt.time(12), dt.timezone.utc))


def corrected_snapshot() -> dict:
    data = snapshot()
    next(m for m in subject(data, "math")["period_marks"] if m["student_id"] == "s2")["value"] = 5
    return data


def correct_a_signed_registered_copy(archive) -> Corrected:
    """v1 ingested, closed, signed and registered (№ 1/2027); v2 ingested with a reason; closed again."""
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("Сетевой город", "deputy"), now=FIRST_CLOSE)
    old = close(archive, "Иванова Татьяна Петровна", FIRST_CLOSE)
    sign(archive)
    register(archive, old.document_id, dt.date(2027, 1, 5))
    with archive.uow() as uow:
        record = uow.documents.by_document_id(old.document_id)
        signed_sha256 = uow.documents.signature_of(record.id).sha256
    ingest_snapshot(archive.uow(), as_bytes(corrected_snapshot()), actor=Actor(CORRECTOR, "deputy"), reason=REASON,
                    now=CORRECTED_AT)
    new = close(archive, "Иванова Татьяна Петровна", SECOND_CLOSE)
    return Corrected(old, new, signed_sha256)
