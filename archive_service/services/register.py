"""The register of copies (реестр) kept by the secretary, and the retention schedule it uses.

Registering gives a document the next number of the year: the year's counter row is locked
for the transaction that takes the number and inserts the entry, so two secretaries at once
never get the same number and a failed registration never leaves a gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from archive_service.adapters.orm import DocumentRecord, LegalHold, RegisterEntry, RegisterMovement, RetentionRule
from archive_service.domain.actor import Actor
from archive_service.domain.drafts import DEFAULT_ZONE, date_problem
from archive_service.domain.file_issues import return_by_problem, return_problem
from archive_service.domain.periods import VOLUME, period_title, readable_period
from archive_service.domain.fields import NAME_MOST, NOTE_MOST
from archive_service.errors import ArchiveError, DraftRefused, NotFoundError, TooEarly
from archive_service.services import corrections, originals
from archive_service.services.signing import copy_facts
from archive_service.services.audit_trail import record, record_request
from archive_service.services.procedures import binds_per_year
from archive_service.services.fields import checked
from archive_service.services.unit_of_work import UnitOfWork
from retention import DEFAULT_CASE_INDEX, DEFAULT_YEARS, file_closes_on, retention_end, years_problem

BASIS = "Перечень типовых управленческих архивных документов (приказ Росархива от 20.12.2019 № 236)"
TITLES = {"class_journal": "Бумажная копия электронного классного журнала",
          "summary_sheet": "Сводная ведомость итоговых отметок"}


class NotSigned(ArchiveError):
    code = "not_signed"
    http_status = 409


PLACE_MOST = 100


@dataclass(frozen=True)
class Placement:
    """Where a paper file is kept; each part at most `PLACE_MOST` characters."""

    room: str
    cabinet: str
    folder: str


@dataclass(frozen=True)
class Rule:
    kind: str
    years: int
    case_index: str
    basis: str


def rules(uow: UnitOfWork) -> dict[str, Rule]:
    """The school's schedule, created from the defaults the first time it is needed (years and
    case indexes: `retention.DEFAULT_YEARS`, `retention.DEFAULT_CASE_INDEX`; the school changes
    them with `set_rule`)."""
    with uow:
        uow.register.lock_rules()  # two first users must not both seed the defaults
        existing = {r.kind for r in uow.register.rules()}
        missing = [k for k in DEFAULT_YEARS if k not in existing]
        for kind in missing:
            uow.register.add_rule(RetentionRule(kind=kind, years=DEFAULT_YEARS[kind],
                                                case_index=DEFAULT_CASE_INDEX.get(kind, ""), basis=BASIS))
        if missing:
            uow.commit()
        return {r.kind: Rule(r.kind, r.years, r.case_index, r.basis) for r in uow.register.rules()}


def set_rule(uow: UnitOfWork, kind: str, *, years: int | None = None, case_index: str | None = None,
             basis: str | None = None, actor: Actor, now: dt.datetime) -> None:
    if kind not in rules(uow):
        raise NotFoundError(f"нет вида документов «{kind}»; есть: {', '.join(DEFAULT_YEARS)}")
    with uow:
        rule = uow.register.rule(kind)
        if rule is None:
            raise NotFoundError(f"нет вида документов «{kind}»; есть: {', '.join(DEFAULT_YEARS)}")
        if years is not None:
            problem = years_problem(years)
            if problem:
                raise ArchiveError(problem)
            rule.years = years
        if case_index is not None:
            rule.case_index = checked(case_index, "Индекс дела", most=40, required=False)
        if basis is not None:
            rule.basis = checked(basis, "Основание", most=NOTE_MOST)
        record(uow.audit, actor, at=now, action="retention.rule_set", object_type="retention_rule", object_id=kind,
               details={"years": rule.years, "case_index": rule.case_index})
        record_request(uow.audit, actor, at=now, action="retention_rule_set", object_type="retention_rule",
                       object_id=kind, years=rule.years)
        uow.commit()


class RegisterDocument:
    """Enter a document in the register under the next number of the year `on` falls in.

    A command: `validate()` says in Russian why the document may not be registered and writes
    nothing; `run()` checks the same again inside the transaction that takes the number (so
    nothing can change in between) and registers it. A draft is never registered, nor a copy
    before its period ended or its snapshot was exported — by `now`, the clock of the composition
    root, and by the date `on` written in the entry (`domain.drafts`; `zone` is the school's)."""

    def __init__(self, uow: UnitOfWork, document_id: str, *, handed_over_by: str, accepted_by: str,
                 placement: Placement, on: dt.date, paper_only: bool, actor: Actor, now: dt.datetime,
                 zone: str = DEFAULT_ZONE, electronic_only: bool = False):
        self.uow, self.document_id, self.on, self.paper_only = uow, document_id, on, paper_only
        self.electronic_only = electronic_only
        """The caller registers an electronic original (no shelf): refused in a year kept on paper."""
        self.handed_over_by = checked(handed_over_by, "Кто сдал (ФИО)", most=NAME_MOST, required=False)
        self.accepted_by = checked(accepted_by, "Кто принял (ФИО)", most=NAME_MOST, required=False)
        self.placement = Placement(checked(placement.room, "Помещение", most=PLACE_MOST, required=False),
                                   checked(placement.cabinet, "Шкаф", most=PLACE_MOST, required=False),
                                   checked(placement.folder, "Папка", most=PLACE_MOST, required=False))
        self.actor, self.now, self.zone = actor, now, zone
        self.electronic = False
        """The year's archival original is electronic (`originals`): known once checked."""

    def validate(self) -> None:
        with self.uow:
            self._checked()

    def run(self) -> RegisterRow:
        self.validate()
        schedule, uow = rules(self.uow), self.uow
        with uow:
            document = self._checked()
            rule = schedule[document.kind]
            entry = self._entry(document, rule, uow.register.next_number(self.on.year))
            uow.register.add(entry)
            record(uow.audit, self.actor, at=self.now, action="register.added", object_type="document",
                   object_id=self.document_id, details={"year": entry.year, "number": entry.number})
            record_request(uow.audit, self.actor, at=self.now, action="register_added", object_type="document",
                           object_id=self.document_id, register=f"{entry.number}/{entry.year}")
            uow.commit()
            bounds = uow.register.period_bounds([document.id]).get(document.id)
            storage = originals.electronic_storage(uow, document) if self.electronic else ""
            return entry_row(entry, document, bounds=bounds, storage=storage)

    def _checked(self) -> DocumentRecord:
        """The document, if it may be registered (inside the caller's transaction)."""
        uow, document_id = self.uow, self.document_id
        document = uow.documents.by_document_id(document_id)
        if document is None:
            raise NotFoundError(f"документ {document_id} не найден")
        replaced = corrections.replacements_of(uow, [document.id]).get(document.id)
        if replaced is not None:
            raise ArchiveError(f"копия {document_id} {replaced.text}; в реестр вносится действующая копия "
                               f"(документ {replaced.current})")
        problem = date_problem("register", copy_facts(uow, document), self.now, on=self.on, zone=self.zone)
        if problem:
            raise (DraftRefused if document.draft else TooEarly)(problem)
        self.electronic = originals.electronic(uow, document.academic_year)
        if self.electronic_only and not self.electronic:
            raise ArchiveError(f"в {document.academic_year} учебном году архивный оригинал — бумажная копия: "
                               "укажите, где она хранится (помещение, шкаф, папка)")
        if self.electronic:
            _refuse_unsigned_original(uow, document, self.paper_only)
        elif not self.paper_only and uow.documents.signature_of(document.id) is None:
            raise NotSigned(f"документ {document_id} ещё не подписан директором; в реестр вносятся подписанные "
                            "документы (если школа работает только с бумагой — параметр paper-only)")
        if uow.register.of_document(document.id) is not None:
            raise ArchiveError(f"документ {document_id} уже внесён в реестр")
        if document.period_code not in (VOLUME, "year") and binds_per_year(uow, document.academic_year):
            raise ArchiveError(f"в {document.academic_year} учебном году журнал переплетается за год: копия "
                               f"{document.class_name} за {period_title(document.period_code)} — часть тома, "
                               "в реестр вносится том (archive-service volume make)")
        return document

    def _entry(self, document: DocumentRecord, rule: Rule, number: int) -> RegisterEntry:
        entry = RegisterEntry(
            year=self.on.year, number=number, document_id=document.id, case_index=rule.case_index,
            title=f"{TITLES[document.kind]}, {document.class_name} класс",
            period=f"{document.academic_year}, {document.period_code}", sheets=document.sheets,
            handed_over_by=self.handed_over_by, accepted_by=self.accepted_by, registered_on=self.on,
            room=self.placement.room, cabinet=self.placement.cabinet, folder=self.placement.folder,
            retention_end=retention_end(file_closes_on(document.academic_year), rule.years), status="in_archive")
        if self.electronic:  # the signed file itself is the original: no shelf; the director handed it over
            signature = self.uow.documents.signature_of(document.id)
            entry.medium, entry.room, entry.cabinet, entry.folder = "electronic", "", "", ""
            entry.title = f"{originals.TITLES[document.kind]}, {document.class_name} класс"
            entry.handed_over_by = self.handed_over_by or (signature.signed_by if signature else "")
            entry.accepted_by = self.accepted_by or self.actor.person
        return entry


def _refuse_unsigned_original(uow: UnitOfWork, document: DocumentRecord, paper_only: bool) -> None:
    """A paperless school's original is the signed electronic copy: registered once the director signed it."""
    if paper_only:
        raise ArchiveError(f"в {document.academic_year} учебном году архивный оригинал — электронный: в реестр "
                           "вносится документ, подписанный директором, бумажная копия не регистрируется")
    if uow.documents.signature_of(document.id) is None:
        raise NotSigned(f"документ {document.document_id} ещё не подписан директором: электронный оригинал "
                        "вносится в реестр после подписи директора")


def register_document(uow: UnitOfWork, document_id: str, *, handed_over_by: str, accepted_by: str,
                      placement: Placement, on: dt.date, paper_only: bool, actor: Actor,
                      now: dt.datetime, zone: str = DEFAULT_ZONE) -> RegisterRow:
    """Enter a document in the register (see `RegisterDocument`)."""
    return RegisterDocument(uow, document_id, handed_over_by=handed_over_by, accepted_by=accepted_by,
                            placement=placement, on=on, paper_only=paper_only, actor=actor, now=now,
                            zone=zone).run()


@dataclass(frozen=True)
class RegisterRow:
    """An entry as pages and printouts show it (dates as ГГГГ-ММ-ДД text); `superseded` says which
    copy replaced it and why (the entry itself, its place and its status, is never changed by a
    correction)."""

    year: int
    number: int
    document_id: str
    case_index: str
    title: str
    period: str
    """«2026/2027, II четверть»"""
    sheets: int
    handed_over_by: str
    accepted_by: str
    registered_on: str
    room: str
    cabinet: str
    folder: str
    retention_end: str
    status: str
    """in_archive, issued or destroyed"""
    superseded: dict[str, Any] | None
    kind: str = ""
    """class_journal or summary_sheet"""
    class_name: str = ""
    first_date: str = ""
    """The file's extreme dates (крайние даты), ГГГГ-ММ-ДД: the first and last day of the period its
    documents cover (a summary sheet's: the school year's); "" if unknown."""
    last_date: str = ""
    parts: tuple[str, ...] = ()
    """A year's volume (дело): the period copies bound in it, «I четверть: документ …, 5 л.»."""
    medium: str = "paper"
    """paper: a shelf (room, cabinet, folder); electronic: the signed electronic original"""
    place: str = ""
    """Where the file is kept, in words: the shelf, or «электронный документ» and its storage"""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DueRow(RegisterRow):
    """An entry whose retention has ended, with the reason of its legal hold if it has one."""

    hold: str | None = None


def entry_row(entry: RegisterEntry, document: DocumentRecord, replaced: corrections.Replacement | None = None, *,
              bounds: tuple[dt.date, dt.date] | None = None, parts: tuple[str, ...] = (),
              storage: str = "") -> RegisterRow:
    first, last = (bounds[0].isoformat(), bounds[1].isoformat()) if bounds else ("", "")
    medium = entry.medium or "paper"
    place = storage or originals.ELECTRONIC if medium == "electronic" else \
        ", ".join(v for v in (entry.room, entry.cabinet, entry.folder) if v)
    return RegisterRow(entry.year, entry.number, document.document_id, entry.case_index, entry.title,
                       readable_period(entry.period), entry.sheets, entry.handed_over_by, entry.accepted_by,
                       entry.registered_on.isoformat(), entry.room, entry.cabinet, entry.folder,
                       entry.retention_end.isoformat(), entry.status, replaced.as_dict() if replaced else None,
                       document.kind, document.class_name, first, last, parts, medium, place)


def described_rows(uow: UnitOfWork, year: int | None = None) -> list[RegisterRow]:
    """The register's rows (of the year) with their replacements and extreme dates (inside the
    caller's transaction)."""
    rows = uow.register.listing(year)
    replaced = corrections.replacements_of(uow, [entry.document_id for entry, _ in rows])
    bounds = uow.register.period_bounds([document.id for _, document in rows])
    from archive_service.services.volumes import parts_of  # volumes build on this module's rules

    parts = parts_of(uow, [document for _, document in rows])
    return [entry_row(entry, document, replaced.get(entry.document_id), bounds=bounds.get(document.id),
                      parts=parts.get(document.id, ()),
                      storage=originals.electronic_storage(uow, document) if entry.medium == "electronic" else "")
            for entry, document in rows]


def list_register(uow: UnitOfWork, year: int | None = None) -> list[RegisterRow]:
    with uow:
        return described_rows(uow, year)


def retention_due(uow: UnitOfWork, today: dt.date) -> list[DueRow]:
    """Entries whose retention has ended by `today`, not destroyed yet; held ones say so."""
    held = holds(uow)
    due = [r for r in list_register(uow) if r.status != "destroyed" and dt.date.fromisoformat(r.retention_end) <= today]
    return [DueRow(**r.as_dict(), hold=held.get((r.year, r.number))) for r in due]


def _entry(uow: UnitOfWork, year: int, number: int, *, lock: bool = False) -> RegisterEntry:
    entry = uow.register.get(year, number, lock=lock)
    if entry is None:
        raise NotFoundError(f"в реестре нет записи №{number}/{year}")
    return entry


def _destruction_begun(uow: UnitOfWork, entry: RegisterEntry) -> str | None:
    """«N/YYYY» of the disposal act whose destruction of this file has begun (or ended)."""
    act = uow.disposal.destruction_begun(entry)
    return f"{act[1]}/{act[0]}" if act else None


def _refuse_if_destroyed(uow: UnitOfWork, entry: RegisterEntry, what: str) -> None:
    """A file whose destruction has begun is gone for good: no hold, no issue can bring it back."""
    act = _destruction_begun(uow, entry)
    if act:
        raise ArchiveError(f"уничтожение документа №{entry.number}/{entry.year} по акту № {act} уже начато: "
                           f"{what} нельзя")
    if entry.status == "destroyed":
        raise ArchiveError(f"документ №{entry.number}/{entry.year} уничтожен: {what} нельзя")


def move_file(uow: UnitOfWork, year: int, number: int, action: str, *, person: str, purpose: str, on: dt.date,
              actor: Actor, now: dt.datetime, return_by: dt.date | None = None) -> None:
    """Issue a paper file from the archive (to an inspector, say) until `return_by`, or take it
    back; a refused date writes nothing (`domain.file_issues`)."""
    person = checked(person, "Кому выдано" if action == "issued" else "Кто вернул", most=NAME_MOST)
    purpose = checked(purpose, "Цель", required=False)
    if action == "issued" and (problem := return_by_problem(on, return_by)):
        raise ArchiveError(problem)
    with uow:
        entry = _entry(uow, year, number, lock=True)
        if action == "issued":
            _refuse_if_destroyed(uow, entry, "выдать его")
        expected = {"issued": "in_archive", "returned": "issued"}[action]
        if entry.status != expected:
            state = {"in_archive": "в архиве", "issued": "выдано", "destroyed": "уничтожено"}[entry.status]
            verb = "выдать" if action == "issued" else "вернуть"
            raise ArchiveError(f"дело № {number}/{year} сейчас {state}: {verb} нельзя")
        last = uow.register.last_movement(entry)
        if action == "returned" and last is not None and (problem := return_problem(last.on, on)):
            raise ArchiveError(problem)
        entry.status = "issued" if action == "issued" else "in_archive"
        kept = return_by if action == "issued" else None
        uow.register.add_movement(RegisterMovement(entry_id=entry.id, action=action, person=person, purpose=purpose,
                                                   on=on, recorded_by=actor.person, return_by=kept))
        record(uow.audit, actor, at=now, action=f"register.{action}", object_type="register_entry",
               object_id=f"{number}/{year}", details={"person": person, "purpose": purpose, "on": on.isoformat(),
                                                      **({"return_by": kept.isoformat()} if kept else {})})
        record_request(uow.audit, actor, at=now, action=f"register_{action}", object_type="register_entry",
                       object_id=f"{number}/{year}", person=person)
        uow.commit()


def place_hold(uow: UnitOfWork, year: int, number: int, *, reason: str, on: dt.date, actor: Actor,
               now: dt.datetime) -> None:
    """Forbid destroying the file; refused once its destruction has begun (the entry's row lock
    orders this against the disposal marking the destruction begun)."""
    reason = checked(reason, "Основание")
    with uow:
        entry = _entry(uow, year, number, lock=True)
        _refuse_if_destroyed(uow, entry, "запретить уничтожение")
        uow.holds.add(LegalHold(entry_id=entry.id, reason=reason, placed_on=on, placed_by=actor.person))
        record(uow.audit, actor, at=now, action="register.hold_placed", object_type="register_entry",
               object_id=f"{number}/{year}", details={"reason": reason})
        record_request(uow.audit, actor, at=now, action="hold_placed", object_type="register_entry",
                       object_id=f"{number}/{year}", reason=reason)
        uow.commit()


def release_hold(uow: UnitOfWork, year: int, number: int, *, on: dt.date, actor: Actor, now: dt.datetime) -> None:
    with uow:
        entry = _entry(uow, year, number)
        holds = uow.holds.active_for(entry)
        if not holds:
            raise ArchiveError(f"на документ №{number}/{year} нет действующего запрета уничтожения")
        for hold in holds:
            hold.released_on = on
        record(uow.audit, actor, at=now, action="register.hold_released", object_type="register_entry",
               object_id=f"{number}/{year}", details={})
        record_request(uow.audit, actor, at=now, action="hold_released", object_type="register_entry",
                       object_id=f"{number}/{year}")
        uow.commit()


def issued_to(uow: UnitOfWork) -> dict[tuple[int, int], dict]:
    """Who holds each issued paper file: the latest issue of an entry that is out of the archive."""
    with uow:
        return {(entry.year, entry.number): {"person": movement.person, "purpose": movement.purpose,
                                             "on": movement.on, "return_by": movement.return_by}
                for entry, movement in uow.register.issued()}


def holds(uow: UnitOfWork) -> dict[tuple[int, int], str]:
    """(year, number) → the reason of its active legal hold."""
    with uow:
        active = uow.holds.active()
        return {(entry.year, entry.number): active[entry.id]
                for entry in (uow.register.by_id(entry_id) for entry_id in active) if entry is not None}

