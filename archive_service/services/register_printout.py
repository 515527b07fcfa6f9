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
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from archive_service.adapters.orm import FileInventory
from archive_service.domain.actor import Actor
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.domain.file_issues import issue_note
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services.audit_trail import record, record_request
from archive_service.services.register import described_rows, rules
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore

FORMATS = ("pdf", "csv", "xlsx")
WHAT = {"register": "реестр", "inventory": "опись"}
TITLES = {"register": "Реестр", "inventory": "Опись дел"}
PDF_STEPS = 3
"""The stages a PDF job counts: records collected, pages laid out, the file written."""
JOB_KIND = "register_print"


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


def _rows(uow: UnitOfWork, what: str, year: int | None, today: dt.date) -> list[dict]:
    """The register's rows as printed, or the inventory's (ordered and numbered, destroyed files left
    out); an issued file's row says who has it and until when (overdue on `today`)."""
    from archive_service.rendering import registers

    with uow:
        rows = [row.as_dict() for row in described_rows(uow, year)]
        out = {(entry.year, entry.number): issue for entry, issue in uow.register.issued()}  # the newest issue wins
        for r in rows:
            if r["status"] == "issued" and (issue := out.get((r["year"], r["number"]))) is not None:
                r["issue"] = issue_note(issue.person, issue.purpose, issue.on, issue.return_by, today)
    if what == "inventory":
        return registers.inventory(rows, {kind: rule.years for kind, rule in rules(uow).items()})
    return registers.register(rows)


def _pdf(uow: UnitOfWork, templates_dir, what: str, rows: list[dict], *, year: int | None, actor: Actor,
         now: dt.datetime, today: dt.date, laid_out: Callable[[int], None] | None = None) -> tuple[bytes, str]:
    """(the PDF, the inventory's number or "")."""
    from archive_service.rendering import registers

    with uow:
        school, director = uow.snapshots.school()
    if what == "inventory":
        number = compile_inventory(uow, rows, covers=year, actor=actor, today=today, now=now)
        return registers.inventory_pdf(templates_dir, rows, number=number, year=year, school=school,
                                       director=director, moment=now, laid_out=laid_out), number
    return registers.register_pdf(templates_dir, rows, year=year, school=school, moment=now, laid_out=laid_out), ""


def _printout(uow: UnitOfWork, templates_dir, what: str, fmt: str, *, year: int | None, actor: Actor,
              now: dt.datetime, today: dt.date) -> tuple[bytes, int]:
    from archive_service.rendering import registers

    if problem := format_problem(fmt):
        raise ArchiveError(problem)
    rows = _rows(uow, what, year, today)
    columns, title = ((registers.INVENTORY_COLUMNS, "Опись") if what == "inventory"
                      else (registers.COLUMNS, "Реестр"))
    if fmt == "csv":
        return registers.table_csv(columns, rows), len(rows)
    if fmt == "xlsx":
        return registers.table_xlsx(columns, rows, title), len(rows)
    return _pdf(uow, templates_dir, what, rows, year=year, actor=actor, now=now, today=today)[0], len(rows)


def file_name(what: str, year: int | None) -> str:
    """«реестр-2027.pdf», «опись.pdf»: what people save."""
    return f"{WHAT[what]}{f'-{year}' if year else ''}.pdf"


def job_title(what: str, year: int | None) -> str:
    """«Реестр за 2027 год (PDF)», «Опись дел (PDF)»: the job as its page names it."""
    return f"{TITLES[what]}{f' за {year} год' if year else ''} (PDF)"


def print_pdf(uow: UnitOfWork, store: ContentStore, templates_dir, what: str, *, year: int | None, actor: Actor,
              now: dt.datetime, zone: dt.tzinfo | None = None,
              report: Callable[..., None] | None = None) -> dict[str, Any]:
    """The register or the inventory as PDF, made as a job: each stage told to `report` as it
    passes («Собираем записи реестра», «Вёрстка: 340 записей», «Записываем PDF: 12 страниц»), the
    file kept in the content store. The job's result says what was made and where the file is;
    `printed_file` gives it out."""
    if what not in WHAT:
        raise ArchiveError("печатаются реестр и опись дел")
    tell = report or (lambda **_: None)
    noun = "реестра" if what == "register" else "описи"
    tell(done=0, total=PDF_STEPS, message=f"Собираем записи {noun}")
    today = now.astimezone(zone or ZoneInfo(SCHOOL_TIMEZONE)).date()
    rows = _rows(uow, what, year, today)
    tell(done=1, message=f"Вёрстка: записей {len(rows)}"
                         + (", присваиваем описи номер" if what == "inventory" else ""))
    pages: list[int] = []

    def laid_out(count: int) -> None:
        pages.append(count)
        tell(done=2, message=f"Записываем PDF: страниц {count}")

    data, number = _pdf(uow, templates_dir, what, rows, year=year, actor=actor, now=now, today=today,
                        laid_out=laid_out)
    digest = store.put(data)
    tell(done=PDF_STEPS, message=f"Готово: страниц {pages[-1] if pages else '—'}")
    return {"what": what, "year": year, "rows": len(rows), "pages": pages[-1] if pages else 0, "number": number,
            "sha256": digest, "file": file_name(what, year)}


def printed_file(uow: UnitOfWork, store: ContentStore, job: Any, *, actor: Actor, now: dt.datetime) -> bytes:
    """The PDF a finished printing job made (`job`: `jobs.JobState`), its download recorded."""
    if job.kind != JOB_KIND or job.status != "done" or not job.result.get("sha256"):
        raise NotFoundError("файл ещё не готов или не найден")
    result = job.result
    data = store.read(result["sha256"])
    with uow:
        record_request(uow.audit, actor, at=now, action=f"{result['what']}_downloaded", object_type="register",
                       object_id=str(result["year"] or "все годы"), format="pdf", rows=result["rows"],
                       printed_by=job.created_by)
        uow.commit()
    return data
