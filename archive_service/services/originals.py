"""The school year's archival original: the certified paper copy (as before), or — in a paperless
school (reference 001 § V: the school gives up the paper duplicate) — the electronic copy the
director signed, the setting «электронный оригинал».

The setting is kept per school year, as the procedure is: a school going paperless keeps the paper
originals of its earlier years as they are. It changes the year's procedure (`procedures.chosen`
drops the paper steps, `domain.paperless`), the register (the signed electronic copy is entered,
with no shelf: `register.RegisterDocument`) and allows the print of an electronic original
(`electronic_copies`). Every change is audited with the person's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive_service.adapters.orm import ArchivalOriginal, DocumentRecord
from archive_service.domain.actor import Actor
from archive_service.services.audit_trail import record, record_request
from archive_service.services.unit_of_work import UnitOfWork

ELECTRONIC = "электронный документ"
"""Where a paperless school's original is, instead of a shelf (the register's «место хранения»)."""
TITLES = {"class_journal": "Электронный оригинал классного журнала",
          "summary_sheet": "Сводная ведомость итоговых отметок (электронный оригинал)"}
"""A register entry's heading for an electronic original (`register.TITLES` names the paper copies)."""
WORDS = {True: "электронный оригинал", False: "бумажный оригинал"}
"""The setting in words, as the pages and the audit log say it."""


@dataclass(frozen=True)
class OriginalSetting:
    academic_year: str
    electronic: bool
    set_at: dt.datetime | None
    """None: never set — the paper copy is the original."""
    set_by: str

    @property
    def words(self) -> str:
        return WORDS[self.electronic]


def electronic(uow: UnitOfWork, academic_year: str) -> bool:
    """Whether the year's archival original is the signed electronic copy (inside the caller's transaction)."""
    row = uow.procedures.original(academic_year)
    return row is not None and row.electronic


def setting(uow: UnitOfWork, academic_year: str) -> OriginalSetting:
    """The year's setting as the pages show it (inside the caller's transaction)."""
    row = uow.procedures.original(academic_year)
    if row is None:
        return OriginalSetting(academic_year, False, None, "")
    return OriginalSetting(academic_year, row.electronic, row.set_at, row.set_by)


def set_original(uow: UnitOfWork, academic_year: str, is_electronic: bool, *, actor: Actor,
                 now: dt.datetime) -> OriginalSetting:
    """The school keeps the year's archival original electronically (or on paper again), audited
    with the person's name and what it was before; setting what is already set changes nothing."""
    with uow:
        row = uow.procedures.original(academic_year)
        before = row is not None and row.electronic
        if row is not None and before == is_electronic:
            return setting(uow, academic_year)
        if row is None:
            uow.procedures.add(ArchivalOriginal(academic_year=academic_year, electronic=is_electronic, set_at=now,
                                                set_by=actor.person))
        else:
            row.electronic, row.set_at, row.set_by = is_electronic, now, actor.person
        record(uow.audit, actor, at=now, action="original.set", object_type="archival_original",
               object_id=academic_year, details={"original": WORDS[is_electronic], "before": WORDS[before]})
        record_request(uow.audit, actor, at=now, action="original_set", object_type="archival_original",
                       object_id=academic_year, original=WORDS[is_electronic])
        uow.commit()
        return setting(uow, academic_year)


def settings_of(uow: UnitOfWork, academic_years: list[str]) -> dict[str, OriginalSetting]:
    """Each school year's setting (the years the procedure page lists)."""
    with uow:
        return {year: setting(uow, year) for year in academic_years}


def electronic_storage(uow: UnitOfWork, document: DocumentRecord) -> str:
    """Where a signed electronic original is kept, in words: the archive's store and the backup sets
    holding its period (inside the caller's transaction)."""
    sets = [b for b in uow.backups.of_year(document.academic_year)
            if document.period_code in b.periods.split(",") and b.complete and not b.destroyed_by_act]
    if not sets:
        return f"{ELECTRONIC}: хранилище архива; резервной копии ещё нет"
    media = ", ".join(sorted(sets[-1].copies))
    return f"{ELECTRONIC}: хранилище архива; резервная копия {sets[-1].set_id} (носители: {media})"
