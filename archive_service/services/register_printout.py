"""The register and the inventory of files (опись дел) printed or given out as a table, and the
inventory's number.

An inventory printed as PDF is compiled: it takes the next number of the year it is compiled in
(«ОПИСЬ № 3/2027»), gapless, under the year's lock, like disposal acts and archival certificates.
The same inventory printed again — the same files, titles and sheets in the same order — keeps
its number; an inventory listing anything else takes the next one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

from archive_service.adapters.orm import FileInventory
from archive_service.domain.actor import Actor
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.errors import ArchiveError
from archive_service.services.audit_trail import record, record_request
from archive_service.services.register import described_rows, rules
from archive_service.services.unit_of_work import UnitOfWork

FORMATS = ("pdf", "csv", "xlsx")


def printout(uow: UnitOfWork, templates_dir, what: str, fmt: str, *, year: int | None, actor: Actor,
             now: dt.datetime, zone: dt.tzinfo | None = None) -> tuple[bytes, int]:
    """The register («register») or the inventory of files («inventory») as PDF, CSV or XLSX;
    returns the bytes and the number of rows. A download through the web is recorded. `zone`: the
    school's time zone, the day an inventory is compiled on (Moscow when not said)."""
    data, count = _printout(uow, templates_dir, what, fmt, year=year, actor=actor, now=now,
                            today=now.astimezone(zone or ZoneInfo(SCHOOL_TIMEZONE)).date())
    with uow:
        record_request(uow.audit, actor, at=now, action=f"{what}_downloaded", object_type="register",
                       object_id=str(year or "все годы"), format=fmt, rows=count)
        uow.commit()
    return data, count


def inventory_digest(rows: list[dict]) -> str:
    """What makes two inventories the same: the files listed, in order, with what is printed of them."""
    listed = [[r["year"], r["number"], r["case_index"], r["heading"], r["dates"], r["sheets"], r["note"]]
              for r in rows]
    return hashlib.sha256(json.dumps(listed, ensure_ascii=False).encode("utf-8")).hexdigest()


def compile_inventory(uow: UnitOfWork, rows: list[dict], *, covers: int | None, actor: Actor, today: dt.date,
                      now: dt.datetime) -> str:
    """The inventory's number «N/YYYY»: the one it was given when these very files were listed
    before, else the next of the year `today` falls in (the year locked until commit)."""
    digest = inventory_digest(rows)
    with uow:
        number = uow.register.next_inventory_number(today.year)  # takes the year's lock first
        known = uow.register.inventory_by_digest(covers, digest)
        if known is not None:
            return f"{known.number}/{known.year}"
        uow.register.add_inventory(FileInventory(
            year=today.year, number=number, covers=covers, digest=digest, files=len(rows),
            sheets=sum(r["sheets"] for r in rows), compiled_on=today, compiled_by=actor.person))
        record(uow.audit, actor, at=now, action="register.inventory_compiled", object_type="file_inventory",
               object_id=f"{number}/{today.year}", details={"covers": covers, "files": len(rows)})
        uow.commit()
        return f"{number}/{today.year}"


def format_problem(fmt: str) -> str:
    """What is wrong with a printout's file format (its file name's extension), or ""."""
    return "" if fmt in FORMATS else "формат файла: .pdf, .csv или .xlsx"


def _printout(uow: UnitOfWork, templates_dir, what: str, fmt: str, *, year: int | None, actor: Actor,
              now: dt.datetime, today: dt.date) -> tuple[bytes, int]:
    from archive_service.rendering import registers

    if problem := format_problem(fmt):
        raise ArchiveError(problem)
    with uow:
        rows = [row.as_dict() for row in described_rows(uow, year)]
    if what == "inventory":
        rows = registers.inventory(rows, {kind: rule.years for kind, rule in rules(uow).items()})
        columns, title = registers.INVENTORY_COLUMNS, "Опись"
    else:
        rows = registers.register(rows)
        columns, title = registers.COLUMNS, "Реестр"
    if fmt == "csv":
        return registers.table_csv(columns, rows), len(rows)
    if fmt == "xlsx":
        return registers.table_xlsx(columns, rows, title), len(rows)
    with uow:
        school, director = uow.snapshots.school()
    if what == "inventory":
        number = compile_inventory(uow, rows, covers=year, actor=actor, today=today, now=now)
        return registers.inventory_pdf(templates_dir, rows, number=number, year=year, school=school,
                                       director=director, moment=now), len(rows)
    return registers.register_pdf(templates_dir, rows, year=year, school=school, moment=now), len(rows)
