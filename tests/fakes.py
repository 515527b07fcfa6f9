"""An in-memory unit of work for unit tests of the services' rules (cosmicpython's FakeUnitOfWork):
the repositories of `archive_service/services/ports.py` over plain lists, no database.

Records are the ORM classes used as plain objects; `add` gives a record its id as a flush would.
There is no rollback: what a service adds stays, so a test sees what it did; `commits` counts
the commits. Only the repositories the converted services use are here (register, holds,
disposal, supersessions, steps, documents, backups, audit, snapshots).
"""

from __future__ import annotations

import datetime as dt
import itertools
from functools import cached_property
from typing import Any, Iterable, Sequence

from archive_service.adapters.orm import (
    ApiToken,
    AuditEvent,
    BackupJournalEntry,
    BackupSet,
    DisposalAct,
    DisposalActItem,
    DocumentRecord,
    DocumentSignature,
    DocumentSupersession,
    FileInventory,
    LegalHold,
    PeriodStep,
    ProcedureChoice,
    ProcedureEventDate,
    SchoolProcedure,
    RegisterEntry,
    RegisterMovement,
    RetentionRule,
    SnapshotRecord,
    SchoolGrant,
    UserAccount,
    YearBinding,
    ArchivalOriginal,
)

_ids = itertools.count(1)


def _with_id(record: Any) -> Any:
    if getattr(record, "id", None) is None:
        record.id = next(_ids)
    return record


class FakeRegister:
    def __init__(self, uow: FakeUnitOfWork):
        self.uow = uow
        self.entries: list[RegisterEntry] = []
        self.counters: dict[int, int] = {}
        self.retention_rules: dict[str, RetentionRule] = {}
        self.movements: list[RegisterMovement] = []
        self.inventories: list[FileInventory] = []

    def lock_rules(self) -> None:
        pass

    def rules(self) -> Sequence[RetentionRule]:
        return list(self.retention_rules.values())

    def rule(self, kind: str) -> RetentionRule | None:
        return self.retention_rules.get(kind)

    def add_rule(self, rule: RetentionRule) -> None:
        self.retention_rules[rule.kind] = rule

    def next_number(self, year: int) -> int:
        self.counters[year] = self.counters.get(year, 0) + 1
        return self.counters[year]

    def add(self, entry: RegisterEntry) -> None:
        self.entries.append(_with_id(entry))

    def get(self, year: int, number: int, *, lock: bool = False) -> RegisterEntry | None:
        return next((e for e in self.entries if (e.year, e.number) == (year, number)), None)

    def by_id(self, entry_id: int, *, lock: bool = False) -> RegisterEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def of_document(self, document_pk: int) -> RegisterEntry | None:
        return next((e for e in self.entries if e.document_id == document_pk), None)

    def of_documents(self, document_pks: Iterable[int]) -> dict[int, RegisterEntry]:
        pks = set(document_pks)
        return {e.document_id: e for e in self.entries if e.document_id in pks}

    def listing(self, year: int | None = None) -> list[tuple[RegisterEntry, DocumentRecord]]:
        rows = sorted((e for e in self.entries if not year or e.year == year), key=lambda e: (e.year, e.number))
        return [(e, self.uow.documents.get(e.document_id)) for e in rows]

    def period_bounds(self, document_pks: Iterable[int]) -> dict[int, tuple[dt.date, dt.date]]:
        out = {}
        for pk in document_pks:
            document = self.uow.documents.get(pk)
            snap = next((r for r in self.uow.snapshots.records if document and r.id == document.snapshot_id), None)
            if snap is not None and snap.period_start and snap.period_end:
                out[pk] = (snap.period_start, snap.period_end)
        return out

    def inventory_by_digest(self, covers: int | None, digest: str) -> FileInventory | None:
        return next((i for i in self.inventories if i.covers == covers and i.digest == digest), None)

    def next_inventory_number(self, year: int) -> int:
        return max((i.number for i in self.inventories if i.year == year), default=0) + 1

    def add_inventory(self, inventory: FileInventory) -> None:
        self.inventories.append(_with_id(inventory))

    def add_movement(self, movement: RegisterMovement) -> None:
        self.movements.append(_with_id(movement))

    def last_movement(self, entry: RegisterEntry) -> RegisterMovement | None:
        return next((m for m in reversed(self.movements) if m.entry_id == entry.id), None)

    def movements_of(self, entry: RegisterEntry) -> list[RegisterMovement]:
        return [m for m in self.movements if m.entry_id == entry.id]

    def issued(self) -> list[tuple[RegisterEntry, RegisterMovement]]:
        return [(e, m) for m in self.movements for e in self.entries
                if m.entry_id == e.id and e.status == "issued" and m.action == "issued"]


class FakeHolds:
    def __init__(self) -> None:
        self.holds: list[LegalHold] = []

    def add(self, hold: LegalHold) -> None:
        self.holds.append(_with_id(hold))

    def active_for(self, entry: RegisterEntry) -> Sequence[LegalHold]:
        return [h for h in self.holds if h.entry_id == entry.id and h.released_on is None]

    def active(self) -> dict[int, str]:
        return {h.entry_id: h.reason for h in self.holds if h.released_on is None}


class FakeDisposal:
    def __init__(self, uow: FakeUnitOfWork):
        self.uow = uow
        self.acts: list[DisposalAct] = []
        self.act_items: list[DisposalActItem] = []

    def lock(self) -> None:
        pass

    def get(self, year: int, number: int) -> DisposalAct | None:
        return next((a for a in self.acts if (a.year, a.number) == (year, number)), None)

    def all(self) -> Sequence[DisposalAct]:
        return sorted(self.acts, key=lambda a: (a.year, a.number))

    def next_number(self, year: int) -> int:
        return max((a.number for a in self.acts if a.year == year), default=0) + 1

    def add(self, act: DisposalAct) -> None:
        self.acts.append(_with_id(act))

    def add_item(self, item: DisposalActItem) -> None:
        self.act_items.append(_with_id(item))

    def items(self, act: DisposalAct) -> list[DisposalActItem]:
        return sorted((i for i in self.act_items if i.act_id == act.id), key=lambda i: i.position)

    def item(self, item_id: int) -> DisposalActItem | None:
        return next((i for i in self.act_items if i.id == item_id), None)

    def _act(self, item: DisposalActItem) -> DisposalAct:
        return next(a for a in self.acts if a.id == item.act_id)

    def open_listings(self) -> dict[int, tuple[int, int]]:
        return {i.entry_id: (self._act(i).year, self._act(i).number) for i in self.act_items
                if self._act(i).status in ("proposed", "approved") and i.destroyed_at is None}

    def destruction_begun(self, entry: RegisterEntry) -> tuple[int, int] | None:
        return next(((self._act(i).year, self._act(i).number) for i in self.act_items
                     if i.entry_id == entry.id and i.destruction_started_at is not None), None)

    def unfinished_documents(self) -> set[int]:
        register = self.uow.register
        return {register.by_id(i.entry_id).document_id for i in self.act_items
                if i.destruction_started_at is not None and i.destroyed_at is None}


class FakeSupersessions:
    def __init__(self) -> None:
        self.rows: list[DocumentSupersession] = []

    def of(self, document_pks: Iterable[int]) -> Sequence[DocumentSupersession]:
        pks = set(document_pks)
        return [r for r in self.rows if r.superseded_id in pks]

    def lock_class(self, snapshot: SnapshotRecord) -> None:
        pass

    def superseded(self) -> set[int]:
        return {r.superseded_id for r in self.rows}

    def add(self, row: DocumentSupersession) -> None:
        self.rows.append(_with_id(row))


class FakeSteps:
    def __init__(self) -> None:
        self.rows: list[PeriodStep] = []

    def of_period(self, academic_year: str, period_code: str) -> Sequence[PeriodStep]:
        return [r for r in self.rows if (r.academic_year, r.period_code) == (academic_year, period_code)]

    def add(self, step: PeriodStep) -> None:
        self.rows.append(_with_id(step))


class FakeProcedures:
    """The procedure chosen per year, the school's copies and event dates (`ports.Procedures`)."""

    def __init__(self) -> None:
        self.chosen: dict[str, ProcedureChoice] = {}
        self.school: dict[str, SchoolProcedure] = {}
        self.dates: dict[tuple[str, str], ProcedureEventDate] = {}
        self.bindings: dict[str, YearBinding] = {}
        self.originals: dict[str, ArchivalOriginal] = {}

    def choice(self, academic_year: str) -> ProcedureChoice | None:
        return self.chosen.get(academic_year)

    def choices(self) -> Sequence[ProcedureChoice]:
        return [self.chosen[k] for k in sorted(self.chosen)]

    def copy(self, key: str) -> SchoolProcedure | None:
        return self.school.get(key)

    def copies(self) -> Sequence[SchoolProcedure]:
        return list(self.school.values())

    def event_dates(self, academic_year: str) -> dict[str, ProcedureEventDate]:
        return {event: row for (year, event), row in self.dates.items() if year == academic_year}

    def binding(self, academic_year: str) -> YearBinding | None:
        return self.bindings.get(academic_year)

    def original(self, academic_year: str) -> ArchivalOriginal | None:
        return self.originals.get(academic_year)

    def add(self, row: ProcedureChoice | SchoolProcedure | ProcedureEventDate | YearBinding | ArchivalOriginal
            ) -> None:
        if isinstance(row, YearBinding):
            self.bindings[row.academic_year] = row
        elif isinstance(row, ArchivalOriginal):
            self.originals[row.academic_year] = row
        elif isinstance(row, ProcedureChoice):
            self.chosen[row.academic_year] = row
        elif isinstance(row, SchoolProcedure):
            self.school[row.key] = row
        else:
            self.dates[(row.academic_year, row.event)] = row


class FakeDocuments:
    def __init__(self, uow: FakeUnitOfWork):
        self.uow = uow
        self.records: list[DocumentRecord] = []
        self.signature_rows: list[DocumentSignature] = []
        self.renewals: dict[int, list[str]] = {}

    def add(self, record: DocumentRecord) -> None:
        self.records.append(_with_id(record))

    def add_signature(self, signature: DocumentSignature) -> None:
        self.signature_rows.append(_with_id(signature))

    def get(self, pk: int) -> DocumentRecord | None:
        return next((d for d in self.records if d.id == pk), None)

    def by_document_id(self, document_id: str) -> DocumentRecord | None:
        return next((d for d in self.records if d.document_id == document_id), None)

    def listing(self, academic_year: str | None = None, period_codes: Sequence[str] = (),
                class_names: Sequence[str] = ()) -> Sequence[DocumentRecord]:
        return [d for d in self.records if d.destroyed_by_act is None
                and (not academic_year or d.academic_year == academic_year)
                and (not period_codes or d.period_code in period_codes)
                and (not class_names or d.class_name in class_names)]

    def signature_of(self, document_pk: int) -> DocumentSignature | None:
        return next((s for s in self.signature_rows if s.document_id == document_pk), None)

    def signatures(self, document_pks: Sequence[int]) -> dict[int, DocumentSignature]:
        return {s.document_id: s for s in self.signature_rows if s.document_id in set(document_pks)}

    def renewal_hashes(self, signature_id: int) -> list[str]:
        return list(self.renewals.get(signature_id, []))

    def of_year(self, academic_year: str, *, kind: str | None = None,
                period_codes: Sequence[str] | None = None) -> list[DocumentRecord]:
        return [d for d in self.records if d.academic_year == academic_year
                and (kind is None or d.kind == kind) and (period_codes is None or d.period_code in period_codes)]

    def with_versions(self, pks: Sequence[int]) -> dict[int, tuple[DocumentRecord, int]]:
        snapshots = {s.id: s for s in self.uow.snapshots.records}
        return {d.id: (d, snapshots[d.snapshot_id].version) for d in self.records if d.id in set(pks)}

    def copies_of_class(self, snapshot: SnapshotRecord) -> list[tuple[int, str, int]]:
        same = {s.id: s.version for s in self.uow.snapshots.records
                if (s.school_id, s.academic_year, s.period_code, s.class_id)
                == (snapshot.school_id, snapshot.academic_year, snapshot.period_code, snapshot.class_id)}
        return [(d.id, d.kind, same[d.snapshot_id]) for d in self.records if d.snapshot_id in same]

    def registered_first(self, snapshot_id: int, kind: str) -> tuple[DocumentRecord, RegisterEntry | None] | None:
        rows = [(d, self.uow.register.of_document(d.id)) for d in self.records
                if d.snapshot_id == snapshot_id and d.kind == kind and d.destroyed_by_act is None]
        rows = [(d, e if e is not None and e.status != "destroyed" else None) for d, e in rows]
        rows.sort(key=lambda row: (row[1] is None, -row[0].id))
        return rows[0] if rows else None


class FakeBackups:
    def __init__(self) -> None:
        self.sets: list[BackupSet] = []
        self.uses: list[BackupJournalEntry] = []

    def add(self, backup: BackupSet) -> None:
        self.sets.append(_with_id(backup))

    def get(self, set_id: str) -> BackupSet | None:
        return next((b for b in self.sets if b.set_id == set_id), None)

    def all(self) -> Sequence[BackupSet]:
        return list(self.sets)

    def of_year(self, academic_year: str) -> Sequence[BackupSet]:
        return [b for b in self.sets if b.academic_year == academic_year]

    def destroyed_by(self, act_key: str) -> Sequence[BackupSet]:
        return [b for b in self.sets if b.destroyed_by_act == act_key]

    def interrupted(self, academic_year: str, label: str) -> Sequence[BackupSet]:
        return [b for b in self.sets if (b.academic_year, b.periods) == (academic_year, label)
                and b.state in ("writing", "incomplete") and b.destroyed_by_act is None]

    def take_over(self, backup: BackupSet, writer: str, now: dt.datetime) -> bool:
        backup.writer, backup.heartbeat_at, backup.state = writer, now, "writing"
        return True

    def record_use(self, *, at: dt.datetime, person: str, role: str, medium: str, set_id: str, action: str,
                   purpose: str, result: str) -> BackupJournalEntry:
        entry = BackupJournalEntry(seq=len(self.uses) + 1, at=at, person=person, role=role, medium=medium,
                                   set_id=set_id, action=action, purpose=purpose, result=result)
        self.uses.append(entry)
        return entry

    def journal(self) -> Sequence[BackupJournalEntry]:
        return list(self.uses)

    def next_act_number(self, year: int) -> int:
        return max((b.act_number or 0 for b in self.sets if b.created_at.year == year), default=0) + 1


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def append(self, *, at: dt.datetime, actor: str, action: str, object_type: str, object_id: str,
               origin: str = "", details: dict[str, Any] | None = None) -> AuditEvent:
        event = AuditEvent(seq=len(self.events) + 1, at=at, actor=actor, action=action, object_type=object_type,
                           object_id=object_id, origin=origin, details=details or {})
        self.events.append(event)
        return event

    def entries(self) -> Sequence[AuditEvent]:
        return list(self.events)

    def actions(self) -> list[str]:
        return [e.action for e in self.events]


class FakeSnapshots:
    def __init__(self) -> None:
        self.records: list[SnapshotRecord] = []

    def add(self, record: SnapshotRecord, students: list = ()) -> None:  # type: ignore[assignment]
        self.records.append(_with_id(record))

    def get(self, pk: int, *, with_content: bool = False) -> SnapshotRecord | None:
        return next((r for r in self.records if r.id == pk), None)

    def listing(self, academic_year: str | None = None, period_code: str | None = None,
                class_names: Sequence[str] = (), *, latest_only: bool = False,
                with_content: bool = False) -> Sequence[SnapshotRecord]:
        rows = [r for r in self.records if (not academic_year or r.academic_year == academic_year)
                and (not period_code or r.period_code == period_code)
                and (not class_names or r.class_name in class_names)]
        if latest_only:
            newest: dict[tuple, SnapshotRecord] = {}
            for r in rows:
                key = (r.school_id, r.academic_year, r.period_code, r.class_id)
                if key not in newest or newest[key].version < r.version:
                    newest[key] = r
            rows = [r for r in rows if newest[(r.school_id, r.academic_year, r.period_code, r.class_id)] is r]
        return sorted(rows, key=lambda r: (r.academic_year, r.period_code, r.grade, r.class_name, r.version))

    def school(self) -> tuple[str, str]:
        return ("", "")


class FakeUnitOfWork:
    """`with uow: ...; uow.commit()` like the real one, over the fakes above."""

    def __init__(self) -> None:
        self.account_roles = None  # a school's archive: every role
        self.snapshots = FakeSnapshots()
        self.documents = FakeDocuments(self)
        self.register = FakeRegister(self)
        self.holds = FakeHolds()
        self.disposal = FakeDisposal(self)
        self.supersessions = FakeSupersessions()
        self.steps = FakeSteps()
        self.procedures = FakeProcedures()
        self.backups = FakeBackups()
        self.audit = FakeAudit()
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        pass

    # accounts and API tokens: made on first use (their services' unit tests: tests/unit/test_account_rules.py)
    @cached_property
    def accounts(self) -> FakeAccounts:
        return FakeAccounts()

    @cached_property
    def tokens(self) -> FakeTokens:
        return FakeTokens()


MOMENT = dt.datetime(2026, 5, 30, 9, 0, tzinfo=dt.timezone.utc)


def seed_snapshot(uow: FakeUnitOfWork, class_name: str, *, academic_year: str = "2025/2026",
                  period_code: str = "Y", version: int = 1, period_end: dt.date = dt.date(2026, 5, 26),
                  ingested_at: dt.datetime = MOMENT, reason: str | None = None) -> SnapshotRecord:
    """A stored snapshot version of a class (only what the services read of it)."""
    record = SnapshotRecord(school_id="school", academic_year=academic_year, period_code=period_code,
                            class_id=f"id-{class_name}", class_name=class_name, grade=int(class_name[:-1]),
                            version=version, period_end=period_end, ingested_at=ingested_at, reason=reason,
                            student_count=25, ingested_by="завуч",
                            exported_at=dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time(12),
                                                            dt.timezone.utc))
    uow.snapshots.add(record)
    return record


def seed_document(uow: FakeUnitOfWork, snapshot: SnapshotRecord, kind: str = "summary_sheet", *,
                  signed: bool = False, created_at: dt.datetime = MOMENT) -> DocumentRecord:
    """A rendered document of the snapshot, signed by the director if `signed`."""
    record = DocumentRecord(document_id=f"D-{len(uow.documents.records) + 1:04d}", kind=kind,
                            snapshot_id=snapshot.id, school_id="school", academic_year=snapshot.academic_year,
                            period_code=snapshot.period_code, class_name=snapshot.class_name, grade=snapshot.grade,
                            sheets=4, sha256=f"{len(uow.documents.records) + 1:064x}", created_at=created_at,
                            created_by="завуч", destroyed_by_act=None)
    uow.documents.add(record)
    if signed:
        uow.documents.add_signature(DocumentSignature(document_id=record.id, sha256=f"s{record.sha256[1:]}",
                                                      signed_at=created_at, signed_by="директор"))
    return record


class FakeAccounts:
    """User accounts and their web sessions, in memory (`ports.Accounts`)."""

    def __init__(self) -> None:
        self.rows: list[UserAccount] = []
        self.sessions: dict[str, int] = {}
        self.granted: list[SchoolGrant] = []

    def by_login(self, login: str) -> UserAccount | None:
        return next((r for r in self.rows if r.login == login), None)

    def add(self, account: UserAccount) -> None:
        self.rows.append(_with_id(account))

    def all(self) -> Sequence[UserAccount]:
        return sorted(self.rows, key=lambda r: (r.role, r.login))

    def count(self) -> int:
        return len(self.rows)

    def active_admins(self) -> int:
        return sum(1 for r in self.rows if r.role == "admin" and r.active)

    def take_attempt(self, login: str, now: dt.datetime, *, max_failures: int,
                     lock_for: dt.timedelta) -> int | None:
        """As the one atomic UPDATE of the real repository does it."""
        row = self.by_login(login)
        if row is None:
            return None
        expired = row.locked_until is not None and row.locked_until <= now
        if row.locked_until is not None and not expired:
            return None
        row.failed_logins = 1 if expired else row.failed_logins + 1
        row.locked_until = now + lock_for if row.failed_logins >= max_failures else None
        return row.failed_logins

    def open_session(self, key: str, account_id: int, now: dt.datetime, *, lifetime: dt.timedelta) -> None:
        self.sessions[key] = account_id

    def of_session(self, key: str) -> UserAccount | None:
        return next((r for r in self.rows if r.id == self.sessions.get(key)), None)

    def end_session(self, key: str) -> None:
        self.sessions.pop(key, None)

    def grants(self, account_id: int) -> list[str]:
        return sorted(g.school_code for g in self.granted if g.user_id == account_id)

    def grant(self, grant: SchoolGrant) -> None:
        self.granted.append(_with_id(grant))

    def revoke(self, account_id: int, school_code: str) -> int:
        before = len(self.granted)
        self.granted = [g for g in self.granted if (g.user_id, g.school_code) != (account_id, school_code)]
        return before - len(self.granted)


class FakeTokens:
    """API tokens, in memory (`ports.Tokens`)."""

    def __init__(self) -> None:
        self.records: list[ApiToken] = []

    def add(self, token: ApiToken) -> None:
        self.records.append(_with_id(token))

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.records if t.token_hash == token_hash), None)

    def get(self, token_id: int) -> ApiToken | None:
        return next((t for t in self.records if t.id == token_id), None)

    def all(self) -> Sequence[ApiToken]:
        return sorted(self.records, key=lambda t: t.id)


class FakeSources:
    """Configured journal sources and their pulls (`uow.sources`), over lists."""

    def __init__(self) -> None:
        self.records: list[Any] = []
        self.pulls: list[Any] = []

    def get(self, name: str) -> Any:
        return next((s for s in self.records if s.name == name), None)

    def all(self) -> Sequence[Any]:
        return sorted(self.records, key=lambda s: s.name)

    def add(self, source: Any) -> None:
        self.records.append(_with_id(source))

    def remove(self, source: Any) -> None:
        self.records.remove(source)

    def add_pull(self, pull: Any) -> Any:
        self.pulls.append(_with_id(pull))
        return pull

    def pull(self, pull_id: int) -> Any:
        return next((p for p in self.pulls if p.id == pull_id), None)

    def last_pull(self, name: str) -> Any:
        mine = [p for p in self.pulls if p.source_name == name]
        return max(mine, key=lambda p: (p.started_at, p.id)) if mine else None


class FakeIngestSnapshots(FakeSnapshots):
    """`uow.snapshots` as ingest uses it: identities, the newest version, the school."""

    def __init__(self) -> None:
        super().__init__()
        self.schools: dict[str, tuple[str, str, str]] = {}

    def lock_identities(self) -> None:
        pass

    def by_hash(self, content_hash: str) -> SnapshotRecord | None:
        return next((r for r in self.records if r.content_hash == content_hash), None)

    def latest(self, school_id: str, academic_year: str, period_code: str, class_id: str) -> SnapshotRecord | None:
        mine = [r for r in self.records if (r.school_id, r.academic_year, r.period_code, r.class_id)
                == (school_id, academic_year, period_code, class_id)]
        return max(mine, key=lambda r: r.version) if mine else None

    def archive_school(self) -> Any:
        return None  # one school: the rule of another school is the database's test

    def class_conflict(self, academic_year: str, class_id: str, class_name: str) -> SnapshotRecord | None:
        return None

    def save_school(self, school_id: str, full_name: str, short_name: str, director: str) -> None:
        self.schools[school_id] = (full_name, short_name, director)


from archive_service.domain.preflight import RULES, PreflightThresholds  # noqa: E402 - for easy merges


class FakePreflightReports:
    """`uow.preflight`: the pre-flight findings kept per snapshot version, norms and rules."""

    def __init__(self) -> None:
        self.kept: dict[tuple[int, int, PreflightThresholds], Any] = {}

    def of(self, records: Sequence[SnapshotRecord], thresholds: PreflightThresholds,
           rules: int = RULES) -> dict[int, Any]:
        return {r.id: self.kept[(r.id, rules, thresholds)] for r in records if (r.id, rules, thresholds) in self.kept}

    def add(self, snapshot_id: int, report: Any, thresholds: PreflightThresholds, *, rules: int = RULES) -> None:
        self.kept[(snapshot_id, rules, thresholds)] = report


def sources_uow() -> FakeUnitOfWork:
    """A fake unit of work that also holds journal sources and ingests snapshots."""
    uow = FakeUnitOfWork()
    uow.sources = FakeSources()  # type: ignore[attr-defined]
    uow.snapshots = FakeIngestSnapshots()
    uow.preflight = FakePreflightReports()  # type: ignore[attr-defined]
    uow.thresholds = PreflightThresholds()  # type: ignore[attr-defined]
    return uow


from archive_service.adapters.orm import Job  # noqa: E402 - added after the shared imports, for easy merges


class FakeJobs:
    """The jobs repository over a list (a FakeUnitOfWork takes one as `uow.jobs = FakeJobs()`)."""

    def __init__(self) -> None:
        self.rows: list[Job] = []

    def add(self, job: Job) -> None:
        self.rows.append(job)

    def get(self, job_id: str) -> Job | None:
        return next((j for j in self.rows if j.id == job_id), None)

    def under_way(self, kind: str, *, alive_since: dt.datetime) -> Sequence[Job]:
        return [j for j in reversed(self.rows) if j.kind == kind and j.status in ("queued", "running")
                and j.heartbeat_at > alive_since]

    def left_behind(self, heard_before: dt.datetime) -> Sequence[Job]:
        return [j for j in self.rows if j.status in ("queued", "running") and j.heartbeat_at < heard_before]


from archive_service.adapters.orm import ArchiveKeyRecord  # noqa: E402 - added after the shared imports, for easy merges


class FakeArchiveKeys:
    """The archive key's generations over a list (`uow.archive_keys = FakeArchiveKeys()`)."""

    def __init__(self) -> None:
        self.rows: list[ArchiveKeyRecord] = []

    def current(self) -> ArchiveKeyRecord | None:
        return max((r for r in self.rows if r.holder == "director"), key=lambda r: r.generation, default=None)

    def all(self) -> Sequence[ArchiveKeyRecord]:
        return sorted(self.rows, key=lambda r: (r.generation, r.holder))

    def by_fingerprint(self, fingerprint: str) -> Sequence[ArchiveKeyRecord]:
        return [r for r in self.all() if r.fingerprint == fingerprint]

    def add(self, record: ArchiveKeyRecord) -> None:
        self.rows.append(record)

    def remove(self, record: ArchiveKeyRecord) -> None:
        self.rows.remove(record)
