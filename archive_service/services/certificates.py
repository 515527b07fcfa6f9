"""Archival certificates (архивные справки) for former students, drawn from the summary sheets.

The secretary names the student and the birth date; every school year whose summary sheet
lists that student becomes a table of the certificate, with the marks of the student's row as
the sheet prints them and the file and sheets the row stands on. Issuing takes the next number
of the year under a lock held until the certificate's row is committed, so numbers are never
shared and never skipped; the PDF is rendered inside that transaction because the number is
printed on it (a certificate renders in well under a second, and few are issued a day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any
from pathlib import Path

from archive_service.adapters.orm import ArchivalCertificate
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering.certificate import CertificateFacts, YearRecord, certificate_pdf, sheets_showing
from archive_service.rendering.model import fmt, student_rows
from archive_service.rendering.summary import final_marks
from archive_service.services.audit_trail import record, record_request
from archive_service.services.ingest import load_snapshot
from archive_service.services.snapshots import school_facts
from archive_service.services.unit_of_work import UnitOfWork
from archive_service.services.fields import checked
from archive_service.domain.fields import NAME_MOST
from storage import ContentStore


@dataclass(frozen=True)
class StudentMatch:
    """A student of the wanted name and birth date in the newest year snapshot of one class."""

    snapshot_id: int
    academic_year: str
    class_name: str
    grade: int
    student_id: str
    full_name: str
    birth_date: dt.date


def normalise_name(name: str) -> str:
    """Case, «ё» and spacing do not matter: «  сидоров  Пётр » = «Сидоров Петр»."""
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").casefold().split())


def find_student(uow: UnitOfWork, name: str, birth_date: dt.date) -> list[StudentMatch]:
    """Every class and school year whose year snapshot (its newest version) lists the student."""
    wanted = normalise_name(name)
    with uow:
        rows = uow.snapshots.students_born(birth_date, period_code="year")
        found = [(st, rec) for st, rec in rows if normalise_name(st.full_name) == wanted]
        newest = {r.id for year in {rec.academic_year for _, rec in found}
                  for r in uow.snapshots.listing(year, "year", latest_only=True)}
        matches = [StudentMatch(rec.id, rec.academic_year, rec.class_name, rec.grade, st.student_id, st.full_name,
                                st.birth_date) for st, rec in found if rec.id in newest]
    return sorted(matches, key=lambda m: (m.academic_year, m.grade, m.class_name))


@dataclass(frozen=True)
class _SheetFile:
    document_id: str
    sha256: str
    duplex: bool
    registered_as: str | None  # «N/YYYY»
    case_index: str


def _summary_sheet(uow: UnitOfWork, match: StudentMatch) -> _SheetFile:
    """The summary sheet made from the snapshot: the registered one first, else the newest."""
    row = uow.documents.registered_first(match.snapshot_id, "summary_sheet")
    if row is None:
        raise ArchiveError(f"сводная ведомость {match.class_name} класса за {match.academic_year} учебный год ещё "
                           f"не изготовлена: выполните «archive-service period close --year {match.academic_year} "
                           f"--period year --class {match.class_name}» и повторите выдачу справки")
    document, entry = row
    return _SheetFile(document.document_id, document.sha256, document.duplex,
                      f"{entry.number}/{entry.year}" if entry else None, entry.case_index if entry else "")


def _year_record(uow: UnitOfWork, store: ContentStore, match: StudentMatch) -> YearRecord:
    """The student's row of one summary sheet: the marks from the sheet's own table, the sheets
    from the stored file."""
    with uow:
        stored = uow.snapshots.get(match.snapshot_id, with_content=True)
        if stored is None:
            raise NotFoundError(f"снимок журнала {match.class_name} класса за {match.academic_year} учебный год "
                                "не найден")
        snap = load_snapshot(stored)
        sheet = _summary_sheet(uow, match)
    row = next(r for r in student_rows(snap) if r.student.id == match.student_id)
    # grade 1 has no grid: the row is the class list's
    line = row.grid_name if snap.class_.grade > 1 else f"{row.number} {row.student.full_name}"
    sheets = sheets_showing(store.read(sheet.sha256), line, duplex=sheet.duplex)
    if not sheets:
        raise ArchiveError(f"в сводной ведомости {sheet.document_id} не найдена строка «{line}»: "
                           "файл не соответствует снимку журнала")
    return YearRecord(match.academic_year, match.class_name, match.grade, snap.school.short_name,
                      row.student.enrolled_on, row.student.left_on, final_marks(snap).of(match.student_id),
                      sheet.document_id, sheet.registered_as, sheet.case_index, sheets)


def issue_certificate(uow: UnitOfWork, store: ContentStore, templates_dir: Path, name: str, birth_date: dt.date, *,
                      requested_by: str, purpose: str, actor: Actor, now: dt.datetime, today: dt.date | None = None,
                      secretary: str = "") -> IssuedCertificate:
    """Issue the certificate of a former student under the next number of the year; its PDF is
    kept in the content store. Raises `NotFoundError` when no summary sheet lists the student."""
    name = checked(name, "Фамилия, имя, отчество", most=NAME_MOST)
    requested_by = checked(requested_by, "Кто запросил")
    purpose = checked(purpose, "Для чего")
    matches = find_student(uow, name, birth_date)
    if not matches:
        raise NotFoundError(f"учащийся «{' '.join(name.split())}» с датой рождения {fmt(birth_date)} в сводных "
                            "ведомостях архива не найден; проверьте написание фамилии, имени, отчества и дату "
                            "рождения")
    years = [_year_record(uow, store, m) for m in matches]
    school, director = school_facts(uow)
    issued_on = today or now.astimezone().date()
    with uow:
        number = uow.certificates.next_number(issued_on.year)
        facts = CertificateFacts(number, issued_on.year, issued_on, school, director, matches[-1].full_name,
                                 birth_date, requested_by, purpose, secretary, years)
        digest = store.put(certificate_pdf(templates_dir, facts, moment=now))
        certificate = ArchivalCertificate(
            year=issued_on.year, number=number, student_name=facts.student_name, birth_date=birth_date,
            requested_by=requested_by, purpose=purpose, issued_on=issued_on, issued_by=actor.person,
            sources=[_source(y) for y in years], sha256=digest)
        uow.certificates.add(certificate)
        record(uow.audit, actor, at=now, action="certificate.issued", object_type="archival_certificate",
               object_id=facts.reference, details={"sha256": digest, "requested_by": requested_by,
                                                   "purpose": purpose, "documents": [y.document_id for y in years]})
        record_request(uow.audit, actor, at=now, action="certificate_issued", object_type="archival_certificate",
                       object_id=facts.reference)
        uow.commit()
        return _row(certificate)


def _source(y: YearRecord) -> dict:
    return {"academic_year": y.academic_year, "class": y.class_name, "document_id": y.document_id,
            "register": y.registered_as, "case_index": y.case_index, "sheets": y.sheets}


@dataclass(frozen=True)
class IssuedCertificate:
    """An issued certificate as the book of certificates lists it (dates as ГГГГ-ММ-ДД text)."""

    number: int
    year: int
    reference: str
    """«N/YYYY»"""
    student_name: str
    birth_date: str
    requested_by: str
    purpose: str
    issued_on: str
    issued_by: str
    sources: list[dict[str, Any]]
    """each year's summary sheet the certificate quotes: year, class, document, register number, sheets"""
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _row(c: ArchivalCertificate) -> IssuedCertificate:
    return IssuedCertificate(c.number, c.year, f"{c.number}/{c.year}", c.student_name, c.birth_date.isoformat(),
                             c.requested_by, c.purpose, c.issued_on.isoformat(), c.issued_by, c.sources, c.sha256)


def list_certificates(uow: UnitOfWork, year: int | None = None) -> list[IssuedCertificate]:
    with uow:
        return [_row(c) for c in uow.certificates.listing(year)]


def certificate_file(uow: UnitOfWork, store: ContentStore, year: int, number: int) -> tuple[IssuedCertificate, bytes]:
    """An issued certificate and its PDF, as it was given out."""
    with uow:
        return _issued(uow, store, year, number)


def _issued(uow: UnitOfWork, store: ContentStore, year: int, number: int) -> tuple[IssuedCertificate, bytes]:
    certificate = uow.certificates.get(year, number)
    if certificate is None:
        raise NotFoundError(f"архивная справка № {number}/{year} не выдавалась")
    return _row(certificate), store.read(certificate.sha256)


def download_certificate(uow: UnitOfWork, store: ContentStore, year: int, number: int, *, actor: Actor,
                         now: dt.datetime) -> tuple[IssuedCertificate, bytes]:
    """An issued certificate and its PDF for a person; a download through the web is recorded."""
    with uow:
        row, data = _issued(uow, store, year, number)
        record_request(uow.audit, actor, at=now, action="certificate_downloaded", object_type="archival_certificate",
                       object_id=row.reference, format="pdf")
        uow.commit()
        return row, data


def a_student_of_the_oldest_class(uow: UnitOfWork, academic_year: str) -> tuple[str, dt.date]:
    """(name, birth date) of a student in the year's summary sheets, oldest class first (the demo's
    certificate)."""
    with uow:
        student = uow.snapshots.first_student(academic_year, "year")
        if student is None:
            raise NotFoundError(f"нет сводных ведомостей за {academic_year}")
        return student.full_name, student.birth_date
