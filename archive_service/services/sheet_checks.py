"""The sheet check: what a printed sheet with the archive's QR code is, for staff and for anyone.

Every sheet front carries `{public_url}/check/{document id}/{sheet}`. `check_sheet` answers staff
(behind the login: the document's card, the pages of the sheet); `public_sheet_check` answers
anyone scanning the code, with only what the sheet itself shows. Both re-hash the stored files and
are audited (`sheet.checked`, or `sheet.check_failed` for a code the archive never printed: that is
evidence too). A copy replaced by a corrected one is never «valid»: its sheet says «лист заменён».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError
from archive_service.rendering.documents import plural
from archive_service.services.retrieval import KINDS, DocumentCard, audit_reading, card_in
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore


class SheetNotInArchive(NotFoundError):
    """A QR code that names no document of the archive, or a sheet the document does not have."""

    code = "sheet_not_in_archive"


@dataclass(frozen=True)
class SheetCheck:
    card: DocumentCard
    sheet: int
    pages: list[int]
    file_intact: bool | None
    """the stored file still has the digest recorded for it (None: destroyed, no file to check)"""


def check_sheet(uow: UnitOfWork, store: ContentStore, document_id: str, sheet: int, *, actor: Actor,
                now: dt.datetime, public: bool = False) -> SheetCheck:
    """What a paper sheet with this QR code is; a code the archive did not print is audited and refused.
    The stored files are re-hashed: the file as rendered (what was printed) and, when signed, the
    signed one — the sheet matches the archive only if both still hash to their records. `public`:
    the check as anyone scanning the code sees it (`public_sheet_check`), so recorded."""
    shown = {"public": True} if public else {}
    with uow:
        try:
            card = card_in(uow, document_id)
        except NotFoundError:
            _refuse(uow, document_id, sheet, "unknown_document", actor=actor, now=now, **shown)
            raise SheetNotInArchive(f"Документа с номером «{document_id}» в архиве нет") from None
        if not 1 <= sheet <= card.sheets:
            _refuse(uow, document_id, sheet, "no_such_sheet", actor=actor, now=now, **shown)
            raise SheetNotInArchive(f"В документе «{card.title}» {card.sheets} "
                                    f"{plural(card.sheets, 'лист', 'листа', 'листов')}, листа {sheet} в нём нет")
        intact = None if card.destroyed_by_act else (
            store.verify(card.sha256) and (card.current_sha256 == card.sha256 or store.verify(card.current_sha256)))
        replaced = {"replaced_by": card.replaced.current} if card.replaced else {}
        audit_reading(uow, "sheet.checked", card, actor=actor, now=now, sheet=sheet, file_intact=intact, **replaced,
               **shown)
        uow.commit()
    return SheetCheck(card, sheet, card.sheet_pages(sheet), intact)


def _refuse(uow: UnitOfWork, document_id: str, sheet: int, reason: str, *, actor: Actor, now: dt.datetime,
            **details: Any) -> None:
    """Inside the caller's transaction: a sheet the archive did not print is evidence too; committed here."""
    uow.audit.append(at=now, actor=actor.person, action="sheet.check_failed", object_type="document",
                     object_id=document_id[:200], origin=actor.origin,
                     details={"sheet": sheet, "reason": reason, **details})
    uow.commit()


@dataclass(frozen=True)
class PublicSheetCheck:
    """What anyone holding a printed sheet is told of it without signing in: only what the sheet
    itself shows — school, class, period, kind, «лист N из M» — and whether it matches the archive,
    its register number and whether the director signed it. No person's name (pupil, teacher,
    director, whoever corrected or borrowed it), no mark, no file path, no digest, no reason of a
    correction: those stay behind the login (`check_sheet`)."""

    school: str
    kind_title: str
    class_name: str
    period_line: str
    sheet: int
    sheets: int
    file_intact: bool | None
    """both stored files still hash to their records (None: destroyed, no file any more)"""
    register_reference: str
    """«1/2027», or "" when the paper copy is not in the register"""
    signed_at: dt.datetime | None
    """when the director signed the electronic copy (UTC; pages show it in the school's zone)"""
    destroyed_by_act: str
    replaced: bool
    replaced_by_reference: str
    """the register number of the copy in force («№ 2/2027»), or "" when it has none yet"""

    @property
    def matches(self) -> bool:
        """The sheet is a valid sheet of the archive: its document is kept, in force and intact."""
        return bool(self.file_intact) and not self.destroyed_by_act and not self.replaced

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


def public_sheet_check(uow: UnitOfWork, store: ContentStore, document_id: str, sheet: int, *, actor: Actor,
                       now: dt.datetime) -> PublicSheetCheck:
    """The sheet check as anyone scanning the QR code sees it (audited as `check_sheet`, marked public);
    `SheetNotInArchive` for a code the archive never printed."""
    result = check_sheet(uow, store, document_id, sheet, actor=actor, now=now, public=True)
    card = result.card
    with uow:
        school = uow.snapshots.school()[0]
    reference = card.replaced.current_reference if card.replaced else ""
    return PublicSheetCheck(
        school=school, kind_title=KINDS.get(card.kind, card.kind), class_name=card.class_name,
        period_line=card.period_line, sheet=result.sheet, sheets=card.sheets, file_intact=result.file_intact,
        register_reference=card.registration.reference if card.registration else "",
        signed_at=card.signature.signed_at if card.signature else None,
        destroyed_by_act=card.destroyed_by_act or "", replaced=card.replaced is not None,
        replaced_by_reference=reference if reference.startswith("№") else "")
