"""A print made from an electronic original: what a paperless school hands out or files on paper
when it needs paper (an inspector, a former student's request). Made only of a document whose
year keeps the electronic original (`originals`) and that the director signed; the print carries
«Копия электронного документа» with the signature's details — the signer, the certificate serial
and validity, the signing time in the school's time zone — and every page the sheet check's QR code
(`rendering.electronic_copy`). Each print is in the audit log with the person's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.rendering.electronic_copy import MARK, marked_copy
from archive_service.services import originals
from archive_service.services.register import NotSigned
from archive_service.services.retrieval import DocumentCard, _existing, audit_reading, card_in
from archive_service.services.unit_of_work import UnitOfWork
from signing.zones import local_moment, moscow_relative
from storage import ContentStore


@dataclass(frozen=True)
class ElectronicCopy:
    card: DocumentCard
    pdf: bytes
    lines: tuple[str, ...]
    """The mark as printed, line by line."""


def mark_lines(card: DocumentCard, owner: str, serial: str, valid: tuple[dt.date, dt.date], *, printed_by: str,
               now: dt.datetime, zone: dt.tzinfo) -> tuple[str, ...]:
    """The mark's lines: the heading, the signer, the certificate, the signing time, the print."""
    assert card.signature is not None
    signed = card.signature.signed_at.astimezone(zone)
    return (MARK,
            f"Документ подписан электронной подписью: {owner or card.signature.signer}",
            f"Сертификат {serial or card.signature.certificate_serial}, действителен с {valid[0]:%d.%m.%Y} "
            f"по {valid[1]:%d.%m.%Y}",
            f"Подписан {signed:%d.%m.%Y %H:%M} ({moscow_relative(signed)})",
            f"Копия изготовлена {local_moment(now, zone)}, {printed_by}; подлинник — в архиве школы, "
            "проверка по QR-коду листа")


def print_copy(uow: UnitOfWork, store: ContentStore, templates_dir: Path, document_id: str, *, public_url: str,
               actor: Actor, now: dt.datetime, zone: dt.tzinfo) -> ElectronicCopy:
    """The print of the electronic original `document_id` (audited `document.copy_printed`); refused,
    with nothing written, for a year kept on paper, an unsigned document or a destroyed one."""
    from signing import signer_certificate  # pyHanko: loaded where it works

    with uow:
        card = _existing(card_in(uow, document_id))
        if not originals.electronic(uow, card.academic_year):
            raise ArchiveError(f"в {card.academic_year} учебном году архивный оригинал — бумажная копия: копия "
                               "электронного документа делается только в школе, которая хранит электронный оригинал")
        if card.signature is None:
            raise NotSigned(f"документ {document_id} ещё не подписан директором: электронного оригинала пока нет")
        signed = store.read(card.signature.sha256)
    cert = signer_certificate(signed)
    if cert is None:
        raise ArchiveError(f"в подписанном файле документа {document_id} не читается сертификат подписи")
    lines = mark_lines(card, cert.owner, cert.serial, (cert.valid_from, cert.valid_to), printed_by=actor.person,
                       now=now, zone=zone)
    pdf = marked_copy(templates_dir, signed, lines, duplex=card.duplex,
                      url=f"{public_url.rstrip('/')}/check/{card.document_id}/{{sheet}}")
    with uow:
        audit_reading(uow, "document.copy_printed", card, actor=actor, now=now, sha256=card.signature.sha256,
                      copy_sha256=hashlib.sha256(pdf).hexdigest(), pages=card.pages)
        uow.commit()
    return ElectronicCopy(card, pdf, lines)
