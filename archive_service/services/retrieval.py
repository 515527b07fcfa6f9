"""Finding archive documents and reading them out: the inspector's search (the sheet check: sheet_checks.py).

Search works across every school year: by year, class, kind, and the name of a student. A
name is looked up in the students every stored snapshot lists (`snapshot_student`; case, «ё»/«е»
and spacing do not matter, each word of the query is the beginning of a word of the name, in
any order) and leads to the documents rendered from the snapshots that list that student — a
student who moved classes is found in each class they were in.

Reading is audited: opening a document (`document.viewed`), downloading its signed file
(`document.downloaded`), verifying its signature (`document.verified`,
`document.report_downloaded`) and checking a paper sheet by its QR code (`sheet.checked`, or
`sheet.check_failed` for a sheet that is not from the archive — that is evidence too).

A copy replaced by a corrected one (`services/corrections.py`) is still found, read and
verified — it is evidence — but every card says which copy is in force and why it changed, and
the sheet check of its paper says «лист заменён», never that the sheet is valid.

Only the signed file is handed out: an unsigned document has no electronic original yet (the
director has not certified it), so `download_document` refuses it with `NotSigned`; its preview
stays available, marked as unsigned.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable, Mapping
from dataclasses import dataclass, field

from archive_service.adapters.orm import SnapshotRecord
from archive_service.domain import sheets as sheet_numbering
from archive_service.domain.actor import Actor
from archive_service.domain.periods import kind_title
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering.model import fmt
from archive_service.rendering.preview import PreviewError, page_png
from archive_service.services.certificates import normalise_name
from archive_service.services.corrections import Replacement, replacements_of
from archive_service.services.fields import checked_query
from archive_service.services.register import NotSigned
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, StorageError

if TYPE_CHECKING:
    from signing import Trust, VerificationReport

KINDS = {"class_journal": "Копия классного журнала", "summary_sheet": "Сводная ведомость итоговых отметок"}
REGISTER_STATUS = {"in_archive": "в архиве", "issued": "выдан", "destroyed": "уничтожен"}
_PERIOD_ORDER = {code: i for i, code in enumerate(["Q1", "Q2", "H1", "T1", "T2", "Q3", "Q4", "H2", "T3", "year"])}
MAX_RESULTS = 500


@dataclass(frozen=True)
class SearchQuery:
    academic_year: str = ""
    class_name: str = ""
    kind: str = ""
    student: str = ""

    @property
    def empty(self) -> bool:
        return not (self.academic_year or self.class_name or self.kind or self.student.strip())


SEARCH_LABELS = {"student": "Фамилия и имя ученика", "year": "Учебный год", "class": "Класс", "kind": "Документы"}


def search_query(values: Mapping[str, str]) -> SearchQuery:
    """The search as typed into the form; `ArchiveError` in Russian for a field longer than a search
    box takes (`domain.fields.QUERY_MOST`), before anything is searched."""
    given = checked_query(values, SEARCH_LABELS)
    return SearchQuery(academic_year=given["year"], class_name=given["class"],
                       kind=given["kind"] if given["kind"] in KINDS else "", student=" ".join(given["student"].split()))


@dataclass(frozen=True)
class Signature:
    signer: str
    signed_at: dt.datetime
    signed_by: str
    level: str
    certificate_serial: str
    sha256: str
    """the current signed file: the newest timestamp renewal's, else the signature's"""
    renewed: bool


@dataclass(frozen=True)
class Registration:
    year: int
    number: int
    case_index: str
    status: str
    registered_on: dt.date
    retention_end: dt.date
    place: str
    issued_to: str = ""

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def status_text(self) -> str:
        return REGISTER_STATUS.get(self.status, self.status)


@dataclass(frozen=True)
class DocumentCard:
    """What people are told about one document: what it is, where it is, who signed it."""

    document_id: str
    kind: str
    academic_year: str
    period_code: str
    period_title: str
    class_name: str
    grade: int
    snapshot_version: int
    pages: int
    sheets: int
    duplex: bool
    sha256: str
    destroyed_by_act: str | None
    signature: Signature | None
    registration: Registration | None
    students: tuple[str, ...] = field(default=())
    """the students the search matched, «ФИО (дд.мм.гггг)»"""
    replaced: Replacement | None = None
    """the corrected copy that replaced this one, and why (the document stays as evidence)"""

    @property
    def title(self) -> str:
        return f"{KINDS.get(self.kind, self.kind)}, {self.class_name} класс"

    @property
    def period_line(self) -> str:
        """«II четверть, 2026/2027 учебный год»; «2026/2027 учебный год» for the year's documents."""
        year = f"{self.academic_year} учебный год"
        if self.period_code == "year":
            return year
        return f"{self.period_title[:1].upper()}{self.period_title[1:]}, {year}"

    @property
    def current_sha256(self) -> str:
        return self.signature.sha256 if self.signature else self.sha256

    def page_label(self, page: int) -> str:
        """«лист 3» or «лист 3, оборот» for a 1-based page: two-sided documents number fronts only."""
        return sheet_numbering.page_label(page, duplex=self.duplex)

    def sheet_pages(self, sheet: int) -> list[int]:
        """The 1-based pages of a sheet: its front, and its back when printed two-sided."""
        return sheet_numbering.sheet_pages(sheet, self.pages, duplex=self.duplex)


def _period_title(record: SnapshotRecord) -> str:
    return kind_title(record.period_kind, record.period_number, default=record.period_code)


def _signatures(uow: UnitOfWork, document_pks: list[int]) -> dict[int, Signature]:
    out = {}
    signed = uow.documents.signatures(document_pks)
    newest = uow.documents.latest_renewals([sig.id for sig in signed.values()])
    for pk, sig in signed.items():
        renewal = newest.get(sig.id)
        out[pk] = Signature(sig.signer, sig.signed_at, sig.signed_by, sig.level, sig.certificate_serial,
                            renewal.sha256 if renewal else sig.sha256, renewal is not None)
    return out


def _registrations(uow: UnitOfWork, document_pks: list[int]) -> dict[int, Registration]:
    out = {}
    for entry in uow.register.of_documents(document_pks).values():
        place = ", ".join(v for v in (entry.room, entry.cabinet, entry.folder) if v)  # as the secretary wrote them
        if entry.medium == "electronic":  # a paperless school's original: no shelf
            place = "электронный документ: хранилище архива и резервные копии"
        issued_to = ""
        if entry.status == "issued":
            movement = uow.register.last_movement(entry)
            if movement is not None and movement.action == "issued":
                issued_to = f"{movement.person}, {fmt(movement.on)} ({movement.purpose})" + (
                    f", вернуть до {fmt(movement.return_by)}" if movement.return_by else "")
        out[entry.document_id] = Registration(entry.year, entry.number, entry.case_index, entry.status,
                                              entry.registered_on, entry.retention_end, place, issued_to)
    return out


def _cards(uow: UnitOfWork, rows: list, students: dict[int, list[str]] | None = None) -> list[DocumentCard]:
    """Cards of (document, snapshot) rows, with their signatures and register entries read in bulk."""
    pks = [doc.id for doc, _ in rows]
    signatures, registrations = _signatures(uow, pks), _registrations(uow, pks)
    replaced = replacements_of(uow, pks)
    return [DocumentCard(doc.document_id, doc.kind, doc.academic_year, doc.period_code, _period_title(snap),
                         doc.class_name, doc.grade, snap.version, doc.pages, doc.sheets, doc.duplex, doc.sha256,
                         doc.destroyed_by_act, signatures.get(doc.id), registrations.get(doc.id),
                         tuple(sorted(set((students or {}).get(doc.snapshot_id, ())))), replaced.get(doc.id))
            for doc, snap in rows]


def _matching_students(uow: UnitOfWork, wanted: str) -> dict[int, list[str]]:
    """snapshot id → the matching students it lists. Names are compared in Python, where «ё» and
    case fold the same on every database; only the distinct names are read to compare."""
    words = normalise_name(wanted).split()
    names = [n for n in uow.snapshots.student_names()
             if all(any(part.startswith(w) for part in normalise_name(n).split()) for w in words)]
    found: dict[int, list[str]] = {}
    for row in uow.snapshots.students_named(names):
        found.setdefault(row.snapshot_id, []).append(f"{row.full_name} ({fmt(row.birth_date)})")
    return found


def search(uow: UnitOfWork, query: SearchQuery) -> list[DocumentCard]:
    """Documents of every school year that match all the criteria given (destroyed ones too, marked)."""
    with uow:
        return _search(uow, query)


def search_as(uow: UnitOfWork, query: SearchQuery, *, actor: Actor, now: dt.datetime) -> list[DocumentCard]:
    """`search` by a person: a look-up of a student is itself worth knowing about, and is audited
    (`documents.searched`) in the same transaction."""
    with uow:
        results = _search(uow, query)
        if query.student:
            uow.audit.append(at=now, actor=actor.person, action="documents.searched", object_type="student",
                             object_id=query.student, origin=actor.origin,
                             details={"year": query.academic_year, "class": query.class_name, "kind": query.kind,
                                      "found": len(results)})
            uow.commit()
        return results


def _search(uow: UnitOfWork, query: SearchQuery) -> list[DocumentCard]:
    students: dict[int, list[str]] = {}
    if query.student.strip():
        students = _matching_students(uow, query.student)
        if not students:
            return []
    found = uow.documents.find(academic_year=query.academic_year or None,
                               class_name=" ".join(query.class_name.split()).upper() if query.class_name else None,
                               kind=query.kind or None, snapshot_ids=list(students) if students else None,
                               limit=MAX_RESULTS)
    rows = sorted(found, key=lambda r: (
        r[0].academic_year, r[0].grade, r[0].class_name, _PERIOD_ORDER.get(r[0].period_code, 99),
        r[1].version, r[0].id))
    return _cards(uow, rows, students)


def choices(uow: UnitOfWork) -> tuple[list[str], list[str]]:
    """The school years and classes that have documents, for the search form."""
    with uow:
        rows = uow.documents.classes()
    years = sorted({year for year, _, _ in rows}, reverse=True)
    classes = [c for _, c in sorted({(grade, name) for _, grade, name in rows})]
    return years, list(dict.fromkeys(classes))


def document_card(uow: UnitOfWork, document_id: str) -> DocumentCard:
    with uow:
        return card_in(uow, document_id)


def card_in(uow: UnitOfWork, document_id: str) -> DocumentCard:
    """Inside the caller's transaction: the card of a document, or NotFoundError."""
    row = uow.documents.with_snapshot(document_id)
    if row is None:
        raise NotFoundError(f"документа {document_id} в архиве нет")
    return _cards(uow, [row])[0]


def _existing(card: DocumentCard) -> DocumentCard:
    if card.destroyed_by_act:
        raise NotFoundError(f"документ {card.document_id} уничтожен по акту № {card.destroyed_by_act}; "
                            "его файлов в архиве больше нет")
    return card


def audit_reading(uow: UnitOfWork, action: str, card: DocumentCard, *, actor: Actor, now: dt.datetime,
           **details: Any) -> None:
    """Inside the caller's transaction: the reading, in the audit log."""
    uow.audit.append(at=now, actor=actor.person, action=action, object_type="document", object_id=card.document_id,
                     origin=actor.origin, details={"kind": card.kind, "class": card.class_name,
                                                   "year": card.academic_year, "period": card.period_code, **details})


def view_document(uow: UnitOfWork, document_id: str, *, actor: Actor, now: dt.datetime) -> DocumentCard:
    """Open a document for reading on screen (its page images are not audited one by one)."""
    with uow:
        card = _existing(card_in(uow, document_id))
        audit_reading(uow, "document.viewed", card, actor=actor, now=now, sha256=card.current_sha256)
        uow.commit()
    return card


def page_image(store: ContentStore, card: DocumentCard, page: int, *, dpi: int, signed: bool = True) -> bytes:
    """Page `page` (1-based) as PNG: of the current signed file, or of the file as rendered."""
    if not 1 <= page <= card.pages:
        raise NotFoundError(f"в документе {card.document_id} нет страницы {page}")
    try:
        return page_png(store.read(card.current_sha256 if signed else card.sha256), page, dpi)
    except (StorageError, PreviewError) as err:
        raise ArchiveError(f"изображение страницы не получено: {err}") from err


def download_document(uow: UnitOfWork, store: ContentStore, document_id: str, *, actor: Actor,
                      now: dt.datetime) -> tuple[DocumentCard, bytes]:
    """The signed file as it stands now (with its timestamp renewals); unsigned documents are refused."""
    with uow:
        card = _existing(card_in(uow, document_id))
        if card.signature is None:
            raise NotSigned(f"документ {document_id} ещё не подписан директором электронной подписью: "
                            "подлинника в электронном виде пока нет, скачать можно только подписанный документ")
        data = store.read(card.signature.sha256)
        audit_reading(uow, "document.downloaded", card, actor=actor, now=now, sha256=card.signature.sha256,
                      size=len(data))
        uow.commit()
    return card, data


def verify_document(uow: UnitOfWork, store: ContentStore, trust: Callable[[], Trust], document_id: str, *,
                    actor: Actor, now: dt.datetime, downloaded: bool = False,
                    zone: dt.tzinfo = dt.timezone.utc) -> tuple[DocumentCard, VerificationReport]:
    """The signature report of the current signed file, checked offline now (`trust` is asked for
    only when there is a signature to check)."""
    from signing import verify_pdf  # pyHanko: loaded where it works

    with uow:
        card = _existing(card_in(uow, document_id))
        if card.signature is None:
            raise NotSigned(f"документ {document_id} ещё не подписан директором: проверять нечего")
        report = verify_pdf(store.read(card.signature.sha256), trust(), at=now, zone=zone)
        audit_reading(uow, "document.report_downloaded" if downloaded else "document.verified", card, actor=actor,
               now=now, sha256=card.signature.sha256, valid=report.valid)
        uow.commit()
    return card, report
